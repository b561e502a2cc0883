"""Phase gating: each reply kind only in its phase and for its role, refused with a message that
says why (and when), enforced in services.post_reply and on the page; outsiders get 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import permissions, services
from actionsets.models import ActionCommitment, Membership, Reply
from tests.factories import MembershipFactory

Kind = Reply.Kind
PROBING_AT, SUMMARY_AT, REFLECTION_AT, FINISHED_AT = 50, 125, 170, 220  # hours, default windows


def _refusal(author, airtime, kind, **extra) -> str:
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=author, airtime=airtime, body="Some words?", kind=kind, **extra)
    return " ".join(excinfo.value.messages)


def test_clarifying_phase_offers_members_clarifying_questions_and_reflect_backs(airtime, learner2):
    access = permissions.get_set_or_404(learner2, airtime.action_set.slug)
    assert permissions.allowed_reply_kinds(access, airtime, now=airtime.created_at) == [Kind.CLARIFYING, Kind.REFLECT_BACK]


def test_a_probing_question_waits_for_the_probing_phase(airtime, learner2):
    message = _refusal(learner2, airtime, Kind.PROBING)
    assert "probing questions phase, which opens" in message
    assert not Reply.objects.exists()


def test_a_clarifying_question_is_refused_once_its_phase_is_over(airtime, learner2, travel):
    airtime = travel(airtime, PROBING_AT)
    assert "clarifying questions phase is over" in _refusal(learner2, airtime, Kind.CLARIFYING)
    assert services.post_reply(author=learner2, airtime=airtime, body="What matters most?").kind == Kind.PROBING


def test_an_offer_is_refused_when_the_presenter_did_not_ask_for_offers(airtime, learner2, travel):
    airtime = travel(airtime, PROBING_AT)
    assert "did not ask for offers" in _refusal(learner2, airtime, Kind.OFFER)


def test_an_offer_waits_for_the_offers_phase_when_welcome(offers_airtime, learner, travel):
    assert "offers phase, which opens" in _refusal(learner, offers_airtime, Kind.OFFER)
    airtime = travel(offers_airtime, 121)
    offer = services.post_reply(author=learner, airtime=airtime, body="In my experience a rota helps.", kind=Kind.OFFER)
    assert offer.kind == Kind.OFFER


@pytest.mark.parametrize("kind", [Kind.RESPONSE, Kind.SUMMARY, Kind.ACTION])
def test_only_the_presenter_posts_presenter_kinds(airtime, learner2, kind):
    assert "Only the presenter" in _refusal(learner2, airtime, kind)


def test_a_member_cannot_post_a_process_note(airtime, learner2):
    assert "Process notes are for the facilitator" in _refusal(learner2, airtime, Kind.PROCESS_NOTE)


def test_the_presenters_summary_and_actions_wait_for_their_phase(airtime, learner, question):
    assert "summary and actions phase, which opens" in _refusal(learner, airtime, Kind.SUMMARY)
    assert "summary and actions phase, which opens" in _refusal(learner, airtime, Kind.ACTION)


def test_a_response_must_answer_a_specific_question(airtime, learner, question):
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner, airtime=airtime, body="Thanks all.", kind=Kind.RESPONSE)
    assert "parent" in excinfo.value.message_dict
    reply = services.post_reply(author=learner, airtime=airtime, body="A calendar.", parent=question)
    assert reply.kind == Kind.RESPONSE and reply.in_reply_to == question


def test_members_wait_during_the_presenters_summary_phase(airtime, learner, learner2, travel):
    airtime = travel(airtime, SUMMARY_AT)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body="One more?")
    assert "summary-and-actions phase" in excinfo.value.messages[0]
    summary = services.post_reply(author=learner, airtime=airtime, body="I see it differently now.", kind=Kind.SUMMARY)
    assert summary.kind == Kind.SUMMARY


def test_an_action_commitment_reply_records_a_commitment_due_next_round(airtime, learner, travel, action_set):
    from tests.factories import RoundFactory

    airtime = travel(airtime, SUMMARY_AT)
    next_round = RoundFactory(action_set=action_set, number=2, opens_at=airtime.round.closes_at)
    reply = services.post_reply(author=learner, airtime=airtime, body="Ask Sam for 20 minutes by Friday.",
                                kind=Kind.ACTION)
    commitment = ActionCommitment.objects.get(reply=reply)
    assert commitment.text == reply.body and commitment.owner == learner and commitment.due_round == next_round


def test_an_action_commitment_is_one_concrete_action(airtime, learner, travel):
    airtime = travel(airtime, SUMMARY_AT)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner, airtime=airtime, body="x" * 501, kind=Kind.ACTION)
    assert "under 500 characters" in excinfo.value.messages[0]
    assert not ActionCommitment.objects.exists() and not Reply.objects.exists()


def test_everyone_reflects_in_the_reflection_phase_and_not_before(airtime, learner, learner2, travel):
    assert "reflection phase, which opens" in _refusal(learner2, airtime, Kind.REFLECTION)
    airtime = travel(airtime, REFLECTION_AT)
    for author in (learner, learner2):
        assert services.post_reply(author=author, airtime=airtime, body="I learned…", kind=Kind.REFLECTION)


def test_after_the_phases_only_process_notes(airtime, learner, learner2, facilitator, travel):
    airtime = travel(airtime, FINISHED_AT)
    for author in (learner, learner2):
        with pytest.raises(ValidationError) as excinfo:
            services.post_reply(author=author, airtime=airtime, body="Late?")
        assert "phases are over" in excinfo.value.messages[0]
    assert services.post_reply(author=facilitator, airtime=airtime, body="Closing note.").kind == Kind.PROCESS_NOTE


def test_a_facilitator_may_post_a_process_note_in_any_phase(airtime, facilitator):
    note = services.post_reply(author=facilitator, airtime=airtime, body="Time-out: one question each.",
                               kind=Kind.PROCESS_NOTE)
    assert note.kind == Kind.PROCESS_NOTE


# --- On the page ------------------------------------------------------------------------------


def _reply_url(airtime):
    return reverse("actionsets:reply", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk})


def test_the_thread_shows_the_phase_its_deadline_and_only_the_kinds_that_fit(client, airtime, learner2):
    client.force_login(learner2)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "<strong>Clarifying questions</strong> until" in page
    assert 'aria-current="step"' in page
    assert 'value="clarifying" checked' in page and 'value="reflect_back"' in page
    assert 'value="probing"' not in page and 'value="offer"' not in page
    assert "I understood you to mean … — is that right?" in page


def test_the_presenter_sees_unanswered_questions_to_respond_to(client, airtime, learner, question):
    client.force_login(learner)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "Answering" in page and f'<option value="{question.pk}">' in page
    assert "1 question you haven" in page


def test_a_refused_kind_on_the_page_says_why_and_keeps_the_text(client, airtime, learner2):
    client.force_login(learner2)
    response = client.post(_reply_url(airtime), {"body": "What would you lose?", "kind": "probing"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Probing questions belong to the probing questions phase" in page
    assert "What would you lose?" in page
    assert not Reply.objects.exists()


def test_an_outsider_posting_any_kind_gets_404(client, airtime, outsider):
    client.force_login(outsider)
    for kind in ("clarifying", "process_note", "response"):
        assert client.post(_reply_url(airtime), {"body": "Hello?", "kind": kind}).status_code == 404
    assert not Reply.objects.exists()


def test_a_former_member_gets_404_on_posting(client, airtime, removed_member):
    client.force_login(removed_member)
    assert client.post(_reply_url(airtime), {"body": "Hello?"}).status_code == 404


def test_a_learner_without_accepted_rules_gets_no_kinds(airtime, action_set):
    newcomer = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None)
    access = permissions.SetAccess(action_set=action_set, membership=Membership.objects.get(pk=newcomer.pk))
    assert permissions.allowed_reply_kinds(access, airtime, now=airtime.created_at) == []
