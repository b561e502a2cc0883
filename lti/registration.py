"""LTI Dynamic Registration (IMS LTI Dynamic Registration 1.0): an administrator pastes our one-time
registration URL into the platform; the platform opens it with its OpenID configuration URL and a
registration token; we read the configuration, register ourselves at its registration endpoint,
and keep the client id and deployment id it gives us as a Platform."""

from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from .models import Platform, RegistrationLink

LINK_DAYS = 7
TIMEOUT = 10
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"


class RegistrationError(Exception):
    pass


def usable_link(key: str) -> RegistrationLink | None:
    return RegistrationLink.objects.filter(key=key, used_at__isnull=True,
                                           created_at__gte=timezone.now() - timedelta(days=LINK_DAYS)).first()


@transaction.atomic
def create_link(*, actor) -> RegistrationLink:
    return RegistrationLink.objects.create(created_by=actor)


def link_url(link: RegistrationLink) -> str:
    return settings.SITE_URL + reverse("lti:register", kwargs={"key": link.key})


def tool_configuration() -> dict:
    site = settings.SITE_URL
    launch = site + reverse("lti:launch")
    return {
        "application_type": "web", "response_types": ["id_token"], "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": site + reverse("lti:login"), "redirect_uris": [launch], "client_name": "ActionSets",
        "jwks_uri": site + reverse("lti:jwks"), "token_endpoint_auth_method": "private_key_jwt", "scope": NRPS_SCOPE,
        TOOL_CONFIGURATION: {
            "domain": urlsplit(site).netloc, "target_link_uri": launch, "description": "Online action-learning sets",
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": launch, "label": "ActionSets"}],
        },
    }


def _get_json(session, url: str, **kwargs) -> dict:
    try:
        response = session.request(kwargs.pop("method", "GET"), url, timeout=TIMEOUT, **kwargs)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise RegistrationError(gettext("%(url)s did not answer as expected (%(error)s).")
                                % {"url": url, "error": error}) from error


def register(*, link: RegistrationLink, openid_configuration: str, registration_token: str = "",
             session: requests.Session | None = None) -> Platform:
    """Read the platform's configuration, register with it, keep the registration. The link is used once."""
    session = session or requests.Session()
    config = _get_json(session, openid_configuration)
    issuer = str(config.get("issuer", ""))
    # The configuration must come from the issuer it names (the spec's check), over HTTPS outside tests.
    if not issuer or not openid_configuration.startswith(issuer.rstrip("/") + "/"):
        raise RegistrationError(gettext("The platform's configuration does not come from the issuer it names."))
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")
    missing = [name for name in needed if not config.get(name)]
    if missing:
        raise RegistrationError(gettext("The platform's configuration lacks %(missing)s.") % {"missing": ", ".join(missing)})
    headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    answer = _get_json(session, config["registration_endpoint"], method="POST", json=tool_configuration(),
                       headers=headers)
    client_id = str(answer.get("client_id", ""))
    if not client_id:
        raise RegistrationError(gettext("The platform did not give us a client id."))
    deployment = str((answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id", ""))
    product = (config.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code", "")
    with transaction.atomic():
        link = RegistrationLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise RegistrationError(gettext("This registration link has been used already."))
        platform, _ = Platform.objects.update_or_create(
            issuer=issuer, client_id=client_id,
            defaults={"name": f"{product or 'Platform'} ({urlsplit(issuer).netloc})"[:120],
                      "auth_login_url": config["authorization_endpoint"], "auth_token_url": config["token_endpoint"],
                      "key_set_url": config["jwks_uri"], "deployment_ids": [deployment] if deployment else []},
        )
        link.used_at, link.platform = timezone.now(), platform
        link.save(update_fields=["used_at", "platform"])
    return platform
