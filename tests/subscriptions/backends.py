"""A mail backend for tests: locmem, except that chosen addresses fail like a real server."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

# address -> "hard" (550, the mailbox does not exist) or "soft" (451, try again later)
FAILING: dict[str, str] = {}


class FailingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if FAILING.get(address) == "hard":
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"No such user")})
                if FAILING.get(address) == "soft":
                    raise smtplib.SMTPRecipientsRefused({address: (451, b"Try again later")})
        return super().send_messages(messages)


MAILERS = {"default": {"BACKEND": "tests.subscriptions.backends.FailingBackend"}}
