"""Every page's structured data is JSON and uses only properties of the schema.org types it
claims (the schema.org hierarchy of each type is written out below, from schema.org)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.factories import PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

THING = {"@context", "@type", "@id", "name", "description", "url", "sameAs", "identifier",
         "image", "mainEntityOfPage", "alternateName"}  # fmt: skip
CREATIVE_WORK = THING | {
    "headline", "author", "datePublished", "dateModified", "publisher", "inLanguage",
    "keywords", "citation", "isPartOf", "about", "abstract", "license", "text",
}  # fmt: skip
ARTICLE = CREATIVE_WORK | {"articleBody", "articleSection", "wordCount", "pageStart", "pageEnd"}
WEB_PAGE = CREATIVE_WORK | {"lastReviewed", "reviewedBy", "breadcrumb", "mainContentOfPage"}
PROPERTIES = {
    "BlogPosting": ARTICLE | {"sharedContent"},  # Article > SocialMediaPosting > BlogPosting
    "ScholarlyArticle": ARTICLE,
    "WebPage": WEB_PAGE,
    "MedicalWebPage": WEB_PAGE | {"medicalAudience", "aspect"},
    "Person": THING | {"givenName", "familyName", "affiliation", "jobTitle"},
    "Organization": THING | {"logo"},
    "Periodical": CREATIVE_WORK | {"issn"},
    "PropertyValue": THING | {"propertyID", "value"},
}
# What a property holds, where it must be one of these types.
RANGES = {"author": {"Person", "Organization"}, "reviewedBy": {"Person", "Organization"},
          "publisher": {"Person", "Organization"}}  # fmt: skip


def check(node, path="$"):
    if isinstance(node, list):
        for index, item in enumerate(node):
            check(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    assert kind in PROPERTIES, f"{path}: unknown or missing @type {kind!r}"
    unknown = set(node) - PROPERTIES[kind]
    assert not unknown, f"{path}: {kind} has no properties {sorted(unknown)}"
    for name, value in node.items():
        if name in RANGES and isinstance(value, dict):
            assert value.get("@type") in RANGES[name], f"{path}.{name}: {value.get('@type')}"
        check(value, f"{path}.{name}")


def structured_data(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        json.loads(block.string) for block in soup.find_all("script", type="application/ld+json")
    ]


@pytest.fixture
def site():
    writer = UserFactory(username="sd-writer", first_name="Lena", last_name="Ruiz",
                         orcid="0000-0001-5109-3700", website="https://example.org/lena")  # fmt: skip
    tag = TagFactory(slug="ebv", name="EBV")
    plain = PostFactory(author=writer, title="A plain post")
    plain.tags.add(tag)
    reviewed = PostFactory(author=writer, title="A reviewed post", reviewed_by="Dr A. Patel",
                           reviewed_at=timezone.localdate())  # fmt: skip
    reviewed.tags.add(tag)
    for post in (plain, reviewed):
        ReferenceFactory(post=post)
        ReferenceFactory(post=post, journal="", doi="", pmid="", url="https://example.org/x")
    CorrectionFactory(post=reviewed)
    return writer, plain, reviewed


def test_every_page_has_valid_structured_data_for_the_types_it_claims(client, site):
    writer, plain, reviewed = site
    urls = [
        reverse("blog:home"), plain.get_absolute_url(), reviewed.get_absolute_url(),
        reverse("blog:tag", kwargs={"slug": "ebv"}),
        reverse("blog:category", kwargs={"slug": plain.category.slug}),
        reverse("blog:author", kwargs={"slug": writer.slug}), reverse("blog:search") + "?q=post",
    ]  # fmt: skip
    seen = []
    for url in urls:
        for data in structured_data(client, url):
            assert data["@context"] == "https://schema.org"
            check(data, url)
            seen.append(data["@type"])
    assert seen == ["BlogPosting", "MedicalWebPage"]


def test_a_post_without_review_is_a_blog_posting_and_a_reviewed_one_a_medical_web_page(
    client, site
):
    _, plain, reviewed = site
    (plain_data,) = structured_data(client, plain.get_absolute_url())
    (reviewed_data,) = structured_data(client, reviewed.get_absolute_url())
    assert plain_data["@type"] == "BlogPosting"
    assert "lastReviewed" not in json.dumps(plain_data)
    assert reviewed_data["@type"] == "MedicalWebPage"
    assert reviewed_data["lastReviewed"] == timezone.localdate().isoformat()
    assert reviewed_data["reviewedBy"] == {"@type": "Person", "name": "Dr A. Patel"}
    assert reviewed_data["author"]["sameAs"] == [
        "https://orcid.org/0000-0001-5109-3700", "https://example.org/lena"
    ]  # fmt: skip
