"""The set's life-cycle: forming → active → ending → closed, versioned ground rules the set
agrees, the ending evaluation, read-only closed sets with an export, and self-management."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actionsets import permissions, selectors, services
from actionsets.models import ActionSet, Membership, Reply
from actionsets.models import ModerationAction
from tests.factories import RoundFactory

State = ActionSet.State


def _url(name, action_set, **kwargs):
    return reverse(f"actionsets:{name}", kwargs={"set_slug": action_set.slug, **kwargs})


def _state(action_set, state):
    ActionSet.objects.filter(pk=action_set.pk).update(state=state)
    action_set.refresh_from_db()
    return action_set


# --- Transitions ---------------------------------------------------------------------------------


def test_a_new_set_starts_forming_and_cannot_start_rounds_without_agreed_rules(action_set, facilitator):
    assert ActionSet._meta.get_field("state").default == State.FORMING
    action_set = _state(action_set, State.FORMING)
    with pytest.raises(ValidationError) as excinfo:
        services.change_set_state(actor=facilitator, action_set=action_set, to=State.ACTIVE)
    assert "Agree the set's ground rules first" in excinfo.value.messages[0]
    version = services.propose_ground_rules(author=facilitator, action_set=action_set, text="Be kind.")
    services.adopt_ground_rules(actor=facilitator, version=version)
    services.change_set_state(actor=facilitator, action_set=action_set, to=State.ACTIVE, reason="Ready")
    action_set.refresh_from_db()
    assert action_set.state == State.ACTIVE and action_set.state_changed_at
    log = ModerationAction.objects.get(action=ModerationAction.Action.SET_STATE)
    assert log.detail == {"from": "forming", "to": "active"} and log.reason == "Ready"


@pytest.mark.parametrize("start, to", [
    (State.FORMING, State.ENDING), (State.FORMING, State.CLOSED), (State.ACTIVE, State.CLOSED),
    (State.ACTIVE, State.FORMING), (State.CLOSED, State.ACTIVE), (State.CLOSED, State.FORMING),
])
def test_impossible_transitions_are_refused_with_a_message(action_set, facilitator, start, to):
    action_set = _state(action_set, start)
    with pytest.raises(ValidationError) as excinfo:
        services.change_set_state(actor=facilitator, action_set=action_set, to=to)
    assert "can move to" in excinfo.value.messages[0]
    action_set.refresh_from_db()
    assert action_set.state == start


@pytest.mark.parametrize("decision", [State.ACTIVE, State.FORMING, State.CLOSED])
def test_the_ending_decides_continue_recontract_or_close(action_set, facilitator, decision):
    services.set_ground_rules(action_set=action_set, ground_rules="Rules v1")
    services.change_set_state(actor=facilitator, action_set=action_set, to=State.ENDING)
    services.change_set_state(actor=facilitator, action_set=action_set, to=decision)
    action_set.refresh_from_db()
    assert action_set.state == decision
    assert action_set.rules_renegotiation_open == (decision == State.FORMING)  # re-contracting


def test_a_learner_cannot_change_the_sets_stage(action_set, learner):
    with pytest.raises(ValidationError):
        services.change_set_state(actor=learner, action_set=action_set, to=State.ENDING)


def test_a_forming_set_takes_no_airtimes(action_set, open_round, learner):
    _state(action_set, State.FORMING)
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="Early", body="Too early")
    assert "still forming" in excinfo.value.messages[0]


def test_the_facilitator_moves_the_stage_on_the_lifecycle_page(client, action_set, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("actionsets:lifecycle", kwargs={"set_slug": action_set.slug})).content.decode()
    assert "Begin the ending" in page
    client.post(reverse("actionsets:lifecycle_state", kwargs={"set_slug": action_set.slug}), {"to": "ending"})
    action_set.refresh_from_db()
    assert action_set.state == State.ENDING


# --- Closed sets are read-only -------------------------------------------------------------------


@pytest.fixture
def closed(action_set, airtime, question, learner, facilitator):
    services.check_in(author=learner, round=airtime.round, body="MY-CHECK-IN")
    return _state(action_set, State.CLOSED)


def test_a_closed_set_refuses_every_write_with_a_clear_message(closed, airtime, question, learner, learner2, open_round):
    writes = [
        lambda: services.post_reply(author=learner2, airtime=airtime, body="More?"),
        lambda: services.present_airtime(presenter=learner2, action_set=closed, title="T", body="B"),
        lambda: services.record_commitment(owner=learner, airtime=airtime, text="Do it"),
        lambda: services.post_reply(author=learner, airtime=airtime, body="Answer", parent=question),
        lambda: services.edit_reply(editor=learner2, reply=question, body="Edited"),
        lambda: services.edit_airtime(editor=learner, airtime=airtime, title="New", body="New"),
        lambda: services.check_in(author=learner2, round=open_round, body="Hi"),
        lambda: services.introduce(author=learner2, action_set=closed, body="Hello"),
        lambda: services.propose_ground_rules(author=learner2, action_set=closed, text="New"),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as excinfo:
            write()
        assert "closed" in " ".join(excinfo.value.messages) or "agreed" in " ".join(excinfo.value.messages)
    assert Reply.objects.count() == 1


def test_a_closed_set_stays_readable_and_says_so(client, closed, airtime, learner2):
    client.force_login(learner2)
    home = client.get(closed.get_absolute_url()).content.decode()
    assert "This set is closed and read-only" in home and _url("export", closed) in home
    thread = client.get(airtime.get_absolute_url()).content.decode()
    assert "What have you tried so far?" in thread and "This set is closed and read-only." in thread
    assert 'name="kind"' not in thread
    assert not permissions.can_edit(permissions.get_set_or_404(learner2, closed.slug), airtime)


def test_members_export_their_own_contributions_only(client, closed, airtime, question, learner, learner2):
    client.force_login(learner)
    response = client.get(_url("export", closed))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert "# My contributions — Set A" in text
    assert "### My airtime: Getting my team to own the timetable" in text and "MY-CHECK-IN" in text
    assert "What have you tried so far?" not in text  # learner2's words stay in the set
    client.force_login(learner2)
    text = client.get(_url("export", closed)).content.decode()
    assert "What have you tried so far?" in text and "Getting my team" in text  # whose airtime it was on
    assert "We keep missing" not in text


# --- Ground rules, versioned ---------------------------------------------------------------------


def test_members_propose_versions_while_forming_and_the_facilitator_adopts_one(action_set, learner, learner2,
                                                                                facilitator):
    _state(action_set, State.FORMING)
    v1 = services.propose_ground_rules(author=learner, action_set=action_set, text="Questions first.",
                                                 note="First draft")
    v2 = services.propose_ground_rules(author=learner2, action_set=action_set,
                                                 text="Questions first. Chatham House.")
    assert (v1.number, v2.number) == (1, 2)
    services.adopt_ground_rules(actor=facilitator, version=v2)
    action_set.refresh_from_db()
    assert action_set.rules_version == v2 and action_set.ground_rules == "Questions first. Chatham House."
    fac = Membership.objects.get(user=facilitator, action_set=action_set)
    assert fac.ground_rules_version == v2  # adopting is accepting
    member = Membership.objects.select_related("action_set").get(user=learner, action_set=action_set)
    assert not member.has_accepted_rules  # accepted before versions: must accept v2
    services.accept_ground_rules(membership=member)
    member = Membership.objects.select_related("action_set").get(pk=member.pk)
    assert member.has_accepted_rules and member.ground_rules_version == v2


def test_a_new_version_means_everyone_accepts_again_before_posting(action_set, airtime, learner2, facilitator):
    services.set_ground_rules(action_set=action_set, ground_rules="v1")
    services.accept_ground_rules(membership=Membership.objects.get(user=learner2, action_set=action_set))
    services.post_reply(author=learner2, airtime=airtime, body="First?")
    services.open_renegotiation(actor=facilitator, action_set=action_set, open=True)
    v2 = services.propose_ground_rules(author=learner2, action_set=action_set, text="v2: notice of absence")
    services.adopt_ground_rules(actor=facilitator, version=v2)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body="Second?")
    assert "accept the set's ground rules" in excinfo.value.messages[0]
    services.accept_ground_rules(membership=Membership.objects.get(user=learner2, action_set=action_set))
    assert services.post_reply(author=learner2, airtime=airtime, body="Second?")


def test_agreed_rules_take_no_proposals_until_a_renegotiation_opens(action_set, learner, facilitator):
    with pytest.raises(ValidationError) as excinfo:
        services.propose_ground_rules(author=learner, action_set=action_set, text="Change")
    assert "open a renegotiation" in excinfo.value.messages[0]
    services.open_renegotiation(actor=facilitator, action_set=action_set, open=True)
    assert services.propose_ground_rules(author=learner, action_set=action_set, text="Change")


def test_the_forming_page_takes_introductions_and_proposals(client, action_set, learner):
    _state(action_set, State.FORMING)
    client.force_login(learner)
    assert client.post(_url("introduce", action_set), {"body": "I'm *new*."}).status_code == 302
    assert client.post(_url("rules_propose", action_set), {"text": "Be kind.", "note": ""}).status_code == 302
    page = client.get(_url("forming", action_set)).content.decode()
    assert "<em>new</em>" in page and "Version 1" in page and "Proposed" in page


# --- The ending evaluation -----------------------------------------------------------------------


def test_the_evaluation_is_for_an_ending_set_and_only_the_facilitator_reads_them_all(
    client, action_set, learner, learner2, facilitator
):
    args = {"usefulness": 4, "learned": "To ask before I advise.", "preference": "continue"}
    with pytest.raises(ValidationError):
        services.evaluate_set(author=learner, action_set=action_set, **args)
    _state(action_set, State.ENDING)
    services.evaluate_set(author=learner, action_set=action_set, **args)
    client.force_login(learner2)
    assert client.post(_url("evaluate", action_set), {**args, "learned": "SECOND-VIEW"}).status_code == 302
    page = client.get(_url("ending", action_set)).content.decode()
    assert "SECOND-VIEW" in page and "To ask before I advise." not in page
    client.force_login(facilitator)
    page = client.get(_url("ending", action_set)).content.decode()
    assert "SECOND-VIEW" in page and "To ask before I advise." in page and "Continue as we are: 2" in page


# --- Self-managed ------------------------------------------------------------------------------


@pytest.fixture
def rounds(action_set, open_round):
    r2 = RoundFactory(action_set=action_set, number=2, opens_at=open_round.closes_at)
    r3 = RoundFactory(action_set=action_set, number=3, opens_at=r2.closes_at)
    return [open_round, r2, r3]


def test_process_stewards_are_the_facilitators_until_the_hand_over(action_set, rounds, learner, facilitator):
    assert selectors.process_stewards(action_set, timezone.now()) == [facilitator]


def test_the_steward_rotates_each_round(action_set, rounds, learner, learner2, facilitator):
    services.hand_over(actor=facilitator, action_set=action_set, rota=[learner2.pk, learner.pk], from_round=1)
    action_set.refresh_from_db()
    in_round = [r.opens_at + timedelta(hours=1) for r in rounds]
    assert [selectors.process_stewards(action_set, t) for t in in_round] == [[learner2], [learner], [learner2]]
    services.take_back(actor=facilitator, action_set=action_set)
    action_set.refresh_from_db()
    assert selectors.process_stewards(action_set, in_round[0]) == [facilitator]


def test_the_rota_is_made_of_current_learners(action_set, facilitator, learner, outsider):
    for rota in ([], [facilitator.pk], [outsider.pk], [learner.pk, learner.pk]):
        with pytest.raises(ValidationError):
            services.hand_over(actor=facilitator, action_set=action_set, rota=rota, from_round=1)


def test_the_steward_gets_process_prompts_but_not_moderation(client, action_set, rounds, airtime, learner, learner2,
                                                             facilitator):
    services.hand_over(actor=facilitator, action_set=action_set, rota=[learner2.pk], from_round=1)
    access = permissions.get_set_or_404(learner2, action_set.slug)
    assert access.is_steward and permissions.can_guide_process(access)
    note = services.post_reply(author=learner2, airtime=airtime, body="Time-out: one question each?",
                               kind=Reply.Kind.PROCESS_NOTE)
    assert note.kind == Reply.Kind.PROCESS_NOTE
    client.force_login(learner2)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "Who hasn't asked yet" in page and 'value="process_note"' in page
    assert client.get(f"/sets/{action_set.slug}/facilitate/").status_code == 404
    assert client.get(f"/sets/{action_set.slug}/facilitate/moderation/").status_code == 404
    assert client.get(reverse("actionsets:lifecycle", kwargs={"set_slug": action_set.slug})).status_code == 404
    late = rounds[0].closes_at - timedelta(hours=2)
    services.summarise_review(actor=learner2, round=rounds[0], summary="We slowed down.", now=late)
    with pytest.raises(ValidationError):
        services.post_reply(author=learner, airtime=airtime, body="Me too?", kind=Reply.Kind.PROCESS_NOTE)


def test_the_facilitator_hands_over_on_the_lifecycle_page(client, action_set, rounds, learner, learner2, facilitator):
    client.force_login(facilitator)
    url = reverse("actionsets:self_managed", kwargs={"set_slug": action_set.slug})
    client.post(url, {"steward": [learner.pk, learner2.pk], f"position-{learner.pk}": "2",
                      f"position-{learner2.pk}": "1", "from_round": "2"})
    action_set.refresh_from_db()
    assert action_set.self_managed and action_set.self_managed_from_round == 2
    assert [m.user for m in selectors.steward_rota(action_set)] == [learner2, learner]


def test_staff_cannot_change_ground_rules_in_the_admin(client, staff, action_set):
    """Issue 11: ground rules change only by the set's own renegotiation; staff never see them."""
    before = (action_set.ground_rules, action_set.rules_version_id)
    client.force_login(staff)
    url = f"/admin/actionsets/actionset/{action_set.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {"cohort": action_set.cohort_id, "name": action_set.name, "slug": action_set.slug,
            "ground_rules": "New rules from the programme office.", "quiet_after_days": 4,
            "created_at_0": "2026-01-05", "created_at_1": "09:00:00", "state": "active",
            "rounds-TOTAL_FORMS": 0, "rounds-INITIAL_FORMS": 0, "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    action_set.refresh_from_db()
    assert (action_set.ground_rules, action_set.rules_version_id) == before
    assert action_set.state == "active"  # the rest of the form saved
