"""The post's own part of its page is cached for every reader, and never outlives an edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.factories import PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def queries_for(client, post) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page(client, post)
    return [query["sql"] for query in queries.captured_queries]


def test_tags_references_and_corrections_are_read_only_while_the_part_is_rendered(client):
    post = PostFactory()
    post.tags.add(TagFactory())
    ReferenceFactory(post=post)
    first = queries_for(client, post)
    again = queries_for(client, post)
    for table in ("blog_tag", "blog_reference", "blog_correction"):
        # Read once (the related-posts query joins other posts' references, reads none).
        assert sum(f'FROM "{table}"' in sql for sql in first) == 1, table
        assert not any(table in sql for sql in again), table


def test_an_edited_post_shows_its_new_text_at_once(client):
    post = PostFactory(title="Vitamin D and relapses")
    assert "Vitamin D and relapses" in page(client, post)
    post.title = "Vitamin D and relapse rates"
    post.save()
    assert "Vitamin D and relapse rates" in page(client, post)


def test_a_new_reference_correction_or_tag_shows_at_once(client):
    post = PostFactory()
    page(client, post)
    ReferenceFactory(post=post, title="Ocrelizumab versus placebo in primary progressive MS")
    assert "Ocrelizumab versus placebo in primary progressive MS" in page(client, post)
    CorrectionFactory(post=post, note="The dose in paragraph 3 was wrong.")
    assert "The dose in paragraph 3 was wrong." in page(client, post)
    post.tags.add(TagFactory(name="remyelination"))
    assert "remyelination" in page(client, post)
    tag = TagFactory(name="neurofilament")
    tag.posts.add(post)
    assert "neurofilament" in page(client, post)
    tag.posts.clear()
    assert "neurofilament" not in page(client, post)


def test_the_author_box_follows_the_authors_profile(client):
    author = UserFactory(display_name="Prof G", bio="Neurologist.")
    post = PostFactory(author=author)
    assert "Neurologist." in page(client, post)
    author.display_name, author.bio = "Professor Gavin", "Neurologist and blogger."
    author.save()
    html = page(client, post)
    assert "Professor Gavin" in html
    assert "Neurologist and blogger." in html


def test_the_cached_part_is_the_same_for_signed_in_and_anonymous_readers(client):
    post = PostFactory()
    ReferenceFactory(post=post)
    anonymous = page(client, post)
    client.force_login(UserFactory())
    signed_in = page(client, post)
    start, end = '<article class="post"', "</aside>"
    part = anonymous[anonymous.index(start) : anonymous.index(end)]
    assert part == signed_in[signed_in.index(start) : signed_in.index(end)]


def test_a_preview_is_never_served_from_the_cache(client):
    author = UserFactory()
    draft = PostFactory(author=author, draft=True, title="First draft")
    client.force_login(author)
    assert "First draft" in page(client, draft)
    draft.title = "Second draft"
    draft.save()
    assert "Second draft" in page(client, draft)
