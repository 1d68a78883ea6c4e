"""The author's workflow in a real browser: the demo author writes a post with three
references (one filled from a recorded doi.org answer), previews it, publishes it with an
empty date, adds a correction; readers find it on the page, in the feed and in the cite-this
downloads. The demo editor does the same on someone else's post; a reader reaches none of it.
And a long post prints on at most four A4 pages without its discussion."""

import io
import json
from datetime import timedelta

import bibtexparser
import feedparser
import pytest
import rispy
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from blog.models import Post
from demo import accounts as accounts_demo
from demo import authoring as demo_authoring
from tests.blog.factories import ReferenceFactory
from tests.blog.test_references import recorded
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.e2e

TIMEOUT = 30_000  # the shared test machine is slow; the admin loads many scripts


@pytest.fixture
def people(db):
    return accounts_demo.seed()


@pytest.fixture
def recorded_doi(monkeypatch):
    """doi.org answers from a recorded response (the live server runs in this process)."""
    from blog import references

    answer = json.loads(recorded("doi_10.1126_science.abj8222.csl.json"))
    monkeypatch.setattr(references, "fetch_json", lambda url, **kwargs: answer)


def sign_in(browsing, people, role):
    """Through the admin's own sign-in form, with the demo account's password."""
    username, password = people.credentials[role]
    page = browsing.page()
    page.set_default_timeout(TIMEOUT)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))
    ).to_be_visible()
    return page


def add_reference_row(page, index):
    if page.locator(f"#id_references-{index}-title").count() == 0:
        page.get_by_text("Add another Reference").click()
    return page.locator(f"#references-{index}")


def test_the_demo_author_writes_cites_previews_publishes_and_corrects_a_post(
    browsing, people, recorded_doi
):
    page = sign_in(browsing, people, "author")
    page.goto("/admin/blog/post/add/")
    page.fill("#id_title", "Three studies on EBV")
    page.fill("#id_standfirst", "What three studies say.")
    page.fill("#id_body", "The first two agree [@1-2]; the third [@3] does not.")

    # Reference 1 from its DOI, filled at once by the page.
    row = add_reference_row(page, 0)
    page.fill("#id_references-0-doi", "https://doi.org/10.1126/science.abj8222")
    row.get_by_role("button", name="Fill from DOI/PMID now").click()
    expect(row.locator(".blog-fill-status")).to_contain_text("Filled")
    expect(page.locator("#id_references-0-journal")).to_have_value("Science")
    add_reference_row(page, 1)
    page.fill("#id_references-1-title", "A study typed by hand")
    add_reference_row(page, 2)
    page.fill("#id_references-2-title", "Moved up from third")
    # Ordered by moving rows, not by typing numbers.
    page.get_by_role("button", name="Move reference 3 up").click()
    expect(page.locator(".blog-order-status")).to_contain_text("position 2")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    post = Post.objects.get(title="Three studies on EBV")
    assert post.author.username == "profg"
    assert post.status == Post.Status.DRAFT
    titles = [r.title for r in post.references.order_by("order")]
    assert titles[1:] == ["Moved up from third", "A study typed by hand"]
    assert titles[0].startswith("Longitudinal analysis")

    # The preview shows what the page will show.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Open the preview").click(modifiers=["Control"])
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".references li")).to_have_count(3)
    expect(preview.locator(".preview-banner")).to_be_visible()
    preview.close()

    # Published with the date left empty: published now.
    page.select_option("#id_status", "published")
    expect(page.locator("#id_published_at_0")).to_have_value("")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    post.refresh_from_db()
    assert post.is_published()

    # A correction, dated the next day.
    page.get_by_text("Add another Correction").click()
    page.fill(
        "#id_corrections-0-corrected_at", f"{timezone.localdate() + timedelta(days=1):%Y-%m-%d}"
    )
    page.fill("#id_corrections-0-note", "The third study was misquoted.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert post.corrections.get().note == "The third study was misquoted."

    # What every reader sees.
    reader = browsing.page()
    reader.set_default_timeout(TIMEOUT)
    reader.goto(post.get_absolute_url())
    expect(reader.locator(".references li")).to_have_count(3)
    # The range [@1-2] links each reference it names.
    for number in (1, 2, 3):
        expect(reader.locator(f'a[href="#ref-{number}"]')).to_have_count(1)
    expect(reader.locator(".corrections")).to_contain_text("The third study was misquoted.")
    expect(reader.locator("#cite-text")).to_contain_text("Grant G. Three studies on EBV.")
    with reader.expect_download() as download:
        reader.get_by_role("link", name="BibTeX").first.click()
    with open(download.value.path()) as file:
        library = bibtexparser.parse_string(file.read())
    assert library.entries[0].fields_dict["author"].value == "Grant, Gavin"
    ris = reader.request.get(post.get_absolute_url() + "references.ris").text()
    assert [r["title"] for r in rispy.loads(ris)][1] == "Moved up from third"
    feed = feedparser.parse(reader.request.get("/feed/").body())
    entry = next(e for e in feed.entries if e.title == "Three studies on EBV")
    assert "Moved up from third" in entry.content[0].value
    # The post declares nothing itself: the author's standing declaration stands in.
    assert "Funding and conflicts of interest" in entry.content[0].value
    assert "speaker fees" in entry.content[0].value


def test_the_demo_editor_cites_publishes_and_corrects_someone_elses_draft(
    browsing, people, recorded_doi
):
    post = PostFactory(author=people["second_author"], title="Lena's draft", draft=True,
                       body="As shown [@1].")  # fmt: skip
    page = sign_in(browsing, people, "editor")
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    row = add_reference_row(page, 0)
    page.fill("#id_references-0-doi", "10.1126/science.abj8222")
    row.get_by_role("button", name="Fill from DOI/PMID now").click()
    expect(page.locator("#id_references-0-journal")).to_have_value("Science")
    page.select_option("#id_status", "published")
    page.get_by_text("Add another Correction").click()
    page.fill("#id_corrections-0-note", "Reference 1 was missing.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    post.refresh_from_db()
    assert post.is_published()
    assert post.author == people["second_author"]
    assert post.references.get().journal == "Science"
    assert post.corrections.get().note == "Reference 1 was missing."

    reader = browsing.page()
    reader.set_default_timeout(TIMEOUT)
    reader.goto(post.get_absolute_url())
    expect(reader.locator(".references li")).to_have_count(1)
    expect(reader.locator(".corrections")).to_contain_text("Reference 1 was missing.")
    expect(reader.locator("#cite-text")).to_contain_text("Ruiz L. Lena's draft.")
    (record,) = rispy.loads(reader.request.get(post.get_absolute_url() + "cite.ris").text())
    assert record["authors"] == ["Ruiz, Lena"]
    feed = feedparser.parse(reader.request.get("/feed/").body())
    entry = next(e for e in feed.entries if e.title == "Lena's draft")
    assert "Longitudinal analysis" in entry.content[0].value


def test_a_reader_reaches_none_of_the_authors_tools(browsing, people):
    draft = PostFactory(author=people["author"], draft=True, title="Unpublished")
    page = sign_in_as_reader(browsing, people)
    for path in ("/admin/blog/post/add/", f"/admin/blog/post/{draft.pk}/change/",
                 "/admin/blog/post/lookup-reference/?doi=10.1126/science.abj8222"):  # fmt: skip
        page.goto(path)
        assert "/admin/login/" in page.url, path
    assert page.request.get(draft.get_absolute_url() + "cite.bib").status == 404


def sign_in_as_reader(browsing, people):
    username, password = people.credentials["reader"]
    page = browsing.page()
    page.set_default_timeout(TIMEOUT)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form").filter(has=page.locator("#id_password")).get_by_role("button").click()
    page.wait_for_load_state()
    return page


def pages_printed(page) -> int:
    return len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)


def test_a_long_post_prints_on_four_a4_pages_at_most_and_its_discussion_only_when_asked(
    browsing, people
):
    post = demo_authoring.seed(people)
    for n in range(40):
        CommentFactory(post=post, author_name=f"Reader {n}",
                       body="A considered comment on the evidence, with a question. " * 4)  # fmt: skip
    page = browsing.page()
    page.set_default_timeout(TIMEOUT)
    page.goto(post.get_absolute_url())
    without = pages_printed(page)
    assert without <= 4, f"{without} A4 pages without the discussion"
    page.get_by_label("Include the discussion when printing").check()
    assert pages_printed(page) > without


def test_references_are_reordered_by_dragging_a_row_by_its_heading(browsing, people):
    post = PostFactory(author=people["author"], title="Reordered")
    for order, title in enumerate(["Alpha", "Beta", "Gamma"], start=1):
        ReferenceFactory(post=post, order=order, title=title)
    page = sign_in(browsing, people, "author")
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    drag(page, page.locator("#references-2 h3 b"), page.locator("#references-0 h3 b"))
    expect(page.locator(".blog-order-status")).to_contain_text("position 1")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert [r.title for r in post.references.order_by("order")] == ["Gamma", "Alpha", "Beta"]


def drag(page, source, target):
    """Drag with the mouse as a person does: press, move a little, move over, release."""
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(start["x"] + 20, start["y"] + 20, steps=5)
    target.scroll_into_view_if_needed()
    end = target.bounding_box()
    page.mouse.move(end["x"] + 5, end["y"] + 5, steps=10)
    page.mouse.up()
