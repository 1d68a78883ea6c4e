"""Whatever a member types into their profile, public pages show it as text, never as code."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import PostFactory

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt&#58;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](https://evil.example/track.png)",
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "\u202eevil\u202c name",
    "line\r\nSet-Cookie: x=1",
    "> " * 500 + "deep",
    "x" * 1990,
]
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


def _assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    assert not main.find_all(["script", "iframe", "style", "object", "embed", "svg"])
    for tag in main.find_all(True):
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), tag
            if attribute in ("href", "src", "action"):
                assert not str(value).strip().lower().startswith(DANGEROUS_SCHEMES), tag
    assert not main.find("img", src=lambda src: src and "evil.example" in src)


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_profile_text_is_shown_inert_on_every_public_page(client, author, text):
    client.force_login(author)
    response = client.post(
        "/accounts/me/edit/",
        {"display_name": text[:80], "bio": text, "title": text[:120], "affiliation": text[:200],
         "competing_interests": text[:1000], "pronouns": text[:40]},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    author.refresh_from_db()
    post = PostFactory(author=author)
    client.logout()
    author_page = reverse("blog:author", kwargs={"slug": author.slug})
    for url in (post.get_absolute_url(), author_page, author.get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        _assert_inert(page.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("website", ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,x",
                                     "vbscript:x", "https://ok.example/\"><script>"])  # fmt: skip
def test_hostile_websites_are_refused_or_shown_inert(client, reader, website):
    client.force_login(reader)
    client.post("/accounts/me/edit/", {"display_name": "Anna", "website": website})
    reader.refresh_from_db()
    assert not reader.website.lower().strip().startswith(DANGEROUS_SCHEMES)
    _assert_inert(client.get(reader.get_absolute_url()).content.decode())


@pytest.mark.django_db
def test_invisible_and_direction_changing_characters_are_dropped_from_display_names(client, reader):
    client.force_login(reader)
    client.post("/accounts/me/edit/", {"display_name": "Pro\u200bf\u00a0\u202eG\u202c"})
    reader.refresh_from_db()
    assert reader.display_name == "Prof G"
