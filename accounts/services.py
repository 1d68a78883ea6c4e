"""Writes about people: roles, avatars, and an account's export and deletion."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from PIL.Image import Image

from charcot import cache as page_cache
from charcot.images import reencode_image

from . import conf, roles

User = get_user_model()


def user_sync_staff(*, user) -> None:
    """Make is_staff follow the roles: the admin is for superusers and role holders only."""
    user.__dict__.pop("role_names", None)
    should_be_staff = user.is_superuser or bool(user.role_names & set(roles.ALL))
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def user_set_roles(*, user, role_names: Iterable[str]) -> None:
    """Give a person exactly these roles (and keep other, non-role groups they have)."""
    role_names = set(role_names)
    unknown = role_names - set(roles.ALL)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    missing = role_names - set(
        Group.objects.filter(name__in=role_names).values_list("name", flat=True)
    )
    if missing:
        roles.sync_role_groups()
    user.groups.remove(*Group.objects.filter(name__in=set(roles.ALL) - role_names))
    user.groups.add(*Group.objects.filter(name__in=role_names))
    user_sync_staff(user=user)
    page_cache.public_pages_changed()  # role badges show on every comment of theirs


@transaction.atomic
def user_change_email(*, user, email: str) -> None:
    """Change a person's email and tell the old address, in case it was not them."""
    old = user.email
    user.email = email
    user.save(update_fields=["email"])
    if old and old.casefold() != email.casefold():
        context = {"user": user, "site_name": settings.SITE_NAME}
        transaction.on_commit(
            lambda: send_mail(
                f"Your {settings.SITE_NAME} email address was changed",
                render_to_string("accounts/email_changed.txt", context),
                None,
                [old],
            )
        )


@transaction.atomic
def profile_update(*, form, avatar: Image | None = None, remove_avatar: bool = False):
    """Save a profile form (and its avatar): what every page shows of this person changes,
    so cached pages go at once (a hostile or personal name must not linger)."""
    user = form.save()
    if avatar is not None:
        avatar_set(user=user, image=avatar)
    elif remove_avatar:
        avatar_set(user=user, image=None)
    page_cache.public_pages_changed()
    return user


def avatar_set(*, user, image: Image | None) -> None:
    """Store small and large square renditions of a verified image (None removes the avatar).

    The previous files are deleted once the change is committed; the upload itself is
    never stored.
    """
    old_files = [f for f in (user.avatar_small, user.avatar_large) if f]
    old_names = [(f.storage, f.name) for f in old_files]
    if image is None:
        user.avatar_small = ""
        user.avatar_large = ""
    else:
        small = reencode_image(image, square=conf.AVATAR_SMALL_SIZE)
        large = reencode_image(image, square=conf.AVATAR_LARGE_SIZE)
        user.avatar_small.save(small.name, small, save=False)
        user.avatar_large.save(large.name, large, save=False)
    user.save(update_fields=["avatar_small", "avatar_large"])
    transaction.on_commit(lambda: stored_files_delete(old_names))
    page_cache.public_pages_changed()


def stored_files_delete(names) -> None:
    """Delete (storage, name) files, e.g. replaced avatars, once nothing refers to them."""
    for storage, name in names:
        storage.delete(name)
