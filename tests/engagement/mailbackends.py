"""Stand-ins for a mail server that misbehaves. They replace Django's mail backend (not our code),
so the outbox is exercised exactly as it runs against a real SMTP server."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Fails the next `failures` sends with a dropped connection, then behaves."""

    failures = 0
    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()

    def send_messages(self, messages):
        if type(self).failures > 0:
            type(self).failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    """Refuses one address permanently (550), accepts the rest."""

    refused = "gone@example.edu"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)
