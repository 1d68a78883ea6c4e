"""Citing is checked on save in admin; references link back; long posts get a contents list."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from blog.models import Post
from tests.blog.factories import ReferenceFactory
from tests.blog.test_admin import change_url, form_data
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _reference_rows(*titles, start=0):
    rows = {}
    for index, title in enumerate(titles, start=start):
        rows.update(
            {f"references-{index}-order": str(index + 1), f"references-{index}-title": title}
        )
    return rows


def _errors(response) -> str:
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in page.select(".errorlist"))


def test_adding_a_post_that_cites_a_missing_reference_is_refused_naming_it(client, staff_author):
    client.force_login(staff_author)
    data = form_data(body="Known [@1], unknown [@7] and [@2-3].")
    data.update({"references-TOTAL_FORMS": "2", **_reference_rows("One", "Two")})
    response = client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 200
    assert "cites [@3], [@7], but this post has 2 references" in _errors(response)
    assert not Post.objects.exists()


def test_adding_a_post_whose_citations_all_exist_in_the_submitted_references(client, staff_author):
    client.force_login(staff_author)
    data = form_data(body="Both [@1-2] and [@1,2].")
    data.update({"references-TOTAL_FORMS": "3", **_reference_rows("One", "Two")})
    data["references-2-order"] = "0"  # the blank extra row, as the browser sends it
    response = client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302, _errors(response)
    assert Post.objects.get().references.count() == 2


def test_changing_a_post_counts_saved_references_less_those_being_deleted(client, staff_author):
    post = PostFactory(author=staff_author, body="x", status=Post.Status.DRAFT, published_at=None)
    first, second = ReferenceFactory(post=post), ReferenceFactory(post=post)
    client.force_login(staff_author)
    data = form_data(post, body="Cites [@2].")
    data.update({
        "references-TOTAL_FORMS": "2", "references-INITIAL_FORMS": "2",
        "references-0-id": str(first.pk), "references-0-order": "1",
        "references-0-title": first.title, "references-0-post": str(post.pk),
        "references-1-id": str(second.pk), "references-1-order": "2",
        "references-1-title": second.title, "references-1-post": str(post.pk),
    })  # fmt: skip
    assert client.post(change_url(post), data).status_code == 302
    data["references-1-DELETE"] = "on"
    response = client.post(change_url(post), data)
    assert response.status_code == 200
    assert "cites [@2], but this post has 1 reference." in _errors(response)
    assert post.references.count() == 2


def test_without_the_references_inline_the_saved_references_count(client, staff_author):
    post = PostFactory(author=staff_author, body="x", status=Post.Status.DRAFT, published_at=None)
    ReferenceFactory(post=post)
    client.force_login(staff_author)
    data = form_data(post, body="Cites [@1] and [@2].")
    for key in [key for key in data if key.startswith("references-")]:
        del data[key]
    form = client.post(change_url(post), data)
    assert "cites [@2], but this post has 1 reference." in _errors(form)


def test_a_post_without_references_may_not_cite(client, staff_author):
    client.force_login(staff_author)
    response = client.post(reverse("admin:blog_post_add"), form_data(body="See [@1]."))
    assert "cites [@1], but this post has no references" in _errors(response)


def _page(client, post):
    return BeautifulSoup(client.get(post.get_absolute_url()).content.decode(), "html.parser")


def test_each_reference_links_back_to_every_place_that_cites_it(client):
    post = PostFactory(body="First [@1]. Both [@1-2].\n\nAgain [@1].")
    ReferenceFactory(post=post, order=1)
    ReferenceFactory(post=post, order=2)
    ReferenceFactory(post=post, order=3)
    page = _page(client, post)
    backlinks = {
        item["id"]: [a["href"] for a in item.select(".references__cited a")]
        for item in page.select(".references li")
    }
    assert backlinks == {
        "ref-1": ["#cite-1-1", "#cite-1-2", "#cite-1-3"],
        "ref-2": ["#cite-2-1"],
        "ref-3": [],
    }
    for hrefs in backlinks.values():
        for href in hrefs:
            assert page.find(id=href[1:]) is not None, f"{href} points nowhere"
    assert page.select_one('.references li a[href="#cite-2-1"]')["aria-label"] == (
        "Back to citation 1 of reference 2"
    )


def test_a_post_with_four_headings_shows_a_table_of_contents_linking_to_them(client):
    post = PostFactory(body="# Why\n\nA.\n\n# How\n\n## Details\n\nB.\n\n# What next")
    page = _page(client, post)
    toc = page.select_one("nav.toc")
    links = [(a.get_text(), a["href"]) for a in toc.select("a")]
    assert links == [
        ("Why", "#sec-why"), ("How", "#sec-how"), ("Details", "#sec-details"),
        ("What next", "#sec-what-next"),
    ]  # fmt: skip
    for _text, href in links:
        assert page.select_one(f".post-body {href}").name in {"h2", "h3"}
    assert len(page.find_all("h1")) == 1


def test_a_post_with_three_headings_has_no_table_of_contents(client):
    post = PostFactory(body="# One\n\n# Two\n\n# Three")
    assert _page(client, post).select_one("nav.toc") is None


def test_heading_self_links_are_not_counted_as_words_read():
    assert PostFactory(body="# Why\n\nfour words of text").word_count == 5


def test_the_editors_preview_explains_a_figure_it_cannot_show_and_shows_one_it_can(
    client, staff_author
):
    client.force_login(staff_author)
    text = (
        '![Lesions](https://journal.example/fig1.png "Figure 1. Lesions")\n\n'
        '![Scan](/media/markdownx/scan.png "Figure 2. Scan")'
    )
    response = client.post(reverse("markdownx_markdownify"), {"content": text})
    page = BeautifulSoup(response.content.decode(), "html.parser")
    note = page.select_one("mark.markdown-note").get_text()
    assert "https://journal.example/fig1.png" in note
    assert "Images must be uploaded through the editor" in note
    assert [figure.img["src"] for figure in page.find_all("figure")] == [
        "/media/markdownx/scan.png"
    ]
    assert page.figure.figcaption.get_text() == "Figure 2. Scan"


def test_the_published_page_shows_no_empty_figure_for_an_image_from_elsewhere(client):
    post = PostFactory(body='![Lesions](https://journal.example/fig1.png "Figure 1")')
    page = _page(client, post)
    assert page.select(".post-body figure") == []
    assert "Lesions" in page.select_one(".post-body").get_text()
