import io
import json
import urllib.error
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from blog import references
from blog.forms import ReferenceForm
from blog.references import NotFound, ReferenceLookupFailed, lookup_doi, lookup_pmid
from tests.blog.factories import ReferenceFactory
from tests.factories import PostFactory

RECORDED = Path(__file__).parent / "recorded"


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def network(monkeypatch):
    """Replaces urlopen, the one network boundary, with recorded answers; records requests."""
    calls = []
    answers = {}

    def fake_urlopen(request, timeout):
        calls.append((request.full_url, dict(request.header_items()), timeout))
        for prefix, answer in answers.items():
            if request.full_url.startswith(prefix):
                if isinstance(answer, BaseException):
                    raise answer
                return FakeResponse(answer)
        raise AssertionError(f"unexpected request to {request.full_url}")

    monkeypatch.setattr(references.urllib.request, "urlopen", fake_urlopen)
    return answers, calls


def recorded(name) -> bytes:
    return (RECORDED / name).read_bytes()


def http_error(url, code):
    return urllib.error.HTTPError(url, code, "error", {}, io.BytesIO(b""))


def test_doi_lookup_reads_csl_json_from_doi_org(network):
    answers, calls = network
    answers["https://doi.org/"] = recorded("doi_10.1126_science.abj8222.csl.json")
    found = lookup_doi("https://doi.org/10.1126/science.abj8222")
    assert found.title.startswith("Longitudinal analysis reveals high prevalence")
    assert found.authors.startswith("Bjornevik K, Cortese M, Healy BC")
    assert found.authors.endswith("et al.")
    assert (found.journal, found.year, found.volume, found.pages) == (
        "Science",
        2022,
        "375",
        "296-301",
    )
    url, headers, timeout = calls[0]
    assert url == "https://doi.org/10.1126/science.abj8222"
    assert headers["Accept"] == "application/vnd.citationstyles.csl+json"
    assert timeout <= 10


def test_pmid_lookup_reads_ncbi_esummary(network):
    answers, calls = network
    answers["https://eutils.ncbi.nlm.nih.gov/"] = recorded("esummary_35025605.json")
    found = lookup_pmid("35025605")
    assert found.title == (
        "Longitudinal analysis reveals high prevalence of Epstein-Barr virus associated "
        "with multiple sclerosis"
    )
    assert found.doi == "10.1126/science.abj8222"
    assert (found.journal, found.year, found.pmid) == ("Science", 2022, "35025605")
    assert "id=35025605" in calls[0][0]


def test_unknown_doi_says_doi_org_does_not_know_it(network):
    answers, _ = network
    answers["https://doi.org/"] = http_error("https://doi.org/10.9999/nope", 404)
    with pytest.raises(NotFound, match="does not know the DOI 10.9999/nope"):
        lookup_doi("10.9999/nope")


def test_unknown_pmid_says_pubmed_has_no_such_article(network):
    answers, _ = network
    answers["https://eutils.ncbi.nlm.nih.gov/"] = recorded("esummary_not_found.json")
    with pytest.raises(NotFound, match="PubMed has no article with PMID 999999999"):
        lookup_pmid("999999999")


@pytest.mark.parametrize(
    "error", [TimeoutError("timed out"), urllib.error.URLError(TimeoutError("timed out"))]
)
def test_timeout_gives_a_clear_message(network, error):
    answers, _ = network
    answers["https://doi.org/"] = error
    with pytest.raises(ReferenceLookupFailed, match="did not answer within"):
        lookup_doi("10.1126/science.abj8222")


def test_offline_gives_a_clear_message(network):
    answers, _ = network
    answers["https://doi.org/"] = urllib.error.URLError(OSError("Name or service not known"))
    with pytest.raises(ReferenceLookupFailed, match="offline"):
        lookup_doi("10.1126/science.abj8222")


@pytest.mark.parametrize("body", [b"<html>not json</html>", b'{"unexpected": true}', b"[1, 2]"])
def test_malformed_answer_gives_a_clear_message(network, body):
    answers, _ = network
    answers["https://doi.org/"] = body
    answers["https://eutils.ncbi.nlm.nih.gov/"] = body
    with pytest.raises(ReferenceLookupFailed, match="by hand"):
        lookup_doi("10.1126/science.abj8222")
    with pytest.raises(ReferenceLookupFailed, match="by hand"):
        lookup_pmid("35025605")


def test_server_error_gives_a_clear_message(network):
    answers, _ = network
    answers["https://eutils.ncbi.nlm.nih.gov/"] = http_error("https://eutils…", 503)
    with pytest.raises(ReferenceLookupFailed, match="HTTP 503"):
        lookup_pmid("35025605")


def test_malformed_identifiers_are_refused_before_any_request(network):
    _, calls = network
    with pytest.raises(ReferenceLookupFailed, match="not a DOI"):
        lookup_doi("science.abj8222")
    with pytest.raises(ReferenceLookupFailed, match="not a PubMed ID"):
        lookup_pmid("PMC12345")
    assert calls == []


# Form validation: what an author sees in the admin's reference rows.


def _form(**data):
    return ReferenceForm(data={"order": 1, "title": "A study", **data})


@pytest.mark.parametrize(
    "doi", ["science.abj8222", "10.11/short-prefix", "10.1126", "10.1126/with space"]
)
def test_malformed_doi_gets_a_clear_form_error(doi):
    form = _form(doi=doi)
    form.instance.post = PostFactory.build()
    assert not form.is_valid()
    assert "starts with “10.” and contains a slash" in form.errors["doi"][0]


@pytest.mark.parametrize("pmid", ["PMC123", "0123", "1234567890", "12a"])
def test_malformed_pmid_gets_a_clear_form_error(pmid):
    form = _form(pmid=pmid)
    assert not form.is_valid()
    assert "digits only" in form.errors["pmid"][0]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("https://doi.org/10.1126/science.abj8222", "10.1126/science.abj8222"),
     ("doi:10.1126/science.abj8222", "10.1126/science.abj8222"),
     (" 10.1056/NEJMoa1601277 ", "10.1056/NEJMoa1601277")],
)  # fmt: skip
def test_doi_pasted_as_a_link_or_with_a_prefix_is_stored_bare(typed, stored):
    form = _form(doi=typed, pmid="PMID: 35025605")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["doi"] == stored
    assert form.cleaned_data["pmid"] == "35025605"


def test_reference_needs_a_title_unless_it_is_filled_from_its_doi():
    form = ReferenceForm(data={"order": 1, "doi": "10.1126/science.abj8222"})
    assert not form.is_valid()
    assert "Fill from DOI/PMID" in form.errors["title"][0]


def test_ticking_fill_fills_empty_fields_from_doi_org(network):
    answers, _ = network
    answers["https://doi.org/"] = recorded("doi_10.1126_science.abj8222.csl.json")
    form = ReferenceForm(
        data={"order": 1, "fill": "on", "doi": "10.1126/science.abj8222", "note": "Keep my note"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["journal"] == "Science"
    assert form.cleaned_data["year"] == 2022
    assert form.cleaned_data["note"] == "Keep my note"


def test_fill_that_fails_shows_the_reason_on_the_row(network):
    answers, _ = network
    answers["https://doi.org/"] = TimeoutError("timed out")
    form = ReferenceForm(data={"order": 1, "fill": "on", "doi": "10.1126/science.abj8222"})
    assert not form.is_valid()
    assert "did not answer within" in form.non_field_errors()[0]


# Rendering under the article.


@pytest.mark.django_db
def test_references_render_as_a_numbered_list_with_doi_and_pubmed_links(client):
    post = PostFactory(body="As shown [@2].")
    ReferenceFactory(post=post, order=2, title="Second", doi="10.1038/s41586-022-04432-7", pmid="")
    ReferenceFactory(
        post=post, order=1, title="First", doi="10.1126/science.abj8222", pmid="35025605"
    )
    soup = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    items = soup.select(".references ol > li")
    assert [li["id"] for li in items] == ["ref-1", "ref-2"]
    assert items[0].cite.text == "First"
    links = [a["href"] for a in items[0].find_all("a")]
    assert links == [
        "https://doi.org/10.1126/science.abj8222",
        "https://pubmed.ncbi.nlm.nih.gov/35025605/",
    ]
    assert [a["href"] for a in items[1].find_all("a")] == [
        "https://doi.org/10.1038/s41586-022-04432-7",
        "#cite-2-1",  # back to where the text cites it
    ]
    # The inline citation points at the second entry of that list.
    assert soup.select_one(".post-body sup a")["href"] == "#ref-2"


@pytest.mark.django_db
def test_reference_text_is_escaped(client):
    post = PostFactory()
    ReferenceFactory(post=post, title="<script>alert(1)</script>", note='"><img src=x onerror=1>')
    content = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content


def test_recorded_responses_are_real_json():
    for path in RECORDED.glob("*.json"):
        json.loads(path.read_text())
