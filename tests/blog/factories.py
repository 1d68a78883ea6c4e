"""Factories for posts, their categories and tags, references and corrections."""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Category, Correction, Post, Reference, Tag
from tests.accounts.factories import UserFactory


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


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    post = factory.SubFactory(PostFactory)
    order = factory.Sequence(lambda n: n + 1)
    authors = "Bjornevik K, Cortese M, Healy BC, et al."
    title = factory.Sequence(lambda n: f"A cohort study of multiple sclerosis, part {n}")
    journal = "Science"
    year = 2022
    volume = "375"
    pages = "296-301"
    doi = factory.Sequence(lambda n: f"10.1126/science.abj{8222 + n}")
    pmid = factory.Sequence(lambda n: str(35025605 + n))
    note = "This report describes serial samples taken before onset."


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    post = factory.SubFactory(PostFactory)
    note = "An earlier version gave the wrong hazard ratio; it now reads 32."
