"""export_wordpress writes a WXR that import_wordpress (and so WordPress) reads back whole."""

import io

import defusedxml.ElementTree as ET
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.html import strip_tags

from accounts.models import User
from blog.models import Category, Post, Tag
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

from .builders import wxr, wxr_author, wxr_comment, wxr_post
from .conftest import thread_shape
from .test_wordpress import deep_thread

pytestmark = pytest.mark.django_db

PROF = wxr_author(id=7, login="prof", email="prof@old.example", name="Prof G")
REFERENCES = (
    "<p>EBV matters.</p><h2>References</h2><ol><li>Bjornevik K, Cortese M, Healy BC, et al."
    " Longitudinal analysis reveals high prevalence of Epstein-Barr virus associated with multiple"
    " sclerosis. Science. 2022;375(6578):296-301. doi:10.1126/science.abj8222</li></ol>"
)


def source_file() -> bytes:
    held = [wxr_comment(30, approved="0", content="Held"), wxr_comment(31, approved="spam", content="Spam"),
            wxr_comment(32, approved="trash", content="Trash"), wxr_comment(33, parent=30, content="Under held")]  # fmt: skip
    return wxr(
        authors=[PROF],
        categories=[("ms", "MS", "")],
        posts=[
            wxr_post(10, slug="threads", title="Threads &amp; more", comments=deep_thread(),
                     categories=[("ms", "MS")], tags=[("ebv", "EBV")], excerpt="Short.",
                     content="<h2>Heading</h2><p>Some <em>text</em> and a <a href='https://x.example'>link</a>.</p>"
                             "<ul><li>one</li><li>two</li></ul><blockquote><p>Quoted</p></blockquote>"),
            wxr_post(11, slug="statuses", comments=held, date="2020-02-01 10:00:00"),
            wxr_post(12, slug="refs", content=REFERENCES, date="2020-03-01 10:00:00"),
            wxr_post(13, slug="draft", status="draft"),
            wxr_post(14, slug="future", status="future", date="2099-05-01 10:00:00"),
        ],
    )  # fmt: skip


def snapshot() -> list:
    """Every post and comment as a reader and the moderators see them."""
    shot = []
    for post in Post.objects.select_related("author", "category").order_by("slug"):
        comments = [
            (c.level, " ".join(strip_tags(c.body_html).split()), c.status, c.display_name,
             c.user.username if c.user else None, c.created_at.replace(microsecond=0))
            for c in Comment.objects.filter(post=post).select_related("user").order_by("tree_id", "lft")
        ]  # fmt: skip
        shot.append((
            post.slug, post.title, post.status, post.published_at, post.author.public_name,
            post.category and post.category.name, sorted(post.tags.values_list("name", flat=True)),
            " ".join(strip_tags(post.body_html).split()), post.standfirst,
            [r.citation_text() for r in post.references.all()], comments,
        ))  # fmt: skip
    return shot


def export() -> str:
    out = io.StringIO()
    call_command("export_wordpress", stdout=out)
    return out.getvalue()


def empty_the_site():
    Comment.objects.all().delete()
    Post.objects.all().delete()
    User.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()


def test_import_export_import_gives_the_same_posts_comments_and_trees(run_import):
    run_import(source_file())
    before = snapshot()
    pages_before = {
        p.slug: thread_shape(Client().get(p.get_absolute_url())) for p in Post.objects.published()
    }
    exported = export()
    empty_the_site()
    result = run_import(exported.encode())
    assert "5  posts imported" in result
    assert snapshot() == before
    pages_after = {
        p.slug: thread_shape(Client().get(p.get_absolute_url())) for p in Post.objects.published()
    }
    assert pages_after == pages_before
    Comment.objects.rebuild()
    assert snapshot() == before


def test_the_export_is_wxr_with_parents_statuses_and_authors():
    author = UserFactory(username="gio", email="gio@example.org")
    post = PostFactory(author=author, slug="p")
    root = CommentFactory(post=post, body="Root")
    CommentFactory(post=post, parent=root, user=author, body="Author reply")
    CommentFactory(post=post, status=Comment.Status.PENDING, body="Held", ip_hash="abc")
    channel = ET.fromstring(export().encode()).find("channel")
    wp = "{http://wordpress.org/export/1.2/}"
    assert channel.find(f"{wp}wxr_version").text == "1.2"
    assert [a.find(f"{wp}author_login").text for a in channel.iter(f"{wp}author")] == ["gio"]
    item = channel.find("item")
    assert item.find(f"{wp}post_name").text == "p"
    assert item.find(f"{wp}status").text == "publish"
    rows = [
        (c.find(f"{wp}comment_parent").text, c.find(f"{wp}comment_approved").text,
         c.find(f"{wp}comment_user_id").text, c.find(f"{wp}comment_author_IP").text)
        for c in item.iter(f"{wp}comment")
    ]  # fmt: skip
    assert rows == [
        ("0", "1", "0", None),
        (str(root.pk), "1", str(author.pk), None),
        ("0", "0", "0", None),
    ]
