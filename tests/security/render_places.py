"""Every place user-written text is rendered, as a registry the XSS suite runs the corpus through.

`seed(payloads)` writes each payload, through the services, into every user-text field: display
names, airtime titles and bodies, reply bodies (nested, so "replying to <name>" shows), commitment
texts, report-backs, edit reasons. Each `RenderPlace` then yields the HTML a viewer gets.

To plug in a new place (enrolment previews — issue 5, say): append a `RenderPlace` whose
`render(seeded, payloads)` yields `Rendered` items (an email's HTML body works as well as a page).
The facilitator pages, journal and round pages, and digest and nudge emails are plugged in below.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import html5lib
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from actionsets import services
from actionsets.models import ActionSet, Membership
from facilitation import services as facilitation_services
from facilitation.models import Flag
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory, UserFactory


@dataclass
class Rendered:
    label: str
    html: str
    payload: int | None = None  # the payload's index when the output holds just one


@dataclass
class Seeded:
    action_set: ActionSet
    reader: object  # a plain learner of the set
    facilitator: object
    presenter: object  # member 0: owns every commitment
    members: list
    airtimes: list  # round 1, one per member, title and body = payload
    replies: list  # on airtimes[0], body = payload, authors = members
    commitments: list
    round2_airtime: object
    staff: object

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


def seed(payloads: list[str], *, slug: str = "xss") -> Seeded:
    now = timezone.now()
    action_set = ActionSetFactory(slug=slug, name="XSS set")
    RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=6))
    RoundFactory(action_set=action_set, number=2, opens_at=now - timedelta(days=6), closes_at=now + timedelta(days=8))
    members = [MembershipFactory(action_set=action_set, user__display_name=p[:80]).user for p in payloads]
    reader = MembershipFactory(action_set=action_set, user__display_name="Reader").user
    facilitator = MembershipFactory(action_set=action_set, role=Membership.Role.FACILITATOR).user
    earlier = now - timedelta(days=19)
    airtimes = [services.present_airtime(presenter=m, action_set=action_set, title=p[:200], body=p, now=earlier)
                for m, p in zip(members, payloads, strict=True)]
    replies, parent = [], None
    for n, (member, payload) in enumerate(zip(members, payloads, strict=True)):
        parent = services.post_reply(author=member if n else reader, airtime=airtimes[0], body=payload,
                                     parent=parent if n % 2 else None, now=earlier + timedelta(minutes=n))
        replies.append(parent)
    for n, (member, reply) in enumerate(zip(members, replies, strict=True)):
        # Authors edit their own replies (facilitators hide instead: docs/facilitation.md).
        services.edit_reply(editor=reply.author, reply=reply, body=f"Edited {n}", reason=payloads[n][:300],
                            now=earlier + timedelta(hours=5))
    presenter = members[0]
    commitments = []
    for n, payload in enumerate(payloads):
        commitment = services.record_commitment(owner=presenter, airtime=airtimes[0], text=payload[:500])
        if n % 2 == 0:
            services.report_back(owner=presenter, commitment=commitment, status="done", report_back=payload)
        commitments.append(commitment)
    round2 = services.present_airtime(presenter=presenter, action_set=action_set, title="Round two", body="Next.")
    staff = UserFactory(is_staff=True, is_superuser=True)
    return Seeded(action_set, reader, facilitator, presenter, members, airtimes, replies, commitments, round2, staff)


@dataclass(frozen=True)
class RenderPlace:
    key: str
    description: str
    render: Callable[[Seeded, list[str]], Iterator[Rendered]]
    baseline: bool = False  # judge only what the payloads add to a benign rendering (the admin's own JS/CSS)


def _page(client: Client, url: str, label: str, payload: int | None = None) -> Rendered:
    response = client.get(url)
    assert response.status_code == 200, f"{label}: {response.status_code}"
    return Rendered(label, response.content.decode(), payload)


def _set_pages(s: Seeded, payloads):
    reader, presenter = s.client(s.reader), s.client(s.presenter)
    yield _page(reader, s.action_set.get_absolute_url(), "set page (titles, member names)")
    yield _page(presenter, reverse("home"), "home (open commitments)")
    yield _page(presenter, reverse("actionsets:commitments", args=[s.action_set.slug]), "commitments page")
    yield _page(presenter, reverse("actionsets:airtime_new", args=[s.action_set.slug]), "present page (commitments)")


def _threads(s: Seeded, payloads):
    reader = s.client(s.reader)
    yield _page(reader, s.airtimes[0].get_absolute_url(), "thread with every payload as a reply")
    yield _page(reader, s.round2_airtime.get_absolute_url(), "round-2 thread (earlier commitments, report-backs)")
    for n, airtime in enumerate(s.airtimes):
        yield _page(reader, airtime.get_absolute_url(), "airtime title, body, presenter name", n)


def _edits_and_history(s: Seeded, payloads):
    facilitator, presenter = s.client(s.facilitator), s.client(s.presenter)
    slug, airtime = s.action_set.slug, s.airtimes[0].pk
    for n, reply in enumerate(s.replies):
        yield _page(facilitator, reverse("actionsets:reply_history", args=[slug, airtime, reply.pk]),
                    "edit history (old body, reason, editor)", n)
    for n, airtime_obj in enumerate(s.airtimes):  # the edit form puts the body inside a <textarea>
        yield _page(s.client(s.members[n]), reverse("actionsets:airtime_edit", args=[slug, airtime_obj.pk]),
                    "airtime edit form (textarea)", n)
    for n, commitment in enumerate(s.commitments):
        yield _page(presenter, reverse("actionsets:commitment_report", args=[slug, commitment.pk]),
                    "report-back form (commitment text)", n)


def _preview(s: Seeded, payloads):
    reader = s.client(s.reader)
    for n, payload in enumerate(payloads):
        response = reader.post(reverse("markdownx_markdownify"), {"content": payload})
        assert response.status_code == 200
        yield Rendered("markdownx preview", f'<div class="prose">{response.content.decode()}</div>', n)


def _search(s: Seeded, payloads):
    """Search results (titles, snippets, names) for words the payloads share, and every payload as
    the query itself: it is echoed in the page title and the search box."""
    from urllib.parse import urlencode

    reader = s.client(s.reader)
    for word in ("alert", "script", "img", "javascript", "onerror", "svg", "href", "x"):
        url = reverse("search") + "?" + urlencode({"q": word})
        for number in range(1, 30):
            rendered = _page(reader, f"{url}&page={number}", f"search results for {word!r} (page {number})")
            yield rendered
            if 'rel="next"' not in rendered.html:
                break
    for n, payload in enumerate(payloads):
        yield _page(reader, reverse("actionsets:search", args=[s.action_set.slug]) + "?" + urlencode({"q": payload}),
                    "search with the payload as the query", n)


def _ground_rules(s: Seeded, payloads):
    """Adopted as the set adopts them (actionsets.services.set_ground_rules renders), read on the
    rules page. The admin no longer takes ground rules: staff never see set content (issue 11)."""
    from actionsets.services import set_ground_rules

    reader = s.client(s.reader)
    for n, payload in enumerate(payloads):
        set_ground_rules(action_set=s.action_set, ground_rules=payload)
        yield _page(reader, reverse("actionsets:rules", args=[s.action_set.slug]), "ground rules (adopted)", n)


def _admin(s: Seeded, payloads):
    staff = s.client(s.staff)
    yield _page(staff, reverse("admin:actionsets_membership_changelist") + "?all=", "admin: memberships (names)")
    yield _page(staff, reverse("admin:accounts_user_changelist") + "?all=", "admin: users (names)")
    yield _page(staff, reverse("admin:actionsets_actionset_change", args=[s.action_set.pk]),
                "admin: set (member inlines; no ground rules)")


def _pages_of(client: Client, url: str, label: str, limit: int = 50):
    """Every page of a paginated list (`?page=n` while the page links to the next)."""
    for number in range(1, limit + 1):
        rendered = _page(client, f"{url}?page={number}", f"{label} (page {number})")
        yield rendered
        if f"page={number + 1}" not in rendered.html:
            return


def _facilitator_pages(s: Seeded, payloads):
    """Dashboard, CSV export, advice signals, moderation queue and log: names, titles, bodies, flag
    reasons, resolution notes and hide reasons as the set's facilitator sees them."""
    slug = s.action_set.slug
    outcome = Flag.Outcome.KEPT
    for n, reply in enumerate(s.replies):  # reply 0 is the reader's: members[0] flags that one
        flagger = s.members[0] if reply.author_id == s.reader.pk else s.reader
        flag = facilitation_services.flag_reply(member=flagger, reply=reply, reason=payloads[n][:500])
        if n % 3 == 1:
            facilitation_services.resolve_flag(actor=s.facilitator, flag=flag, outcome=outcome, note=payloads[n][:500])
    facilitator = s.client(s.facilitator)
    yield _page(facilitator, reverse("facilitation:dashboard", args=[slug]), "facilitator dashboard (names)")
    yield _page(facilitator, reverse("facilitation:dashboard", args=[slug]) + "?round=1",
                "facilitator dashboard, round 1")
    yield from _pages_of(facilitator, reverse("facilitation:signals", args=[slug]), "advice signals (post excerpts)")
    queue = _page(facilitator, reverse("facilitation:moderation", args=[slug]),
                  "moderation queue (flag reasons, reply bodies, names)")
    unseen = [n for n, p in enumerate(payloads) if n % 3 != 1 and escape(p[:500].strip()) not in queue.html]
    assert not unseen, f"the moderation queue does not show the flag reasons of payloads {unseen[:5]}"
    yield queue
    yield from _pages_of(facilitator, reverse("facilitation:log", args=[slug]),
                         "moderation log (reasons, notes, names)")
    # The CSV is never HTML: served as an attachment in text/csv, so a browser will not render it.
    response = facilitator.get(reverse("facilitation:export", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.get("X-Content-Type-Options") == "nosniff"


def _journal_and_rounds(s: Seeded, payloads):
    """The journal (private to each author) and the round page with everyone's check-ins."""
    slug = s.action_set.slug
    s.action_set.refresh_from_db()  # the ground-rules place saved new rules: everyone accepts them
    Membership.objects.filter(action_set=s.action_set).update(
        ground_rules_accepted_at=timezone.now(), ground_rules_version_id=s.action_set.rules_version_id)
    for n, (member, payload) in enumerate(zip(s.members, payloads, strict=True)):
        entry = services.write_entry(author=member, action_set=s.action_set, body=payload, title=payload[:200].strip())
        services.check_in(author=member, round=s.round2_airtime.round, body=payload, energy=1 + n % 5)
        client = s.client(member)
        yield _page(client, reverse("actionsets:journal", args=[slug]), "journal page (titles, bodies)", n)
        yield _page(client, reverse("actionsets:journal_entry", args=[slug, entry.pk]), "journal entry", n)
    for viewer, who in ((s.reader, "member"), (s.facilitator, "facilitator")):
        yield _page(s.client(viewer), reverse("actionsets:round", args=[slug, 2]),
                    f"round page as {who} (check-ins, names)")


MAIL_NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday; every mail member is in UTC


def _email_world(payloads: list[str], slug: str) -> dict:
    """A non-confidential set whose open round has payload-named presenters (airtime title and body =
    payload), payload questions on the first airtime, and quiet payload-named members. The reader
    and the first presenter get the nudges; the others have nudges off (the facilitator is still told
    they are quiet), so the mail stays a handful of big emails."""
    now = MAIL_NOW
    action_set = ActionSetFactory(slug=slug, name="XSS mail set", confidential_digests=False)
    rnd = RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(days=9),
                       closes_at=now + timedelta(days=7))
    joined = {"joined_at": now - timedelta(days=30), "ground_rules_accepted_at": now - timedelta(days=30),
              "user__timezone": "UTC", "user__digest_hour": 7}

    def member(name, role=Membership.Role.LEARNER, mail=False):
        return MembershipFactory(action_set=action_set, role=role, user__display_name=name, user__nudges_enabled=mail,
                                 user__digest_frequency="daily" if mail else "off", **joined).user

    presenters = [member(p[:80], mail=n == 0) for n, p in enumerate(payloads)]
    quiet = [member(p[:80]) for p in payloads]
    reader = member("Mail reader", mail=True)
    facilitator = member("Mail facilitator", role=Membership.Role.FACILITATOR, mail=True)
    airtimes = [services.present_airtime(presenter=m, action_set=action_set, title=p[:200], body=p,
                                         now=now - timedelta(hours=20, seconds=n))
                for n, (m, p) in enumerate(zip(presenters, payloads, strict=True))]
    asker = member("Mail asker")
    for n, (m, p) in enumerate(zip(presenters, payloads, strict=True)):
        author = m if n else asker
        services.post_reply(author=author, airtime=airtimes[0], body=p, now=now - timedelta(hours=10, seconds=n))
    return {reader.email: "reader", facilitator.email: "facilitator", presenters[0].email: "first presenter"}


def _mail(command: str, now: datetime) -> list:
    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(command, now=now.isoformat(), stdout=_Null())
    return list(mail.outbox)


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _emails(s: Seeded, payloads):
    """Digests and nudges through the real engine (the management commands, mail sent on commit).

    Yields each email's HTML alternative. The text part is text/plain: it shows names, titles and
    excerpts exactly as the HTML part shows them as text (a name typed as `<script>…` reads so in
    both), so it may hold `<script` only as often as the HTML part's visible text does — never from
    markup the HTML part dropped or the engine added."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           SITE_URL="https://sets.example.edu"):
        roles = _email_world(payloads, slug=f"{s.action_set.slug}-mail")
        runs = [("send_digests", MAIL_NOW, "digest"),
                ("send_nudges", MAIL_NOW + timedelta(days=3), "nudge")]  # questions now 3 days unanswered
        for command, now, kind in runs:
            emails = _mail(command, now)
            got = {roles.get(email.to[0]) for email in emails}
            assert set(roles.values()) <= got, f"{command}: no email for {set(roles.values()) - got}"
            everything = " ".join(html for email in emails for html, _ in email.alternatives)
            missing = [p for p in payloads if escape(p[:80].strip()) not in everything]
            assert not missing, f"{command}: {len(missing)} payloads never reached an email, e.g. {missing[:3]}"
            for email in emails:
                label = f"{kind} email to the {roles.get(email.to[0], 'other member')}"
                [(html, mimetype)] = email.alternatives
                assert mimetype == "text/html" and email.content_subtype == "plain", label
                shown = "".join(html5lib.parse(html, namespaceHTMLElements=False).itertext()).lower()
                raw = email.body.lower().count("<script")
                assert raw <= shown.count("<script"), f"{label}: the text part has <script the HTML part does not show"
                yield Rendered(label, html)


def _inbound_answers(s: Seeded, payloads):
    """The answer to a reply by email that could not be posted (engagement/inbound): it quotes the
    email's own subject, here a payload, to the member who sent it (each member once: refusals are
    answered at most once an hour)."""
    from email.message import EmailMessage

    from engagement.inbound import receive_email
    from engagement.models import OutboundEmail

    with override_settings(REPLY_EMAIL_DOMAIN="replies.example.edu", SITE_URL="https://sets.example.edu"):
        for n, (member, payload) in enumerate(zip(s.members, payloads, strict=True)):
            message = EmailMessage()
            message["From"], message["To"] = member.email, "reply+not.a.token@replies.example.edu"
            message["Subject"] = " ".join(payload.split())[:300]
            message["Message-ID"] = f"<{s.action_set.slug}-{n}@example.edu>"  # one per seeded world
            message.set_content("A question?")
            receive_email(raw=message.as_bytes())
        answers = {row.user_id: row for row in OutboundEmail.objects.filter(category="inbound.refusal")}
        for n, member in enumerate(s.members):
            yield Rendered("refusal email quoting the subject", answers[member.pk].body_html, n)


RENDER_PLACES: list[RenderPlace] = [
    RenderPlace("set-pages", "set page, home, commitments, present", _set_pages),
    RenderPlace("threads", "threads: titles, bodies, replies, names, commitments, report-backs", _threads),
    RenderPlace("edits", "edit forms, edit history, report-back form", _edits_and_history),
    RenderPlace("preview", "markdownx editor preview endpoint", _preview),
    RenderPlace("search", "search results (titles, snippets, names) and the echoed query", _search),
    RenderPlace("ground-rules", "ground rules as the set adopts them", _ground_rules),
    RenderPlace("admin", "admin lists and forms showing names and rules", _admin, baseline=True),
    # These write to the seeded set (flags, journal entries, check-ins) or build their own: keep them last.
    RenderPlace("facilitation", "facilitator dashboard, advice signals, moderation queue and log, CSV export",
                _facilitator_pages, baseline=True),  # the dashboard draws its charts in <svg>
    RenderPlace("journal-rounds", "journal pages and the round page (check-ins)", _journal_and_rounds),
    RenderPlace("emails", "digest and nudge emails (HTML part; text part has no raw <script)", _emails,
                baseline=True),  # the emails' own <style>
    RenderPlace("inbound-answers", "the answer to a reply by email that was not posted (its subject quoted)",
                _inbound_answers, baseline=True),  # the emails' own <style>
]
