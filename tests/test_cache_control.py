"""`Cache-Control: private, no-store` on every page (issue 11, section 3; docs/security.md).

Set content and email addresses must not be kept by a shared proxy or a browser's disk cache.
Three sweeps: the main pages with real content (tests/places.py), every URL pattern of the
URLconf (walked like tests/test_url_privacy_matrix.py, with sample arguments, signed in and not,
whatever the status), and the signed-out pages that show an email address.
"""

import re

import pytest
from django.urls import get_resolver, reverse

from engagement.unsubscribe import DIGEST, make_token
from tests.places import MAIN_PAGES, build_world
from tests.test_url_privacy_matrix import walk

SAMPLES = {"slug": "design-team", "int": "1", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def assert_private_no_store(response, where):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, f"{where}: Cache-Control is {response.get('Cache-Control')!r}"
    assert "public" not in directives, where


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("page", MAIN_PAGES, ids=lambda p: p.key)
def test_every_main_page_is_private_and_not_stored(client, world, page):
    path = page.path(world)  # a URL that no longer resolves fails here
    if page.as_user:
        client.force_login(world.user(page.as_user))
    response = client.get(path)
    assert response.status_code == 200, path
    assert_private_no_store(response, path)


def sample_path(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)


def all_routes():
    routes, regex = [], 0
    for route, _name in walk(get_resolver().url_patterns):
        if "^" in route or "(?P" in route:  # regex patterns (the admin's): sampled by hand below
            regex += 1
            continue
        routes.append(sample_path(route))
    return routes, regex


def test_every_url_in_the_urlconf_answers_private_no_store_signed_in_or_not(client, world):
    routes, _ = all_routes()
    routes += ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{world.presenter.pk}/change/"]
    assert len(routes) > 80  # the walk reached the set, facilitation, /manage/, /accounts/ and /email/ URLs
    client.raise_request_exception = False  # a sample argument may not fit a view: its error page counts too
    for who in (None, world.presenter, world.facilitator):
        client.logout()
        if who is not None:
            client.force_login(who)
        for path in routes:
            assert_private_no_store(client.get(path), f"GET {path} as {who or 'anonymous'}")


def test_signed_out_pages_that_show_an_email_address_are_not_stored(client, world):
    token = make_token(user_id=world.presenter.pk, scope=DIGEST)
    response = client.get(reverse("engagement:unsubscribe", args=[token]))
    assert response.status_code == 200 and world.presenter.email in response.content.decode()
    assert_private_no_store(response, "unsubscribe confirm")
    response = client.post(reverse("engagement:unsubscribe", args=[token]))
    assert_private_no_store(response, "unsubscribe done")
    assert_private_no_store(client.get(reverse("engagement:unsubscribe", args=["bad"])), "unsubscribe invalid")
