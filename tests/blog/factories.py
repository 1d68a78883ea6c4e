"""Factories for the blog's own models (posts, categories and tags live in tests.factories)."""

import factory

from blog.models import Correction, Reference
from tests.factories import PostFactory


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
