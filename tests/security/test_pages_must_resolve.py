"""A page of tests/places.py whose URL no longer resolves fails the suites that visit the pages
(accessibility, CSP, HTML validity, caching) instead of being skipped: a renamed URL name must not
quietly take a page out of every check (issue 12, part 8)."""

import pytest
from django.urls import NoReverseMatch

from tests import places
from tests.security import test_csp

pytestmark = [pytest.mark.security, pytest.mark.django_db]

GONE = places.MainPage("gone", places._set_url("no_such_page"), "learner2")


def test_a_page_whose_url_no_longer_resolves_raises():
    with pytest.raises(NoReverseMatch):
        GONE.path(places.build_world())


def test_the_csp_suite_fails_on_a_page_whose_url_no_longer_resolves(client, monkeypatch):
    monkeypatch.setattr(test_csp, "MAIN_PAGES", [*places.MAIN_PAGES, GONE])
    with pytest.raises(NoReverseMatch):
        test_csp.test_every_main_page_has_a_strict_csp_and_markup_that_keeps_to_it(client)
