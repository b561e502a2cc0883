"""`manage.py seed_demo`: the shape of the demo, and that a second run changes nothing."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from actionsets.models import (
    ActionCommitment,
    ActionSet,
    Airtime,
    Cohort,
    Membership,
    ReadMarker,
    Reply,
    Revision,
    Round,
)
from actionsets import phases
from actionsets.kinds import ANSWERABLE_KINDS
from actionsets.permissions import get_set_or_404
from actionsets.models import ModerationAction

pytestmark = pytest.mark.django_db

LEARNERS_A = [f"a{i}@example.com" for i in range(1, 8)]
LEARNERS_B = [f"b{i}@example.com" for i in range(1, 7)]
FACILITATORS = ["fac.a@example.com", "fac.b@example.com"]
EVERYONE = ["admin@example.com", *FACILITATORS, *LEARNERS_A, *LEARNERS_B]
COUNTED = [User, EmailAddress, Cohort, ActionSet, Membership, Round, Airtime, Reply, ActionCommitment,
           ReadMarker, Revision, ModerationAction]


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded(db):
    return _seed()


def _presenters(slug: str, number: int) -> set[str]:
    return set(
        Airtime.objects.filter(action_set__slug=slug, round__number=number).values_list("presenter__email", flat=True)
    )


def test_seed_creates_every_account_verified_with_the_default_password(seeded):
    users = {u.email: u for u in User.objects.all()}
    assert set(users) == set(EVERYONE)
    for email in EVERYONE:
        assert users[email].check_password("demo-pass-123"), email
        assert users[email].display_name and "@" not in users[email].display_name
        assert EmailAddress.objects.filter(user=users[email], email=email, verified=True, primary=True).exists()
    assert users["admin@example.com"].is_staff and users["admin@example.com"].is_superuser
    assert not any(u.is_staff for email, u in users.items() if email != "admin@example.com")
    assert len({u.timezone for u in users.values()}) >= 8


def test_seed_prints_the_accounts_it_created(seeded):
    for email in EVERYONE:
        assert email in seeded
    assert "demo-pass-123" in seeded


def test_seed_uses_the_password_option(db):
    _seed("--password", "another-pass-456")
    assert User.objects.get(email="a1@example.com").check_password("another-pass-456")
    assert not User.objects.get(email="a1@example.com").check_password("demo-pass-123")


def test_seed_keeps_an_existing_account_and_its_password(db):
    User.objects.create_superuser("admin@example.com", "my-own-password", display_name="Me")
    output = _seed()
    admin = User.objects.get(email="admin@example.com")
    assert admin.check_password("my-own-password") and admin.display_name == "Me"
    assert EmailAddress.objects.get(user=admin).verified
    assert "existing account, password unchanged" in output
    assert User.objects.count() == len(EVERYONE)


def test_seed_creates_the_cohort_and_two_sets_with_real_ground_rules(seeded):
    cohort = Cohort.objects.get(slug="demo-cohort")
    assert cohort.name == "Leading Change 2026 — Autumn intake"
    sets = ActionSet.objects.filter(cohort=cohort)
    assert {s.slug for s in sets} == {"demo-set-a", "demo-set-b"}
    for action_set in sets:
        rules = action_set.ground_rules.lower()
        for topic in ("confidential", "chatham house", "question", "advice", "notice of absence", "logged"):
            assert topic in rules, (action_set.slug, topic)
        assert "<h2>" in action_set.ground_rules_html and "<a href=" in action_set.ground_rules_html


def test_seed_memberships_and_roles(seeded):
    def current(slug, role):
        return set(
            Membership.objects.current().filter(action_set__slug=slug, role=role).values_list("user__email", flat=True)
        )

    assert current("demo-set-a", Membership.Role.FACILITATOR) == {"fac.a@example.com"}
    assert current("demo-set-b", Membership.Role.FACILITATOR) == {"fac.b@example.com"}
    assert current("demo-set-a", Membership.Role.LEARNER) == set(LEARNERS_A) - {"a7@example.com"}
    assert current("demo-set-b", Membership.Role.LEARNER) == set(LEARNERS_B)
    assert not Membership.objects.filter(user__email="admin@example.com").exists()


def test_everyone_accepted_the_ground_rules_except_a6(seeded):
    not_accepted = Membership.objects.current().filter(ground_rules_accepted_at__isnull=True)
    assert list(not_accepted.values_list("user__email", flat=True)) == ["a6@example.com"]
    assert not Reply.objects.filter(author__email="a6@example.com").exists()
    assert not Airtime.objects.filter(presenter__email="a6@example.com").exists()


def test_a7_was_removed_from_set_a_and_their_posts_remain(seeded):
    a7 = User.objects.get(email="a7@example.com")
    membership = Membership.objects.get(user=a7)
    assert membership.left_at is not None and membership.left_at < timezone.now()
    with pytest.raises(Http404):
        get_set_or_404(a7, "demo-set-a")
    airtime = Airtime.objects.get(presenter=a7)
    assert airtime.round.number == 1 and airtime.reply_count >= 3
    assert Reply.objects.filter(author=a7).exclude(airtime=airtime).exists()
    assert ModerationAction.objects.filter(
        action=ModerationAction.Action.REMOVE_MEMBER, target_id=membership.pk
    ).exclude(reason="").exists()


def test_rounds_are_closed_open_and_scheduled(seeded):
    now = timezone.now()
    for slug in ("demo-set-a", "demo-set-b"):
        rounds = list(Round.objects.filter(action_set__slug=slug).order_by("number"))
        assert [r.number for r in rounds] == [1, 2, 3]
        assert [r.state for r in rounds] == [Round.State.CLOSED, Round.State.OPEN, Round.State.SCHEDULED]
        r1, r2, _ = rounds
        assert 29 <= (now - r1.opens_at).days <= 30
        assert 15 <= (now - r1.closes_at).days <= 16
        assert 1 <= (now - r2.opens_at).days <= 2
        assert 11 <= (r2.closes_at - now).days <= 12


def test_every_round_1_learner_presented_with_three_to_eleven_replies_and_their_actions(seeded):
    assert _presenters("demo-set-a", 1) == {f"a{i}@example.com" for i in (1, 2, 3, 4, 5, 7)}
    assert _presenters("demo-set-b", 1) == set(LEARNERS_B)
    for airtime in Airtime.objects.filter(round__number=1).select_related("round"):
        replies = list(airtime.replies.all())
        conversation = [r for r in replies if r.kind != Reply.Kind.ACTION]
        assert 3 <= len(conversation) <= 11, airtime.title
        assert len(replies) - len(conversation) == airtime.commitments.count()
        assert airtime.reply_count == len(replies)
        assert airtime.last_activity_at == max(r.created_at for r in replies)
        assert airtime.round.opens_at <= airtime.created_at
        assert all(airtime.created_at < r.created_at < airtime.round.closes_at for r in replies)


def test_round_1_threads_use_every_kind_of_the_phased_process(seeded):
    Kind = Reply.Kind
    replies = Reply.objects.filter(airtime__round__number=1).select_related("airtime", "in_reply_to", "author")
    assert {r.kind for r in replies} == {
        Kind.CLARIFYING, Kind.PROBING, Kind.REFLECT_BACK, Kind.OFFER, Kind.RESPONSE, Kind.SUMMARY, Kind.ACTION,
        Kind.REFLECTION, Kind.PROCESS_NOTE,
    }
    for reply in replies:
        by_presenter = reply.author_id == reply.airtime.presenter_id
        if reply.kind == Kind.RESPONSE:
            assert by_presenter
            assert reply.in_reply_to is not None and reply.in_reply_to.kind in ANSWERABLE_KINDS
        elif reply.kind in (Kind.SUMMARY, Kind.ACTION):
            assert by_presenter
        else:
            assert not by_presenter
        if reply.kind == Kind.PROCESS_NOTE:
            assert reply.author.email in FACILITATORS
        if reply.kind == Kind.OFFER:
            assert reply.airtime.offers_welcome
    assert replies.filter(depth__gte=2).exists()  # threaded follow-ups, not a flat list
    assert Airtime.objects.filter(round__number=1, replies__kind=Kind.PROCESS_NOTE).distinct().count() >= 4
    assert Airtime.objects.filter(round__number=1, offers_welcome=True).count() == 2


def test_every_seeded_reply_was_posted_in_a_phase_that_allows_its_kind(seeded):
    for reply in Reply.objects.select_related("airtime__round", "author"):
        role = phases.PRESENTER if reply.author_id == reply.airtime.presenter_id else phases.MEMBER
        span = phases.phase_at(phases.airtime_timeline(reply.airtime), reply.created_at,
                               started_at=reply.airtime.created_at)
        assert reply.kind == Reply.Kind.PROCESS_NOTE or reply.kind in phases.kinds_for(span.phase, role), (
            reply.kind, span.phase, reply.airtime.title)


def test_round_2_shows_two_phases_and_ask_before_you_see(seeded):
    now = timezone.now()
    for airtime in Airtime.objects.filter(round__number=2).select_related("round", "action_set"):
        span = phases.phase_at(phases.airtime_timeline(airtime), now, started_at=airtime.created_at)
        expected = phases.CLARIFYING if airtime.action_set.slug == "demo-set-a" else phases.PROBING
        assert span.phase == expected, airtime.title
    assert Round.objects.get(action_set__slug="demo-set-a", number=2).ask_before_seeing is True
    assert Round.objects.get(action_set__slug="demo-set-b", number=2).clarifying_hours == 24


def test_round_1_commitments_are_due_in_round_2_and_mostly_reported_back(seeded):
    for airtime in Airtime.objects.filter(round__number=1):
        commitments = list(airtime.commitments.select_related("due_round"))
        assert commitments, airtime.title
        for commitment in commitments:
            assert commitment.owner_id == airtime.presenter_id
            assert commitment.due_round.number == 2
            assert commitment.due_round.action_set_id == airtime.action_set_id
    statuses = list(ActionCommitment.objects.values_list("status", flat=True))
    reported = [s for s in statuses if s != ActionCommitment.Status.OPEN]
    assert len(reported) > len(statuses) / 2
    Status = ActionCommitment.Status
    assert {Status.DONE, Status.PARTLY, Status.NOT_DONE} <= set(statuses)
    assert 0 < statuses.count(ActionCommitment.Status.OPEN) <= len(statuses) / 3
    for commitment in ActionCommitment.objects.exclude(status=ActionCommitment.Status.OPEN):
        assert commitment.report_back and commitment.report_back_html and commitment.reported_at
        assert commitment.what_happened and commitment.reply.kind == Reply.Kind.ACTION
        assert commitment.reported_at <= timezone.now()


def test_round_2_has_only_the_four_early_presenters(seeded):
    assert _presenters("demo-set-a", 2) == {"a1@example.com", "a2@example.com"}
    assert _presenters("demo-set-b", 2) == {"b1@example.com", "b2@example.com"}
    now = timezone.now()
    for airtime in Airtime.objects.filter(round__number=2):
        replies = list(airtime.replies.all())
        assert replies and airtime.reply_count == len(replies)
        assert {Reply.Kind.CLARIFYING, Reply.Kind.RESPONSE} <= {r.kind for r in replies}
        assert all(airtime.round.opens_at < r.created_at <= now for r in replies)
        # The presenter reported back on round 1 before presenting again.
        assert not ActionCommitment.objects.filter(
            owner=airtime.presenter, airtime__round__number=1, status=ActionCommitment.Status.OPEN
        ).exists()


def test_seeded_posts_read_like_people_wrote_them(seeded):
    bodies = [*Airtime.objects.values_list("body", flat=True), *Reply.objects.values_list("body", flat=True)]
    assert not any("lorem" in b.lower() for b in bodies)
    assert len(set(bodies)) == len(bodies)
    lengths = sorted(len(b) for b in bodies)
    assert lengths[0] < 80 and lengths[-1] > 600
    html = "".join(Airtime.objects.values_list("body_html", flat=True))
    for tag in ("<ul>", "<ol>", "<em>", "<strong>", '<a href="https://'):
        assert tag in html, tag


def test_members_have_read_round_1_so_only_round_2_is_new(seeded):
    fac = User.objects.get(email="fac.a@example.com")
    for airtime in Airtime.objects.filter(action_set__slug="demo-set-a", round__number=1):
        marker = ReadMarker.objects.get(user=fac, airtime=airtime)
        assert marker.last_read_at >= airtime.last_activity_at
    a6 = User.objects.get(email="a6@example.com")
    assert not ReadMarker.objects.filter(user=a6).exists()


def test_running_the_seed_twice_changes_nothing(seeded):
    before = _counts()
    output = _seed()
    assert "already exists" in output
    assert _counts() == before


def test_rounds_have_check_ins_and_round_1_its_process_review(seeded):
    from actionsets.models import CheckIn, JournalEntry, ProcessReview

    for slug in ("demo-set-a", "demo-set-b"):
        r1, r2 = Round.objects.filter(action_set__slug=slug, number__in=[1, 2]).order_by("number")
        assert CheckIn.objects.filter(round=r1).count() >= 5 and CheckIn.objects.filter(round=r2).exists()
        assert ProcessReview.objects.filter(round=r1).count() >= 3
        assert r1.review_summary_html and r1.review_summary_by.email in FACILITATORS
    entries = JournalEntry.objects.select_related("author", "airtime")
    assert {e.author.email for e in entries} == {"a1@example.com", "b1@example.com"}
    assert all(e.airtime.presenter_id == e.author_id for e in entries)


def test_the_sets_formed_with_introductions_and_agreed_rules_then_became_active(seeded):
    from actionsets.models import Introduction

    for action_set in ActionSet.objects.all():
        assert action_set.state == ActionSet.State.ACTIVE
        assert action_set.rules_version.number == 1 and action_set.rules_version.adopted_at
        assert Introduction.objects.filter(action_set=action_set).count() >= 6
        for m in Membership.objects.current().filter(action_set=action_set, ground_rules_accepted_at__isnull=False):
            assert m.ground_rules_version_id == action_set.rules_version_id
    assert ModerationAction.objects.filter(action=ModerationAction.Action.SET_STATE).count() == 2
