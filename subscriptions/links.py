"""Signed links in subscription mails: confirm, manage and unsubscribe, no account needed.

Confirmation links expire (conf.CONFIRM_MAX_AGE); manage and unsubscribe links do not, or
an old mail could not be stopped. Every token carries a keyed digest of the address it was
made for (never the address: URLs end up in logs), so it stops working once that address is
erased or changed.
"""

import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse

from charcot.absolute import absolute_url

from . import conf

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


def absolute(path: str) -> str:
    return absolute_url(path)


def _sign(data: dict, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign_object(data)


def _read(token: str, salt: str, max_age=None) -> dict | None:
    try:
        data = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def address_digest(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"subscriptions.address:{email}".encode(), hashlib.sha256).hexdigest()[:12]


def names(data: dict | None, email: str) -> bool:
    """The token was made for this address."""
    return bool(data) and hmac.compare_digest(str(data.get("e", "")), address_digest(email))


def confirm_token(subscription) -> str:
    return _sign(
        {"s": subscription.pk, "e": address_digest(subscription.subscriber.email)}, CONFIRM_SALT
    )


def read_confirm_token(token: str) -> dict | None:
    """{"s": subscription id, "e": address digest}, or None when forged or too old."""
    return _read(token, CONFIRM_SALT, max_age=conf.CONFIRM_MAX_AGE)


def manage_token(subscriber) -> str:
    return _sign({"a": subscriber.pk, "e": address_digest(subscriber.email)}, MANAGE_SALT)


def read_manage_token(token: str) -> dict | None:
    return _read(token, MANAGE_SALT)


def unsubscribe_token(subscription) -> str:
    email = subscription.subscriber.email
    return _sign({"s": subscription.pk, "e": address_digest(email)}, UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict | None:
    return _read(token, UNSUBSCRIBE_SALT)


def confirm_url(subscription) -> str:
    token = confirm_token(subscription)
    return absolute(reverse("subscriptions:confirm", kwargs={"token": token}))


def manage_url(subscriber) -> str:
    return absolute(reverse("subscriptions:manage", kwargs={"token": manage_token(subscriber)}))


def unsubscribe_url(subscription) -> str:
    token = unsubscribe_token(subscription)
    return absolute(reverse("subscriptions:unsubscribe", kwargs={"token": token}))
