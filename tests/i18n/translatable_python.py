"""The Python half of the translatable-text checker (issue 18; docs/translating.md).

Walks a module's `ast` and reports string literals that reach a person without passing through
the translation machinery: the message of `messages.success/error/info/warning/debug(...)` and
`messages.add_message(...)`, of `ValidationError(...)`, a form field's `label=`, `help_text=`,
`empty_label=`, `error_messages={...}` and literal `choices=[...]` labels, a widget's `placeholder`/`title`/`aria-label` attrs,
the subject of `send_mail(...)`, and the body of an `HttpResponse(...)` that is a sentence.

A value is fine when it is a call to gettext and friends (`_`, `gettext`, `gettext_lazy`,
`ngettext`, `pgettext`, `format_lazy`, ...), such a call `% {...}`-formatted, or anything that is
not a literal (a variable, an attribute, another call): the checker judges only what it can see.
`PermissionDenied` and `Http404` messages never reach the person (the 403/404 pages show their
own, translated text) and are not checked; neither are management commands (operator-facing,
English) nor model fields' `verbose_name`/`help_text` (admin-only).
"""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APPS = ["accounts", "actionsets", "engagement", "facilitation", "enrolment", "lti", "research", "personal_data",
        "config"]
LETTERS = re.compile(r"[^\W\d_]{2,}")
TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
               "npgettext", "npgettext_lazy", "format_lazy", "_lazy", "gettext_noop", "pgettext_noop"}
MESSAGE_LEVELS = {"success", "error", "info", "warning", "debug"}
FORM_FIELD_TEXT = {"label", "help_text", "empty_label"}
WIDGET_ATTRS = {"placeholder", "title", "aria-label", "aria-description"}
RESPONSES = {"HttpResponse", "HttpResponseBadRequest", "HttpResponseForbidden", "HttpResponseNotFound",
             "HttpResponseGone", "HttpResponseNotAllowed", "HttpResponseServerError"}


def module_paths() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((REPO / app).rglob("*.py")):
            parts = path.relative_to(REPO).parts
            if "migrations" in parts or ("management" in parts and "commands" in parts):
                continue
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _name(node) -> str:
    """The called name's last part: `messages.success` → "success", `_` → "_"."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _base(node) -> str:
    return _name(node.value) if isinstance(node, ast.Attribute) else ""


def _literal_text(node) -> str | None:
    """The human text a node spells out literally, or None when it is translated or not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if LETTERS.search(node.value) else None
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return text if LETTERS.search(text) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):  # "..." % x, "a" + b
        return _literal_text(node.left) or (_literal_text(node.right) if isinstance(node.op, ast.Add) else None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_text(node.func.value)  # "...{}".format(x)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    return None


def _arg(call: ast.Call, index: int, keyword: str):
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _checked_values(call: ast.Call):
    """(what, node) pairs of a call whose text reaches a person."""
    name, base = _name(call.func), _base(call.func)
    if name in TRANSLATING:
        return
    if base == "messages" and name in MESSAGE_LEVELS:
        yield f"messages.{name}", _arg(call, 1, "message")
    elif base == "messages" and name == "add_message":
        yield "messages.add_message", _arg(call, 2, "message")
    elif name == "ValidationError":
        yield "ValidationError", _arg(call, 0, "message")
    elif name == "send_mail":
        yield "send_mail subject", _arg(call, 0, "subject")
    elif name in RESPONSES:
        body = _arg(call, 0, "content")
        text = _literal_text(body) if body is not None else None
        if text and len(text.split()) > 1 and "<" not in text:  # a sentence, not "ok" or markup
            yield name, body
    if name.endswith("Field") and base == "forms" or name in ("ModelChoiceField", "ModelMultipleChoiceField"):
        for k in call.keywords:
            if k.arg in FORM_FIELD_TEXT:
                yield f"{name}({k.arg}=)", k.value
            elif k.arg == "error_messages" and isinstance(k.value, ast.Dict):
                for v in k.value.values:
                    yield f"{name}(error_messages=)", v
            elif k.arg == "choices" and isinstance(k.value, (ast.List, ast.Tuple)):
                for choice in k.value.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                        yield f"{name}(choices=)", choice.elts[1]
    for k in call.keywords:
        if k.arg == "attrs" and isinstance(k.value, ast.Dict):
            for key, v in zip(k.value.keys, k.value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in WIDGET_ATTRS:
                    yield f"{name}(attrs={key.value!r})", v


def untranslated_messages(source: str) -> list[str]:
    """'line: what: "text"' for every literal that reaches a person untranslated."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for what, value in _checked_values(node):
            text = _literal_text(value) if value is not None else None
            if text:
                found.append(f"{value.lineno}: {what}: {text[:60]!r}")
    return sorted(found, key=lambda line: int(line.split(":")[0]))
