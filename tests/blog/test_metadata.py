import json

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.blog.factories import ReferenceFactory
from tests.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def page(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), BeautifulSoup(response.content, "html.parser")


def json_ld(soup):
    blocks = soup.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def meta(soup, **attrs):
    return [tag["content"] for tag in soup.find_all("meta", attrs=attrs)]


def test_a_reviewed_post_is_a_schema_org_medical_web_page_with_its_citations_and_review(client):
    post = PostFactory(
        title="B cells and EBV", reviewed_by="Dr A. Patel", reviewed_at=timezone.localdate()
    )
    post.tags.add(TagFactory(name="EBV"))
    ReferenceFactory(post=post, title="First study", doi="10.1126/science.abj8222")
    ReferenceFactory(post=post, title="Second study", pmid="35073561", doi="")
    _, soup = page(client, post)
    data = json_ld(soup)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == "B cells and EBV"
    assert data["author"]["name"] == post.author.public_name
    assert data["url"] == "http://testserver" + post.get_absolute_url()
    assert data["keywords"] == ["EBV"]
    assert [c["name"] for c in data["citation"]] == ["First study", "Second study"]
    assert data["citation"][0]["identifier"][0] == {
        "@type": "PropertyValue", "propertyID": "DOI", "value": "10.1126/science.abj8222"
    }  # fmt: skip
    assert data["lastReviewed"] == timezone.localdate().isoformat()
    assert data["reviewedBy"]["name"] == "Dr A. Patel"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    post = PostFactory(title='</script><script>alert("x")</script> & <!--')
    html, soup = page(client, post)
    assert "</script><script>alert" not in html
    assert json_ld(soup)["headline"] == '</script><script>alert("x")</script> & <!--'


def test_highwire_citation_tags_include_one_citation_reference_per_reference(client):
    post = PostFactory(title="Natalizumab rebound",
                       published_at=timezone.make_aware(timezone.datetime(2026, 2, 3, 9)))  # fmt: skip
    ReferenceFactory(post=post, authors="Polman CH, Miller DH, et al.", title="AFFIRM",
                     doi="10.1056/NEJMoa044397", pmid="16510744", year=2006)  # fmt: skip
    ReferenceFactory(post=post, title="Registry study")
    _, soup = page(client, post)
    assert meta(soup, name="citation_title") == ["Natalizumab rebound"]
    assert meta(soup, name="citation_author") == [post.author.public_name]
    assert meta(soup, name="citation_publication_date") == ["2026/02/03"]
    references = meta(soup, name="citation_reference")
    assert len(references) == 2
    assert references[0] == (
        "citation_title=AFFIRM; citation_author=Polman CH; citation_author=Miller DH; "
        "citation_journal_title=Science; citation_publication_date=2006; citation_volume=375; "
        "citation_firstpage=296; citation_doi=10.1056/NEJMoa044397; citation_pmid=16510744"
    )


def test_canonical_opengraph_and_twitter_tags(client):
    post = PostFactory(title="Pregnancy and MS", standfirst="Relapses fall, then rise.")
    _, soup = page(client, post)
    url = "http://testserver" + post.get_absolute_url()
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, property="og:type") == ["article"]
    assert meta(soup, property="og:title") == ["Pregnancy and MS"]
    assert meta(soup, property="og:description") == ["Relapses fall, then rise."]
    assert meta(soup, property="og:url") == [url]
    assert meta(soup, name="twitter:card") == ["summary"]
    assert meta(soup, name="description") == ["Relapses fall, then rise."]


def test_list_pages_have_a_canonical_url_without_noise(client):
    PostFactory()
    soup = BeautifulSoup(client.get("/?utm_source=x").content, "html.parser")
    assert soup.find("link", rel="canonical")["href"] == "http://testserver/"


def test_print_stylesheet_shows_references_and_link_targets():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/blog.css")) as file:
        css = file.read()
    print_rules = css[css.index("@media print") :]
    assert 'content: " <" attr(href) ">"' in print_rules
    assert ".references a" in print_rules
    assert ".cite-this__copy" in print_rules  # no useless button on paper
