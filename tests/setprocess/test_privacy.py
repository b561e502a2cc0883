"""The set process's facilitator pages in the privacy matrix: each of them (NAMES, in
actionsets/urls.py) × every role. Only the set's facilitators get in; learners get the same 404 as
outsiders and staff. Every other actionsets URL is in tests/actionsets/test_privacy_matrix.py."""

import pytest
from django.urls import reverse

# A researcher (issue 17) changes no round, phase or stage: 404 on every one of these, as for learners.
ROLES = ["anonymous", "learner", "facilitator", "researcher", "outsider", "other_facilitator", "staff", "removed_member",
         "former_researcher"]
NAMES = ["process", "process_options", "round_windows", "round_windows_moved", "lifecycle", "lifecycle_state",
         "rules_renegotiation", "rules_adopt", "self_managed"]
GET_PAGES = {"process", "lifecycle"}
# The old id-addressed URL: facilitators are sent on (308) to the round's number; others 404.
MOVED = {"round_windows_moved"}


def _kwargs(name, objects):
    by_name = {
        "process": {}, "process_options": {}, "round_windows": {"number": objects["round"].number},
        "round_windows_moved": {"round_id": objects["round"].pk},
        "lifecycle": {}, "lifecycle_state": {}, "rules_renegotiation": {}, "self_managed": {},
        "rules_adopt": {"version_id": objects["version"].pk},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the privacy matrix: add it to tests/setprocess/test_privacy.py")
    return {"set_slug": objects["set"].slug, **by_name[name]}


@pytest.fixture
def objects(action_set, open_round, airtime, learner):
    from actionsets.models import GroundRulesVersion

    version = GroundRulesVersion.objects.create(action_set=action_set, number=1, text="Rules", text_html="<p>Rules</p>",
                                                proposed_by=learner)
    return {"set": action_set, "round": open_round, "airtime": airtime, "version": version}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_facilitator_process_pages_are_for_the_sets_facilitators_only(request, client, objects, name, role):
    url = reverse(f"actionsets:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url) if name in GET_PAGES else client.post(url, {})
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role == "facilitator" and name in MOVED:
        assert response.status_code == 308, f"{role} got {response.status_code} on {url}"
    elif role == "facilitator":
        assert response.status_code in {200, 302, 400}, f"{role} got {response.status_code} on {url}"
    else:
        assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
        assert b"Getting my team" not in response.content
