"""Search, as readers and the code that calls blog.search see it. Every test here runs on
SQLite (FTS5) and on PostgreSQL (tsvector), whichever DATABASE_URL selects."""

from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from blog.search import (
    post_search,
    search_index_rebuild,
    search_posts,
    search_snippets,
    search_suggestion,
)
from tests.blog.factories import ReferenceFactory
from tests.factories import PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

FILLER = "Clinicians followed the cohort for several years and reported the outcomes."


def found(query):
    return list(search_posts(query))


def search_page(client, query):
    response = client.get(reverse("blog:search"), {"q": query})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def hit_titles(soup):
    return [article.find("a").get_text() for article in soup.select("main article")]


@pytest.fixture
def corpus():
    """The word "ocrelizumab" once, in a different part of each post; the post that has it
    in the least weighty part is the newest, so recency cannot explain the order."""
    now = timezone.now()

    def post(title, days, **fields):
        fields.setdefault("standfirst", "A summary of a recent paper.")
        fields.setdefault("body", FILLER)
        return PostFactory(title=title, published_at=now - timedelta(days=days), **fields)

    in_title = post("Ocrelizumab in practice", 9)
    in_standfirst = post("A drug in practice", 7, standfirst="What ocrelizumab changes.")
    in_body = post("Another drug in practice", 5, body=f"{FILLER} Ocrelizumab was used.")
    in_reference = post("A paper in practice", 1)
    ReferenceFactory(post=in_reference, title="Ocrelizumab versus placebo")
    post("Unrelated", 0, body="Vitamin D and sunlight.")
    return [in_title, in_standfirst, in_body, in_reference]


# --- ranking -------------------------------------------------------------------------------


def test_hits_are_ordered_title_then_standfirst_then_body_then_references(corpus):
    assert found("ocrelizumab") == corpus


def test_the_search_page_lists_hits_best_first_with_their_count(client, corpus):
    soup = search_page(client, "ocrelizumab")
    assert hit_titles(soup) == [post.title for post in corpus]
    assert "4 posts found." in soup.select_one("[role=status]").get_text()


def test_a_word_deep_in_a_long_body_finds_the_post_and_ranks_it_below_an_early_one():
    long_body = f"{FILLER} " * 60  # about 4,600 characters before the word
    deep = PostFactory(title="Deep", body=f"{long_body} Tolebrutinib was used.")
    early = PostFactory(title="Early", body=f"Tolebrutinib was used. {long_body}")
    assert found("tolebrutinib") == [early, deep]


@pytest.mark.parametrize("page", [1, 2, 3])
def test_every_page_of_many_hits_shows_its_own_hits_and_the_full_count(client, page):
    now = timezone.now()
    posts = [
        PostFactory(title=f"Siponimod note {i}", published_at=now - timedelta(hours=i))
        for i in range(25)
    ]
    response = client.get(reverse("blog:search"), {"q": "siponimod", "page": page})
    soup = BeautifulSoup(response.content, "html.parser")
    assert hit_titles(soup) == [post.title for post in posts][(page - 1) * 10 : page * 10]
    assert "25 posts found." in soup.select_one("[role=status]").get_text()


def test_every_word_must_appear_and_case_does_not_matter():
    both = PostFactory(title="Epstein-Barr virus", body="B cells carry the virus.")
    PostFactory(title="Virus news", body="Nothing else.")
    assert found("VIRUS cells") == [both]


def test_quoted_words_must_appear_together_and_a_minus_word_must_not_appear():
    together = PostFactory(title="Vitamin D levels", body="Low vitamin D levels in winter.")
    apart = PostFactory(title="Levels of vitamin", body="D is a letter.")
    assert found('"vitamin d levels"') == [together]
    assert set(found("vitamin levels")) == {together, apart}
    assert found("vitamin levels -winter") == [apart]


def test_or_accepts_either_word():
    first = PostFactory(title="Natalizumab")
    second = PostFactory(title="Alemtuzumab")
    PostFactory(title="Cladribine")
    assert set(found("natalizumab or alemtuzumab")) == {first, second}


def test_search_finds_only_published_posts():
    PostFactory(draft=True, title="Tolebrutinib draft")
    PostFactory(scheduled=True, title="Tolebrutinib scheduled")
    live = PostFactory(title="Tolebrutinib live")
    assert found("tolebrutinib") == [live]


# --- words and their forms -----------------------------------------------------------------


def test_pregnant_finds_pregnancy_and_a_word_being_typed_finds_the_whole_word():
    post = PostFactory(title="Pregnancy and relapses", body="Remyelination after delivery.")
    assert found("pregnant") == [post]
    assert found("relapse") == [post]
    assert found("remyel") == [post]


def test_a_post_with_the_word_itself_ranks_above_one_with_a_word_that_starts_like_it():
    itself = PostFactory(title="Pregnant women", published_at=timezone.now() - timedelta(days=3))
    alike = PostFactory(title="Pregnancy", published_at=timezone.now() - timedelta(days=1))
    assert found("pregnant") == [itself, alike]


def test_a_mistyped_word_still_finds_the_post_or_is_corrected(client):
    natalizumab = PostFactory(title="Natalizumab and PML", body="JC virus testing.")
    remyelination = PostFactory(title="Remyelination trials", body="Clemastine was tried.")
    assert found("natalizumub") == [natalizumab]
    # Nothing starts like "remyelinaton": the search is made for the word the posts have.
    result = post_search("remyelinaton")
    assert result.corrected
    assert result.searched == "remyelination"
    assert list(result.posts) == [remyelination]
    soup = search_page(client, "remyelinaton")
    assert hit_titles(soup) == ["Remyelination trials"]
    status = " ".join(soup.select_one("[role=status]").get_text().split())
    assert "1 post found for “remyelination”" in status
    assert "Did you mean “remyelination”?" in status
    assert "Nothing matched “remyelinaton”" in status


def test_a_query_that_finds_little_suggests_the_word_the_posts_use(client):
    PostFactory(title="Ocrelizumab", body="Infusions every six months.")
    PostFactory(title="Natalizumub", body="A typo in a title that still finds this post.")
    assert search_suggestion("natalizumub infusions") == ""  # every word is in a post
    assert search_suggestion("ocrelizumub") == "ocrelizumab"
    assert search_suggestion("Ocrelizumub, infusions") == "ocrelizumab, infusions"
    link = search_page(client, "ocrelizumub dose").select_one(".search-suggestion a")
    assert link.get_text() == "ocrelizumab dose"
    assert link["href"] == "?q=ocrelizumab%20dose"


def test_no_suggestion_when_the_query_finds_enough_or_nothing_is_close(client):
    for n in range(3):
        PostFactory(title=f"Cladribine note {n}")
    assert not search_page(client, "cladribine").select(".search-suggestion")
    assert not search_page(client, "zzzzqqq").select(".search-suggestion")
    assert search_suggestion("zzzzqqq") == ""


# --- references, identifiers and tags --------------------------------------------------------


def test_references_are_found_by_author_title_journal_pmid_and_doi():
    post = PostFactory(title="Why EBV matters")
    ReferenceFactory(
        post=post,
        authors="Bjornevik K, Cortese M",
        title="Longitudinal analysis reveals high prevalence of Epstein-Barr virus",
        journal="Science",
        pmid="35025605",
        doi="10.1126/science.abj8222",
    )
    PostFactory(title="Something else")
    for query in ("Bjornevik", "longitudinal prevalence", "35025605", "PMID 35025605",
                  "pmid:35025605", "10.1126/science.abj8222", "abj8222"):  # fmt: skip
        assert found(query) == [post], query


def test_tags_are_found_and_follow_renames_and_removal():
    post = PostFactory(title="A note")
    tag = TagFactory(name="neurofilament", slug="neurofilament")
    post.tags.add(tag)
    assert found("neurofilament") == [post]
    tag.name = "biomarkers"
    tag.save()
    assert found("biomarkers") == [post]
    assert found("neurofilament") == []
    tag.posts.clear()
    assert found("biomarkers") == []


def test_the_index_follows_edits_new_and_deleted_references_and_deleted_posts():
    post = PostFactory(title="Old title about fatigue")
    post.title = "New title about cognition"
    post.save()
    assert found("cognition") == [post]
    assert found("fatigue") == []
    reference = ReferenceFactory(post=post, title="Modafinil for tiredness")
    assert found("modafinil") == [post]
    reference.delete()
    assert found("modafinil") == []
    post.delete()
    assert found("cognition") == []


def test_posts_written_without_save_are_found_after_a_rebuild():
    built = PostFactory.build(title="Bulk ofatumumab", slug="bulk", author=UserFactory(),
                              category=None)  # fmt: skip
    Post.objects.bulk_create([built])
    assert found("ofatumumab") == []
    assert search_index_rebuild() == 1
    assert [p.slug for p in found("ofatumumab")] == ["bulk"]


# --- snippets --------------------------------------------------------------------------------


def test_snippets_show_the_hit_in_context(client):
    PostFactory(title="Pregnancy", body=f"{FILLER} Women relapse less during pregnancy.")
    snippet = search_page(client, "relapse").select_one(".post-summary__snippet")
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["relapse"]
    assert "Women relapse less during pregnancy" in snippet.get_text()


def test_snippets_come_from_the_references_when_only_they_match(client):
    post = PostFactory(title="A study", body=FILLER)
    ReferenceFactory(post=post, pmid="31234567")
    snippet = search_page(client, "31234567").select_one(".post-summary__snippet")
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["31234567"]
    assert "PMID" in snippet.get_text()


def test_snippets_escape_the_posts_text_and_only_add_marks(client):
    body = (
        "Dosing `<script>alert(1)</script>` &lt;b&gt;bold&lt;/b&gt; & siponimod "
        "\ue000fake\ue001 &#xe000;fake&#xe001; <img src=x onerror=alert(2)> siponimod."
    )
    post = PostFactory(title="Siponimod", body=body)
    soup = search_page(client, "siponimod")
    snippet = soup.select_one(".post-summary__snippet")
    assert {tag.name for tag in snippet.find_all(True)} == {"mark"}
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["siponimod"] * 2
    text = snippet.get_text()
    # Shown as text, not markup (PostgreSQL's fragment may start after "<script>").
    assert "alert(1)</script>" in text
    assert "<b>bold</b>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert "fake" in text
    assert "\ue000" not in text
    assert not soup.select("main script, main img")
    raw = search_snippets("siponimod", [post])[post.pk]
    assert "<script" not in raw
    assert "<b>" not in raw


def test_only_the_shown_hits_get_snippets(client):
    for n in range(12):
        PostFactory(title=f"Cladribine note {n}")
    soup = search_page(client, "cladribine")
    assert len(soup.select(".post-summary__snippet")) == 10


# --- hostile queries -------------------------------------------------------------------------

HOSTILE = [
    '"', '""', '"unterminated', "'", "''", "*", "**", "-", "--", "- -", "-\"", "NEAR(",
    "NEAR(a b, 2)", "a NEAR b", "AND", "OR", "NOT", "a AND", "OR OR", "NOT a", "a OR",
    "title:ocrelizumab", "{title standfirst}:x", "^ocrelizumab", "ocrelizumab*", "(", ")",
    "((a)", "a & b | !c", "!!", "<->", "a <-> b", "a:*", "'a':*", "\\", "\\'", "%", "_",
    "%_%", "?", "; DROP TABLE blog_post; --", "') OR 1=1 --", "\x00", "a\x00b", "\x1f",
    "\u202eevil", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "👩‍⚕️ ocrelizumab", "ocr\u0301elizumab", "日本語の検索",
    "\ue000ocrelizumab\ue001", "ﬁnd", "İstanbul", "ß", "the", "the and of",
    "ocrelizumab " * 40, "x" * 10_000, "a " * 5_000, '"' * 500, "-" * 1000,
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client, query):
    post = PostFactory(title="Ocrelizumab", body="Ocrelizumab infusions.")
    ReferenceFactory(post=post)
    result = post_search(query)
    posts = list(result.posts)
    search_snippets(result.searched, posts)
    search_suggestion(query)
    response = client.get(reverse("blog:search"), {"q": query})
    assert response.status_code == 200
    box = BeautifulSoup(response.content, "html.parser").select_one("#page-search")
    assert box is not None


def test_a_query_longer_than_the_box_allows_is_refused_with_a_message(client):
    soup = search_page(client, "ocrelizumab " * 40)
    assert "at most 200 characters" in soup.select_one("#page-search-error").get_text()
    assert not soup.select("main article")


# --- queries per page ------------------------------------------------------------------------


def _grow(start, stop, title):
    for i in range(start, stop):
        PostFactory(title=title.format(i=i), body=f"{FILLER} Entry {i}.")


# (query, posts it finds, queries with warm sidebar caches, on either database: a count
# comes with the first page's ranked ids, see blog.search_backends.ranked)
QUERY_BUDGETS = [
    # count and ranked ids, the page's posts, their comment counts, the shown hits' snippets
    ("cladribine", "Cladribine note {i}", 4),
    # one hit, so fewer than SUGGEST_BELOW: and the count with words that start alike, and
    # the suggestion's query
    ("remyelination", None, 6),
    # nothing: and the suggestion's count before its page, comment counts and snippets
    ("remyelinaton", None, 7),
    # nothing, and nothing close: the two counts and the suggestion's query (an empty page
    # needs no query)
    ("zzzzqqq", None, 3),
]


@pytest.mark.parametrize(("query", "title", "budget"), QUERY_BUDGETS)
def test_search_pages_need_a_fixed_number_of_queries(
    client, query, title, budget, django_assert_num_queries
):
    PostFactory(title="Remyelination and cladribine", body=FILLER)
    grown = 0
    for size in (5, 30):
        _grow(grown, size, title or "Other note {i} about fatigue")
        grown = size
        client.get(reverse("blog:search"), {"q": query})  # fills the sidebar caches
        with django_assert_num_queries(budget):
            assert client.get(reverse("blog:search"), {"q": query}).status_code == 200


def test_the_rebuild_command_indexes_posts_written_without_save():
    built = PostFactory.build(title="Imported ublituximab", slug="imported",
                              author=UserFactory(), category=None)  # fmt: skip
    Post.objects.bulk_create([built])
    out = StringIO()
    call_command("search_index_rebuild", stdout=out)
    assert "Indexed 1 posts" in out.getvalue()
    assert [p.slug for p in found("ublituximab")] == ["imported"]
