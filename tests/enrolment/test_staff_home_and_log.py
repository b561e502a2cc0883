"""Staff land in /manage/, the cohort's staff log is paged, and only a pending invitation can be
resent (issue 13, item 12)."""

from datetime import timedelta

from django.utils import timezone

from actionsets.models import ModerationAction
from actionsets.services import log_action
from enrolment.models import Invitation
from tests.factories import MembershipFactory, UserFactory


def test_staff_in_no_set_are_sent_from_home_to_the_staff_area(client_for, staff, db):
    response = client_for(staff).get("/")
    assert response.status_code == 302 and response["Location"] == "/manage/"


def test_signing_in_as_staff_lands_in_the_staff_area(client, db):
    UserFactory(email="boss@example.com", is_staff=True, password="pw-long-enough-123")
    response = client.post("/accounts/login/", {"login": "boss@example.com", "password": "pw-long-enough-123"},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/manage/"
    assert "You are not in a set yet" not in response.content.decode()


def test_staff_who_are_members_see_their_sets_and_a_link_to_the_staff_area(client_for, action_set, db):
    both = MembershipFactory(action_set=action_set, user__email="both@example.com", user__is_staff=True).user
    response = client_for(both).get("/")
    page = response.content.decode()
    assert response.status_code == 200 and action_set.name in page and 'href="/manage/"' in page


def test_learners_are_not_redirected(client_for, learner):
    assert client_for(learner).get("/").status_code == 200


def test_the_staff_log_is_paged_newest_first_25_a_page(client_for, staff, action_set):
    now = timezone.now()
    for i in range(30):
        log_action(actor=staff, action_set=action_set, action=ModerationAction.Action.RENAME_SET, target=action_set,
                   reason=f"entry-{i:02d}", now=now - timedelta(minutes=30 - i))
    client = client_for(staff)
    url = f"/manage/cohorts/{action_set.cohort.slug}/"
    first = client.get(url).content.decode()
    shown = [f"entry-{i:02d}" for i in range(30) if f"entry-{i:02d}" in first]
    assert shown == [f"entry-{i:02d}" for i in range(5, 30)]            # the 25 newest
    assert first.index("entry-29") < first.index("entry-05")           # newest first
    assert 'href="?log=2#staff-log"' in first and "Newer" not in first
    second = client.get(url + "?log=2").content.decode()
    assert [f"entry-{i:02d}" for i in range(30) if f"entry-{i:02d}" in second] == [f"entry-{i:02d}" for i in range(5)]
    assert 'href="?log=1#staff-log"' in second and "?log=3" not in second
    assert client.get(url + "?log=nonsense").status_code == 200


def test_resend_invitation_only_where_an_invitation_is_pending(client_for, staff, action_set):
    pending = MembershipFactory(action_set=action_set, user__email="pending@example.com")
    accepted = MembershipFactory(action_set=action_set, user__email="accepted@example.com")
    MembershipFactory(action_set=action_set, user__email="never-invited@example.com")  # seeded or single sign-on
    Invitation.objects.create(membership=pending)
    Invitation.objects.create(membership=accepted, accepted_at=timezone.now())
    page = client_for(staff).get(f"/manage/sets/{action_set.slug}/").content.decode()
    assert page.count("Resend invitation") == 1
    assert f"/manage/members/{pending.pk}/resend/" in page
