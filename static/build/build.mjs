// Builds static/vendor/bootstrap/ from Bootstrap's official Sass and JS sources, keeping only
// what the site uses. Run in static/build/:  npm ci && npm run build
//
// CSS: Sass compiles bootstrap.scss; PurgeCSS keeps the rules whose classes, ids, elements or
// attributes appear in the templates, the site's scripts, the Python sources (form widgets,
// crispy layouts, template tags) and the crispy-bootstrap5 templates in the virtualenv.
// JS: esbuild bundles the collapse plugin (the navbar menu), the one plugin in use.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";
import { PurgeCSS } from "purgecss";
import * as esbuild from "esbuild";

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
    // Added by the collapse plugin while the menu opens and closes.
    standard: ["show", "collapsing", "collapsed"],
    // alert-{{ message.level_tag }} in base.html: Django's message levels.
    deep: [/^alert-(success|info|warning|danger|debug)$/],
  },
  keyframes: true,
  fontFace: true,
  variables: true,
});

const banner = `/*! Bootstrap v${version} (https://getbootstrap.com/), MIT licence (LICENSE). Only the rules the site uses: built by static/build/build.mjs. */\n`;
const css = banner + purged.css.replace(/\/\*![\s\S]*?\*\//, "").trim() + "\n";
writeFileSync(join(out, "bootstrap.min.css"), css);

await esbuild.build({
  entryPoints: [join(here, "bootstrap.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "none",
  banner: { js: `/*! Bootstrap v${version} collapse (https://getbootstrap.com/), MIT licence (LICENSE). Built by static/build/build.mjs. */` },
  outfile: join(out, "bootstrap.min.js"),
});

console.log(`bootstrap.min.css: ${compiled.css.length} bytes compiled, ${css.length} kept`);
console.log(`bootstrap.min.js: ${readFileSync(join(out, "bootstrap.min.js")).length} bytes`);
