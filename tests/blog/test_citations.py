""" "Cite this post": Vancouver, APA and AMA from the official CSL styles, BibTeX, RIS and
CSL-JSON downloads of the post and of its references, and the author's citation name and
ORCID in citations, Highwire tags and JSON-LD."""

import json

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from tests.blog.factories import ReferenceFactory
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "http://testserver/2026/05/ebv-and-ms/"


@pytest.fixture
def gavin():
    return UserFactory(
        username="gg", first_name="Gavin", last_name="Grant", display_name="Prof G",
        orcid="0000-0002-1825-0097",
    )  # fmt: skip


@pytest.fixture
def known_post(gavin):
    """A known item: its expected text in each style is written out below."""
    post = PostFactory(
        author=gavin, title="EBV & MS: what <next>", slug="ebv-and-ms",
        published_at=timezone.make_aware(timezone.datetime(2026, 5, 1, 9)),
    )  # fmt: skip
    ReferenceFactory(
        post=post, order=1, authors="Bjornevik K, Cortese M, et al.",
        title="Longitudinal analysis reveals high prevalence of Epstein-Barr virus associated "
        "with multiple sclerosis", journal="Science", year=2022, volume="375",
        pages="296-301", doi="10.1126/science.abj8222", pmid="35025605", note="",
    )  # fmt: skip
    ReferenceFactory(post=post, order=2, authors="", title="MS Society: facts", journal="",
                     year=None, volume="", pages="", doi="", pmid="",
                     url="https://example.org/facts", note="")  # fmt: skip
    return post


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_cite_this_shows_the_post_in_vancouver_apa_and_ama_as_the_csl_styles_write_it(
    client, known_post
):
    soup = soup_of(client.get(known_post.get_absolute_url()))
    styles = {dt.text: dd.select_one(".cite-this__text") for dt, dd in zip(
        soup.select(".cite-this dt"), soup.select(".cite-this dd"), strict=True)}  # fmt: skip
    assert list(styles) == ["Vancouver", "APA", "AMA"]
    assert styles["Vancouver"].text == (
        f"Grant G. EBV & MS: what <next>. Charcot [Internet]. 2026 May 1. Available from: {URL}"
    )
    assert styles["APA"].text == f"Grant, G. (2026, May 1). EBV & MS: what <next>. Charcot. {URL}"
    assert styles["APA"].find("i").text == "Charcot"  # the site's name is italic in APA
    assert styles["AMA"].text == f"Grant G. EBV & MS: what <next>. Charcot. May 1, 2026. {URL}"
    # The title is text, never markup.
    assert not styles["APA"].find("next")


def test_each_style_has_a_copy_button_shown_by_the_script(client, known_post):
    soup = soup_of(client.get(known_post.get_absolute_url()))
    for target in ("cite-text", "cite-text-apa", "cite-text-ama"):
        button = soup.select_one(f"button[data-copy-target='{target}']")
        assert button.has_attr("hidden")
        assert soup.find(id=target)


def test_the_post_downloads_as_bibtex_that_a_bibtex_parser_reads(client, known_post):
    response = client.get(known_post.get_absolute_url() + "cite.bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert 'filename="ebv-and-ms.bib"' in response["Content-Disposition"]
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online"
    assert entry.fields_dict["author"].value == "Grant, Gavin"
    assert entry.fields_dict["title"].value == r"{EBV \& MS: what <next>}"
    assert entry.fields_dict["year"].value == "2026"
    assert entry.fields_dict["url"].value == URL


def test_the_references_download_as_bibtex_entries_in_order(client, known_post):
    text = client.get(known_post.get_absolute_url() + "references.bib").content.decode()
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    first, second = library.entries
    assert first.entry_type == "article"
    assert first.fields_dict["author"].value == "Bjornevik, K and Cortese, M"
    assert first.fields_dict["journal"].value == "Science"
    assert first.fields_dict["pages"].value == "296--301"
    assert first.fields_dict["doi"].value == "10.1126/science.abj8222"
    assert second.fields_dict["url"].value == "https://example.org/facts"
    assert len({first.key, second.key}) == 2


def test_the_post_and_its_references_download_as_ris_that_a_ris_reader_reads(client, known_post):
    response = client.get(known_post.get_absolute_url() + "cite.ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    text = response.content.decode()
    assert text.startswith("TY  - BLOG\r\n")
    (record,) = rispy.loads(text)
    assert record["authors"] == ["Grant, Gavin"]
    assert record["title"] == "EBV & MS: what <next>"
    assert record["year"] == "2026"
    assert record["date"] == "2026/05/01/"
    assert record["urls"] == [URL]
    records = rispy.loads(
        client.get(known_post.get_absolute_url() + "references.ris").content.decode()
    )
    assert [r["type_of_reference"] for r in records] == ["JOUR", "ELEC"]
    assert records[0]["doi"] == "10.1126/science.abj8222"
    assert records[0]["start_page"] == "296"
    assert records[0]["end_page"] == "301"
    assert records[0]["authors"] == ["Bjornevik, K", "Cortese, M"]


def test_the_post_and_its_references_download_as_csl_json(client, known_post):
    response = client.get(known_post.get_absolute_url() + "cite.json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    (item,) = json.loads(response.content)
    assert item["type"] == "post-weblog"
    assert item["author"] == [{"family": "Grant", "given": "Gavin"}]
    assert item["issued"] == {"date-parts": [[2026, 5, 1]]}
    references = json.loads(client.get(known_post.get_absolute_url() + "references.json").content)
    assert references[0]["DOI"] == "10.1126/science.abj8222"
    assert references[0]["author"][0] == {"family": "Bjornevik", "given": "K"}


def test_an_author_who_chose_initials_is_cited_by_initials(client, known_post, gavin):
    gavin.citation_name = gavin.CitationName.INITIALS
    gavin.save()
    soup = soup_of(client.get(known_post.get_absolute_url()))
    assert soup.find("meta", attrs={"name": "citation_author"})["content"] == "G. Grant"
    library = bibtexparser.parse_string(
        client.get(known_post.get_absolute_url() + "cite.bib").content.decode()
    )
    assert library.entries[0].fields_dict["author"].value == "Grant, G."


def test_citations_use_the_real_name_not_the_pen_name(client, known_post):
    soup = soup_of(client.get(known_post.get_absolute_url()))
    assert soup.find("meta", attrs={"name": "citation_author"})["content"] == "Gavin Grant"
    assert "Prof G" not in soup.select_one(".cite-this").text


def test_an_author_without_names_is_cited_by_the_name_shown(client):
    post = PostFactory(author=UserFactory(username="anon-writer", display_name="Dr Nobody"))
    soup = soup_of(client.get(post.get_absolute_url()))
    assert soup.find("meta", attrs={"name": "citation_author"})["content"] == "Dr Nobody"
    assert soup.select_one("#cite-text").text.startswith("Dr Nobody.")


def test_the_orcid_is_in_the_about_box_the_highwire_tags_and_json_ld(client, known_post):
    soup = soup_of(client.get(known_post.get_absolute_url()))
    orcid = "https://orcid.org/0000-0002-1825-0097"
    assert soup.select_one(f".about-author a[href='{orcid}']")
    assert soup.find("meta", attrs={"name": "citation_author_orcid"})["content"] == orcid
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert orcid in data["author"]["sameAs"]
    assert data["author"]["familyName"] == "Grant"


def test_changing_the_citation_name_changes_the_cached_page(client, known_post, gavin):
    client.get(known_post.get_absolute_url())  # fills the cached part
    gavin.last_name = "Grant-Smith"
    gavin.save()
    soup = soup_of(client.get(known_post.get_absolute_url()))
    assert soup.select_one("#cite-text").text.startswith("Grant-Smith G.")


def test_a_draft_is_cited_only_by_those_who_may_read_it(client, gavin):
    draft = PostFactory(author=gavin, draft=True, slug="secret-draft")
    ReferenceFactory(post=draft)
    url = draft.get_absolute_url()
    reader = UserFactory(username="curious-reader")
    client.force_login(reader)
    for suffix in ("cite.bib", "cite.ris", "cite.json", "references.bib"):
        assert client.get(url + suffix).status_code == 404
    client.force_login(gavin)
    response = client.get(url + "cite.ris")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_download_format_is_404(client, known_post):
    assert client.get(known_post.get_absolute_url() + "cite.docx").status_code == 404


def test_the_author_chooses_the_citation_name_on_their_profile(client, gavin):
    roles.sync_role_groups()
    gavin.groups.add(Group.objects.get(name=roles.AUTHORS))
    client.force_login(gavin)
    page = client.get(reverse("accounts:me-edit")).content.decode()
    assert 'name="citation_name"' in page


def test_a_preview_offers_the_citation_text_but_no_downloads(client, gavin):
    draft = PostFactory(author=gavin, draft=True, title="Draft to cite")
    client.force_login(gavin)
    soup = soup_of(client.get(draft.get_absolute_url()))
    assert "Draft to cite" in soup.select_one("#cite-text").text
    assert not soup.select(".cite-this__downloads")
