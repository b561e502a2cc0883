"""The one sanitising markdown renderer for everything a user writes.

Markdown is rendered by python-markdown and the HTML output is cleaned by nh3 (Rust's ammonia)
against an allow-list. Raw HTML in the source is escaped before rendering, so a payload is shown as
text rather than interpreted; the nh3 pass is the guarantee, whatever markdown produces.
This is also django-markdownx's preview function (MARKDOWNX_MARKDOWNIFY_FUNCTION), so what a
member previews is exactly what is stored.
"""

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "dd", "dl", "dt", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_EXTENSIONS = ["markdown.extensions.fenced_code", "markdown.extensions.tables", "markdown.extensions.sane_lists"]


class _EscapeRawHtml(Extension):
    """Treat raw HTML in the source as text: members write markdown, not HTML."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class _ImagesAsLinks(Treeprocessor):
    """Images are not embedded (no uploads yet, and remote images leak readers' IP addresses to
    third parties); the image becomes a link carrying its alt text, so nothing written is lost."""

    def run(self, root):
        for img in list(root.iter("img")):
            img.tag = "a"
            alt = img.get("alt") or "image"
            src = img.get("src", "")
            img.attrib.clear()
            img.set("href", src)
            img.text = f"[image: {alt}]"


class _SafeImages(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_ImagesAsLinks(md), "images_as_links", 0)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    md = markdown.Markdown(
        extensions=[*_EXTENSIONS, _EscapeRawHtml(), _SafeImages()],
        # Column alignment as an attribute: nh3 strips style attributes by design.
        extension_configs={"markdown.extensions.tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return sanitise_html(md.convert(text or ""))
