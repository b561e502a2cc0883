"""Inbound email from a provider (django-anymail): Mailgun and Postmark routes, one handler.

anymail checks each request before anything is read — Mailgun's HMAC signature of the timestamp
and token with MAILGUN_WEBHOOK_SIGNING_KEY, the HTTP basic-auth secret (ANYMAIL_WEBHOOK_SECRET)
for Postmark — and sends its normalised `inbound` signal, which `on_inbound` hands to the same
`receive_email` service as `manage.py receive_email`. A provider whose secret is not configured
has no endpoint (404): an unauthenticated inbound URL would let anyone post as a member.
An exception in the service becomes a 500, so the provider retries the delivery.
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView

from .tokens import domain
from .receive import receive_email


def on_inbound(sender, event, esp_name, **kwargs) -> None:
    """anymail's `inbound` signal: one received message, already authenticated by its view."""
    message = event.message
    receive_email(
        raw=message.as_bytes(), envelope_sender=message.envelope_sender,
        envelope_recipients=[message.envelope_recipient] if message.envelope_recipient else [],
    )


def _anymail_setting(name: str) -> str:
    return (getattr(settings, "ANYMAIL", {}) or {}).get(name) or ""


def _only_when(required: str, view_class):
    """The provider's view, answering only when reply by email is on and its secret is set."""
    view = view_class.as_view()

    @csrf_exempt
    def endpoint(request, *args, **kwargs):
        if not domain() or not _anymail_setting(required):
            raise Http404
        return view(request, *args, **kwargs)

    return endpoint


mailgun = _only_when("MAILGUN_WEBHOOK_SIGNING_KEY", MailgunInboundWebhookView)
postmark = _only_when("WEBHOOK_SECRET", PostmarkInboundWebhookView)
