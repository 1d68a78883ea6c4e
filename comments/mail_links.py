"""Signed tokens and absolute URLs for the links in discussion mail.

No account or sign-in is needed to confirm an address or to unsubscribe: the token says who
and what. Absolute URLs come from `charcot.absolute`, the site's one rule for them.
"""

from django.core import signing
from django.urls import reverse

from charcot.absolute import absolute_url

TOKEN_SALT = "comments.mail"  # noqa: S105 (a signing namespace, not a password)
CONFIRM_MAX_AGE = 7 * 24 * 3600


def confirm_token(comment) -> str:
    return signing.dumps(
        {"k": "confirm", "c": comment.pk, "e": comment.author_email}, salt=TOKEN_SALT
    )


def unsubscribe_replies_token(comment) -> str:
    return signing.dumps({"k": "replies", "c": comment.pk}, salt=TOKEN_SALT)


def unsubscribe_author_token(user) -> str:
    return signing.dumps({"k": "author", "u": user.pk, "e": user.email}, salt=TOKEN_SALT)


def unsubscribe_address_token(email: str) -> str:
    return signing.dumps({"k": "address", "e": email}, salt=TOKEN_SALT)


def read_token(token: str, *, max_age: int | None = None) -> dict | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def confirm_url(comment) -> str:
    return absolute_url(reverse("comments:confirm", kwargs={"token": confirm_token(comment)}))


def unsubscribe_url(token: str) -> str:
    return absolute_url(reverse("comments:unsubscribe", kwargs={"token": token}))
