"""Helpers for the moderation tests: roles as groups, comments in given states."""

from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from tests.factories import CommentFactory, UserFactory


def with_role(user: User, role: str) -> User:
    """Put the user in the role's group and return a fresh instance (role names are cached)."""
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return User.objects.get(pk=user.pk)


def make_moderator(**kwargs) -> User:
    return with_role(UserFactory(is_staff=True, **kwargs), roles.MODERATORS)


def make_author(**kwargs) -> User:
    return with_role(UserFactory(is_staff=True, **kwargs), roles.AUTHORS)


def anonymous_comment(**kwargs):
    kwargs.setdefault("ip_hash", "a" * 32)
    return CommentFactory(**kwargs)
