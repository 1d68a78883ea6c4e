import pytest

from tests.factories import PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", display_name="Anna Reader")


def _role(name):
    """A role group (created with its permissions if a flushed database lost it)."""
    from django.contrib.auth.models import Group

    from accounts.roles import sync_role_groups

    if not Group.objects.filter(name=name).exists():
        sync_role_groups()
    return Group.objects.get(name=name)


@pytest.fixture
def author(db):
    return UserFactory(
        username="author", display_name="Prof G", is_staff=True, groups=[_role("Authors")]
    )


@pytest.fixture
def moderator(db):
    return UserFactory(
        username="moderator",
        display_name="Mo Moderator",
        is_staff=True,
        groups=[_role("Moderators")],
    )


@pytest.fixture
def post(author):
    return PostFactory(author=author)
