"""Factories for people: accounts, and accounts in a role."""

import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)
        if create:
            self.save()


def with_role(user: User, role: str) -> User:
    """Put the user in the role's group and return a fresh instance (role names are cached)."""
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return User.objects.get(pk=user.pk)


def make_moderator(**kwargs) -> User:
    return with_role(UserFactory(is_staff=True, **kwargs), roles.MODERATORS)


def make_author(**kwargs) -> User:
    return with_role(UserFactory(is_staff=True, **kwargs), roles.AUTHORS)
