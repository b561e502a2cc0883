"""Deep linking: an instructor picks what the course links to; we answer with a signed response."""

import re

import jwt
import pytest

from accounts.services import mark_email_verified
from lti import keys
from lti.models import Course

from .platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, LEARNER

DL = "LtiDeepLinkingRequest"


@pytest.fixture
def picker(client, registration, facilitator, other_set, launch):
    mark_email_verified(user=facilitator)
    response = launch(sub="fac", email="fac@example.com", roles=[INSTRUCTOR], message_type=DL)
    assert response.status_code == 302 and response["Location"].startswith("/lti/deep-link/")
    return response["Location"]


def test_the_picker_offers_the_cohort_and_the_sets_the_instructor_facilitates(client, picker, action_set):
    page = client.get(picker)
    assert page.status_code == 200
    values = re.findall(rb'name="target" id="[^"]+" value="([^"]+)"', page.content)
    assert values == [f"cohort:{action_set.cohort.slug}".encode(), b"set:set-a"]  # not set-b: not theirs
    assert "X-Frame-Options" not in page


def test_picking_a_set_returns_a_signed_deep_linking_response_and_links_the_course(
        client, picker, test_platform, registration, action_set):
    response = client.post(picker, {"target": "set:set-a"})
    assert response.status_code == 200
    action = re.search(rb'action="([^"]+)"', response.content).group(1).decode()
    assert action == test_platform.url + "/deep-link-return"
    assert f"form-action 'self' {test_platform.url}" in response["Content-Security-Policy"]
    token = re.search(rb'name="JWT" value="([^"]+)"', response.content).group(1).decode()
    key = keys.signing_key()
    assert jwt.get_unverified_header(token)["kid"] == key.kid
    body = jwt.decode(token, key.public_key, algorithms=["RS256"], audience=test_platform.issuer)
    claim = "https://purl.imsglobal.org/spec/lti/claim/"
    assert body["iss"] == CLIENT_ID and body[claim + "deployment_id"] == DEPLOYMENT_ID
    assert body[claim + "message_type"] == "LtiDeepLinkingResponse"
    assert body["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-data"
    [item] = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch/")
    assert item["custom"] == {"actionsets_target": "set:set-a"} and item["title"] == "Set A"
    course = Course.objects.get(platform=registration)
    assert (course.cohort, course.action_set) == (action_set.cohort, action_set)
    assert course.memberships_url == test_platform.url + "/members"
    assert client.post(picker, {"target": "set:set-a"}).status_code == 404  # used once


def test_a_set_the_instructor_does_not_facilitate_cannot_be_picked(client, picker):
    response = client.post(picker, {"target": "set:set-b"})
    assert response.status_code == 200 and b"Choose one of the options" in response.content
    assert b'name="JWT"' not in response.content and not Course.objects.filter(cohort__isnull=False).exists()


def test_learners_cannot_add_links(client, registration, learner, launch):
    response = launch(sub="l", email="learner@example.com", roles=[LEARNER], message_type=DL)
    assert response.status_code == 403


def test_an_unknown_picker_is_404(client, db):
    assert client.get("/lti/deep-link/0123456789abcdef/").status_code == 404
