"""The client's IP address, by one rule for every reader: allauth's sign-in throttling and
session list, and django-ratelimit (RATELIMIT_IP_META_KEY points here).

Behind a load balancer REMOTE_ADDR is the balancer, so every person shares one address and one
sign-in budget. The rule is allauth's: with TRUSTED_PROXY_COUNT = n, the n-th entry from the
*right* of X-Forwarded-For is the client (each trusted proxy appends what it saw; anything
further left was written by the client and can be forged). With CLIENT_IP_HEADER set to a header
the proxy writes itself (X-Real-IP, CF-Connecting-IP), that header is read instead. With no
trusted proxy (the default) only REMOTE_ADDR counts. See config/settings.py and docs/security.md.
"""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)
