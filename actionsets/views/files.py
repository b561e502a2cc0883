"""A set's files: the permission-checked download (the only way any file is served) and the
editor's upload (docs/files.md)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from .. import files, permissions, services
from ..ratelimits import MESSAGES, over_limit
from .gate import rules_first

# The file is a document of its own: no scripts, no plugins, no forms, nothing from elsewhere. An
# HTML file slipped past the checks would still run nothing; an image is shown as an image.
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def file_headers(response: HttpResponse, attachment) -> HttpResponse:
    response["Content-Type"] = attachment.content_type + ("; charset=utf-8" if attachment.content_type == files.TEXT_TYPE
                                                          else "")
    response["Content-Disposition"] = content_disposition_header(not attachment.inline, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def file(request: HttpRequest, set_slug: str, token: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    if (gate := rules_first(request, access)) is not None:
        return gate
    attachment = permissions.get_attachment_or_404(access, token, now=timezone.now())
    header = settings.FILES_SERVE_HEADER
    if header == "X-Accel-Redirect":  # nginx serves the bytes from an `internal` location
        response = HttpResponse()
        response["X-Accel-Redirect"] = settings.FILES_ACCEL_PREFIX.rstrip("/") + "/" + attachment.key
    elif header == "X-Sendfile":  # Apache mod_xsendfile: the file's path on disk
        response = HttpResponse()
        response["X-Sendfile"] = files.storage().path(attachment.key)
    else:
        response = FileResponse(files.storage().open(attachment.key, "rb"))
    return file_headers(response, attachment)


@login_required
@require_POST
def upload(request: HttpRequest, set_slug: str) -> JsonResponse:
    """The markdownx editor's upload (a file dropped or pasted into the text): stored for the
    uploader alone until a post that shows it is saved. Answers markdownx's JSON: `image_code`,
    the markdown to insert, or `error` with why the file was refused."""
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    if not permissions.can_post(access):
        return JsonResponse({"error": gettext("You can't add files in this set now.")}, status=403)
    if over_limit(request, "post"):
        return JsonResponse({"error": MESSAGES["post"]}, status=429)
    upload_file = request.FILES.get("image")
    if upload_file is None:
        return JsonResponse({"error": gettext("Choose a file to upload.")}, status=400)
    try:
        attachment = services.upload_pending(uploader=request.user, action_set=access.action_set, upload=upload_file)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    url = attachment.url_for(set_slug)
    label = attachment.name.replace("[", "(").replace("]", ")")
    code = f"![{label}]({url})" if attachment.is_image else f"[{label}]({url})"
    return JsonResponse({"image_code": code, "url": url, "name": attachment.name})
