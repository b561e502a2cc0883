"""A URLconf-wide guard on the privacy matrices (docs/architecture.md, section 2).

Each privacy-matrix module parametrises its tests over one URL module's patterns, so a set URL
added in a *new* URL module (or an include nested inside one) would escape every matrix. This walks
the whole URLconf: every URL whose route holds `<slug:set_slug>`, and every URL under /manage/,
must be one a matrix runs — named in the values of one of its tests' `name` parametrisations, and
given arguments by its `_kwargs` — or this fails naming it.
"""

from types import SimpleNamespace

import pytest
from _pytest.outcomes import Failed
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from tests.actionsets import test_privacy_matrix as set_matrix
from tests.engagement import test_privacy_matrix as engagement_matrix
from tests.enrolment import test_manage_privacy as manage_matrix
from tests.facilitation import test_privacy_matrix as facilitation_matrix
from tests.lti import test_privacy as lti_matrix
from tests.research import test_privacy_matrix as research_matrix
from tests.setprocess import test_privacy as setprocess_matrix

# URL namespace (one per app) → the matrix modules that cover it; a URL must be in one of them.
MATRICES = {
    "actionsets": [set_matrix, setprocess_matrix],
    "facilitation": [facilitation_matrix],
    "enrolment": [manage_matrix],
    "engagement": [engagement_matrix],
    "lti": [lti_matrix],
    "research": [research_matrix],
}
# The staff area's namespaces: /manage/ is enrolment's, and the LTI registrations live under /manage/lti/.
MANAGE_NAMESPACES = ("enrolment:", "lti:")
SET_SLUG = "<slug:set_slug>"


def walk(patterns, prefix="", namespace=None):
    """(full route, namespaced name or None) for every URL pattern, through every include."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name)


def matrix_names(module) -> set[str]:
    """The URL names a matrix module's tests run over: every `name` parametrisation's values."""
    names = set()
    for value in vars(module).values():
        for mark in getattr(value, "pytestmark", []):
            if mark.name == "parametrize" and mark.args and mark.args[0] == "name":
                names.update(mark.args[1])
    return names


class _Any(SimpleNamespace):
    """Stands in for any fixture object the matrix's `_kwargs` reads (`.pk`, `.slug`, `.presenter_id`, `.number`,
    `.token`)."""

    def __init__(self):
        super().__init__(pk=1, slug="some-set", presenter_id=1, number=1, token="a-file-token-of-24-chars")


class _Objects(dict):
    def __missing__(self, key):
        return _Any()


def uncovered(urls) -> list[str]:
    """Each (route, name) a matrix does not run, with why."""
    problems = []
    for route, name in urls:
        if not name:
            problems.append(f"/{route} has no name, so no privacy matrix can list it")
            continue
        namespace, _, short = name.rpartition(":")
        modules = MATRICES.get(namespace)
        if modules is None:
            problems.append(f"{name} (/{route}) is in namespace {namespace or '(none)'!r}, which no privacy "
                            f"matrix covers: add a matrix (and map it in {__name__}.MATRICES)")
            continue
        module = next((m for m in modules if short in matrix_names(m)), None)
        if module is None:
            wheres = " or ".join(m.__name__.replace(".", "/") + ".py" for m in modules)
            problems.append(f"{name} (/{route}) is not among the URLs {wheres} runs its role matrix over")
            continue
        where = module.__name__.replace(".", "/") + ".py"
        try:
            kwargs = module._kwargs(short, _Objects())
        except Failed:
            problems.append(f"{name} (/{route}) has no arguments in {where}'s _kwargs")
            continue
        try:
            reverse(name, kwargs=kwargs)
        except Exception as error:  # noqa: BLE001 — any failure to build the URL is the finding
            problems.append(f"{name} (/{route}): {where}'s _kwargs do not build it ({error})")
    return problems


def all_urls():
    return list(walk(get_resolver().url_patterns))


def test_every_url_of_a_set_is_in_a_privacy_matrix():
    set_urls = [(route, name) for route, name in all_urls() if SET_SLUG in route]
    assert len(set_urls) > 40  # the walk reached the set, facilitation, process and /manage/ URLs
    assert {name.partition(":")[0] for _, name in set_urls} == {"actionsets", "facilitation", "enrolment", "engagement",
                                                               "research"}
    problems = uncovered(set_urls)
    assert problems == [], "Set URLs outside every privacy matrix:\n" + "\n".join(problems)


def test_every_manage_url_is_in_the_enrolment_or_lti_matrix():
    manage_urls = [(route, name) for route, name in all_urls() if route.startswith("manage/")]
    assert manage_urls
    outside = [f"{name} (/{route})" for route, name in manage_urls if not (name or "").startswith(MANAGE_NAMESPACES)]
    assert outside == [], "URLs under /manage/ outside the manage namespace (and its matrix):\n" + "\n".join(outside)
    problems = uncovered(manage_urls)
    assert problems == [], "/manage/ URLs outside their privacy matrix:\n" + "\n".join(problems)


def _view(request, **kwargs):
    raise AssertionError("never called")


@pytest.mark.parametrize("extra, expected", [
    (path("sets/<slug:set_slug>/secret-stats/", _view, name="secret_stats"), "secret_stats"),
    (path("sets/<slug:set_slug>/unnamed/", _view), "/sets/<slug:set_slug>/unnamed/ has no name"),
])
def test_a_new_set_url_outside_every_matrix_fails_naming_it(extra, expected):
    urls = list(walk([*get_resolver().url_patterns, extra]))
    problems = uncovered([(route, name) for route, name in urls if SET_SLUG in route])
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_set_url_a_matrix_does_not_run_fails_naming_it(monkeypatch):
    """Known namespace, but the matrix's tests do not run over it (nor give it arguments)."""
    resolver = get_resolver()
    extra = path("<slug:set_slug>/extra/", _view, name="extra_page")
    actionsets_include = next(p for p in resolver.url_patterns
                              if isinstance(p, URLResolver) and p.namespace == "actionsets")
    monkeypatch.setattr(actionsets_include, "url_patterns", [*actionsets_include.url_patterns, extra])
    problems = uncovered([(route, name) for route, name in walk(resolver.url_patterns) if SET_SLUG in route])
    assert len(problems) == 1 and "actionsets:extra_page" in problems[0], problems


def test_every_lti_url_is_in_the_lti_matrix():
    """The endpoints a platform calls (/lti/) hold no set slug, but are public: they get a matrix too."""
    lti_urls = [(route, name) for route, name in all_urls() if (name or "").startswith("lti:")]
    assert any(route.startswith("lti/") for route, _ in lti_urls)
    problems = uncovered(lti_urls)
    assert problems == [], "LTI URLs outside tests/lti/test_privacy.py:\n" + "\n".join(problems)
