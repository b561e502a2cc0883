"""The engine measures its own effect (issue 14, part 4): for every nudge kind, and for digests,
did the person come back — post in the set (or, for "questions waiting", answer on their own airtime;
for "report-back due", report back) within 48 hours of the email — and did they open the site from
it? Shown per kind, with the counts beside every share, on the facilitator's dashboard (their set)
and on a cohort's page under /manage/ (the cohort; counts only, no content).

Opening is measured by a signed per-email link parameter (`?via=<token>`) on every link of a
measured email into the site; `VisitMiddleware` records the first visit on the email's outbox row
and redirects to the same address without it. No tracking pixels: reading an email counts nothing.

48 hours are elapsed time between two aware datetimes, compared in the database: a change of the
clocks in the reader's time zone, or the server's, moves nothing.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext

from actionsets.models import ActionCommitment, Airtime, Membership, Reply

from .models import DigestDelivery, Nudge, OutboundEmail

WINDOW = timedelta(hours=48)
PARAM = "via"
_SALT = "engagement.email-visit"
# Links that must stay as they are: one-click unsubscribe (a token of its own) and static files.
_SKIP = ("/email/", "/static/")


def link_id_for(message_id: str) -> str:
    return hashlib.sha256(message_id.encode()).hexdigest()[:24]


def visit_token(link_id: str) -> str:
    return signing.Signer(salt=_SALT).sign(link_id)


def _with_param(url: str, token: str, amp: str) -> str:
    base, hash_, fragment = url.partition("#")
    path, q, query = base.partition("?")
    if path.startswith(tuple(settings.SITE_URL + skip for skip in _SKIP)):
        return url
    joined = f"{query}{amp}{PARAM}={token}" if q else f"{PARAM}={token}"
    return f"{path}?{joined}{hash_}{fragment}"


def with_visit_links(email: OutboundEmail) -> OutboundEmail:
    """Give a measured email (unsaved outbox row) its link id and put the signed parameter on every
    link into the site, in the text and the HTML part alike."""
    email.link_id = link_id_for(email.message_id)
    token = visit_token(email.link_id)
    # A link ends before a sentence's closing punctuation: "… see https://…/airtime/5/." keeps its full stop.
    pattern = re.compile(re.escape(settings.SITE_URL) + r"/(?:[^\s\"'<>)]*[^\s\"'<>).,;:!?])?")
    email.body_text = pattern.sub(lambda m: _with_param(m.group(0), token, "&"), email.body_text)
    email.body_html = pattern.sub(lambda m: _with_param(m.group(0), token, "&amp;"), email.body_html)
    return email


def record_visit(token: str, *, now: datetime | None = None) -> bool:
    """The first visit from an email: True when this one was it. A bad or forged token records nothing."""
    try:
        link_id = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return False
    return OutboundEmail.objects.filter(link_id=link_id, opened_at__isnull=True).update(
        opened_at=now or timezone.now()) > 0


class VisitMiddleware:
    """`?via=<token>` on a GET: record the visit, then redirect to the same page without it, so the
    token is not bookmarked, shared or recorded twice by a reload."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and PARAM in request.GET:
            record_visit(request.GET[PARAM])
            rest = [(k, v) for k, v in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
                    if k != PARAM]
            return HttpResponseRedirect(request.path + (f"?{urlencode(rest)}" if rest else ""))
        return self.get_response(request)


@dataclass(frozen=True)
class Effect:
    """One kind of email: how many went out (with their 48 hours over), how many brought the person
    to the site through a link, how many were followed by them coming back to post."""

    kind: str
    label: str
    sent: int
    opened: int
    came_back: int
    waiting: int  # sent less than 48 hours ago: not counted yet

    @staticmethod
    def _share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def opened_share(self) -> int | None:
        return self._share(self.opened, self.sent)

    @property
    def came_back_share(self) -> int | None:
        return self._share(self.came_back, self.sent)


def _until(ref: str):
    return ExpressionWrapper(OuterRef(ref) + WINDOW, output_field=DateTimeField())


def _posted(set_ids, *, user: str, at: str) -> dict:
    """Annotations: a reply, or an airtime, by the person in these sets in the 48 hours from `at`."""
    window = {"created_at__gte": OuterRef(at), "created_at__lt": _until(at)}
    return {
        "replied": Exists(Reply.objects.filter(author_id=OuterRef(user), airtime__action_set_id__in=set_ids, **window)),
        "presented": Exists(Airtime.objects.filter(presenter_id=OuterRef(user), action_set_id__in=set_ids, **window)),
    }


def _nudge_came_back() -> Q:
    """Per nudge, in the nudge's own set: "questions waiting" counts an answer on their own airtime;
    "report-back due" a report-back, or a post; every other kind a post."""
    window = {"created_at__gte": OuterRef("sent_at"), "created_at__lt": _until("sent_at")}
    answered = Exists(Reply.objects.filter(
        author_id=OuterRef("user_id"), airtime__presenter_id=OuterRef("user_id"),
        airtime__action_set_id=OuterRef("action_set_id"), **window))
    reported = Exists(ActionCommitment.objects.filter(
        owner_id=OuterRef("user_id"), airtime__action_set_id=OuterRef("action_set_id"),
        reported_at__gte=OuterRef("sent_at"), reported_at__lt=_until("sent_at")))
    posted = (Q(Exists(Reply.objects.filter(author_id=OuterRef("user_id"),
                                             airtime__action_set_id=OuterRef("action_set_id"), **window)))
              | Q(Exists(Airtime.objects.filter(presenter_id=OuterRef("user_id"),
                                                action_set_id=OuterRef("action_set_id"), **window))))
    return (Q(kind=Nudge.Kind.QUESTIONS_WAITING) & Q(answered)) | (
        Q(kind=Nudge.Kind.REPORT_BACK_DUE) & (Q(reported) | posted)) | (
        ~Q(kind__in=[Nudge.Kind.QUESTIONS_WAITING, Nudge.Kind.REPORT_BACK_DUE]) & posted)


def effects(set_ids, *, now: datetime | None = None) -> list[Effect]:
    """Every nudge kind, then digests, for these sets (a list of ids or a values("pk") queryset).
    Two queries, whatever the number of emails."""
    now = now or timezone.now()
    settled = Q(sent_at__lte=now - WINDOW)
    nudges = {
        row["kind"]: row for row in
        Nudge.objects.filter(action_set_id__in=set_ids, email__isnull=False).values("kind").annotate(
            sent=Count("pk", filter=settled),
            opened=Count("pk", filter=settled & Q(email__opened_at__isnull=False)),
            came_back=Count("pk", filter=settled & _nudge_came_back()),
            waiting=Count("pk", filter=~settled),
        )
    }
    out = [Effect(kind, label, nudges.get(kind, {}).get("sent", 0), nudges.get(kind, {}).get("opened", 0),
                  nudges.get(kind, {}).get("came_back", 0), nudges.get(kind, {}).get("waiting", 0))
           for kind, label in Nudge.Kind.choices]
    members = Membership.objects.filter(action_set_id__in=set_ids).values("user_id")
    digest_settled = Q(email__created_at__lte=now - WINDOW)
    digests = DigestDelivery.objects.filter(email__isnull=False, user_id__in=members).annotate(
        **_posted(set_ids, user="user_id", at="email__created_at")).aggregate(
        sent=Count("pk", filter=digest_settled),
        opened=Count("pk", filter=digest_settled & Q(email__opened_at__isnull=False)),
        came_back=Count("pk", filter=digest_settled & (Q(replied=True) | Q(presented=True))),
        waiting=Count("pk", filter=~digest_settled),
    )
    out.append(Effect("digest", gettext("Digests"), digests["sent"], digests["opened"], digests["came_back"],
                      digests["waiting"]))
    return out
