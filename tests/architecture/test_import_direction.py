"""The rooms and their stairs (docs/architecture.md), checked on the source with `ast`:

- `campaigns` never imports `feedback` (ratings reach campaign pages through feedback's
  template tags);
- inside `feedback`, only its urls, admin and apps import the reporting package
  (`feedback.reporting`), which may import everything below it;
- the officer programme (`feedback.officers`) sits between them: campaigns ← feedback ←
  officers ← reporting; the feedback core never imports it, and it never imports reporting;
- no project module imports a project module inside a function body (a cycle hidden there
  means the code is in the wrong room), except management commands, migrations and
  `AppConfig.ready`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("campaigns", "feedback", "config")
REPORTING = "feedback.reporting"
OFFICERS = "feedback.officers"
# The demo loader fills every room (it also loads the officer programme's demo).
MAY_IMPORT_OFFICERS = {"feedback.management.commands.load_demo"}
MAY_IMPORT_REPORTING = {"feedback.urls", "feedback.admin", "feedback.apps"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(*packages: str) -> list[Path]:
    return sorted(
        path for package in packages for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The absolute names an import statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def imports_of(path: Path) -> list[tuple[ast.AST, str]]:
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node, name)
        for node in ast.walk(tree)
        for name in imported(node, module, path.name == "__init__.py")
    ]


def is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_campaigns_never_imports_feedback():
    found = [
        f"{module_name(path)} imports {name}"
        for path in source_files("campaigns")
        for _node, name in imports_of(path)
        if is_within(name, "feedback")
    ]
    assert found == []


def test_only_urls_admin_and_apps_of_feedback_import_reporting():
    found = sorted({
        f"{module_name(path)} imports {name}"
        for path in source_files("feedback")
        if not is_within(module_name(path), REPORTING)
        and module_name(path) not in MAY_IMPORT_REPORTING
        for _node, name in imports_of(path)
        if is_within(name, REPORTING)
    })
    assert found == []


def test_the_feedback_core_never_imports_the_officer_programme():
    found = sorted({
        f"{module_name(path)} imports {name}"
        for path in source_files("feedback")
        if not is_within(module_name(path), OFFICERS)
        and not is_within(module_name(path), REPORTING)
        and module_name(path) not in MAY_IMPORT_OFFICERS
        for _node, name in imports_of(path)
        if is_within(name, OFFICERS)
    })
    assert found == []


def test_the_officer_programme_never_imports_reporting():
    found = sorted({
        f"{module_name(path)} imports {name}"
        for path in source_files("feedback/officers")
        for _node, name in imports_of(path)
        if is_within(name, REPORTING)
    })
    assert found == []


def _excepted(path: Path, function: ast.AST, parents: dict) -> bool:
    if "management" in path.parts:
        return True
    owner = parents.get(function)
    return (
        getattr(function, "name", "") == "ready"
        and isinstance(owner, ast.ClassDef)
        and path.name == "apps.py"
    )


def test_no_project_import_inside_a_function_body():
    found = []
    for path in source_files(*PROJECT):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if _excepted(path, function, parents):
                continue
            for node in ast.walk(function):
                names = imported(node, module, path.name == "__init__.py")
                if any(name.split(".")[0] in PROJECT for name in names):
                    found.append(f"{module}:{node.lineno} imports {names[-1]} in {function.name}()")
    assert sorted(set(found)) == []


# --- The checks catch what they are meant to catch ------------------------------------------


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from feedback.selectors import x", "campaigns.views", "feedback.selectors"),
        ("from .reporting import urls", "feedback.views", "feedback.reporting"),
        ("from . import rollups", "feedback.reporting.views", "feedback.reporting.rollups"),
        ("import feedback.reporting.views", "feedback.models", "feedback.reporting.views"),
    ],
)
def test_relative_and_absolute_imports_resolve_to_their_module(source, module, expected):
    node = ast.parse(source).body[0]
    assert expected in imported(node, module, is_package=False)


def test_an_import_in_a_function_body_is_found(tmp_path):
    for package in PROJECT:
        (tmp_path / package).mkdir()
    (tmp_path / "campaigns" / "hidden.py").write_text(
        "def f():\n    from feedback import services\n"
    )
    globals()["ROOT"], saved = tmp_path, ROOT
    try:
        with pytest.raises(AssertionError, match="hidden"):
            test_no_project_import_inside_a_function_body()
        with pytest.raises(AssertionError, match=r"campaigns\.hidden imports feedback"):
            test_campaigns_never_imports_feedback()
    finally:
        globals()["ROOT"] = saved
