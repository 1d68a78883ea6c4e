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


@pytest.fixture
def author(db):
    return UserFactory(username="author", display_name="Prof G", is_staff=True)


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", display_name="Mo Moderator", is_staff=True)


@pytest.fixture
def post(author):
    return PostFactory(author=author)
