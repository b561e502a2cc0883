"""allauth adapters: sign-up is closed; accounts come from enrolment or the admin.

Single sign-on (docs/sso.md) signs in only people who were enrolled: the institution's
identity provider vouches for an email address, and that address must belong to an active
account here. It never creates an account.
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

from . import services

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        # allauth raises ImproperlyConfigured (a 500) when X-Forwarded-For has fewer entries than
        # TRUSTED_PROXY_COUNT, which anyone reaching the app past the proxy can cause. The
        # address that reached us is then the only one not written by the client.
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT; using REMOTE_ADDR")
            return request.META["REMOTE_ADDR"]


def _trusts_email(sociallogin) -> bool:
    app = getattr(sociallogin.provider, "app", None)
    return bool(app and app.settings.get("trust_email"))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Institutional single sign-on may only sign in people who were enrolled.
        return False

    def authenticate_by_email(self, sociallogin):
        # SAML IdPs rarely send "email_verified"; an institution configured with trust_email
        # owns the addresses it asserts (config/sso.py sets it for SAML apps).
        if _trusts_email(sociallogin):
            for address in sociallogin.email_addresses:
                address.verified = True
        found = super().authenticate_by_email(sociallogin)
        if found and not found[0].is_active:
            return None
        return found

    def pre_social_login(self, request, sociallogin) -> None:
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None or not user.is_active:
            email = next((a.email for a in sociallogin.email_addresses), "")
            raise ImmediateHttpResponse(
                render(request, "account/sso_not_enrolled.html", {"email": email}, status=403)
            )
        if getattr(sociallogin, "_did_authenticate_by_email", None):
            # The identity provider vouched for this address: it counts as verified here too.
            services.mark_email_verified(user=user)
