"""factory_boy factories for every app's models."""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from blog.models import Category, Post, Tag
from comments.models import Comment


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


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda c: slugify(c.name))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda t: slugify(t.name))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Research note number {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.title))
    author = factory.SubFactory(UserFactory)
    category = factory.SubFactory(CategoryFactory)
    standfirst = "A short summary of the findings."
    body = "Some *Markdown* about a study."
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Post.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            status=Post.Status.SCHEDULED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2)),
        )


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment inserted directly (bypassing moderation); use services to test posting."""

    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    parent = None
    user = None
    author_name = factory.Faker("first_name")
    author_email = factory.LazyAttribute(lambda c: f"{c.author_name.lower()}@example.com")
    body = factory.Faker("paragraph")
    status = Comment.Status.APPROVED
