"""The privacy model as a matrix: every set URL × every role (docs/architecture.md, section 2).

The URLs come from the URL configuration itself, so a new set URL that is not given arguments
here fails the suite instead of escaping the matrix.
"""

import pytest
from django.urls import URLPattern, reverse

from actionsets import urls as set_urls

POST_ONLY = {"reply", "commitment_new", "advice_check", "check_in", "process_review", "review_summary", "introduce",
             "rules_propose", "evaluate", "notifications"}
# Pages a member may reach only for their own things (the fixtures make the learner the owner).
# The journal is private to its author: the set's facilitator gets the same 404 as an outsider.
OWNER_ONLY = {"commitment_report", "journal_entry"}
# Facilitator (or process-steward) actions inside the member URLs: learners get 404.
FACILITATOR_ONLY = {"review_summary"}


def _kwargs(name, objects):
    base = {"set_slug": objects["set"].slug}
    by_name = {
        "set_home": {}, "rules": {}, "airtime_new": {}, "commitments": {}, "advice_check": {}, "notifications": {},
        "thread": {"airtime_id": objects["airtime"].pk},
        "reply": {"airtime_id": objects["airtime"].pk},
        "airtime_edit": {"airtime_id": objects["airtime"].pk},
        "airtime_history": {"airtime_id": objects["airtime"].pk},
        "commitment_new": {"airtime_id": objects["airtime"].pk},
        "reply_edit": {"airtime_id": objects["airtime"].pk, "reply_id": objects["reply"].pk},
        "reply_history": {"airtime_id": objects["airtime"].pk, "reply_id": objects["reply"].pk},
        "commitment_report": {"commitment_id": objects["commitment"].pk},
        "round": {"number": 1}, "check_in": {"number": 1}, "process_review": {"number": 1},
        "review_summary": {"number": 1}, "me": {}, "continuity": {"user_id": objects["airtime"].presenter_id},
        "journal": {}, "journal_entry": {"entry_id": objects["journal_entry"].pk}, "journal_export": {},
        "forming": {}, "introduce": {}, "rules_propose": {}, "ending": {}, "evaluate": {}, "export": {},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the privacy matrix: add it to tests/actionsets/test_privacy_matrix.py")
    return {**base, **by_name[name]}


SET_URL_NAMES = [p.name for p in set_urls.urlpatterns if isinstance(p, URLPattern)]
ROLES = ["anonymous", "learner", "facilitator", "outsider", "other_facilitator", "staff", "removed_member"]


@pytest.fixture
def objects(action_set, airtime, own_reply, commitment, learner):
    from actionsets import journal

    entry = journal.write_entry(author=learner, action_set=action_set, body="Getting my team: PRIVATE-JOURNAL")
    return {"set": action_set, "airtime": airtime, "reply": own_reply, "commitment": commitment,
            "journal_entry": entry}


def _expected(role, name):
    if role == "anonymous":
        return "login"
    if role in {"learner", "facilitator"}:
        if role == "facilitator" and name in OWNER_ONLY:
            return 404
        if role == "learner" and name in FACILITATOR_ONLY:
            return 404
        return "ok"
    return 404


@pytest.mark.parametrize("name", SET_URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_set_url_is_visible_only_to_current_members(request, client, objects, name, role):
    url = reverse(f"actionsets:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method = client.post if name in POST_ONLY else client.get
    response = method(url, {"body": ""} if name in POST_ONLY else None)
    expected = _expected(role, name)
    if role != "learner":
        assert b"PRIVATE-JOURNAL" not in response.content, f"{role} read a journal on {url}"
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == 404:
        assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
        assert b"Getting my team" not in response.content
    else:
        assert response.status_code in {200, 302, 400}, f"{role} got {response.status_code} on {url}"


@pytest.mark.parametrize("role", ["outsider", "other_facilitator", "staff", "removed_member"])
def test_unknown_set_and_someone_elses_set_look_the_same(request, client, objects, role):
    client.force_login(request.getfixturevalue(role))
    missing = client.get("/sets/no-such-set/")
    hidden = client.get(f"/sets/{objects['set'].slug}/")
    assert missing.status_code == hidden.status_code == 404


def test_anonymous_is_sent_to_sign_in_for_a_set_that_does_not_exist(client, db):
    response = client.get("/sets/no-such-set/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_outsider_cannot_post_a_reply(client, outsider, airtime):
    client.force_login(outsider)
    response = client.post(
        reverse("actionsets:reply", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk}),
        {"body": "Sneaky question?", "kind": "question"},
    )
    assert response.status_code == 404
    assert airtime.replies.count() == 0


def test_airtime_of_another_set_is_404_even_for_a_member_of_that_other_set(client, outsider, other_set, airtime):
    client.force_login(outsider)
    url = reverse("actionsets:thread", kwargs={"set_slug": other_set.slug, "airtime_id": airtime.pk})
    assert client.get(url).status_code == 404


def test_home_lists_only_my_current_sets(client, learner, outsider, removed_member, action_set):
    client.force_login(removed_member)
    assert action_set.name.encode() not in client.get("/").content
    client.force_login(learner)
    assert action_set.name.encode() in client.get("/").content
