"""The project's own 404 page with DEBUG on too.

With DEBUG on, Django answers an `Http404` from a view with its technical page (the URL
patterns, the exception text). For a set someone may not see, that is not what a user sees and it
says more than "not found" (docs/architecture.md, section 2: a 404 must not tell a set exists).
So a newcomer running `make run` sees exactly the page users get. A URL that matches no pattern
at all never reaches a view, and keeps Django's developer page listing the patterns.
"""

from django.conf import settings
from django.http import Http404
from django.views.defaults import page_not_found


class ProjectNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None  # DEBUG off: Django's own handler404 already renders templates/404.html
