"""Rendering engagement emails: one helper for every subject/text/HTML triplet.

Templates live in `templates/emails/<name>.subject.txt`, `<name>.txt` and `<name>.html`. Text and
subject render without HTML autoescaping (they are not HTML); the HTML part autoescapes as usual,
so nothing a member wrote can inject markup into an email.
"""

import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.template import Context, engines
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models import OutboundEmail
from .unsubscribe import make_token

EXCERPT_CHARS = 180


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _render(template_name: str, context: dict, *, autoescape: bool) -> str:
    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=autoescape))


def render_email(name: str, context: dict) -> RenderedEmail:
    subject = " ".join(_render(f"emails/{name}.subject.txt", context, autoescape=False).split())
    text = _render(f"emails/{name}.txt", context, autoescape=False)
    text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"
    return RenderedEmail(subject=subject, text=text, html=_render(f"emails/{name}.html", context, autoescape=True))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# A digest batch names the same threads and posts for many readers: reversing URLs and stripping
# HTML once per post instead of once per reader is most of a batch's CPU time.
@lru_cache(maxsize=8192)
def _path(name: str, set_slug: str, airtime_id: int | None) -> str:
    kwargs = {"set_slug": set_slug} | ({"airtime_id": airtime_id} if airtime_id else {})
    return reverse(f"actionsets:{name}", kwargs=kwargs)


def thread_url(set_slug: str, airtime_id: int, reply_id: int | None = None) -> str:
    return absolute(_path("thread", set_slug, airtime_id) + (f"#reply-{reply_id}" if reply_id else ""))


def set_url(set_slug: str, name: str = "set_home") -> str:
    return absolute(_path(name, set_slug, None))


@lru_cache(maxsize=8192)
def excerpt(body_html: str, chars: int = EXCERPT_CHARS) -> str:
    """Plain text from sanitised HTML, one line, cut at a word boundary."""
    plain = " ".join(html.unescape(strip_tags(body_html)).split())
    return Truncator(plain).chars(chars)


def mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "actionsets.localhost"


def message_id_for(key: str) -> str:
    """A Message-ID derived from the decision it carries: the same decision, the same id.

    The outbox's unique `message_id` is then a second guard against writing a decision twice,
    and a receiver that deduplicates by Message-ID collapses any resend.
    """
    safe = re.sub(r"[^A-Za-z0-9.\-_]", "-", key)
    if len(safe) > 120:
        safe = safe[:80] + "." + hashlib.sha1(safe.encode()).hexdigest()[:16]
    return f"<{safe}@{mail_domain()}>"


def in_language(user):
    """Text built for `user` (an email, its digest's lines) in their language (issue 18)."""
    return translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE)


def build_email(
    *, user, template: str, context: dict, category: str, key: str, unsubscribe_scope: str | None,
    reply_to: str | None = None, headers: dict | None = None,
) -> OutboundEmail:
    """An unsaved outbox row: rendered, with a stable Message-ID and one-click unsubscribe headers.

    `unsubscribe_scope` None: an answer to the person's own email (engagement/inbound), which no
    setting turns off, so it offers no unsubscribe. `reply_to`: the address a reply by email goes
    to (engagement/inbound/tokens.py), when the feature is on. `headers` are added last.

    Row times are the real clock even when a run evaluates `--now` another time: the sweep and
    the backoff work in real time.
    """
    written_at = timezone.now()
    unsubscribe_url = unsubscribe_scope and absolute(
        reverse("engagement:unsubscribe", kwargs={"token": make_token(user_id=user.pk, scope=unsubscribe_scope)})
    )
    # In the recipient's language, not the sender's (issue 18): blank is the installation default.
    with in_language(user):
        rendered = render_email(
            template,
            {
                **context,
                "recipient": user,
                "site_url": settings.SITE_URL,
                "home_url": absolute(reverse("home")),
                "preferences_url": absolute(reverse("account_preferences")),
                "unsubscribe_url": unsubscribe_url,
                "unsubscribe_scope": unsubscribe_scope,
                "reply_by_email": bool(reply_to),
            },
        )
    return OutboundEmail(
        to=user.email, user=user, subject=rendered.subject[:300], body_text=rendered.text,
        body_html=rendered.html, message_id=message_id_for(key), category=category,
        headers={
            **({"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
               if unsubscribe_url else {}),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            **({"Reply-To": reply_to} if reply_to else {}),
            **(headers or {}),
        },
        created_at=written_at, next_attempt_at=written_at,
    )
