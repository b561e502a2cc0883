from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers


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


def language_for(request) -> str:
    """The page's language: the signed-in person's preference, else the browser's Accept-Language
    (Django's LocaleMiddleware logic, the language cookie included), else LANGUAGE_CODE."""
    user = getattr(request, "user", None)
    preferred = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if preferred:
        try:
            return translation.get_supported_language_variant(preferred)
        except LookupError:  # a language no longer in LANGUAGES: fall through to the browser's
            pass
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activate the page's language (language_for) for the request; the answer says which, and
    that it varies with Accept-Language. After AuthenticationMiddleware: it reads the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


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
