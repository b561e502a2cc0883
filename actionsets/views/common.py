"""What every set page's view shares: its base template context, and the one check that a
`next` parameter is a page of this set (so no form can redirect anyone elsewhere)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from ..permissions import SetAccess


def set_context(access: SetAccess, **extra) -> dict:
    """The context every set page starts from: who is reading (`access`) and the set."""
    return {"access": access, "action_set": access.action_set, **extra}


def same_set_path(request: HttpRequest, access: SetAccess, target: str | None) -> str | None:
    """`target` if it is a path inside this set (no scheme, no host, no `//`, no backslash)."""
    prefix = access.action_set.get_absolute_url()
    if not target or not target.startswith(prefix) or "\\" in target or "//" in target:
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return None
    return target


def in_sentence(label: str) -> str:
    """A label (a kind of reply, an email level) inside a sentence: lower case, as English and
    Spanish write it there, but as it is in German, whose nouns keep their capital (issue 18)."""
    return str(label) if (get_language() or "").startswith("de") else str(label).lower()
