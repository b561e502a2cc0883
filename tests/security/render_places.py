"""Every place user-written text is rendered, as a registry the XSS suite runs the corpus through.

`seed(payloads)` writes each payload, through the services, into every user-text field: display
names, airtime titles and bodies, reply bodies (nested, so "replying to <name>" shows), commitment
texts, report-backs, edit reasons. Each `RenderPlace` then yields the HTML a viewer gets.

To plug in a new place (digest and nudge emails — issue 3; the facilitator dashboard — issue 4;
enrolment previews — issue 5): append a `RenderPlace` whose `render(seeded, payloads)` yields
`Rendered` items (an email's HTML body works as well as a page).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.admin.sites import site as admin_site
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from actionsets import services
from actionsets.models import ActionSet, Membership
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
        services.edit_reply(editor=facilitator, reply=reply, body=f"Edited {n}", reason=payloads[n][:300],
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


def _ground_rules(s: Seeded, payloads):
    """Saved as the admin saves them (ActionSetAdmin.save_model renders), read on the rules page."""
    model_admin = admin_site._registry[ActionSet]
    request = RequestFactory().post("/admin/")
    request.user = s.staff
    reader = s.client(s.reader)
    for n, payload in enumerate(payloads):
        s.action_set.ground_rules = payload
        model_admin.save_model(request, s.action_set, form=None, change=True)
        yield _page(reader, reverse("actionsets:rules", args=[s.action_set.slug]), "ground rules (admin save)", n)


def _admin(s: Seeded, payloads):
    staff = s.client(s.staff)
    yield _page(staff, reverse("admin:actionsets_membership_changelist") + "?all=", "admin: memberships (names)")
    yield _page(staff, reverse("admin:accounts_user_changelist") + "?all=", "admin: users (names)")
    yield _page(staff, reverse("admin:actionsets_actionset_change", args=[s.action_set.pk]),
                "admin: set (ground rules, member inlines)")


RENDER_PLACES: list[RenderPlace] = [
    RenderPlace("set-pages", "set page, home, commitments, present", _set_pages),
    RenderPlace("threads", "threads: titles, bodies, replies, names, commitments, report-backs", _threads),
    RenderPlace("edits", "edit forms, edit history, report-back form", _edits_and_history),
    RenderPlace("preview", "markdownx editor preview endpoint", _preview),
    RenderPlace("ground-rules", "ground rules saved through the admin", _ground_rules),
    RenderPlace("admin", "admin lists and forms showing names and rules", _admin, baseline=True),
]
