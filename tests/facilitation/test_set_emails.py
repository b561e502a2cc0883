"""Email for each set: watching, normal or muted, for my own current memberships only."""

from actionsets.models import Membership


def level(user, action_set) -> str:
    return Membership.objects.current().get(user=user, action_set=action_set).notification_level


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/email/sets/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_member_sees_only_their_current_sets_and_changes_them(client, learner, action_set, other_set, removed_member):
    client.force_login(learner)
    page = client.get("/email/sets/").content.decode()
    assert "<legend>Set A</legend>" in page and "Set B" not in page
    membership = Membership.objects.current().get(user=learner, action_set=action_set)
    response = client.post("/email/sets/", {f"level-{membership.pk}": "muted"})
    assert response.status_code == 302
    assert level(learner, action_set) == "muted"
    client.post("/email/sets/", {f"level-{membership.pk}": "watching"})
    assert level(learner, action_set) == "watching"


def test_nobody_can_change_someone_elses_membership(client, learner, outsider, other_set):
    theirs = Membership.objects.current().get(user=outsider, action_set=other_set)
    client.force_login(learner)
    client.post("/email/sets/", {f"level-{theirs.pk}": "muted"})
    assert level(outsider, other_set) == "normal"


def test_a_made_up_level_is_refused_with_a_message(client, learner, action_set):
    membership = Membership.objects.current().get(user=learner, action_set=action_set)
    client.force_login(learner)
    response = client.post("/email/sets/", {f"level-{membership.pk}": "shouting"})
    assert response.status_code == 400
    assert "Choose one of: Watching (every new post)" in response.content.decode()
    assert level(learner, action_set) == "normal"
