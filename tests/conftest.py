"""Role fixtures for the privacy model: one set with its people, and people outside it.

Also the network guard (tests/network_guard.py): `make test` is hermetic, so the whole session
refuses connections beyond loopback, and fails if any was attempted.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets import services
from actionsets.models import Membership

from . import network_guard
from .factories import ActionSetFactory, MembershipFactory, RoundFactory, UserFactory


def pytest_configure(config):
    network_guard.install()


def pytest_sessionfinish(session, exitstatus):
    # A refused connection that some `except Exception` swallowed still fails the run.
    if network_guard.attempts and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if network_guard.attempts:
        terminalreporter.section("network guard", red=True)
        terminalreporter.write_line("the suite tried to reach the network (refused; `make test` must be hermetic): "
                                    + ", ".join(network_guard.attempts))


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def action_set(db):
    return ActionSetFactory(slug="set-a", name="Set A")


@pytest.fixture
def other_set(db, action_set):
    return ActionSetFactory(slug="set-b", name="Set B", cohort=action_set.cohort)


@pytest.fixture
def open_round(action_set):
    return RoundFactory(action_set=action_set, number=1)


@pytest.fixture
def learner(action_set):
    return MembershipFactory(action_set=action_set, user__email="learner@example.com").user


@pytest.fixture
def learner2(action_set):
    return MembershipFactory(action_set=action_set, user__email="learner2@example.com").user


@pytest.fixture
def facilitator(action_set):
    return MembershipFactory(
        action_set=action_set, role=Membership.Role.FACILITATOR, user__email="fac@example.com"
    ).user


@pytest.fixture
def outsider(other_set):
    """A learner of another set of the same cohort."""
    return MembershipFactory(action_set=other_set, user__email="outsider@example.com").user


@pytest.fixture
def other_facilitator(other_set):
    return MembershipFactory(
        action_set=other_set, role=Membership.Role.FACILITATOR, user__email="otherfac@example.com"
    ).user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def removed_member(action_set):
    return MembershipFactory(
        action_set=action_set, user__email="removed@example.com", left_at=timezone.now() - timedelta(days=1)
    ).user


@pytest.fixture
def client_for(client):
    """Sign a test client in as `user`: `client_for(learner).get(url)`."""

    def _sign_in(user):
        client.force_login(user)
        return client

    return _sign_in


@pytest.fixture
def researcher(action_set):
    """Granted the researcher role by the set's facilitator (issue 17): reads, acts in nothing."""
    return MembershipFactory(
        action_set=action_set, role=Membership.Role.RESEARCHER, user__email="researcher@example.com",
        notification_level=Membership.NotificationLevel.MUTED,
    ).user


@pytest.fixture
def former_researcher(action_set):
    """A researcher whose access the facilitator revoked: 404 everywhere, like any former member."""
    return MembershipFactory(
        action_set=action_set, role=Membership.Role.RESEARCHER, user__email="former-researcher@example.com",
        left_at=timezone.now() - timedelta(days=1),
    ).user


# An airtime in the open round and a learner's question on it: the start of most thread tests
# (facilitation and research use these; other folders keep their own airtime where it differs).
@pytest.fixture
def airtime(learner, open_round, action_set):
    return services.present_airtime(presenter=learner, action_set=action_set, title="Getting my team to own the timetable",
                                    body="We keep missing **deadlines**.")


@pytest.fixture
def question(airtime, learner2):
    return services.post_reply(author=learner2, airtime=airtime, body="What have you tried so far?")
