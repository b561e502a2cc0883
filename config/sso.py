"""Institutional single sign-on, configured from environment variables (see docs/sso.md).

Pure functions over the environment: settings.py imports this before Django is set up.
Every provider built here trusts the institution's identity provider to vouch for email
addresses ("email_authentication"): SSO signs in only people already enrolled with that email.
"""

import json

OIDC_DEFAULT_NAME = "Sign in with your institution"


def _json_list(env, name: str) -> list[dict]:
    raw = env.str(name, default="").strip()
    if not raw:
        return []
    value = json.loads(raw)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} must be a JSON object or a list of objects.")
    return value


def _oidc_app(item: dict) -> dict:
    settings = {"server_url": item["server_url"], "email_authentication": True, **item.get("settings", {})}
    return {
        "provider_id": item.get("provider_id", "institution"),
        "name": item.get("name", OIDC_DEFAULT_NAME),
        "client_id": item["client_id"],
        "secret": item.get("secret", ""),
        "settings": settings,
    }


def oidc_apps(env) -> list[dict]:
    items = _json_list(env, "OIDC_PROVIDERS")
    if env.str("OIDC_SERVER_URL", default=""):
        items.append({
            "provider_id": env.str("OIDC_PROVIDER_ID", default="institution"),
            "name": env.str("OIDC_NAME", default=OIDC_DEFAULT_NAME),
            "server_url": env.str("OIDC_SERVER_URL"),
            "client_id": env.str("OIDC_CLIENT_ID"),
            "secret": env.str("OIDC_CLIENT_SECRET", default=""),
        })
    return [_oidc_app(item) for item in items]


def _saml_app(item: dict) -> dict:
    settings = {key: value for key, value in item.items() if key not in {"client_id", "name"}}
    # Institutional IdPs rarely send an "email_verified" attribute: the institution owns the
    # address, so its word is trusted (accounts.adapters reads "trust_email").
    settings.setdefault("trust_email", True)
    settings.setdefault("email_authentication", True)
    return {"provider_id": item["client_id"], "client_id": item["client_id"],
            "name": item.get("name", "Sign in with your institution (SAML)"), "settings": settings}


def saml_apps(env) -> list[dict]:
    items = _json_list(env, "SAML_PROVIDERS")
    if env.str("SAML_ORGANIZATION_SLUG", default=""):
        idp = {"entity_id": env.str("SAML_IDP_ENTITY_ID")}
        if env.str("SAML_IDP_METADATA_URL", default=""):
            idp["metadata_url"] = env.str("SAML_IDP_METADATA_URL")
        else:
            idp.update(sso_url=env.str("SAML_IDP_SSO_URL"), x509cert=env.str("SAML_IDP_X509CERT"))
        item = {"client_id": env.str("SAML_ORGANIZATION_SLUG"), "name": env.str("SAML_NAME", default="Institution"),
                "idp": idp}
        if env.str("SAML_SP_ENTITY_ID", default=""):
            item["sp"] = {"entity_id": env.str("SAML_SP_ENTITY_ID")}
        items.append(item)
    return [_saml_app(item) for item in items]


def socialaccount_providers(env) -> dict:
    providers: dict = {}
    if apps := oidc_apps(env):
        providers["openid_connect"] = {"APPS": apps}
    if apps := saml_apps(env):
        providers["saml"] = {"APPS": apps}
    return providers
