"""Every research URL × every role (docs/architecture.md, section 2; docs/research.md). Members
read the cohort's studies and their information sheets' versions and record their choice in
their own set; the registration, the revision and the exports (of the set, or of every set of the
cohort they facilitate) are the set's facilitators'; everyone else gets 404 — staff included."""

import pytest
from django.urls import URLPattern, reverse

from research import urls
from research.models import ConsentDecision

ROLES = ["anonymous", "learner", "facilitator", "researcher", "outsider", "other_facilitator", "staff", "removed_member",
         "former_researcher"]
# A researcher (issue 17) reads the studies and the facilitators' research page and downloads the
# export; consenting is a participant's choice about their own words: 403 for them.
RESEARCHER_READS = {"studies", "facilitate", "export_qdpx", "export_data", "versions"}
POST_ONLY = {"consent"}
MEMBER_NAMES = {"studies", "consent", "versions"}


def _kwargs(name, o):
    by_name = {
        "studies": {}, "consent": {"study_id": o["study"].pk}, "facilitate": {},
        "export_qdpx": {"study_id": o["study"].pk}, "export_data": {"study_id": o["study"].pk},
        "versions": {"study_id": o["study"].pk}, "revise": {"study_id": o["study"].pk},
        "cohort_export_qdpx": {"study_id": o["study"].pk}, "cohort_export_data": {"study_id": o["study"].pk},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the privacy matrix: add it to tests/research/test_privacy_matrix.py")
    return {"set_slug": o["set"].slug, **by_name[name]}


@pytest.fixture
def objects(action_set, airtime, question, study):
    return {"set": action_set, "study": study}


NAMES = [p.name for p in urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_research_url_privacy(request, client, objects, name, role):
    url = reverse(f"research:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(url, {"consent": "yes"}) if name in POST_ONLY else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role == "researcher" and name == "consent":
        assert response.status_code == 403, f"{role} got {response.status_code} on {url}"
        assert not ConsentDecision.objects.exists()
    elif role == "facilitator" or (role == "learner" and name in MEMBER_NAMES) or \
            (role == "researcher" and name in RESEARCHER_READS):
        assert response.status_code in {200, 302}, f"{role} got {response.status_code} on {url}"
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    else:
        assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
        assert b"Questions in online sets" not in response.content


def test_a_study_of_another_cohort_is_404(client, action_set, learner, study, db):
    from actionsets.models import Cohort
    from research.models import Study

    other = Study.objects.create(cohort=Cohort.objects.create(name="Other", slug="other"), title="Elsewhere",
                                 ethics_reference="X", information_sheet="x", information_sheet_html="x",
                                 contact="x", created_by=learner)
    client.force_login(learner)
    url = reverse("research:consent", kwargs={"set_slug": action_set.slug, "study_id": other.pk})
    assert client.post(url, {"consent": "yes"}).status_code == 404
    assert "Elsewhere" not in client.get(reverse("research:studies", args=[action_set.slug])).content.decode()


def test_a_researcher_cannot_register_a_study(client, action_set, researcher, study):
    from research.models import Study

    client.force_login(researcher)
    response = client.post(reverse("research:facilitate", args=[action_set.slug]),
                           {"title": "Mine", "ethics_reference": "X", "information_sheet": "x", "contact": "x"})
    assert response.status_code == 404
    assert Study.objects.count() == 1
    page = client.get(reverse("research:facilitate", args=[action_set.slug])).content.decode()
    assert "Register the study" not in page and "Questions in online sets" in page


def test_a_researchers_export_is_logged_with_their_name(client, action_set, researcher, study):
    from actionsets.models import ModerationAction

    client.force_login(researcher)
    response = client.get(reverse("research:export_data", args=[action_set.slug, study.pk]))
    b"".join(response.streaming_content)
    assert ModerationAction.objects.filter(action="research_export", actor=researcher).count() == 1
