"""Question-first discipline: the advice nudge (server-side confirm step), the advice signal
only facilitators see, ask-before-you-see, and who hasn't asked yet."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from actionsets import selectors, services
from actionsets.models import Reply
from tests.factories import MembershipFactory

ADVICE = "Thanks for this. Have you tried talking to Sam first? What would happen then?"


def _reply_url(airtime):
    return reverse("actionsets:reply", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk})


# --- The advice nudge, without JavaScript ----------------------------------------------------


def test_a_question_that_reads_as_advice_comes_back_with_the_sentence_highlighted(client, airtime, learner2):
    client.force_login(learner2)
    response = client.post(_reply_url(airtime), {"body": ADVICE, "kind": "clarifying"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "A second look before you post" in page
    assert "<mark>Have you tried</mark> talking to Sam first?" in page
    assert "Thanks for this." not in page.split('id="advice-nudge"')[1].split("</ul>")[0]  # only the trigger
    assert 'name="post_anyway" value="1"' in page
    assert ADVICE in page  # nothing typed is lost
    assert not Reply.objects.exists()


def test_rephrasing_posts_without_a_signal(client, airtime, learner2):
    client.force_login(learner2)
    client.post(_reply_url(airtime), {"body": ADVICE, "kind": "clarifying"})
    response = client.post(_reply_url(airtime), {"body": "Who else could you talk to?", "kind": "clarifying"})
    assert response.status_code == 302
    assert Reply.objects.get().advice_signal == []


def test_post_anyway_posts_and_keeps_the_signal_for_facilitators(client, airtime, learner2, facilitator):
    client.force_login(learner2)
    response = client.post(_reply_url(airtime), {"body": ADVICE, "kind": "clarifying", "post_anyway": "1"})
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.advice_signal == [{"name": "have-you-tried", "phrase": "Have you tried"}]
    author_view = client.get(airtime.get_absolute_url()).content.decode()
    assert "Posted after the advice nudge" not in author_view
    client.force_login(facilitator)
    facilitator_view = client.get(airtime.get_absolute_url()).content.decode()
    assert "Posted after the advice nudge" in facilitator_view and "“Have you tried”" in facilitator_view


def test_offers_and_responses_are_not_nudged(client, airtime, learner, question):
    client.force_login(learner)
    response = client.post(_reply_url(airtime), {"body": "You should know: I tried.", "parent": question.pk})
    assert response.status_code == 302
    assert Reply.objects.get(author=learner).advice_signal == []


def test_services_check_advice_only_when_asked(airtime, learner2):
    with pytest.raises(services.AdviceNudge) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body=ADVICE, check_advice=True)
    assert [s.name for s in excinfo.value.signals] == ["have-you-tried"]
    assert services.post_reply(author=learner2, airtime=airtime, body=ADVICE).advice_signal == []


def test_the_advice_check_endpoint_answers_members_with_the_signals(client, action_set, learner2, outsider):
    url = reverse("actionsets:advice_check", kwargs={"set_slug": action_set.slug})
    client.force_login(learner2)
    data = json.loads(client.post(url, {"text": "I would ask Sam. What matters?"}).content)
    assert data == {"available": True,
                    "signals": [{"name": "i-would", "phrase": "I would", "sentence": "I would ask Sam."}]}
    assert json.loads(client.post(url, {"text": "What matters most?"}).content) == {"available": True, "signals": []}
    assert client.get(url).status_code == 405
    client.force_login(outsider)
    assert client.post(url, {"text": "x"}).status_code == 404


# --- Ask before you see --------------------------------------------------------------------------


@pytest.fixture
def ask_first(action_set):
    action_set.ask_before_seeing = True
    action_set.save()
    return action_set


@pytest.fixture
def learner3(action_set):
    return MembershipFactory(action_set=action_set, user__email="learner3@example.com").user


def test_a_member_sees_others_questions_only_after_asking(client, ask_first, airtime, question, learner, learner3):
    answer = services.post_reply(author=learner, airtime=airtime, body="ANSWER-TEXT", parent=question)
    client.force_login(learner3)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "What have you tried so far?" not in page and "ANSWER-TEXT" not in page
    # One wording in the heading and the banner (issue 13; it was "…will show once you have asked").
    assert '<h2 id="replies-heading">2 replies, shown once you ask</h2>' in page
    assert "2 replies, shown once you ask your own question" in page
    assert selectors.visible_replies_for(learner3, airtime, airtime.created_at) == []
    services.post_reply(author=learner3, airtime=airtime, body="Who owns the timetable now?")
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "What have you tried so far?" in page and "ANSWER-TEXT" in page
    assert {r.pk for r in selectors.visible_replies_for(learner3, airtime, airtime.created_at)} >= {question.pk, answer.pk}


def test_presenter_and_facilitator_always_see_every_question(client, ask_first, airtime, question, learner, facilitator):
    for person in (learner, facilitator):
        client.force_login(person)
        assert "What have you tried so far?" in client.get(airtime.get_absolute_url()).content.decode()
        assert [r.pk for r in selectors.visible_replies_for(person, airtime, airtime.created_at)] == [question.pk]


def test_ask_before_you_see_ends_with_the_clarifying_phase(ask_first, airtime, question, learner3, travel):
    airtime = travel(airtime, 49)
    assert [r.pk for r in selectors.visible_replies_for(learner3, airtime, timezone.now())] == [question.pk]


def test_a_round_can_turn_it_off_for_a_set_that_has_it_on(ask_first, airtime, question, learner3, open_round):
    open_round.ask_before_seeing = False
    open_round.save()
    airtime.round.refresh_from_db()
    assert [r.pk for r in selectors.visible_replies_for(learner3, airtime, airtime.created_at)] == [question.pk]


def test_without_the_option_everyone_sees_everything(airtime, question, learner3):
    assert [r.pk for r in selectors.visible_replies_for(learner3, airtime, airtime.created_at)] == [question.pk]


def test_outsiders_see_nothing_through_the_selector(airtime, question, outsider):
    assert selectors.visible_replies_for(outsider, airtime, airtime.created_at) == []


# --- Who hasn't asked yet -----------------------------------------------------------------------


def test_the_facilitator_sees_who_has_not_asked_yet(client, airtime, question, learner3, facilitator, learner2):
    client.force_login(facilitator)
    page = client.get(airtime.get_absolute_url()).content.decode()
    section = page.split("Who hasn't asked yet")[1].split("</section>")[0]
    assert learner3.name in section and learner2.name not in section


def test_the_set_sees_it_only_when_the_set_chose_to(client, action_set, airtime, question, learner3):
    client.force_login(learner3)
    assert "Who hasn't asked yet" not in client.get(airtime.get_absolute_url()).content.decode()
    action_set.show_who_hasnt_asked = True
    action_set.save()
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "Who hasn't asked yet" in page and f"{learner3.name} (you)" in page


def test_members_yet_to_ask_leaves_out_presenter_facilitators_and_former_members(
    airtime, question, learner2, learner3, facilitator, removed_member
):
    thread = selectors.thread_for(learner2, airtime)
    waiting = selectors.members_yet_to_ask(airtime, thread.replies, thread.memberships)
    assert [m.user for m in waiting] == [learner3]


def test_a_withheld_question_cannot_be_read_through_the_flag_page(client, ask_first, airtime, question, learner3):
    url = reverse("facilitation:flag", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk,
                                           "reply_id": question.pk})
    client.force_login(learner3)
    assert client.get(url).status_code == 404
    services.post_reply(author=learner3, airtime=airtime, body="Who owns the timetable now?")
    assert client.get(url).status_code == 200


def test_the_set_page_counts_withheld_replies_in_the_threads_words(client, ask_first, airtime, question, learner,
                                                                   learner3):
    """Issue 13, counts agree: the set page's row says what the thread heading says."""
    services.post_reply(author=learner, airtime=airtime, body="ANSWER-TEXT", parent=question)
    set_page = reverse("actionsets:set_home", kwargs={"set_slug": airtime.action_set.slug})
    services.accept_ground_rules(membership=learner3.memberships.get(action_set=airtime.action_set))
    client.force_login(learner3)
    assert "2 replies, shown once you ask" in client.get(set_page).content.decode()
    services.post_reply(author=learner3, airtime=airtime, body="Who owns the timetable now?")
    page = client.get(set_page).content.decode()
    assert "3 replies" in page and "shown once you ask" not in page
    client.force_login(learner)  # the presenter is never held back on their own airtime
    assert "shown once you ask" not in client.get(set_page).content.decode()
