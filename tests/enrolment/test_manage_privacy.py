"""The staff area as a matrix: every /manage/ URL × every role. Staff see figures and
memberships, never set content."""

import pytest
from django.urls import URLPattern, reverse

from actionsets import services as set_services
from enrolment import services
from enrolment import urls as manage_urls
from enrolment.models import CohortPerson
from tests.factories import MembershipFactory, UserFactory

from .conftest import make_csv

POST_ONLY = {"cohort_archive", "batch_commit", "set_facilitator", "member_resend", "allocation_move",
             "allocation_commit"}
# POST-only URLs that answer staff's empty form with the page and its errors (400), not a redirect.
FORM_ERROR_ON_EMPTY_POST = {"set_facilitator", "allocation_move"}
MANAGE_URL_NAMES = [p.name for p in manage_urls.manage_patterns if isinstance(p, URLPattern)]
ROLES = ["anonymous", "learner", "facilitator", "researcher", "outsider", "other_facilitator", "removed_member", "staff",
         "former_researcher"]  # a researcher (issue 17) is no staff: 404, as any member
SECRETS = ["SECRET-AIRTIME-TITLE", "SECRET-AIRTIME-BODY", "SECRET-REPLY-TEXT", "SECRET-COMMITMENT"]


@pytest.fixture
def objects(action_set, learner, learner2, open_round, staff):
    airtime = set_services.present_airtime(presenter=learner, action_set=action_set, title="SECRET-AIRTIME-TITLE",
                                           body="SECRET-AIRTIME-BODY")
    set_services.post_reply(author=learner2, airtime=airtime, body="SECRET-REPLY-TEXT?")
    set_services.record_commitment(owner=learner, airtime=airtime, text="SECRET-COMMITMENT")
    batch = services.preview_enrolment(cohort=action_set.cohort, uploaded_by=staff,
                                       data=make_csv([("new@example.org", "New", "Set A", "learner")]))
    membership = learner.memberships.get(action_set=action_set)
    unplaced = [UserFactory(email=f"unplaced{i}@example.org") for i in range(6)]
    CohortPerson.objects.bulk_create([CohortPerson(cohort=action_set.cohort, user=u) for u in unplaced])
    allocation = services.preview_allocation(cohort=action_set.cohort, actor=staff,
                                             options=services.AllocationOptions(time_limit=2))
    return {"cohort": action_set.cohort, "set": action_set, "batch": batch, "membership": membership,
            "allocation": allocation}


def _kwargs(name, objects):
    by_name = {
        "home": {}, "cohort_new": {},
        "cohort": {"cohort_slug": objects["cohort"].slug}, "cohort_edit": {"cohort_slug": objects["cohort"].slug},
        "cohort_archive": {"cohort_slug": objects["cohort"].slug}, "set_new": {"cohort_slug": objects["cohort"].slug},
        "enrol": {"cohort_slug": objects["cohort"].slug}, "person_add": {"cohort_slug": objects["cohort"].slug},
        "batch": {"batch_id": objects["batch"].pk}, "batch_commit": {"batch_id": objects["batch"].pk},
        "set": {"set_slug": objects["set"].slug}, "set_edit": {"set_slug": objects["set"].slug},
        "set_facilitator": {"set_slug": objects["set"].slug},
        "member_move": {"membership_id": objects["membership"].pk},
        "member_remove": {"membership_id": objects["membership"].pk},
        "member_resend": {"membership_id": objects["membership"].pk},
        "allocate": {"cohort_slug": objects["cohort"].slug},
        "allocation": {"allocation_id": objects["allocation"].pk},
        "allocation_move": {"allocation_id": objects["allocation"].pk},
        "allocation_commit": {"allocation_id": objects["allocation"].pk},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the /manage/ privacy matrix: add it to {__file__}")
    return by_name[name]


@pytest.mark.parametrize("name", MANAGE_URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_manage_url_is_for_staff_only(request, client, objects, name, role):
    url = reverse(f"enrolment:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(url, {}) if name in POST_ONLY else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role == "staff":
        assert response.status_code == (302 if name in POST_ONLY - FORM_ERROR_ON_EMPTY_POST else
                                         400 if name in FORM_ERROR_ON_EMPTY_POST else 200), url
        for secret in SECRETS:
            assert secret.encode() not in response.content, f"{secret} leaked on {url}"
    else:
        assert response.status_code == 404, f"{role} got {response.status_code} on {url}"


@pytest.mark.parametrize("name", sorted(POST_ONLY))
@pytest.mark.parametrize("role", ["learner", "facilitator", "outsider"])
def test_non_staff_get_404_on_post_only_urls_even_by_get(request, client, objects, name, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"enrolment:{name}", kwargs=_kwargs(name, objects))).status_code == 404


def test_staff_pages_show_figures_but_no_content(client_for, staff, objects):
    client = client_for(staff)
    cohort_page = client.get(reverse("enrolment:cohort", kwargs={"cohort_slug": objects["cohort"].slug})).content.decode()
    set_page = client.get(reverse("enrolment:set", kwargs={"set_slug": objects["set"].slug})).content.decode()
    assert "Set A" in cohort_page and "learner@example.com" in set_page
    for page in (cohort_page, set_page):
        for secret in SECRETS:
            assert secret not in page


def test_staff_who_is_not_a_member_still_gets_404_on_the_set_itself(client_for, staff, objects):
    client = client_for(staff)
    assert client.get(f"/sets/{objects['set'].slug}/").status_code == 404
    airtime = objects["set"].airtimes.get()
    assert client.get(airtime.get_absolute_url()).status_code == 404


def test_staff_who_is_a_member_reads_that_set_like_any_member(client_for, staff, objects):
    MembershipFactory(user=staff, action_set=objects["set"])
    assert b"SECRET-AIRTIME-TITLE" in client_for(staff).get(f"/sets/{objects['set'].slug}/").content


def test_manage_nav_link_shows_for_staff_only(client_for, staff, learner, objects):
    assert b'href="/manage/"' in client_for(staff).get("/manage/").content
    assert b'href="/manage/"' not in client_for(learner).get("/").content
