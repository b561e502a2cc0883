"""The LTI endpoints the platform calls, and the pages a launch shows inside its frame.

/lti/login/ (OIDC third-party-initiated login) → the platform → /lti/launch/ (the signed id_token,
checked by pylti1p3) → a page in the frame with a one-time link that signs the person in and
opens their set (in a new window when the frame cannot keep our cookies). A deep-linking launch
goes to the picker instead, which answers the platform with a signed deep-linking response.
"""

import logging
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException

from . import entry, library, registration, roles, selectors, services
from .framing import framed_by
from .models import Course, Platform

log = logging.getLogger(__name__)

LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id")
PICKER_SECONDS = 60 * 60
DEEP_LINKING = "LtiDeepLinkingRequest"
TARGET = "actionsets_target"


def launch_url() -> str:
    return settings.SITE_URL + reverse("lti:launch")


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """Our public keys, at a fixed URL the platforms are given."""
    return JsonResponse(library.keys.jwks())


def _problem(request, platform, title: str, message: str, status: int = 400, **context) -> HttpResponse:
    response = render(request, "lti/problem.html", {"title": title, "message": message, **context}, status=status)
    return framed_by(response, platform)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """OIDC login initiation: remember a state (cookie, SameSite=None; Secure) and send the browser
    to the platform's authorisation endpoint."""
    conf = library.ToolConf()
    try:
        oidc_redirect = library.OIDCLogin(request, conf).get_redirect_object(launch_url())
    except (LtiException, OIDCException) as error:
        log.info("LTI login refused: %s", error)
        return _problem(request, conf.platform, gettext("This course link could not start"),
                        gettext("The learning platform sent a sign-in request we do not recognise. Ask the platform's "
                                "administrator to check the ActionSets registration."))
    state = parse_qs(urlsplit(oidc_redirect.get_redirect_url()).query).get("state", [""])[0]
    params = {name: request.GET.get(name) or request.POST.get(name) for name in LOGIN_PARAMS}
    cache.set(f"lti-login:{state}", {k: v for k, v in params.items() if v}, library.STATE_COOKIE_SECONDS * 2)
    return oidc_redirect.do_redirect()


def _new_window(request) -> tuple[str | None, Platform | None]:
    """The login initiation again, for a new window, when the frame lost our state cookie; and the
    platform that started it (whose frame may show this answer)."""
    state = request.POST.get("state", "")
    params = cache.get(f"lti-login:{state}") if state else None
    if not params:
        return None, None
    url = settings.SITE_URL + reverse("lti:login") + "?" + urlencode({**params, "lti1p3_new_window": "1"})
    return url, selectors.platform_for(params.get("iss", ""), params.get("client_id", ""))


@csrf_exempt
@never_cache
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    conf = library.ToolConf()
    try:
        message = library.MessageLaunch(request, conf)
        claims = message.get_launch_data()
    except LtiException as error:
        log.info("LTI launch refused: %s", error)
        text = str(error)
        new_window, platform = _new_window(request)
        if new_window and ("cookie" in text or "State not found" in text):
            return _problem(request, conf.platform or platform, gettext("Open ActionSets in a new window"),
                            gettext("Your browser keeps cookies from pages inside the course page, so ActionSets "
                                    "cannot sign you in here."), status=200, new_window=new_window)
        return _problem(request, conf.platform, gettext("This course link could not be opened"),
                        gettext("The learning platform's message could not be checked (it may have expired or been "
                                "used already). Go back to the course page and open the link again."))
    platform = conf.platform
    course = services.record_course(platform=platform, claims=claims)
    try:
        user = services.account_for_launch(platform=platform, claims=claims)
    except services.NoAccount as missing:
        return _problem(request, platform, gettext("No ActionSets account for you yet"), "", status=403,
                        reason=missing.reason, email=claims.get("email", ""))
    if claims.get(services.CLAIM + "message_type") == DEEP_LINKING:
        return _start_picker(request, message, platform, course, user, claims)
    next_path = selectors.landing_path(user, claims.get(services.CLAIM + "custom", {}).get(TARGET, ""))
    token = entry.make_token(user_id=user.pk, next_path=next_path)
    return framed_by(render(request, "lti/launched.html", {
        "user_name": user.name, "enter_url": reverse("lti:enter", kwargs={"token": token}),
    }), platform)


@never_cache
@require_GET
def enter(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link from a launch: sign in and go to the page the link points at."""
    data = entry.use_token(token)
    user = selectors.active_user(data["u"]) if data else None
    if user is None:
        return render(request, "lti/problem.html", {
            "title": gettext("This link has expired"),
            "message": gettext("Links from a course page work once, for two minutes. Go back to the course page and "
                               "open ActionSets again.")}, status=410)
    if request.user.is_authenticated and request.user.pk != user.pk:
        request.session.flush()
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(data["n"])


# --- Deep linking -----------------------------------------------------------------------------

def _start_picker(request, message, platform, course, user, claims) -> HttpResponse:
    launch_roles = claims.get(services.CLAIM + "roles")
    if roles.course_role(launch_roles) != roles.FACILITATOR and not roles.is_administrator(launch_roles):
        return _problem(request, platform, gettext("Only instructors add ActionSets to a course"),
                        gettext("Ask the course's instructor to add the link."), status=403)
    picker_id = uuid.uuid4().hex
    cache.set(f"lti-picker:{picker_id}", {
        "platform": platform.pk, "user": user.pk, "course": course.pk if course else None,
        "deployment_id": claims[services.CLAIM + "deployment_id"],
        "settings": claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"],
    }, PICKER_SECONDS)
    return redirect("lti:deep_link", picker_id=picker_id)


def _picker_or_404(picker_id: str):
    data = cache.get(f"lti-picker:{picker_id}")
    if not data:
        raise Http404
    platform = Platform.objects.filter(pk=data["platform"], active=True).first()
    user = selectors.active_user(data["user"])
    if platform is None or user is None:
        raise Http404
    return data, platform, user


@csrf_exempt  # the frame may not send our CSRF cookie; the unguessable, single-use picker id stands for it
@never_cache
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest, picker_id: str) -> HttpResponse:
    """The instructor picks what the course links to: a cohort's home, or one set."""
    data, platform, user = _picker_or_404(picker_id)
    choices = selectors.link_choices(user)
    if request.method == "POST":
        choice = choices.get(request.POST.get("target", ""))
        if choice is not None and cache.delete(f"lti-picker:{picker_id}"):
            return _deep_link_response(request, data, platform, choice)
    return framed_by(render(request, "lti/deep_link.html", {
        "choices": choices, "error": request.method == "POST", "picker_id": picker_id,
    }), platform)


def _deep_link_response(request, data, platform, choice) -> HttpResponse:
    from pylti1p3.deep_link import DeepLink

    course = Course.objects.filter(pk=data["course"]).first() if data["course"] else None
    if course is not None:
        services.link_course(course=course, cohort=choice.cohort, action_set=choice.action_set)
    resource = (DeepLinkResource().set_url(launch_url()).set_title(choice.title)
                .set_custom_params({TARGET: choice.key}))
    deep_link = DeepLink(library.registration_for(platform), data["deployment_id"], data["settings"])
    return_url = data["settings"]["deep_link_return_url"]
    response = render(request, "lti/deep_link_return.html", {
        "return_url": return_url, "jwt": deep_link.get_response_jwt([resource]), "choice": choice,
    })
    return framed_by(response, platform, form_action=return_url)


# --- Dynamic registration -----------------------------------------------------------------------

@never_cache
@require_GET
def register(request: HttpRequest, key: str) -> HttpResponse:
    """The platform opens our one-time registration URL with its configuration's address."""
    link = registration.usable_link(key)
    if link is None:
        raise Http404
    config_url = request.GET.get("openid_configuration", "")
    if not config_url:
        return _problem(request, None, gettext("Paste this address into your learning platform"),
                        gettext("This is a registration address for LTI Dynamic Registration: the platform opens it "
                                "itself. Paste it into the platform's “register a tool” page."), status=400)
    try:
        platform = registration.register(link=link, openid_configuration=config_url,
                                         registration_token=request.GET.get("registration_token", ""))
    except registration.RegistrationError as error:
        log.info("LTI dynamic registration failed: %s", error)
        return _problem(request, None, gettext("Registration did not complete"), str(error), status=400)
    response = render(request, "lti/registered.html", {"platform": platform})
    return framed_by(response, platform)
