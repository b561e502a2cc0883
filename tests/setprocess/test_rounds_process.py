"""Check-ins, report-backs due (linked to their commitments), the process review and its
summary, and each member's continuity view."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actionsets import services
from actionsets.models import ActionCommitment, CheckIn, ProcessReview, Reply
from tests.factories import RoundFactory


def _url(name, action_set, **kwargs):
    return reverse(f"actionsets:{name}", kwargs={"set_slug": action_set.slug, **kwargs})


# --- Check-ins ---------------------------------------------------------------------------------


def test_a_member_checks_in_once_per_round_and_can_update_it(open_round, learner):
    first = services.check_in(author=learner, round=open_round, body="Tired but here.", energy=2)
    again = services.check_in(author=learner, round=open_round, body="Better after coffee.", energy=4)
    assert first.pk == again.pk and CheckIn.objects.get().energy == 4 and again.edited_at


@pytest.mark.parametrize("energy", [0, 6, "high"])
def test_energy_is_one_to_five_or_nothing(open_round, learner, energy):
    with pytest.raises(ValidationError) as excinfo:
        services.check_in(author=learner, round=open_round, body="Here.", energy=energy)
    assert "energy" in excinfo.value.message_dict


def test_check_ins_are_for_an_open_round(action_set, learner):
    later = RoundFactory(action_set=action_set, number=2, opens_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError) as excinfo:
        services.check_in(author=learner, round=later, body="Early!")
    assert "scheduled" in excinfo.value.messages[0]


def test_outsiders_cannot_check_in(open_round, outsider):
    with pytest.raises(ValidationError):
        services.check_in(author=outsider, round=open_round, body="Hi")


def test_the_round_page_shows_check_ins_and_takes_one(client, open_round, learner, learner2, action_set):
    services.check_in(author=learner2, round=open_round, body="Arriving *calm*.", energy=4)
    client.force_login(learner)
    page = client.get(_url("round", action_set, number=1)).content.decode()
    assert "<em>calm</em>" in page and "energy 4/5" in page
    response = client.post(_url("check_in", action_set, number=1), {"body": "Busy week.", "energy": "2"})
    assert response.status_code == 302
    assert CheckIn.objects.get(author=learner).energy == 2
    assert client.post(_url("check_in", action_set, number=1), {"body": ""}).status_code == 400


def test_unknown_round_number_is_404(client, open_round, learner, action_set):
    client.force_login(learner)
    assert client.get(_url("round", action_set, number=9)).status_code == 404


# --- Report-backs ------------------------------------------------------------------------------


@pytest.fixture
def round_2(action_set, open_round):
    return RoundFactory(action_set=action_set, number=2, opens_at=open_round.closes_at,
                        closes_at=open_round.closes_at + timedelta(days=14))


def test_report_backs_due_are_linked_to_their_commitments_on_the_round_page(client, airtime, learner, learner2,
                                                                               round_2, action_set):
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="Talk to Sam by Friday")
    assert commitment.due_round == round_2
    services.report_back(owner=learner, commitment=commitment, status="partly", what_happened="Met Sam once.",
                         how_differed="Shorter than I hoped.", learned="Ask earlier.")
    commitment.refresh_from_db()
    assert commitment.get_status_display() == "Partly done"
    assert "**How it differed from what I expected:** Shorter than I hoped." in commitment.report_back
    client.force_login(learner2)
    page = client.get(_url("round", action_set, number=2)).content.decode()
    section = page.split('id="report-backs"')[1].split("</section>")[0]
    assert "Talk to Sam by Friday" in section and "Met Sam once." in section
    assert f'href="{airtime.get_absolute_url()}"' in section  # back to where it was committed
    assert "No commitments fall due" in client.get(_url("round", action_set, number=1)).content.decode()


def test_the_owner_is_asked_to_report_back_from_the_round_page(client, airtime, learner, round_2, action_set):
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="Talk to Sam by Friday")
    client.force_login(learner)
    page = client.get(_url("round", action_set, number=2)).content.decode()
    report_url = _url("commitment_report", action_set, commitment_id=commitment.pk)
    assert report_url in page
    response = client.post(report_url, {"status": "not_done", "what_happened": "Sam was away.",
                                        "learned": "Have a plan B.", "next": _url("round", action_set, number=2)})
    assert response.status_code == 302 and response["Location"] == _url("round", action_set, number=2)
    commitment.refresh_from_db()
    assert commitment.status == ActionCommitment.Status.NOT_DONE and commitment.learned == "Have a plan B."



def test_legacy_statuses_still_report(airtime, learner):
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="Try the rota")
    services.report_back(owner=learner, commitment=commitment, status="changed", report_back="Did a different thing.")
    commitment.refresh_from_db()
    assert commitment.status == "changed" and commitment.report_back == "Did a different thing."


# --- Process review ----------------------------------------------------------------------------


def test_the_process_review_opens_before_the_round_closes(open_round, learner):
    with pytest.raises(ValidationError) as excinfo:
        services.review_process(author=learner, round=open_round, what_worked="Good questions.")
    assert "opens" in excinfo.value.messages[0]
    late = open_round.closes_at - timedelta(hours=10)
    review = services.review_process(author=learner, round=open_round, what_worked="Good questions.",
                                             do_differently="Fewer at once.", now=late)
    assert "<strong>Next time:</strong> Fewer at once." in review.body_html
    after = open_round.closes_at + timedelta(days=8)
    with pytest.raises(ValidationError):
        services.review_process(author=learner, round=open_round, what_worked="Late.", now=after)


def test_the_facilitator_summarises_the_review_and_a_learner_cannot(client, open_round, learner, facilitator,
                                                                      action_set):
    late = open_round.closes_at - timedelta(hours=10)
    with pytest.raises(ValidationError):
        services.summarise_review(actor=learner, round=open_round, summary="Mine", now=late)
    services.summarise_review(actor=facilitator, round=open_round, summary="We asked *fewer*, better.",
                                      now=late)
    open_round.refresh_from_db()
    assert open_round.review_summary_html == "<p>We asked <em>fewer</em>, better.</p>"
    client.force_login(learner)
    assert client.post(_url("review_summary", action_set, number=1), {"summary": "x"}).status_code == 404


def test_the_review_form_appears_on_the_page_when_open(client, open_round, learner, action_set):
    open_round.closes_at = timezone.now() + timedelta(hours=5)
    open_round.save()
    client.force_login(learner)
    page = client.get(_url("round", action_set, number=1)).content.decode()
    assert "How did our questioning work this round?" in page
    response = client.post(_url("process_review", action_set, number=1), {"what_worked": "Open questions."})
    assert response.status_code == 302 and ProcessReview.objects.get().author == learner


# --- Continuity -------------------------------------------------------------------------------


def test_continuity_shows_a_members_issue_across_rounds(client, airtime, question, learner, learner2, round_2,
                                                         action_set, travel):
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="Talk to Sam by Friday")
    airtime = travel(airtime, 170)  # reflection phase
    services.post_reply(author=learner, airtime=airtime, body="I LEARNED to ask earlier.", kind=Reply.Kind.REFLECTION)
    services.report_back(owner=learner, commitment=commitment, status="done", what_happened="OUTCOME-TEXT")
    client.force_login(learner2)
    page = client.get(_url("continuity", action_set, user_id=learner.pk)).content.decode()
    assert "Getting my team to own the timetable" in page and "What have you tried so far?" in page
    assert "Talk to Sam by Friday" in page and "OUTCOME-TEXT" in page and "I LEARNED to ask earlier." in page
    client.force_login(learner)
    assert client.get(_url("me", action_set))["Location"] == _url("continuity", action_set, user_id=learner.pk)


def test_continuity_of_someone_never_in_the_set_is_404(client, learner, outsider, action_set):
    client.force_login(learner)
    assert client.get(_url("continuity", action_set, user_id=outsider.pk)).status_code == 404


def test_the_set_page_prompts_everyone_for_the_process_review(client, open_round, learner, action_set):
    client.force_login(learner)
    assert "process review is open" not in client.get(action_set.get_absolute_url()).content.decode()
    open_round.closes_at = timezone.now() + timedelta(hours=5)
    open_round.save()
    page = client.get(action_set.get_absolute_url()).content.decode()
    assert "Round 1&#x27;s process review is open" in page or "Round 1's process review is open" in page
