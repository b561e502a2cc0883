"""Every LTI URL × every role. The staff pages under /manage/lti/ are for staff only (404 for everyone
else signed in); the endpoints a platform calls answer everyone alike and show no set's content:
what opens a set is a checked launch and then membership, never the URL."""

import pytest
from django.urls import URLPattern, reverse

from actionsets import services as set_services
from lti import urls as lti_urls
from lti.models import Course, Platform

LTI_URL_NAMES = [p.name for p in lti_urls.urlpatterns if isinstance(p, URLPattern)]
STAFF_PAGES = {"platforms", "platform_new", "registration_link_new", "platform", "course", "course_sync"}
POST_ONLY = {"course_sync", "registration_link_new"}
PLATFORM_ENDPOINTS = {  # name → (method, status for everyone)
    "jwks": ("get", 200), "login": ("get", 400), "launch": ("post", 400), "enter": ("get", 410),
    "deep_link": ("get", 404), "register": ("get", 404),
}
ROLES = ["anonymous", "learner", "facilitator", "researcher", "outsider", "other_facilitator", "removed_member", "staff",
         "former_researcher"]  # a researcher (issue 17) is no staff: 404, as any member
SECRETS = ["SECRET-AIRTIME-TITLE", "SECRET-AIRTIME-BODY"]


@pytest.fixture
def objects(action_set, learner, open_round):
    set_services.present_airtime(presenter=learner, action_set=action_set, title="SECRET-AIRTIME-TITLE",
                                 body="SECRET-AIRTIME-BODY")
    platform = Platform.objects.create(name="Moodle", issuer="https://moodle.example.edu", client_id="c1",
                                       deployment_ids=["1"], auth_login_url="https://moodle.example.edu/auth",
                                       auth_token_url="https://moodle.example.edu/token",
                                       key_set_url="https://moodle.example.edu/jwks")
    course = Course.objects.create(platform=platform, context_id="c-1", deployment_id="1", title="Course",
                                   cohort=action_set.cohort, action_set=action_set)
    return {"platform": platform, "course": course}


def _kwargs(name, objects):
    by_name = {
        "jwks": {}, "login": {}, "launch": {}, "enter": {"token": "not-a-token"}, "deep_link": {"picker_id": "0" * 32},
        "register": {"key": "not-a-registration-key"}, "registration_link_new": {},
        "platforms": {}, "platform_new": {}, "platform": {"platform_id": objects["platform"].pk},
        "course": {"course_id": objects["course"].pk}, "course_sync": {"course_id": objects["course"].pk},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the LTI privacy matrix: add it to {__file__}")
    return by_name[name]


def test_every_lti_url_is_in_this_matrix():
    assert set(LTI_URL_NAMES) == STAFF_PAGES | set(PLATFORM_ENDPOINTS)


@pytest.mark.parametrize("name", LTI_URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_lti_url_by_role(request, client, objects, name, role):
    url = reverse(f"lti:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    if name in PLATFORM_ENDPOINTS:
        method, status = PLATFORM_ENDPOINTS[name]
        response = getattr(client, method)(url, {}, secure=True)
        assert response.status_code == status, f"{role} got {response.status_code} on {url}"
    else:
        response = client.post(url, {}) if name in POST_ONLY else client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        elif role == "staff":
            assert response.status_code == (302 if name in POST_ONLY else 200), url
        else:
            assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
    for secret in SECRETS:
        assert secret.encode() not in response.content, f"{secret} leaked on {url}"


@pytest.mark.parametrize("role", ["learner", "facilitator", "outsider"])
def test_non_staff_get_404_on_post_only_urls_even_by_get(request, client, objects, role):
    client.force_login(request.getfixturevalue(role))
    for name in sorted(POST_ONLY):
        assert client.get(reverse(f"lti:{name}", kwargs=_kwargs(name, objects))).status_code == 404
