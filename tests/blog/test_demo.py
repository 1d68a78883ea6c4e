import pytest
from django.core.management import call_command

from blog.models import Correction, Post, Reference

pytestmark = pytest.mark.django_db


def test_demo_seeds_posts_that_use_every_feature(client):
    call_command("demo")
    assert Post.objects.count() >= 12
    assert Post.objects.filter(status=Post.Status.DRAFT).exists()
    assert (
        Post.objects.filter(status=Post.Status.SCHEDULED)
        .exclude(pk__in=Post.objects.published())
        .exists()
    )
    assert Post.objects.published().count() >= 10
    assert Reference.objects.exclude(doi="").exclude(pmid="").count() >= 20
    assert Correction.objects.exists()
    assert Post.objects.exclude(reviewed_at=None).exclude(reviewed_by="").exists()
    assert Post.objects.exclude(conflict_of_interest="").exists()
    assert {p.category.hashtag for p in Post.objects.select_related("category")} >= {
        "#MSBlog", "#ResearchSpeak", "#ClinicSpeak", "#JournalClub"
    }  # fmt: skip
    assert (
        "<figure>" in Post.objects.get(slug="remyelination-trials-clemastine-and-beyond").body_html
    )
    for post in Post.objects.published():
        assert post.tags.exists()
        # Every inline citation points at a reference that exists.
        count = post.references.count()
        for n in range(1, 10):
            if f'href="#ref-{n}"' in post.body_html:
                assert n <= count, (post.slug, n)
        assert client.get(post.get_absolute_url()).status_code == 200


def test_demo_references_pass_their_own_validation():
    call_command("demo")
    for reference in Reference.objects.all():
        reference.full_clean()
