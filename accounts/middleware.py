from django.utils import timezone
from django.utils.cache import patch_cache_control


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page Django renders (DESIGN.md section 11).

    Set pages show confidential content, account pages and the unsubscribe, invitation and
    email-confirmation pages show an email address — some of them to visitors who are not signed
    in — and a shared proxy or a browser's disk cache must keep none of it. Listing those pages
    would miss the next one, so the rule is the other way round: nothing dynamic is cached.
    Static files are served by WhiteNoise before this runs and keep their long cache lifetimes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
