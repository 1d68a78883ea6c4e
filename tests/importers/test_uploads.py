"""--uploads: images of a local wp-content/uploads copy go through Charcot's image pipeline."""

import io

import pytest
from django.test import Client
from PIL import Image

from blog.models import Post

from .builders import wxr, wxr_author, wxr_post
from .conftest import page

pytestmark = pytest.mark.django_db

PROF = wxr_author(id=7, login="prof", email="prof@old.example")
OLD = "https://old.example/wp-content/uploads"


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2020/01").mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    (folder / "2020/01/mri.png").write_bytes(buffer.getvalue())
    (folder / "2020/01/fake.jpg").write_bytes(b"not an image at all")
    (tmp_path / "secret.png").write_bytes(buffer.getvalue())
    return folder


def content():
    return (
        f'<p><img src="{OLD}/2020/01/mri.png" alt="MRI" /></p>'
        f'<p><img src="{OLD}/2020/01/mri.png" alt="Same again" /></p>'
        f'<p><img src="{OLD}/2020/01/fake.jpg" alt="Broken" /></p>'
        f'<p><img src="{OLD}/../secret.png" alt="Outside" /></p>'
        '<p><img src="https://cdn.example/remote.jpg" alt="Remote" /></p>'
    )


def test_local_images_are_imported_once_and_the_rest_stay_links(run_import, uploads):
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="img", content=content())]),
                        "--uploads", str(uploads))  # fmt: skip
    article = page(Client().get("/2020/01/img/")).select_one("article")
    sources = [img["src"] for img in article.select("img")]
    assert len(sources) == 2
    assert sources[0].startswith("/media/imported/")
    assert sources[1] == sources[0]
    links = {
        a.get_text(): a["href"] for a in article.select("a") if a.get_text().startswith("Image")
    }
    assert links == {
        "Image: Broken": f"{OLD}/2020/01/fake.jpg",
        "Image: Outside": f"{OLD}/../secret.png",
        "Image: Remote": "https://cdn.example/remote.jpg",
    }
    assert "1  images imported" in result
    assert "1  images unreadable" in result
    assert "3  remote images left as links" in result


def test_without_uploads_every_image_stays_a_link_and_is_counted(run_import):
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="img", content=content())]))
    assert "4  remote images left as links" in result
    assert "/media/" not in Post.objects.get().body


def test_a_missing_uploads_folder_is_a_clear_error(run_import, tmp_path):
    result = run_import(
        wxr(authors=[PROF], posts=[wxr_post(10)]), "--uploads", str(tmp_path / "nope")
    )
    assert "no such folder" in result.error
    assert not Post.objects.exists()


def test_a_caption_shortcode_around_a_local_image_becomes_a_captioned_figure(run_import, uploads):
    caption = (
        f'[caption id="attachment_5" align="alignnone" width="300"]<a href="{OLD}/2020/01/mri.png">'
        f'<img src="{OLD}/2020/01/mri.png" alt="An MRI scan" /></a> Lesions on MRI[/caption]'
    )
    run_import(
        wxr(authors=[PROF], posts=[wxr_post(10, slug="fig", content=caption)]),
        "--uploads",
        str(uploads),
    )
    figure = page(Client().get("/2020/01/fig/")).select_one("article figure")
    assert figure.img["alt"] == "An MRI scan"
    assert figure.img["src"].startswith("/media/imported/")
    assert figure.figcaption.get_text(strip=True) == "Lesions on MRI"
