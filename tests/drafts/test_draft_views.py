"""Drafts through the pages (issue 14, part 3): "Save draft" without JavaScript (the form posted to
the draft URL), autosave with fetch (JSON), the draft back in the box on any device, discard,
and privacy: the writer alone sees it, and their own data export is the only export that has it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionsets import services
from actionsets.models import Draft

pytestmark = pytest.mark.django_db

SECRET = "MY-UNPOSTED-DRAFT-TEXT"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def airtime(action_set, open_round, learner):
    return services.present_airtime(presenter=learner, action_set=action_set, title="Deadlines",
                                    body="My team keeps missing the internal grant deadline.")


def _draft_url(airtime):
    return reverse("actionsets:reply_draft", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk})


def test_save_draft_without_js_comes_back_in_the_box(client, airtime, learner2):
    client.force_login(learner2)
    response = client.post(_draft_url(airtime), {"body": SECRET, "kind": "clarifying", "parent": "", "draft": "save"})
    assert response.status_code == 302 and response["Location"] == airtime.get_absolute_url() + "#reply"
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert SECRET in page and "Draft saved" in page and "Discard draft" in page


def test_autosave_answers_json_and_a_second_device_sees_it(client, airtime, learner2):
    client.force_login(learner2)
    response = client.post(_draft_url(airtime), {"body": SECRET + " v1"}, **FETCH)
    assert response.status_code == 200 and response.json()["saved"] is True
    client.post(_draft_url(airtime), {"body": SECRET + " v2"}, **FETCH)
    assert list(Draft.objects.values_list("body", flat=True)) == [SECRET + " v2"]
    client.logout()
    client.force_login(learner2)  # a new session: another device
    assert SECRET + " v2" in client.get(airtime.get_absolute_url()).content.decode()


def test_reply_to_a_reply_keeps_its_own_draft(client, airtime, learner, learner2):
    question = services.post_reply(author=learner2, airtime=airtime, body="What deadline is it?")
    client.force_login(learner)
    response = client.post(_draft_url(airtime), {"body": SECRET, "parent": question.pk, "kind": "response"})
    assert response["Location"] == f"{airtime.get_absolute_url()}?reply_to={question.pk}#reply"
    page = client.get(response["Location"]).content.decode()
    assert SECRET in page
    plain = client.get(airtime.get_absolute_url()).content.decode()
    assert SECRET not in plain and "Your other drafts in this thread" in plain


def test_discard_and_post_remove_the_draft(client, airtime, learner2):
    client.force_login(learner2)
    client.post(_draft_url(airtime), {"body": SECRET}, **FETCH)
    response = client.post(_draft_url(airtime), {"body": SECRET, "draft": "discard"})
    assert response.status_code == 302 and not Draft.objects.exists()
    client.post(_draft_url(airtime), {"body": SECRET}, **FETCH)
    reply_url = reverse("actionsets:reply", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk})
    assert client.post(reply_url, {"body": "What have you tried so far?", "kind": "clarifying"}).status_code == 302
    assert not Draft.objects.exists()


def test_a_refused_parent_is_a_json_error_naming_no_post(client, airtime, learner, learner2, facilitator):
    from facilitation import services as facilitation_services

    question = services.post_reply(author=learner2, airtime=airtime, body="HIDDEN-QUESTION-TEXT?")
    facilitation_services.hide_reply(actor=facilitator, reply=question, reason="Off topic")
    client.force_login(learner)
    response = client.post(_draft_url(airtime), {"body": SECRET, "parent": question.pk}, **FETCH)
    assert response.status_code == 400 and b"HIDDEN-QUESTION-TEXT" not in response.content
    assert not Draft.objects.exists()


def test_too_long_is_refused(client, settings, airtime, learner2):
    settings.MARKDOWN_MAX_CHARS = 10
    client.force_login(learner2)
    response = client.post(_draft_url(airtime), {"body": "x" * 11}, **FETCH)
    assert response.status_code == 400 and "characters" in response.json()["error"]


def test_airtime_draft_comes_back_and_presenting_removes_it(client, action_set, open_round, learner2):
    client.force_login(learner2)
    url = reverse("actionsets:airtime_draft", kwargs={"set_slug": action_set.slug})
    new = reverse("actionsets:airtime_new", kwargs={"set_slug": action_set.slug})
    response = client.post(url, {"title": "Half a title", "body": SECRET, "draft": "save"})
    assert response.status_code == 302 and response["Location"] == new
    page = client.get(new).content.decode()
    assert SECRET in page and "Half a title" in page
    client.post(new, {"title": "Whole", "body": "A whole airtime"})
    assert not Draft.objects.exists()


def test_drafts_are_private_to_their_writer(client, action_set, airtime, learner, learner2, facilitator, staff):
    question = services.post_reply(author=learner2, airtime=airtime, body="What deadline is it?")
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body=SECRET)
    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, parent=question, body=SECRET + "2")
    slug = action_set.slug
    pages = [airtime.get_absolute_url(), f"{airtime.get_absolute_url()}?reply_to={question.pk}",
             reverse("actionsets:set_home", kwargs={"set_slug": slug}),
             reverse("actionsets:export", kwargs={"set_slug": slug}),
             reverse("facilitation:dashboard", kwargs={"set_slug": slug}),
             reverse("facilitation:export", kwargs={"set_slug": slug}),
             reverse("account_my_data_json"), reverse("account_my_data_markdown")]
    for person in (learner, facilitator, staff):
        client.force_login(person)
        for url in pages:
            assert SECRET.encode() not in client.get(url).content, (person, url)
    client.force_login(staff)
    for url in ("/manage/", f"/admin/actionsets/draft/"):
        assert SECRET.encode() not in client.get(url).content
    client.force_login(learner2)
    exported = json.loads(client.get(reverse("account_my_data_json")).content)
    assert {d["body"] for d in exported["drafts"]} == {SECRET, SECRET + "2"}
    assert SECRET in client.get(reverse("account_my_data_markdown")).content.decode()


def test_erasing_the_account_deletes_the_drafts(action_set, airtime, learner2):
    from personal_data.services import delete_account

    services.save_draft(author=learner2, action_set=action_set, airtime=airtime, body=SECRET)
    delete_account(user=learner2)
    assert not Draft.objects.exists()


@pytest.mark.parametrize("drafts", [0, 1, 6])
def test_thread_page_budget_is_the_same_with_drafts(client, action_set, airtime, learner, learner2, drafts):
    replies = [services.post_reply(author=learner2, airtime=airtime, body=f"Question {n}?") for n in range(6)]
    for reply in replies[:drafts]:
        services.save_draft(author=learner, action_set=action_set, airtime=airtime, parent=reply, body="d")
    client.force_login(learner)
    client.get(airtime.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(airtime.get_absolute_url()).status_code == 200
    # The presenter's thread: 12 = the member's 11 (tests/actionsets/test_query_budgets.py) + who was
    # knocked (issue 19), whatever the number of drafts.
    assert len(ctx.captured_queries) == 12


def test_draft_saves_are_rate_limited_and_a_refused_save_keeps_the_text(client, settings, action_set, airtime,
                                                                         learner2):
    """RATE_LIMIT_DRAFT: autosave (fetch) gets a 429 with the message (the text stays in the box and the
    browser's storage); the no-JavaScript button gets the text back whole on the page."""
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "draft": "2/5m"}
    client.force_login(learner2)
    url = reverse("actionsets:reply_draft", args=[action_set.slug, airtime.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Draft {n}"}, headers={"X-Requested-With": "fetch"}).status_code == 200
    refused = client.post(url, {"body": "Draft 3"}, headers={"X-Requested-With": "fetch"})
    assert refused.status_code == 429 and "Nothing was lost" in refused.json()["error"]
    page = client.post(url, {"body": "My long <reflection> on trust"})
    assert page.status_code == 429
    assert "My long &lt;reflection&gt; on trust</textarea>" in page.content.decode()
    assert Draft.objects.get(author=learner2).body == "Draft 1"
