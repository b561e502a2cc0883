"""With DEBUG on, a set URL someone may not see answers the project's own 404 page (issue 13, item 14)."""

import pytest
from django.test import override_settings

PROJECT_404 = "We can't find that page"
DJANGO_DEBUG_404 = "You’re seeing this error because you have"


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("who", ["outsider", "staff"])
def test_a_set_url_one_may_not_see_shows_the_project_404_page_with_debug_on_or_off(
    request, client, action_set, open_round, learner, who, debug
):
    from actionsets import services

    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Private", body="Private.")
    client.force_login(request.getfixturevalue(who))
    with override_settings(DEBUG=debug):
        for url in (action_set.get_absolute_url(), airtime.get_absolute_url(), f"/sets/{action_set.slug}/facilitate/",
                    "/sets/no-such-set/"):
            response = client.get(url)
            page = response.content.decode()
            assert response.status_code == 404, url
            assert PROJECT_404 in page and DJANGO_DEBUG_404 not in page and "DEBUG" not in page, url
            assert action_set.name not in page, url
