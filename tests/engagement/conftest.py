"""A set with a round under way, people in it, and a fixed clock.

NOW is a Tuesday at midday UTC. Everyone joined a month before and accepted the ground rules,
so `quiet_since` and permissions depend only on what each test posts (through the services,
with `now=` to place every post in time).

Posts follow the set process (actionsets/phases.py, docs/set-process.md): an airtime takes
clarifying questions for its first 48 h, probing questions for the next 72 h, then the presenter's
summary and actions, then reflections; a presenter's response answers a specific question
(`parent=`). A test whose story runs in hours gives the round shorter windows first
(`circle.phase_hours(...)`), before anyone presents.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from actionsets import services
from actionsets.models import ActionSet, Membership, Round
from engagement import tasks
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # Tuesday
SITE = "https://sets.example.edu"


@pytest.fixture(autouse=True)
def _site_and_email(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "ActionSets <noreply@sets.example.edu>"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def member(action_set: ActionSet, email: str, name: str, *, role=Membership.Role.LEARNER, **user) -> Membership:
    return MembershipFactory(
        action_set=action_set, role=role, joined_at=NOW - timedelta(days=30),
        ground_rules_accepted_at=NOW - timedelta(days=30), user__email=email, user__display_name=name,
        **{f"user__{field}": value for field, value in user.items()},
    )


@dataclass
class Circle:
    action_set: ActionSet
    round: Round
    ana: object
    ben: object
    cat: object
    fac: object

    def membership(self, user) -> Membership:
        return Membership.objects.current().get(user=user, action_set=self.action_set)

    def present(self, user, *, at, title=None, body="What I am stuck on.", offers_welcome=False):
        return services.present_airtime(
            presenter=user, action_set=self.action_set, title=title or f"{user.display_name}'s problem", body=body,
            offers_welcome=offers_welcome, now=at,
        )

    def reply(self, user, airtime, *, at, body="What have you tried so far?", parent=None, kind=None):
        return services.post_reply(author=user, airtime=airtime, body=body, parent=parent, kind=kind, now=at)

    def phase_hours(self, **hours: int) -> Round:
        """Set the round's phase windows, e.g. `phase_hours(clarifying=2, probing=0)`; 0 skips a phase."""
        Round.objects.filter(pk=self.round.pk).update(**{f"{phase}_hours": n for phase, n in hours.items()})
        self.round.refresh_from_db()
        return self.round

    def ask_before_seeing(self, chosen: bool = True) -> None:
        """The set's choice: in the clarifying phase, members see others' questions once they ask."""
        ActionSet.objects.filter(pk=self.action_set.pk).update(ask_before_seeing=chosen)
        self.action_set.refresh_from_db()


@pytest.fixture
def circle(db) -> Circle:
    action_set = ActionSetFactory(name="Leading Change", slug="leading-change", confidential_digests=False)
    rnd = RoundFactory(action_set=action_set, number=1, opens_at=NOW - timedelta(days=3),
                       closes_at=NOW + timedelta(days=11))
    return Circle(
        action_set, rnd,
        member(action_set, "ana@example.edu", "Ana").user,
        member(action_set, "ben@example.edu", "Ben").user,
        member(action_set, "cat@example.edu", "Cat").user,
        member(action_set, "fac@example.edu", "Fay", role=Membership.Role.FACILITATOR).user,
    )


@pytest.fixture
def run_digests(django_capture_on_commit_callbacks):
    """Run one beat tick of digests at `now`, tasks in-process, emails sent after commit."""

    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.dispatch_digests_task.delay(now.isoformat()).get()

    return _run


@pytest.fixture
def run_nudges(django_capture_on_commit_callbacks):
    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.dispatch_nudges_task.delay(now.isoformat())

    return _run


@pytest.fixture
def run_round_emails(django_capture_on_commit_callbacks):
    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.dispatch_round_emails_task.delay(now.isoformat())

    return _run


def without_via(text: str) -> str:
    """An email's text with the per-email visit parameter taken off its links (engagement/effects.py),
    so tests can name a link as the reader will land on it."""
    return re.sub(r"[?&](?:amp;)?via=[^\s#\"'<>&]+", "", text)


def to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]
