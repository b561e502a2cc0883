"""Judge rendered HTML the way a browser parses it (html5lib implements the WHATWG algorithm).

A finding is anything that could run script or restyle the page: a script element that is not one
of our own static files, an `on*` attribute, a javascript:/vbscript:/data: URL in any attribute that
a browser treats as a URL, a `style` attribute or element, a dangerous element (iframe, object,
embed, base, meta, svg, math, form controls with formaction). Inside user-content containers
(`.prose`) only the sanitiser's allow-list may appear at all.
"""

import re

import html5lib

from actionsets.markdown import ALLOWED_ATTRIBUTE_VALUES, ALLOWED_ATTRIBUTES, ALLOWED_TAGS

_NS = re.compile(r"^\{[^}]*\}")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcset", "xlink:href",
                  "codebase", "cite", "longdesc", "usemap", "dynsrc", "lowsrc", "manifest", "ping", "content"}
DANGEROUS_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style",
                  "template", "noscript", "isindex", "xmp", "plaintext", "noembed", "noframes", "portal"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# Browsers drop ASCII tab/newline anywhere in a URL and leading C0 controls and spaces.
_STRIP_ANYWHERE = re.compile(r"[\t\n\r]")
_STRIP_LEADING = re.compile(r"^[\x00-\x20]+")


def _local(tag: str) -> str:
    return _NS.sub("", tag).lower()


def _url_is_bad(value: str) -> bool:
    cleaned = _STRIP_LEADING.sub("", _STRIP_ANYWHERE.sub("", value)).lower()
    for part in cleaned.split(","):  # srcset and meta refresh hold lists
        part = part.strip()
        part = part.split("url=", 1)[1] if "url=" in part else part
        if part.startswith(BAD_SCHEMES):
            return True
    return False


# Our own scripts that are not static files: Django's JavaScript translation catalogue
# (config/urls.py, javascript_catalog; docs/translating.md), exactly this address.
OWN_SCRIPT_URLS = {"/jsi18n/"}


def findings(html: str, *, own_script_prefix: str = "/static/") -> list[str]:
    document = html5lib.parse(html, namespaceHTMLElements=True)
    found: list[str] = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = _local(element.tag)
        attributes = {_local(k): v for k, v in element.attrib.items()}
        src = attributes.get("src", "")
        own = (src.startswith(own_script_prefix) or src in OWN_SCRIPT_URLS) and not (element.text or "").strip()
        data_only = attributes.get("type", "").lower() in {"application/json", "application/ld+json"}
        if tag == "script" and not (own or data_only):
            found.append(f"script element {attributes or (element.text or '')[:60]!r}")
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}> element")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"{name} attribute on <{tag}>")
            elif name == "style":
                found.append(f"style attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and _url_is_bad(value):
                found.append(f"{name}={value[:60]!r} on <{tag}>")
            elif name == "srcdoc":
                found.append(f"srcdoc on <{tag}>")
        if "prose" in attributes.get("class", "").split():
            found += _outside_allow_list(element)
    return found


def _outside_allow_list(container) -> list[str]:
    found = []
    for element in container.iter():
        if element is container or not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}> inside user content")
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        # A tag allowed only with given attribute values — the mention element, <span class="mention">
        # (issue 14) — is outside the allow-list in any other shape, a bare <span> included.
        required = ALLOWED_ATTRIBUTE_VALUES.get(tag, {})
        if any(element.attrib.get(name) not in values for name, values in required.items()):
            found.append(f"<{tag}> inside user content")
            continue
        allowed |= set(required)
        extra = {_local(k) for k in element.attrib} - allowed
        if extra:
            found.append(f"attributes {sorted(extra)} on <{tag}> inside user content")
    return found
