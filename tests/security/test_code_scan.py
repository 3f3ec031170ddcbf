"""The code holds nothing that undoes the CSP, autoescaping, CSRF or form whitelisting.

Templates: no inline <script> bodies, no <style> elements, no style="" or on*="" attributes
(a strict CSP blocks them all), no |safe, |safeseq or {% autoescape off %} (every value a
visitor or staff member typed must be escaped; there is no way to tell from a template which
values those are, so each use would need review and is listed in REVIEWED_UNESCAPED).
Python: no ModelForm/ModelAdmin `fields = "__all__"` (new model fields would become editable
unnoticed), no csrf_exempt, no mark_safe( (use format_html).
"""

import os
import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "venv", "tests", "node_modules", "staticfiles", ".git", "__pycache__"}

TEMPLATE_RULES = {
    "inline <script> (no src)": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=\s*[\"'{]", re.I),
    "on* event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.I),
    "|safe filter": re.compile(r"\|\s*safe(seq)?\b"),
    "autoescape off": re.compile(r"{%\s*autoescape\s+off\s*%}"),
}
PYTHON_RULES = {
    'fields = "__all__"': re.compile(r"""\bfields\s*=\s*["']__all__["']"""),
    "csrf_exempt": re.compile(r"\bcsrf_exempt\b"),
    "mark_safe(": re.compile(r"\bmark_safe\s*\("),
}
# (relative path, rule) pairs reviewed by a person, with the reason in a comment. Empty is best.
REVIEWED_UNESCAPED: set[tuple[str, str]] = set()


def project_files(suffix: str):
    """Project files ending in suffix, relative to the repository, skipping SKIPPED_DIRS."""
    for root, dirs, files in os.walk(BASE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(suffix):
                yield (Path(root) / name).relative_to(BASE_DIR)


def violations(text: str, rules: dict[str, re.Pattern]) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for name, pattern in rules.items():
            if pattern.search(line):
                found.append((number, name))
    return found


def scan(suffix: str, rules) -> list[str]:
    report = []
    for relative in project_files(suffix):
        for number, name in violations((BASE_DIR / relative).read_text(), rules):
            if (str(relative), name) not in REVIEWED_UNESCAPED:
                report.append(f"{relative}:{number}: {name}")
    return report


def test_templates_have_no_inline_code_or_unescaped_output():
    assert list(project_files(".html")), "no templates found: the scan looks in the wrong place"
    assert scan(".html", TEMPLATE_RULES) == []


def test_python_code_has_no_csrf_exemptions_mark_safe_or_all_fields():
    files = list(project_files(".py"))
    assert any(str(f) == "config/settings.py" for f in files)
    assert not any(f.parts[0] == "tests" for f in files)
    assert scan(".py", PYTHON_RULES) == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("<script>alert(1)</script>", "inline <script> (no src)"),
        ('<script type="module">x()</script>', "inline <script> (no src)"),
        ("<style>p {}</style>", "<style> element"),
        ('<div class="a" style="color: red">', "style attribute"),
        ('<a href="#" onclick="go()">', "on* event handler attribute"),
        ("{{ feedback.body|safe }}", "|safe filter"),
        ("{{ replies|safeseq|join:', ' }}", "|safe filter"),
        ("{% autoescape off %}{{ x }}{% endautoescape %}", "autoescape off"),
    ],
)
def test_template_scan_catches(line, rule):
    assert violations(line, TEMPLATE_RULES) == [(1, rule)]


@pytest.mark.parametrize(
    "line",
    [
        '<script src="{% static \'vendor/bootstrap/bootstrap.bundle.min.js\' %}" defer></script>',
        '<span class="badge" data-style="x">',
        "{{ activity.title }}",
        "{{ activity.description|linebreaks }}",
    ],
)
def test_template_scan_allows(line):
    assert violations(line, TEMPLATE_RULES) == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ('    fields = "__all__"', 'fields = "__all__"'),
        ("@csrf_exempt", "csrf_exempt"),
        ("from django.views.decorators.csrf import csrf_exempt", "csrf_exempt"),
        ("return mark_safe(html)", "mark_safe("),
    ],
)
def test_python_scan_catches(line, rule):
    assert violations(line, PYTHON_RULES) == [(1, rule)]
