import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles
from tests.factories import UserFactory

BLOG_MODELS = ("post", "reference", "correction", "category", "tag")


def _group(name, models):
    """The role groups the accounts data migration creates, with Django's standard perms."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="blog", content_type__model__in=models)
    )
    return group


@pytest.fixture
def authors_group(db):
    return _group(roles.AUTHORS, ("post", "reference", "correction"))


@pytest.fixture
def editors_group(db):
    return _group(roles.EDITORS, BLOG_MODELS)


@pytest.fixture
def staff_author(authors_group):
    return UserFactory(
        username="writer", display_name="Dr Writer", is_staff=True, groups=[authors_group]
    )


@pytest.fixture
def other_author(authors_group):
    return UserFactory(
        username="other-writer", display_name="Dr Other", is_staff=True, groups=[authors_group]
    )


@pytest.fixture
def editor(editors_group):
    return UserFactory(
        username="editor", display_name="Ed Editor", is_staff=True, groups=[editors_group]
    )
