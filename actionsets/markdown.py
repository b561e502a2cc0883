"""The one sanitising markdown renderer for everything a user writes.

Markdown is rendered by cmark-gfm (GitHub's CommonMark implementation, in C, through cmarkgfm):
linear in its input on the inputs that make backtracking renderers quadratic or recursive (a run
of 30,000 `[` took python-markdown over 30 s; 600 nested list lines raised RecursionError), and
fuzzed upstream. Its HTML is then cleaned by nh3 (Rust's ammonia) against an allow-list: that pass
is the guarantee, whatever cmark produces. Raw HTML in the source is shown as text, never
interpreted (see `_neutralise_html`), and cmark's unsafe option stays off as a second fence.

This is also django-markdownx's preview function (MARKDOWNX_MARKDOWNIFY_FUNCTION), so what a
member previews is exactly what is stored. Every markdown field has one length limit
(settings.MARKDOWN_MAX_CHARS), checked before rendering by the forms and services; the renderer
refuses more itself, so no caller can hand it an unbounded text by mistake.
"""

import re
from collections.abc import Container

import nh3
from cmarkgfm import cmark
from django.conf import settings
from django.db import transaction

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "dd", "dl", "dt", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
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
# The only attribute value a span may carry: the mention element this module writes itself (raw
# HTML never reaches nh3, so no member can write a span; nh3 strips any other class anyway).
ALLOWED_ATTRIBUTE_VALUES = {"span": {"class": {"mention"}}}

# @handles (issue 14, actionsets/handles.py): letters and digits with single dots, dashes or
# underscores between them. A mention starts after a space or punctuation, never inside a word or
# an address ("me@priya.example"), and is written in text only: not in code, nor inside a link.
HANDLE = r"[a-z0-9]+(?:[._-][a-z0-9]+)*"
_MENTION = re.compile(rf"(?<![A-Za-z0-9_.@/+\-])@({HANDLE})", re.IGNORECASE)
_MENTION_SEPARATOR = re.compile(r"[._-]")
_NO_MENTIONS_INSIDE = frozenset({"a", "code", "pre"})
_MENTION_ELEMENT = re.compile(r'<span class="mention">@([^<]+)</span>')

# GFM tables (alignment as an `align` attribute: nh3 strips style attributes), ~~strikethrough~~
# and bare-URL autolinks. Not `tasklist` (its checkboxes would be stripped, losing the "[ ]"), not
# `tagfilter` (raw HTML never reaches the output at all).
_EXTENSIONS = ("table", "strikethrough", "autolink")
# No CMARK_OPT_UNSAFE: if any raw HTML got past `_neutralise_html`, cmark would drop it rather
# than pass it through. VALIDATE_UTF8 replaces invalid sequences instead of trusting them.
_OPTIONS = cmark.Options.CMARK_OPT_VALIDATE_UTF8

# A private-use character stands in for each "<" that could open raw HTML. cmark then sees plain
# text (in paragraphs, code spans, code blocks, titles and alt text alike) and the character is
# turned back into an escaped "<" in its output. Escaping "<" as "&lt;" or "\<" in the source
# instead would show up literally inside code, where entities and backslashes are not decoded.
_LT = "\ue000"
_LT_IN_URL = "%EE%80%80"  # the same character, as cmark percent-encodes it inside a link's href
# "<" followed by what starts a tag, a closing tag, a comment, a declaration or a processing
# instruction — but not CommonMark's autolinks (<https://…>, <someone@example.org>), and not an
# angle-bracketed link destination right after "](".
_HTML_OPENER = re.compile(
    r"(?<!\]\()<(?=[A-Za-z/!?])"
    r"(?![A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\x00-\x20<>]*>)"
    r"(?![A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*>)"
)
# cmark writes an image in exactly one shape, attributes escaped so that none contains a quote;
# raw HTML never reaches its output, so this matches cmark's own images and nothing else.
_CMARK_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? />')


# Nesting deeper than this is flattened before nh3 (text kept, the extra tags dropped). The HTML
# parser under nh3 (html5ever) is quadratic in nesting depth: 8,000 nested block quotes (">>>>…",
# one character each) took it 1.2 s, 50,000 would take minutes. Nothing a member writes nests
# deeper than a few levels; browsers themselves stop nesting at 512.
MAX_DEPTH = 48
# A tag in cmark's output. cmark escapes "<", ">" and quotes in text and attribute values, and raw
# HTML never reaches its output, so every "<" there opens one of its own tags and every ">" after
# it closes that tag: this reads cmark's output, not arbitrary HTML (nh3 still does that).
_CMARK_TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")
_VOID = frozenset({"br", "hr", "img", "input"})


class MarkdownTooLong(ValueError):
    """A caller asked to render more than MARKDOWN_MAX_CHARS: forms and services check first."""


class RenderedInsideTransaction(RuntimeError):
    """Raised only with MARKDOWN_FORBID_IN_TRANSACTION on (the tests that prove it never is)."""


def max_chars() -> int:
    return settings.MARKDOWN_MAX_CHARS


def too_long_message(length: int) -> str:
    return (f"This is {length:,} characters; the limit is {max_chars():,}. "
            "Nothing was saved: shorten it or split it into two posts.")


def check_outside_write_transaction() -> None:
    """Rendering, counting words and looking for advice happen before a service opens its write
    transaction: on SQLite the write lock is held from the first write until commit, so slow work
    inside it makes every other member's write (and sign-in) wait or fail with "database is
    locked". With MARKDOWN_FORBID_IN_TRANSACTION on (tests), doing it inside one is an error."""
    if getattr(settings, "MARKDOWN_FORBID_IN_TRANSACTION", False) and transaction.get_connection().in_atomic_block:
        raise RenderedInsideTransaction("markdown rendered inside a write transaction")


# A set's own file, as the editor's upload writes it: a path on this site, served only through the
# permission-checked view (actionsets/views/files.py), so embedding it tells no third party anything.
_SET_FILE = re.compile(r"/sets/[A-Za-z0-9_-]+/files/[A-Za-z0-9_-]{16,48}/")


# A set's own image stands as `_IMG<n>_IMG` while nh3 runs (nh3 allows no <img> at all), and is
# put back after it from what cmark wrote: a src matching _SET_FILE and cmark's escaped alt text.
_IMG = "\ue001"
_IMG_MARK = re.compile(_IMG + r"(\d+)" + _IMG)


def _image_as_link(match: re.Match, images: list[tuple[str, str]] | None = None) -> str:
    # Remote images are not embedded (they leak readers' IP addresses to third parties): the image
    # becomes a link carrying its alt text, so nothing written is lost. A set's own uploaded image
    # is shown; a reader who may not open it gets the same 404 as for the file's address.
    src, alt = match.group(1), match.group(2) or "image"
    if images is not None and _SET_FILE.fullmatch(src):
        images.append((src, alt))
        return f"{_IMG}{len(images) - 1}{_IMG}"
    return f'<a href="{src}">[image: {alt}]</a>'


def _flatten_deep_nesting(html: str) -> str:
    if html.count("<") < MAX_DEPTH:  # cannot nest that deep: the common case costs one count
        return html
    parts, stack, last = [], [], 0
    for match in _CMARK_TAG.finditer(html):
        closing, name = match.group(1), match.group(2)
        if name in _VOID:
            keep = len(stack) < MAX_DEPTH
        elif closing:
            keep = stack.pop() if stack else False
        else:
            keep = len(stack) < MAX_DEPTH
            stack.append(keep)
        parts.append(html[last:match.start()] if keep else html[last:match.start()] + " ")
        if keep:
            parts.append(match.group(0))
        last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def _mention(handles: Container[str], match: re.Match) -> str:
    """The longest handle of the set that the written name starts with ("@priya.and" is @priya
    followed by ".and"), as a mention element; anything else stays text."""
    written = match.group(1)
    end = len(written)
    while end:
        if written[:end].lower() in handles:
            return f'<span class="mention">@{written[:end].lower()}</span>{written[end:]}'
        end = max((m.start() for m in _MENTION_SEPARATOR.finditer(written, 0, end)), default=0)
    return match.group(0)


def _link_mentions(html: str, handles: Container[str]) -> str:
    """Mention elements for the set's current handles, in cmark's text (not in code or links)."""
    if "@" not in html:
        return html
    parts, inside, last = [], 0, 0
    for match in [*_CMARK_TAG.finditer(html), None]:
        text = html[last:match.start() if match else len(html)]
        parts.append(text if inside else _MENTION.sub(lambda m: _mention(handles, m), text))
        if match is None:
            break
        parts.append(match.group(0))
        if match.group(2) in _NO_MENTIONS_INSIDE:
            inside = max(inside - 1, 0) if match.group(1) else inside + 1
        last = match.end()
    return "".join(parts)


def mentioned_handles(html: str) -> list[str]:
    """The handles mentioned in HTML this module rendered, once each, in order."""
    return list(dict.fromkeys(_MENTION_ELEMENT.findall(html)))


def _neutralise_html(text: str) -> str:
    return _HTML_OPENER.sub(_LT, text.replace(_LT, "\ufffd").replace(_IMG, "\ufffd"))


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in ALLOWED_ATTRIBUTE_VALUES.items()},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render_stored(text: str, *, handles: Container[str] = ()) -> str:
    """Render text already accepted (re-rendering stored posts): no length check, since a post
    saved under a larger limit than today's must still be re-rendered, and cmark is linear.

    `handles`: the @handles of the set's current members (actionsets.handles.current_handles); a
    mention of one becomes a mention element, anyone else's "@name" stays text. Mentions are
    rendered at save like the rest, so a member who leaves later stays mentioned in old posts."""
    check_outside_write_transaction()
    if not text:
        return ""
    html = cmark.markdown_to_html_with_extensions(_neutralise_html(text), options=_OPTIONS, extensions=_EXTENSIONS)
    # rstrip: cmark ends with a newline, python-markdown did not; stored HTML keeps its old shape.
    images: list[tuple[str, str]] = []
    html = _flatten_deep_nesting(_CMARK_IMAGE.sub(lambda m: _image_as_link(m, images), html.rstrip("\n")))
    if handles:
        html = _link_mentions(html, handles)
    html = sanitise_html(html.replace(_LT, "&lt;").replace(_LT_IN_URL, "%3C"))
    if images:
        html = _IMG_MARK.sub(lambda m: '<img src="{}" alt="{}" loading="lazy">'.format(*images[int(m.group(1))]), html)
    return html


def render_markdown(text: str, *, handles: Container[str] = ()) -> str:
    if text and len(text) > max_chars():
        raise MarkdownTooLong(too_long_message(len(text)))
    return render_stored(text, handles=handles)
