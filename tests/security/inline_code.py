"""Finds what a strict Content-Security-Policy would block in a rendered page."""

from html.parser import HTMLParser


class InlineCodeFinder(HTMLParser):
    """Collects inline <script> bodies, <style> elements, style="" and on*="" attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        # A JSON data block ({{ value|json_script:"id" }}) is not run, so the CSP allows it.
        is_data = dict(attrs).get("type") == "application/json"
        if tag == "script" and "src" not in names and not is_data:
            self._in_inline_script = True
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
