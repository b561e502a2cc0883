"""Search: `/search/` across my current sets, `/sets/<set>/search/` within one (docs/search.md).
What is found is the selector's decision (actionsets/search/selector.py); the view reads the form."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..forms import SearchForm
from ..search import selector
from .common import set_context


def _results(request: HttpRequest, access=None) -> tuple[SearchForm, selector.Results]:
    form = SearchForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selector.Filters(
        set_slug="" if access else data.get("set") or "", round=data.get("round"), kind=data.get("kind") or "",
        author=data.get("author"), since=data.get("since"), until=data.get("until"),
    )
    results = selector.search(request.user, query=data.get("q") or "", tab=data.get("tab") or selector.POSTS,
                              filters=filters, access=access, page=data.get("page") or 1)
    return form, results


def _page_links(request: HttpRequest, results: selector.Results) -> dict:
    """Query strings for the previous and next pages, keeping the query and filters."""
    links = {}
    for name, number in (("previous", results.page - 1), ("next", results.page + 1)):
        if 1 <= number <= results.pages:
            params = request.GET.copy()
            params["page"] = number
            links[name] = "?" + params.urlencode()
    return links


def _tab_links(request: HttpRequest) -> dict:
    links = {}
    for tab in (selector.POSTS, selector.JOURNAL):
        params = request.GET.copy()
        params["tab"] = tab
        params.pop("page", None)
        params.pop("kind", None)
        links[tab] = "?" + params.urlencode()
    return links


@login_required
@require_GET
def search_all(request: HttpRequest) -> HttpResponse:
    form, results = _results(request)
    return render(request, "actionsets/search.html", {
        "form": form, "results": results, "page_links": _page_links(request, results), "tab_links": _tab_links(request),
    })


@login_required
@require_GET
def search_set(request: HttpRequest, set_slug: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    form, results = _results(request, access)
    return render(request, "actionsets/search.html", set_context(
        access, form=form, results=results, page_links=_page_links(request, results), tab_links=_tab_links(request),
    ))
