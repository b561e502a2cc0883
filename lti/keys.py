"""Our own RSA keys: generate, rotate, publish (the JWKS), and the one that signs now."""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.utils import timezone
from jwcrypto.jwk import JWK

from .models import ToolKey

KEEP_RETIRED = 1  # a retired key stays published until the next rotation retires another


def _new_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private_pem, public_pem


def public_jwk(public_pem: str) -> dict:
    jwk = json.loads(JWK.from_pem(public_pem.encode()).export_public())
    return {**jwk, "alg": "RS256", "use": "sig"}


@transaction.atomic
def rotate() -> ToolKey:
    """A new signing key. The one it replaces is retired but still published; older retired keys go."""
    now = timezone.now()
    private_pem, public_pem = _new_pair()
    key = ToolKey.objects.create(kid=public_jwk(public_pem)["kid"], private_key=private_pem,
                                 public_key=public_pem, created_at=now)
    ToolKey.objects.filter(retired_at__isnull=True).exclude(pk=key.pk).update(retired_at=now)
    stale = ToolKey.objects.filter(retired_at__isnull=False).order_by("-retired_at", "-created_at")[KEEP_RETIRED:]
    ToolKey.objects.filter(pk__in=[k.pk for k in stale]).delete()
    return key


def signing_key() -> ToolKey:
    """The key that signs now; the first call on a fresh database makes one."""
    key = ToolKey.objects.filter(retired_at__isnull=True).order_by("-created_at").first()
    return key or rotate()


def jwks() -> dict:
    signing_key()
    return {"keys": [public_jwk(k.public_key) for k in ToolKey.objects.order_by("-created_at")]}
