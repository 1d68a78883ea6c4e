"""Writes about external identities: proven ORCID iDs, disconnecting, drafts, export."""

import hashlib
import secrets
from datetime import timedelta

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.validators import normalize_orcid, validate_orcid
from charcot import cache as page_cache

from . import conf, providers
from .models import CommentDraft

User = get_user_model()
DRAFT_SESSION_KEY = "identities:draft"


class DisconnectRefused(Exception):
    """Removing this identity would leave the member with no way to sign in."""


def proven_orcid(*, provider_id: str, uid: str) -> str:
    """The ORCID iD a sign-in with this provider proved, or "" when it proves none."""
    if not providers.proves_orcid(provider_id):
        return ""
    orcid = normalize_orcid(uid)
    try:
        validate_orcid(orcid)
    except ValidationError:
        return ""
    return orcid


def identity_confirmed(*, user, provider_id: str, uid: str) -> None:
    """Record what a successful sign-in proved about a member (today: their ORCID iD)."""
    orcid = proven_orcid(provider_id=provider_id, uid=uid)
    if orcid and user.pk and user.verified_orcid != orcid:
        user.verified_orcid = orcid
        user.save(update_fields=["verified_orcid"])  # post_save: their comments re-render
        page_cache.public_pages_changed()  # the mark shows beside every comment of theirs


@transaction.atomic
def identity_disconnect(*, user, account: SocialAccount) -> None:
    """Unlink an external identity; its proven ORCID iD goes with it."""
    others = SocialAccount.objects.filter(user=user).exclude(pk=account.pk)
    if not others.exists() and not user.has_usable_password():
        raise DisconnectRefused(
            f"{providers.name_of(account.provider)} is your only way to sign in. Set a password "
            "first (“Forgotten your password?” on the sign-in page emails you a link), then "
            "disconnect it."
        )
    orcid = proven_orcid(provider_id=account.provider, uid=account.uid)
    account.delete()
    still_proven = any(
        proven_orcid(provider_id=other.provider, uid=other.uid) == orcid for other in others
    )
    if orcid and user.verified_orcid == orcid and not still_proven:
        user.verified_orcid = ""
        user.save(update_fields=["verified_orcid"])
        page_cache.public_pages_changed()  # no "verified" mark may outlive the proof


def identities_export(*, user) -> list[dict]:
    """A member's linked identities for their data export (no tokens: none are stored)."""
    return [
        {
            "provider": providers.name_of(account.provider),
            "uid": account.uid,
            "connected_at": account.date_joined.isoformat(),
            "last_sign_in": account.last_login.isoformat() if account.last_login else None,
            "profile": account.extra_data,
        }
        for account in SocialAccount.objects.filter(user=user).order_by("date_joined", "pk")
    ]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def draft_create(
    *, session, body: str, parent_id: int | None, started: str, return_path: str
) -> str:
    """Keep a typed comment for one return trip; returns the one-time token."""
    token = secrets.token_urlsafe(24)
    expired = timezone.now() - timedelta(seconds=conf.DRAFT_MAX_AGE_SECONDS)
    CommentDraft.objects.filter(created_at__lt=expired).delete()
    CommentDraft.objects.create(
        token_hash=_hash(token),
        body=body[: conf.DRAFT_MAX_CHARS],
        parent_id=parent_id,
        started=started[:200],
        return_path=return_path,
    )
    session[DRAFT_SESSION_KEY] = token
    return token


def draft_take(*, session, token: str, path: str) -> CommentDraft | None:
    """The draft for this token, once: only in the browser that wrote it, on its own page,
    before it expires. Anything else (forged, replayed, late, elsewhere) finds nothing."""
    if not token or session.get(DRAFT_SESSION_KEY) != token:
        return None
    session.pop(DRAFT_SESSION_KEY, None)
    fresh_since = timezone.now() - timedelta(seconds=conf.DRAFT_MAX_AGE_SECONDS)
    with transaction.atomic():
        draft = (
            CommentDraft.objects.select_for_update()
            .filter(token_hash=_hash(token), created_at__gte=fresh_since)
            .first()
        )
        if draft is None:
            return None
        draft.delete()
    return draft if draft.return_path == path else None
