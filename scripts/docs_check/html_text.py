"""An HTML page as the text a browser shows, one block per line (what the parser reads)."""

from __future__ import annotations

from html.parser import HTMLParser

# Elements that start a new line; text inside inline ones runs together, as rendered
# (`evaluator_id` `string` `Optional` in three spans become `evaluator_idstringOptional`).
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = {"script", "style", "noscript", "template", "head", "svg"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0

    def _break(self) -> None:
        line = "".join(self.current)
        self.current = []
        if not line.strip():
            return  # an empty block is no line (blank lines come from headings only)
        if self.pre:
            self.lines.extend(line.split("\n"))
        else:
            self.lines.append(" ".join(line.split()))

    def finish(self) -> None:
        """Close the last line."""
        self._break()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self._break()
            self.pre += tag == "pre"
        elif tag in _HEADINGS:
            self._break()
            self.lines.append("")  # a heading stands apart, as on the rendered page

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._break()
            self.pre = max(0, self.pre - (tag == "pre"))
        elif tag in _HEADINGS:
            self._break()
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def html_to_text(html: str) -> str:
    """The visible text of `html`, blocks on their own lines, at most one blank line in a row."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser.finish()
    out: list[str] = []
    for line in parser.lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    return "\n".join(out).strip("\n") + "\n"


def looks_like_html(text: str) -> bool:
    """Whether a saved or fetched page is HTML rather than text."""
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")
