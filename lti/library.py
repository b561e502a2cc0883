"""pylti1p3 wired to our models: the platform registrations, our keys, and the launch state.

Everything that checks a platform's message — the id_token's signature against the platform's
JWKS, issuer, audience (our client id), deployment, nonce, exp/iat, the message type — is the
library's. What is ours: where registrations and keys live, the state kept in the cache (so a
launch inside an iframe does not depend on the session cookie), nonces single-use, and a fresh
fetch of the platform's JWKS when a token names a key we have not seen (key rotation).
"""

import logging

from django.core.cache import cache
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.session import DjangoSessionService
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from . import keys
from .models import Platform
from .selectors import platform_for

log = logging.getLogger(__name__)

JWKS_CACHE_SECONDS = 60 * 60
NONCE_SECONDS = 24 * 60 * 60
STATE_COOKIE_SECONDS = 5 * 60


def registration_for(platform: Platform) -> Registration:
    key = keys.signing_key()
    return (Registration().set_issuer(platform.issuer).set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
            .set_auth_audience(platform.auth_audience or None).set_key_set_url(platform.key_set_url)
            .set_key_set(None).set_tool_private_key(key.private_key).set_tool_public_key(key.public_key))


class ToolConf(ToolConfAbstract):
    """Registrations from the Platform table: one issuer may have several client ids."""

    def __init__(self):
        super().__init__()
        self.platform: Platform | None = None

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def _platform(self, iss: str, client_id: str | None) -> Platform:
        platform = platform_for(iss, client_id or "")
        if platform is None:
            raise LtiException(f"Unknown platform: iss {iss!r}, client_id {client_id!r}")
        self.platform = platform
        return platform

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return registration_for(self._platform(iss, None))

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        return registration_for(self._platform(iss, client_id))

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = self._platform(iss, client_id)
        if deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)

    def get_jwks(self, iss=None, client_id=None, **kwargs):
        return keys.jwks()


class SessionService(DjangoSessionService):
    def check_nonce(self, nonce: str) -> bool:
        """Issued by our login step, and not used before: a replayed id_token is refused."""
        if not super().check_nonce(nonce):
            return False
        return cache.add(f"lti-nonce-used:{nonce}", 1, timeout=NONCE_SECONDS)


def storage() -> DjangoCacheDataStorage:
    return DjangoCacheDataStorage(cache_name="default")


class OIDCLogin(DjangoOIDCLogin):
    def __init__(self, request, tool_conf):
        super().__init__(request, tool_conf, session_service=SessionService(request),
                         launch_data_storage=storage())


class MessageLaunch(DjangoMessageLaunch):
    def __init__(self, request, tool_conf):
        super().__init__(request, tool_conf, session_service=SessionService(request),
                         launch_data_storage=storage())

    def fetch_public_key(self, key_set_url):
        cached = cache.get(self._jwks_cache_key(key_set_url))
        if cached:
            return cached
        key_set = super().fetch_public_key(key_set_url)
        cache.set(self._jwks_cache_key(key_set_url), key_set, JWKS_CACHE_SECONDS)
        return key_set

    def get_public_key(self):
        try:
            return super().get_public_key()
        except LtiException:
            # The platform may have rotated its keys since we cached its JWKS: fetch it once more.
            url = self._registration.get_key_set_url()
            if not url or not cache.get(self._jwks_cache_key(url)):
                raise
            cache.delete(self._jwks_cache_key(url))
            self._registration.set_key_set(None)
            return super().get_public_key()

    @staticmethod
    def _jwks_cache_key(url: str) -> str:
        return "lti-jwks:" + url
