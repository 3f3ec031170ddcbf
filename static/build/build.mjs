// Builds static/vendor/bootstrap/bootstrap.min.css from Bootstrap's official Sass sources,
// keeping only what the site uses. Run in static/build/:  npm ci && npm run build
//
// Sass compiles bootstrap.scss; PurgeCSS keeps the rules whose classes, ids, elements or
// attributes appear in the templates, the site's scripts, the Python sources (form widgets,
// crispy layouts, template tags) and the crispy-bootstrap5 templates in the virtualenv.
// No Bootstrap script is used: the one plugin the site needed, collapse (the phone menu), is
// the few lines of static/js/menu.js.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";
import { PurgeCSS } from "purgecss";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const out = join(root, "static/vendor/bootstrap");
const version = JSON.parse(readFileSync(join(here, "node_modules/bootstrap/package.json"))).version;

// Every file under `dir` whose name ends with one of `endings`, but the names in `skip`.
function files(dir, endings, skip = []) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && endings.some((end) => e.name.endsWith(end)))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((path) => !skip.some((name) => path.endsWith(name)));
}

// Where Bootstrap classes are named: templates, the site's scripts, the Python sources (form
// widgets' attrs, crispy layouts, template tags), and crispy-forms' own templates and Python in
// the virtualenv, but for the layout objects the site never imports (accordions, tabs,
// modals, floating labels, switches, alerts, formsets: see `grep -r "from crispy" .`).
const UNUSED_CRISPY = [
  "accordion.html", "accordion-group.html", "layout/modal.html", "layout/tab.html",
  "layout/tab-link.html", "layout/floating_field.html", "layout/switch.html", "layout/alert.html",
  "table_inline_formset.html", "crispy_bootstrap5/bootstrap5.py", "crispy_forms/bootstrap.py",
];
const venvLib = join(root, ".venv/lib");
const sitePackages = readdirSync(venvLib)
  .filter((name) => name.startsWith("python3"))
  .map((name) => join(venvLib, name, "site-packages"));
if (!sitePackages.length) throw new Error("no .venv/lib/python3*/site-packages: create the virtualenv first");
const content = [
  ...files(join(root, "templates"), [".html", ".txt"]),
  ...files(join(root, "static/js"), [".js"]),
  ...["campaigns", "feedback", "config"].flatMap((app) => files(join(root, app), [".py"], ["/migrations/"])),
  ...sitePackages.flatMap((dir) => ["crispy_forms", "crispy_bootstrap5"].flatMap(
    (pkg) => files(join(dir, pkg), [".html", ".py"], UNUSED_CRISPY))),
];

const compiled = sass.compile(join(here, "bootstrap.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions"],
});

const [purged] = await new PurgeCSS().purge({
  content,
  css: [{ raw: compiled.css }],
  safelist: {
    // "show"/"collapsed": set by static/js/menu.js when the phone menu opens and closes;
    // alert-{{ message.level_tag }} in base.html: Django's message levels.
    standard: ["show", "collapsed", /^alert-(success|info|warning|danger|debug)$/],
  },
  keyframes: true,
  fontFace: true,
  variables: true,
});

const banner = `/*! Bootstrap v${version} (https://getbootstrap.com/), MIT licence (LICENSE). Only the rules the site uses: built by static/build/build.mjs. */\n`;
const css = banner + purged.css.replace(/\/\*![\s\S]*?\*\//, "").trim() + "\n";
writeFileSync(join(out, "bootstrap.min.css"), css);

console.log(`bootstrap.min.css: ${compiled.css.length} bytes compiled, ${css.length} kept`);
