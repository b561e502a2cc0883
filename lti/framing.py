"""LTI pages are shown inside the platform's iframe: those pages (and only those) may be framed by
the platform that launched them, and the deep-linking page may post its form back to it."""

from urllib.parse import urlsplit

from django.http import HttpResponse


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def framed_by(response: HttpResponse, platform, *, form_action: str = "") -> HttpResponse:
    """Let the platform's origins frame this response (CSP frame-ancestors; X-Frame-Options dropped)."""
    allowed = [o for o in (origin(url) for url in (platform.frame_origin_list if platform else [])) if o]
    response.xframe_options_exempt = True
    replace = {"frame-ancestors": ["'self'", *allowed]}
    if form_action and origin(form_action):
        replace["form-action"] = ["'self'", origin(form_action)]
    response._csp_replace = replace
    return response
