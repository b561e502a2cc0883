"""The translatable-text checker (issue 18): words a template shows that bypass the translation
machinery. A template is turned into a skeleton, every template tag, variable and
{% translate %}/{% blocktranslate %} replaced by a placeholder, comments dropped; what is left is
HTML whose text nodes and human-facing attributes must hold no letters."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PLACEHOLDER = "\x00"
# Attributes people read or hear: text in them must be translated too.
HUMAN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-roledescription"}
# Names that stay the same in every language.
UNTRANSLATED = {"ActionSets"}
LETTERS = re.compile(r"[^\W\d_]{2,}")


def skeleton(source: str) -> str:
    parts, depth_skip = [], None
    for token in Lexer(source).tokenize():
        if depth_skip:  # inside a blocktranslate or comment block: its text is not ours to check
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == depth_skip:
                depth_skip = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                depth_skip = "end" + name
            elif name == "comment":
                depth_skip = "endcomment"
            elif name == "block" and token.contents.split()[1].endswith("_class"):  # CSS classes
                depth_skip = "endblock"
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            parts.append(PLACEHOLDER)
    return "".join(parts)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw += 1
        for name, value in attrs:
            if name in HUMAN_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data):
        if not self._raw:
            self._check(data)

    def _check(self, text):
        words = [w for w in LETTERS.findall(text.replace(PLACEHOLDER, " ")) if w not in UNTRANSLATED]
        if words:
            self.found.append(" ".join(text.replace(PLACEHOLDER, "…").split()))


def untranslated_text(source: str) -> list[str]:
    """The text of `source` (a template) shown to people outside the translation machinery."""
    collector = _Collector()
    collector.feed(skeleton(source))
    collector.close()
    return collector.found


def template_names() -> list[str]:
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))
