"""Read one email (RFC 5322) on standard input and post it as a reply, or refuse it politely.

For a mail server's pipe (docs/email-replies.md has a Postfix example):

    manage.py receive_email --sender "${sender}" --recipient "${recipient}" < message.eml

Exit status 0 when the message was posted, refused (the sender is told why) or dropped (an
auto-reply, a bounce, a message seen before); 75 (EX_TEMPFAIL) on an internal failure, so the
mail server keeps the message and delivers it again later.
"""

import logging
import sys

from django.core.management.base import BaseCommand, CommandError

from engagement.inbound import receive_email

from ...management.clock import parse_now

EX_TEMPFAIL = 75
MAX_BYTES = 25 * 1024 * 1024  # the usual largest message a mail server accepts
logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Post one email read on standard input as a reply (reply by email); exit 75 to make the MTA retry."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--sender", help="The envelope sender (Postfix: ${sender}); empty for bounces.")
        parser.add_argument("--recipient", action="append", default=[],
                            help="The envelope recipient (Postfix: ${recipient}); may be repeated.")
        parser.add_argument("--now", metavar="ISO", help="Evaluate as if it were this time (tests, support).")

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read(MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode()
        if not raw.strip() or len(raw) > MAX_BYTES:
            self.stderr.write("receive_email: no message, or larger than 25 MB: dropped.")
            return
        try:
            receipt = receive_email(raw=raw, envelope_sender=options["sender"],
                                    envelope_recipients=options["recipient"], now=parse_now(options["now"]))
        except Exception as error:  # noqa: BLE001 - any failure of ours: the MTA must retry
            logger.exception("receive_email failed; the mail server will retry")
            raise CommandError(f"receive_email failed: {type(error).__name__}", returncode=EX_TEMPFAIL) from error
        self.stdout.write(f"{receipt.outcome}{f' ({receipt.reason})' if receipt.reason else ''}")
