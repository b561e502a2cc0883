"""Rate limits keep what was typed and say how long to wait (issue 11, section 3).

At a limit every rate-limited form comes back with the member's text in it — never a redirect
that drops it — and the message names the window configured in settings.ACTIONSETS_RATE_LIMITS.
Edits have their own limit: each saved edit stores a revision.
"""

import pytest
from django.urls import reverse

from actionsets import services
from actionsets.models import ActionCommitment, Airtime, JournalEntry, Reply, Revision
from actionsets.ratelimits import MESSAGES, window_phrase

TYPED = "KEEP-THIS-TEXT we agreed the rota"


def _url(name, action_set, **kwargs):
    return reverse(f"actionsets:{name}", kwargs={"set_slug": action_set.slug, **kwargs})


@pytest.mark.parametrize("rate, phrase", [("20/5m", "up to 5 minutes"), ("10/h", "up to an hour"),
                                          ("3/m", "up to a minute"), ("100/d", "up to a day"),
                                          ("5/30s", "up to 30 seconds")])
def test_the_refusal_names_the_window_of_the_rate(rate, phrase):
    assert window_phrase(rate) == phrase


def test_the_post_message_follows_the_configured_rate(settings):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "20/5m"}
    assert "wait up to 5 minutes" in MESSAGES["post"] and "a minute" not in MESSAGES["post"]
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "50/h"}
    assert "wait up to an hour" in MESSAGES["post"]


def test_a_commitment_refused_at_the_posting_limit_keeps_its_text(client, airtime, learner, action_set, settings):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "1/h"}
    client.force_login(learner)
    target = _url("commitment_new", action_set, airtime_id=airtime.pk)
    assert client.post(target, {"text": "Ask Sam first"}).status_code == 302
    response = client.post(target, {"text": TYPED})
    page = response.content.decode()
    assert response.status_code == 429
    assert TYPED in page and "your text is still in the box" in page and "wait up to an hour" in page
    assert ActionCommitment.objects.filter(airtime=airtime).count() == 1


def test_a_commitment_the_service_refuses_keeps_its_text_too(client, airtime, learner2, action_set):
    client.force_login(learner2)  # not the presenter
    response = client.post(_url("commitment_new", action_set, airtime_id=airtime.pk), {"text": TYPED})
    assert response.status_code == 400 and TYPED in response.content.decode()
    assert "Only the presenter" in response.content.decode()


def _post_form(client, form, *, action_set, airtime, question, learner, learner2):
    """POST one rate-limited form as the member allowed to use it; returns the response."""
    if form == "reply":
        client.force_login(learner2)
        return client.post(_url("reply", action_set, airtime_id=airtime.pk), {"body": TYPED + "?"})
    if form == "airtime":
        client.force_login(learner2)
        return client.post(_url("airtime_new", action_set), {"title": "My issue", "body": TYPED})
    if form == "commitment":
        client.force_login(learner)
        return client.post(_url("commitment_new", action_set, airtime_id=airtime.pk), {"text": TYPED})
    if form == "report_back":
        client.force_login(learner)
        commitment = ActionCommitment.objects.filter(airtime=airtime).first()
        return client.post(_url("commitment_report", action_set, commitment_id=commitment.pk),
                           {"status": "done", "what_happened": TYPED})
    if form == "journal":
        client.force_login(learner)
        return client.post(_url("journal", action_set), {"level": "describe", "body": TYPED})
    if form == "flag":
        client.force_login(learner)
        return client.post(reverse("facilitation:flag", args=[action_set.slug, airtime.pk, question.pk]), {"reason": TYPED})
    raise AssertionError(form)


@pytest.mark.parametrize("form, group", [("reply", "post"), ("airtime", "post"), ("commitment", "post"),
                                         ("report_back", "post"), ("journal", "post"), ("flag", "flag")])
def test_every_rate_limited_form_keeps_the_typed_text_at_the_limit(client, settings, form, group, action_set,
                                                                  airtime, question, learner, learner2, commitment):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, group: "0/h"}
    counts = (Reply.objects.count(), Airtime.objects.count(), ActionCommitment.objects.count(),
              JournalEntry.objects.count())
    response = _post_form(client, form, action_set=action_set, airtime=airtime, question=question,
                          learner=learner, learner2=learner2)
    page = response.content.decode()
    assert response.status_code in {200, 400, 429}  # the form again, never a redirect that drops it
    assert TYPED in page, f"the {form} form lost the text at the limit"
    assert MESSAGES[group] in page and "up to an hour" in page
    assert (Reply.objects.count(), Airtime.objects.count(), ActionCommitment.objects.count(),
            JournalEntry.objects.count()) == counts
    commitment.refresh_from_db()
    assert TYPED not in commitment.what_happened


def test_edits_of_a_reply_are_rate_limited_and_a_refused_edit_keeps_its_text(client, question, learner2, action_set):
    client.force_login(learner2)
    target = _url("reply_edit", action_set, airtime_id=question.airtime_id, reply_id=question.pk)
    codes = [client.post(target, {"body": f"What have you tried, take {n}?"}).status_code for n in range(23)]
    assert codes[:20] == [302] * 20 and codes[20:] == [200] * 3
    assert Revision.objects.filter(reply=question).count() == 20  # no revision for a refused edit
    response = client.post(target, {"body": TYPED})
    assert TYPED in response.content.decode() and MESSAGES["edit"] in response.content.decode()
    question.refresh_from_db()
    assert question.body == "What have you tried, take 19?"


def test_edits_of_an_airtime_are_rate_limited(client, airtime, learner, action_set, settings):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "edit": "2/h"}
    client.force_login(learner)
    target = _url("airtime_edit", action_set, airtime_id=airtime.pk)
    for n in range(2):
        assert client.post(target, {"title": airtime.title, "body": f"Take {n}"}).status_code == 302
    response = client.post(target, {"title": airtime.title, "body": TYPED})
    assert TYPED in response.content.decode() and "wait up to an hour" in response.content.decode()
    assert Revision.objects.filter(airtime=airtime).count() == 2
    airtime.refresh_from_db()
    assert airtime.body == "Take 1"


def test_edits_of_a_journal_entry_are_rate_limited(client, learner, action_set, open_round, settings):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "edit": "2/h"}
    entry = services.write_entry(author=learner, action_set=action_set, body="First thoughts")
    client.force_login(learner)
    target = _url("journal_entry", action_set, entry_id=entry.pk)
    for n in range(2):
        assert client.post(target, {"level": "describe", "body": f"Take {n}"}).status_code == 302
    response = client.post(target, {"level": "describe", "body": TYPED})
    assert response.status_code == 400 and TYPED in response.content.decode()
    assert MESSAGES["edit"] in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "Take 1"
