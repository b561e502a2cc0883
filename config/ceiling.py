"""The benchmark's ceiling: the cheapest response this stack can give (bench/run.py).

It passes through the whole middleware stack like every page, but touches no database and no
template, so its requests/s is what gunicorn + Django can do on this machine at best. Pages are
budgeted as a share of it. Routed only when `settings.BENCH_CEILING` is on.
"""

from django.http import HttpRequest, HttpResponse


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain")
