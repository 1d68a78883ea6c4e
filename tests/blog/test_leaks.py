"""One hidden post of each kind must appear on no public surface."""

import pytest
from django.urls import reverse

from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN_KINDS = {
    "draft": {"draft": True},
    "scheduled": {"scheduled": True},
}


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_post_appears_on_no_public_surface(client, kind):
    writer = UserFactory(username="profg")
    category = CategoryFactory(slug="msblog", name="MS Blog")
    tag = TagFactory(slug="ebv", name="EBV")
    live = PostFactory(author=writer, category=category, title="Visible Zanubrutinib note")
    live.tags.add(tag)
    ReferenceFactory(post=live)
    marker = f"Secretmarker{kind}"
    hidden = PostFactory(
        author=writer, category=category, title=f"{marker} title", standfirst=f"{marker} standfirst",
        body=f"{marker} body Zanubrutinib", **HIDDEN_KINDS[kind],
    )  # fmt: skip
    hidden.tags.add(tag)
    # Its correction and a reference it shares with the live post (related posts).
    CorrectionFactory(post=hidden, note=f"{marker} correction")
    ReferenceFactory(post=hidden, doi=live.references.get().doi)
    month = live.published_at
    surfaces = [
        reverse("blog:home"),
        reverse("blog:category", kwargs={"slug": "msblog"}),
        reverse("blog:tag", kwargs={"slug": "ebv"}),
        reverse("blog:author", kwargs={"slug": "profg"}),
        reverse("blog:archive-month", kwargs={"year": month.year, "month": month.month}),
        reverse("blog:search") + "?q=Zanubrutinib",
        live.get_absolute_url(),  # sidebar, JSON-LD and meta tags of another post
        reverse("blog:feed-rss"),
        reverse("blog:feed-atom"),
        reverse("blog:category-feed-rss", kwargs={"slug": "msblog"}),
        reverse("blog:category-feed-atom", kwargs={"slug": "msblog"}),
        reverse("blog:author-feed-rss", kwargs={"slug": "profg"}),
        reverse("blog:author-feed-atom", kwargs={"slug": "profg"}),
        "/sitemap.xml",
        reverse("blog:corrections"),
        reverse("blog:corrections-feed-rss"),
        reverse("blog:corrections-feed-atom"),
        reverse("blog:categories"),
        reverse("blog:tags"),
        reverse("blog:tag-feed-rss", kwargs={"slug": "ebv"}),
        reverse("blog:tag-feed-atom", kwargs={"slug": "ebv"}),
        live.get_absolute_url() + "cite.json",
        live.get_absolute_url() + "references.ris",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert marker not in content, url
        assert hidden.slug not in content, url
        assert str(hidden.guid) not in content, url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for download in ("cite.bib", "cite.ris", "cite.json", "references.bib"):
        assert client.get(hidden.get_absolute_url() + download).status_code == 404
    # Searching for its own words finds nothing (the page echoes the query, so count results).
    assert "0 posts found" in client.get(reverse("blog:search"), {"q": marker}).content.decode()
