"""The presenter's "this question helped me" (issue 17, part 1): one click, undoable, an optional
why the presenter shares or keeps private, never a count for peers (docs/research.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import services
from actionsets.advice import question_openness
from actionsets.models import HelpfulMark, Membership
from actionsets.selectors import continuity_for
from django.utils import timezone
from tests.factories import MembershipFactory


@pytest.fixture
def third(action_set):
    return MembershipFactory(action_set=action_set, user__email="third@example.com",
                             user__display_name="Third Member").user


def _url(airtime, reply):
    return reverse("actionsets:helpful", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk,
                                                 "reply_id": reply.pk})


def _thread(client, user, airtime):
    client.force_login(user)
    response = client.get(airtime.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_one_click_marks_privately_and_a_second_click_undoes(client, airtime, question, learner):
    client.force_login(learner)
    response = client.post(_url(airtime, question))   # the button alone: no why, no choice
    assert response.status_code == 302 and response["Location"].endswith(f"#reply-{question.pk}")
    mark = HelpfulMark.objects.get(reply=question)
    assert (mark.presenter, mark.why, mark.visibility) == (learner, "", HelpfulMark.Visibility.PRIVATE)
    page = _thread(client, learner, airtime)
    assert "Helped you" in page and "Undo “this helped me”" in page
    client.post(_url(airtime, question), {"undo": "on"})
    assert not HelpfulMark.objects.filter(reply=question).exists()
    assert "This helped me" in _thread(client, learner, airtime)


def test_private_why_is_for_the_presenter_and_facilitators_the_asker_sees_only_the_mark(
        client, airtime, question, learner, learner2, facilitator, third):
    client.force_login(learner)
    client.post(_url(airtime, question), {"why": "It made me see  my own part in it", "visibility": "private"})
    assert HelpfulMark.objects.get(reply=question).why == "It made me see my own part in it"
    for reader in (learner, facilitator):
        assert "It made me see my own part in it" in _thread(client, reader, airtime)
    asker_page = _thread(client, learner2, airtime)
    assert "Helped the presenter" in asker_page and "It made me see" not in asker_page
    peer_page = _thread(client, third, airtime)
    assert "Helped the presenter" not in peer_page and "It made me see" not in peer_page
    assert "This helped me" not in peer_page   # no button for anyone but the presenter


def test_shared_why_is_seen_by_the_set(client, airtime, question, learner, third):
    services.mark_helpful(presenter=learner, reply=question, why="Opened it up", visibility="set")
    page = _thread(client, third, airtime)
    assert "Helped the presenter" in page and "Opened it up" in page


@pytest.mark.parametrize("who", ["learner2", "third", "facilitator"])
def test_only_the_presenter_may_mark_others_get_404(request, client, airtime, question, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_url(airtime, question)).status_code == 404
    assert not HelpfulMark.objects.exists()


def test_not_their_own_reply_nor_a_hidden_one_nor_a_non_question(client, airtime, question, own_reply, learner,
                                                                    learner2, facilitator):
    from facilitation import services as facilitation_services

    client.force_login(learner)
    assert client.post(_url(airtime, own_reply)).status_code == 404          # their own response
    facilitation_services.hide_reply(actor=facilitator, reply=question, reason="Too personal")
    assert client.post(_url(airtime, question)).status_code == 404          # hidden
    with pytest.raises(ValidationError):
        services.mark_helpful(presenter=learner2, reply=question)           # not the presenter
    assert not HelpfulMark.objects.exists()


def test_why_is_one_line_of_at_most_300_characters(airtime, question, learner):
    with pytest.raises(ValidationError):
        services.mark_helpful(presenter=learner, reply=question, why="x" * 301)
    with pytest.raises(ValidationError):
        services.mark_helpful(presenter=learner, reply=question, visibility="everyone")
    mark = services.mark_helpful(presenter=learner, reply=question, why="a\nb")
    assert mark.why == "a b"
    again = services.mark_helpful(presenter=learner, reply=question, why="changed", visibility="set")
    assert again.pk == mark.pk and HelpfulMark.objects.count() == 1 and again.shared
    assert services.unmark_helpful(presenter=learner, reply=question) is True
    assert services.unmark_helpful(presenter=learner, reply=question) is False


def test_continuity_shows_the_asker_their_helpful_questions_and_not_their_peers(
        client, action_set, airtime, question, learner, learner2, third, django_assert_max_num_queries):
    services.mark_helpful(presenter=learner, reply=question, why="Private reason")
    asker = Membership.objects.get(action_set=action_set, user=learner2)
    entries = continuity_for(action_set, asker, viewer_id=learner2.pk, viewer_is_facilitator=False,
                             now=timezone.now())
    assert [m.reply for e in entries for m in e.helped] == [question]
    others = continuity_for(action_set, asker, viewer_id=third.pk, viewer_is_facilitator=False, now=timezone.now())
    assert not any(e.helped for e in others)
    url = reverse("actionsets:continuity", kwargs={"set_slug": action_set.slug, "user_id": learner2.pk})
    client.force_login(learner2)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Your questions that helped" in page and "What have you tried so far?" in page
    assert "Private reason" not in page     # the why stays the presenter's
    client.force_login(third)
    assert "questions that helped" not in client.get(url).content.decode()


@pytest.mark.parametrize("text, expected", [
    ("What have you tried so far?", "open"),
    ("How did the team react?", "open"),
    ("And why does that matter to you?", "open"),
    ("Tell me more about Sam?", "open"),
    ("Did you talk to Sam?", "closed"),
    ("Is it the deadline or the people?", "closed"),
    ("I hear frustration. Have you told them?", "closed"),
    ("Have you told them? What happened next?", "open"),
    ("I understood you to mean the rota is the problem — is that right?", "other"),
    ("Thanks for sharing.", "other"),
])
def test_the_open_question_heuristic(text, expected):
    assert question_openness(text) == expected
