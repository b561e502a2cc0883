"""The engagement app's set URLs × every role (docs/architecture.md, section 2): the thread page's
knock (issue 19). Everyone but a current member gets 404 (or sign-in), and a member id from the
form is looked up under the same rule: a stranger's or a former member's id is 404 too."""

import pytest
from django.urls import URLPattern, reverse

from engagement import urls as engagement_urls
from engagement.models import Knock

SET_URL_NAMES = [p.name for p in engagement_urls.urlpatterns
                 if isinstance(p, URLPattern) and "<slug:set_slug>" in str(p.pattern)]
ROLES = ["anonymous", "learner", "learner2", "facilitator", "researcher", "outsider", "other_facilitator", "staff",
         "removed_member", "former_researcher"]


def _kwargs(name, objects):
    by_name = {"knock": {"set_slug": objects["set"].slug, "airtime_id": objects["airtime"].pk}}
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the privacy matrix: add it to tests/engagement/test_privacy_matrix.py")
    return by_name[name]


@pytest.fixture
def objects(action_set, open_round, learner):
    from actionsets import services

    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Getting my team",
                                       body="We keep missing deadlines.")
    return {"set": action_set, "airtime": airtime}


@pytest.mark.parametrize("name", SET_URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_engagement_set_url_is_for_current_members_only(request, client, objects, name, role, learner2):
    url = reverse(f"engagement:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(url, {"member": learner2.pk})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role in {"learner", "learner2", "facilitator"}:
        assert response.status_code == 302 and "#read-by" in response["Location"], role
    elif role == "researcher":  # a member who reads, and knocks for nobody (issue 17)
        assert response.status_code == 403, f"{role} got {response.status_code} on {url}"
    else:
        assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
        assert b"Getting my team" not in response.content
    assert not Knock.objects.exists()  # too early (48 h) for anyone: nothing recorded


@pytest.mark.parametrize("target", ["outsider", "removed_member", "staff", "nobody", "junk"])
def test_a_knock_for_someone_outside_the_set_is_404(request, client, objects, learner, target):
    member = {"nobody": 999_999, "junk": "1 OR 1=1"}.get(target) or request.getfixturevalue(target).pk
    client.force_login(learner)
    response = client.post(reverse("engagement:knock", kwargs=_kwargs("knock", objects)), {"member": member})
    assert response.status_code == 404
    assert not Knock.objects.exists()
