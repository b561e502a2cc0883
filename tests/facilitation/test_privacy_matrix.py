"""Every facilitation URL × every role (docs/architecture.md, section 2). Facilitator pages: the set's
facilitators only; learners get the same 404 as outsiders. The members' flag form: members who
may flag that reply. The URL list comes from the URLconf, so a new URL that is not given arguments
here fails the suite."""

import pytest
from django.urls import URLPattern, reverse

from facilitation import urls

ROLES = ["anonymous", "learner", "facilitator", "researcher", "outsider", "other_facilitator", "staff", "removed_member",
         "former_researcher"]
POST_ONLY = {"reply_hide", "reply_restore", "reply_annotate", "annotation_remove", "airtime_lock",
             "airtime_unlock", "flag_resolve", "round_new", "round_change", "round_close", "coding_agreed",
             "researcher_revoke"}
MEMBER_NAMES = ["flag"]  # the members' flag form; every other facilitation URL is the facilitators'
# Old id-addressed round URLs: facilitators are sent on (308) to the round's number; others 404.
MOVED = {"round_change_moved", "round_close_moved"}
# The facilitator's read-only pages, which the set's researchers read too (issue 17); every other
# facilitation URL — every action, moderation, rounds, the log, granting researchers — is 404 for them.
RESEARCHER_READS = {"dashboard", "export", "signals", "coding", "coding_sample", "coding_agreement"}


def _kwargs(name, o):
    by_name = {
        "dashboard": {}, "export": {}, "signals": {}, "moderation": {}, "log": {}, "rounds": {}, "round_new": {},
        "reply_hide": {"reply_id": o["reply"].pk}, "reply_restore": {"reply_id": o["reply"].pk},
        "reply_annotate": {"reply_id": o["reply"].pk},
        "annotation_remove": {"annotation_id": o["annotation"].pk},
        "airtime_lock": {"airtime_id": o["airtime"].pk}, "airtime_unlock": {"airtime_id": o["airtime"].pk},
        "flag_resolve": {"flag_id": o["flag"].pk},
        "round_change": {"number": o["round"].number}, "round_close": {"number": o["round"].number},
        "round_change_moved": {"round_id": o["round"].pk}, "round_close_moved": {"round_id": o["round"].pk},
        "flag": {"airtime_id": o["airtime"].pk, "reply_id": o["reply"].pk},
        "coding": {}, "coding_sample": {"sample_id": o["sample"].pk},
        "coding_agreement": {"sample_id": o["sample"].pk}, "coding_agreed": {"sample_id": o["sample"].pk},
        "researchers": {}, "researcher_revoke": {"membership_id": o["researcher_membership"].pk},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the privacy matrix: add it to tests/facilitation/test_privacy_matrix.py")
    return {"set_slug": o["set"].slug, **by_name[name]}


@pytest.fixture
def objects(action_set, open_round, airtime, question, flag, annotation, coding_sample, researcher):
    from actionsets.models import Membership

    return {"set": action_set, "round": open_round, "airtime": airtime, "reply": question, "flag": flag,
            "annotation": annotation, "sample": coding_sample,
            "researcher_membership": Membership.objects.get(user=researcher, action_set=action_set)}


def _request(client, request, role, url, post):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client.post(url, {}) if post else client.get(url)


def _assert_hidden(response, role, url):
    assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
    assert b"Getting my team" not in response.content and b"What have you tried" not in response.content


FACILITATION_NAMES = [p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name not in MEMBER_NAMES]


@pytest.mark.parametrize("name", FACILITATION_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_facilitation_url_is_for_the_sets_facilitators_only(request, client, objects, name, role):
    url = reverse(f"facilitation:{name}", kwargs=_kwargs(name, objects))
    response = _request(client, request, role, url, name in POST_ONLY | MOVED)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role == "facilitator" and name in MOVED:
        assert response.status_code == 308, f"facilitator got {response.status_code} on {url}"
    elif role == "facilitator":
        assert response.status_code in {200, 302, 400}, f"facilitator got {response.status_code} on {url}"
    elif role == "researcher" and name in RESEARCHER_READS and name not in POST_ONLY | MOVED:
        assert response.status_code == 200, f"researcher got {response.status_code} on {url}"
    else:
        _assert_hidden(response, role, url)


@pytest.mark.parametrize("name", sorted(RESEARCHER_READS - {"export"}))
def test_a_researchers_post_to_a_page_they_read_changes_nothing(client, researcher, objects, name):
    """The pages a researcher reads take POSTs from facilitators (drawing a sample) or coders only; the
    read-only ones ignore a POST (the page again), and nothing is written."""
    from facilitation.models import BlindCode, CodingSample

    client.force_login(researcher)
    url = reverse(f"facilitation:{name}", kwargs=_kwargs(name, objects))
    response = client.post(url, {"name": "Mine", "scheme": "1", "mode": "all", "coders": [researcher.pk]})
    expected = {404} if name in {"coding", "coding_sample"} else {200}
    assert response.status_code in expected, f"researcher got {response.status_code} posting to {url}"
    assert CodingSample.objects.count() == 1 and not BlindCode.objects.filter(coder=researcher).exists()


@pytest.mark.parametrize("name", [p.name for p in urls.urlpatterns if p.name in POST_ONLY])
def test_facilitator_actions_refuse_get(client, facilitator, objects, name):
    client.force_login(facilitator)
    assert client.get(reverse(f"facilitation:{name}", kwargs=_kwargs(name, objects))).status_code == 405


@pytest.mark.parametrize("name", MEMBER_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_flag_form_is_for_members_who_may_flag_the_reply(request, client, objects, name, role):
    url = reverse(f"facilitation:{name}", kwargs=_kwargs(name, objects))
    response = _request(client, request, role, url, post=False)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role == "learner":  # not the author; the facilitator acts directly instead of flagging
        assert response.status_code == 200
    # A researcher flags nothing (issue 17): the same 404 as the facilitator, who acts instead.
    else:
        _assert_hidden(response, role, url)


def test_flag_form_is_404_for_the_author_and_for_hidden_replies(client, objects, learner, learner2, facilitator):
    from facilitation import services

    url = reverse("facilitation:flag", kwargs=_kwargs("flag", objects))
    client.force_login(learner2)  # wrote the reply
    assert client.get(url).status_code == 404
    services.hide_reply(actor=facilitator, reply=objects["reply"], reason="Off topic")
    client.force_login(learner)
    assert client.get(url).status_code == 404


def test_facilitator_of_another_set_cannot_reach_objects_of_this_set_through_their_own_set(
    client, other_facilitator, other_set, objects
):
    client.force_login(other_facilitator)
    for name in ["reply_hide", "airtime_lock", "flag_resolve", "annotation_remove", "round_close"]:
        kwargs = {**_kwargs(name, objects), "set_slug": other_set.slug}
        assert client.post(reverse(f"facilitation:{name}", kwargs=kwargs), {"reason": "x"}).status_code == 404
    objects["reply"].refresh_from_db()
    assert not objects["reply"].hidden


def test_unknown_round_in_the_dashboard_scope_is_404(client, facilitator, objects):
    client.force_login(facilitator)
    url = reverse("facilitation:dashboard", kwargs={"set_slug": objects["set"].slug})
    assert client.get(url + "?round=99").status_code == 404
    assert client.get(url + "?round=x").status_code == 404
    assert client.get(url + "?round=1").status_code == 200
