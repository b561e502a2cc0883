"""A launch in real Chromium: the platform's page starts the login, its authorisation endpoint
posts the signed id_token back, and the launch page's script (static/js/lti.js) follows the one-time
link in the same window, because this launch is not inside a frame."""

import pytest

from accounts.services import mark_email_verified
from lti.models import Platform

from tests.lti.platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, TestPlatform


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_top_level_launch_lands_on_the_set_signed_in(live_server, new_context, settings, facilitator, action_set):
    settings.SITE_URL = live_server.url
    # "localhost" for both: one site (ports do not count), as a platform and tool on one domain would be.
    test_platform = TestPlatform(host="localhost")
    try:
        Platform.objects.create(name="Test platform", issuer=test_platform.issuer, client_id=CLIENT_ID,
                                deployment_ids=[DEPLOYMENT_ID], auth_login_url=test_platform.url + "/auth",
                                auth_token_url=test_platform.url + "/token", key_set_url=test_platform.url + "/jwks")
        mark_email_verified(user=facilitator)
        test_platform.next_launch = {"sub": "fac-1", "email": facilitator.email, "roles": [INSTRUCTOR],
                                     "custom": {"actionsets_target": "set:set-a"}}
        page = new_context().new_page()
        page.goto(f"{live_server.url}/lti/login/?iss={test_platform.issuer}&login_hint=h&client_id={CLIENT_ID}")
        page.wait_for_url(f"{live_server.url}/sets/set-a/**")
        assert "Set A" in page.content()
        assert page.locator("body").inner_text().count("Sign in") == 0
    finally:
        test_platform.close()
