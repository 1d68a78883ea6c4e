from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from blog.search import search_posts
from comments.models import Comment
from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(response):
    return [a.text for a in (s.find("a") for s in soup_of(response).select("main article"))]


def test_home_lists_published_posts_newest_first_with_everything_a_reader_scans(client):
    category = CategoryFactory(name="MS Blog", slug="msblog")
    older = PostFactory(title="Older", published_at=timezone.now() - timedelta(days=2))
    newer = PostFactory(
        title="Newer", category=category, standfirst="Short summary.", body="word " * 500
    )
    CommentFactory(post=newer, status=Comment.Status.APPROVED)
    CommentFactory(post=newer, status=Comment.Status.APPROVED)
    CommentFactory(post=newer, status=Comment.Status.PENDING)
    PostFactory(draft=True, title="Draft")
    response = client.get(reverse("blog:home"))
    assert titles(response) == ["Newer", "Older"]
    article = soup_of(response).select("main article")[0]
    assert article.find("a")["href"] == newer.get_absolute_url()  # first link goes to the post
    text = article.get_text(" ", strip=True)
    for expected in ("Newer", newer.author.public_name, "#MSBlog", "Short summary.",
                     "3 min read", "2 comments"):  # fmt: skip
        assert expected in text
    assert (
        article.find("time")["datetime"]
        == timezone.localtime(newer.published_at).date().isoformat()
    )
    assert older.title in response.content.decode()


def test_home_is_paginated(client, settings):
    for n in range(12):
        PostFactory(published_at=timezone.now() - timedelta(hours=n + 1))
    first = soup_of(client.get(reverse("blog:home")))
    assert len(first.select("main article")) == 10
    assert first.select_one('a[rel="next"]')["href"] == "?page=2"
    second = client.get(reverse("blog:home"), {"page": 2})
    assert len(soup_of(second).select("main article")) == 2
    assert client.get(reverse("blog:home"), {"page": 9}).status_code == 404


def summary(client, post, url="/"):
    """`post`'s summary on the list page at `url`."""
    link = soup_of(client.get(url)).select_one(f'main article a[href="{post.get_absolute_url()}"]')
    return link.find_parent("article")


def comment_stats(client, post, url="/"):
    """What the summary says about comments, e.g. "2 comments"."""
    stats = " ".join(summary(client, post, url).select_one(".post-summary__stats").text.split())
    return stats.partition(" · ")[2]


def test_list_summaries_are_rendered_once_then_reused(client):
    PostFactory.create_batch(3)
    first = client.get(reverse("blog:home"))
    assert [t.name for t in first.templates].count("blog/_post_summary.html") == 3
    again = client.get(reverse("blog:home"))
    assert "blog/_post_summary.html" not in [t.name for t in again.templates]
    assert len(soup_of(again).select("main article")) == 3


def _edit(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


# One change at a time, as a factory or a bare save makes it: no service clears any cache.
CHANGES = {
    "title": (lambda post: _edit(post, title="Second title"), "Second title"),
    "standfirst": (lambda post: _edit(post, standfirst="A new summary."), "A new summary."),
    "length": (lambda post: _edit(post, body="word " * 700), "4 min read"),
    "date": (
        lambda post: _edit(post, published_at=post.published_at - timedelta(days=400)),
        f"{(timezone.localdate() - timedelta(days=400)).year}",
    ),
    "new comment": (lambda post: CommentFactory(post=post), "1 comment"),
    "comment approved": (
        lambda post: _edit(post.comments.get(), status=Comment.Status.APPROVED),
        "1 comment",
    ),
    "author's name": (lambda post: _edit(post.author, display_name="Dr Renamed"), "Dr Renamed"),
    "category's name": (lambda post: _edit(post.category, name="Clinic Speak"), "#ClinicSpeak"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_list_summaries_show_each_change_at_once_without_clearing_any_cache(client, change):
    post = PostFactory(title="First title", body="word " * 10)
    CommentFactory(post=post, status=Comment.Status.PENDING)
    before = summary(client, post).get_text(" ", strip=True)  # rendered and cached
    make, expected = CHANGES[change]
    assert expected not in before
    make(post)
    assert expected in summary(client, post).get_text(" ", strip=True)


def test_list_summaries_link_to_the_author_page_and_category_at_their_new_addresses(client):
    post = PostFactory()
    summary(client, post)  # rendered and cached
    _edit(post.author, slug="dr-renamed")
    links = [a["href"] for a in summary(client, post).select("a")]
    assert reverse("blog:author", kwargs={"slug": "dr-renamed"}) in links
    _edit(post.category, slug="renamed-category")
    links = [a["href"] for a in summary(client, post).select("a")]
    assert reverse("blog:category", kwargs={"slug": "renamed-category"}) in links


def test_a_later_page_counts_the_public_comments_of_its_own_posts(client):
    posts = [PostFactory(published_at=timezone.now() - timedelta(hours=n + 1)) for n in range(12)]
    for n, post in enumerate(posts):
        CommentFactory.create_batch(n, post=post)
    CommentFactory(post=posts[11], deleted_at=timezone.now())
    CommentFactory(post=posts[11], status=Comment.Status.REMOVED)
    assert comment_stats(client, posts[10], "/?page=2") == "10 comments"
    assert comment_stats(client, posts[11], "/?page=2") == "11 comments"
    assert comment_stats(client, posts[1]) == "1 comment"
    assert comment_stats(client, posts[0]) == "0 comments"


def test_category_page_shows_its_hashtag_and_only_its_posts(client):
    category = CategoryFactory(name="Clinic Speak", slug="clinicspeak")
    PostFactory(title="In category", category=category)
    PostFactory(title="Elsewhere")
    response = client.get(reverse("blog:category", kwargs={"slug": "clinicspeak"}))
    assert soup_of(response).h1.text == "#ClinicSpeak"
    assert titles(response) == ["In category"]
    feeds = soup_of(response).select('link[rel="alternate"]')
    assert "/category/clinicspeak/feed/" in [link["href"] for link in feeds]


def test_tag_page_lists_posts_with_that_tag(client):
    tag = TagFactory(name="EBV", slug="ebv")
    PostFactory(title="Tagged").tags.add(tag)
    PostFactory(title="Untagged")
    assert titles(client.get(reverse("blog:tag", kwargs={"slug": "ebv"}))) == ["Tagged"]


def test_month_archive_lists_that_months_posts_and_sidebar_links_to_it(client):
    march = timezone.make_aware(timezone.datetime(2026, 3, 10, 12))
    PostFactory(title="March post", published_at=march)
    PostFactory(title="April post", published_at=march + timedelta(days=30))
    response = client.get(reverse("blog:archive-month", kwargs={"year": 2026, "month": 3}))
    assert titles(response) == ["March post"]
    months = [a["href"] for a in soup_of(client.get("/")).select(".month-archive a")]
    assert months == ["/2026/04/", "/2026/03/"]
    assert client.get("/2019/01/").status_code == 404


def test_unknown_category_tag_or_author_is_404(client):
    for name in ("blog:category", "blog:tag", "blog:author"):
        assert client.get(reverse(name, kwargs={"slug": "nope"})).status_code == 404


def test_post_page_shows_byline_dates_tags_references_disclosures_corrections_and_cite_block(
    client, settings
):
    settings.SITE_MEDICAL_DISCLAIMER = "Site-wide: not medical advice."
    post = PostFactory(
        title="Vitamin D and relapses",
        conflict_of_interest="Funded by nobody.",
        reviewed_by="Dr A. Patel",
        reviewed_at=timezone.localdate(),
    )
    post.tags.add(TagFactory(name="vitamin D", slug="vitamin-d"))
    ReferenceFactory(post=post)
    CorrectionFactory(post=post, note="The dose was 4000 IU, not 400 IU.")
    soup = soup_of(client.get(post.get_absolute_url()))
    article = soup.find("article")
    text = article.get_text(" ", strip=True)
    for expected in (
        post.author.public_name,
        "Last medically reviewed",
        "Dr A. Patel",
        "vitamin D",
        "References",
        "Funded by nobody.",
        "Site-wide: not medical advice.",
        "The dose was 4000 IU, not 400 IU.",
        "Cite this post",
    ):
        assert expected in text
    cite = soup.select_one("#cite-text").text
    assert "Vitamin D and relapses" in cite
    assert "http://testserver" + post.get_absolute_url() in cite
    button = soup.select_one("button[data-copy-target='cite-text']")
    assert button.has_attr("hidden")  # shown by static/js/blog.js; the text works without it
    assert soup.find("script", src="/static/js/blog.js")
    assert "Updated" not in text


def test_per_post_disclaimer_replaces_the_site_default(client):
    post = PostFactory(disclaimer="Talk to your MS nurse about pregnancy plans.")
    content = client.get(post.get_absolute_url()).content.decode()
    assert "Talk to your MS nurse about pregnancy plans." in content


def test_post_edited_days_after_publication_says_updated(client):
    post = PostFactory(published_at=timezone.now() - timedelta(days=5))
    text = soup_of(client.get(post.get_absolute_url())).find("article").get_text(" ")
    assert "Updated" in text


def test_pages_use_no_inline_script_or_style(client):
    post = PostFactory()
    ReferenceFactory(post=post)
    for url in ("/", post.get_absolute_url(), "/search/?q=study"):
        soup = soup_of(client.get(url))
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json"
        assert not soup.select("[style]")
        assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]


# Search: the same tests run on SQLite and on PostgreSQL, whichever DATABASE_URL selects.


def test_search_finds_words_in_title_standfirst_and_body():
    a = PostFactory(title="Natalizumab rebound")
    b = PostFactory(standfirst="Why natalizumab matters")
    c = PostFactory(body="We discuss natalizumab dosing.")
    PostFactory(title="Vitamin D")
    assert set(search_posts("natalizumab")) == {a, b, c}


def test_search_needs_every_word_and_ignores_case():
    match = PostFactory(title="Epstein-Barr virus and MS", body="B cells carry the virus.")
    PostFactory(title="Virus news", body="Nothing else.")
    assert list(search_posts("VIRUS cells")) == [match]


def test_search_never_returns_drafts_or_scheduled_posts():
    PostFactory(draft=True, title="Remyelination draft")
    PostFactory(scheduled=True, title="Remyelination scheduled")
    live = PostFactory(title="Remyelination live")
    assert list(search_posts("remyelination")) == [live]


def test_empty_or_punctuation_only_search_returns_nothing_and_never_fails(client):
    PostFactory()
    assert list(search_posts("")) == []
    for query in ("", "   ", "&|!():*", "'", '"unterminated', "a" * 500, "\x00"):
        assert client.get(reverse("blog:search"), {"q": query}).status_code == 200


def test_search_page_shows_results_and_keeps_the_query_when_paging(client):
    for n in range(12):
        PostFactory(title=f"Ocrelizumab note {n}")
    response = client.get(reverse("blog:search"), {"q": "ocrelizumab"})
    soup = soup_of(response)
    assert "12 posts found" in soup.get_text()
    assert len(soup.select("main article")) == 10
    assert soup.select_one('a[rel="next"]')["href"] == "?q=ocrelizumab&page=2"
    assert soup.select_one("#page-search")["value"] == "ocrelizumab"


def test_sidebar_has_a_search_box_on_every_public_page(client):
    post = PostFactory()
    for url in ("/", post.get_absolute_url()):
        form = soup_of(client.get(url)).select_one("aside form[role=search]")
        assert form["action"] == reverse("blog:search")
        assert form.find("input", attrs={"name": "q"})


def test_on_postgresql_search_is_ranked_and_stemmed():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranked full-text search runs on PostgreSQL; SQLite uses the simple fallback")
    in_body = PostFactory(title="Pregnancy", body="Women relapsed less often.",
                          published_at=timezone.now() - timedelta(minutes=1))  # fmt: skip
    in_title = PostFactory(title="Relapses after delivery", body="Numbers.",
                           published_at=timezone.now() - timedelta(days=3))  # fmt: skip
    assert list(search_posts("relapse")) == [in_title, in_body]


def test_author_without_a_slug_still_gets_a_byline_everywhere(client):
    from accounts.models import User

    post = PostFactory(author=UserFactory(username="@@@", display_name="Dr Symbol"))
    User.objects.filter(pk=post.author_id).update(slug=None)
    post.author.refresh_from_db()
    for url in ("/", post.get_absolute_url(), reverse("blog:feed-rss"), reverse("blog:feed-atom")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Dr Symbol" in response.content.decode()


def test_on_postgresql_search_can_use_the_gin_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the full-text index exists on PostgreSQL only")
    from blog.models import Post

    PostFactory(title="Natalizumab")
    # Over all posts, so the status index is no alternative; the table is tiny, so no seqscan.
    queryset = search_posts("natalizumab", Post.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "blog_post_search_gin" in plan
