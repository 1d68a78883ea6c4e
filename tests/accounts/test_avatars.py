import io
import struct

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import conf
from accounts.avatars import avatar_html
from accounts.models import User
from tests.factories import UserFactory

from .conftest import image_upload

GPS_IFD = 0x8825


def _edit(client, **data):
    return client.post("/accounts/me/edit/", {"display_name": "Anna", **data})


def _stored_avatars():
    if not default_storage.exists("avatars"):
        return []
    return ["avatars/" + name for name in default_storage.listdir("avatars")[1]]


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    return exif


def _png_with_declared_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: the shape of a decompression bomb."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.django_db
def test_an_uploaded_photo_becomes_small_and_large_squares_and_the_original_is_not_kept(
    client, reader
):
    client.force_login(reader)
    before = set(_stored_avatars())
    response = _edit(client, avatar=image_upload(size=(600, 400)))
    assert response.status_code == 302
    reader.refresh_from_db()
    small = Image.open(reader.avatar_small.open())
    large = Image.open(reader.avatar_large.open())
    assert small.size == (conf.AVATAR_SMALL_SIZE, conf.AVATAR_SMALL_SIZE)
    assert large.size == (conf.AVATAR_LARGE_SIZE, conf.AVATAR_LARGE_SIZE)
    new_files = set(_stored_avatars()) - before
    assert new_files == {reader.avatar_small.name, reader.avatar_large.name}
    assert "photo" not in reader.avatar_small.name


@pytest.mark.django_db
def test_an_avatar_from_a_phone_comes_out_without_its_gps_location(client, reader):
    upload = image_upload(exif=_gps_exif())
    assert GPS_IFD in Image.open(io.BytesIO(upload.read())).getexif()
    upload.seek(0)
    client.force_login(reader)
    _edit(client, avatar=upload)
    reader.refresh_from_db()
    for rendition in (reader.avatar_small, reader.avatar_large):
        data = rendition.open().read()
        exif = Image.open(io.BytesIO(data)).getexif()
        assert GPS_IFD not in exif
        assert 0x010F not in exif
        assert b"PhoneMaker" not in data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.jpg", b"just some text", content_type="image/jpeg"), "not an image"),
        (SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                            content_type="image/svg+xml"), "not an image"),
        (SimpleUploadedFile("huge.png", _png_with_declared_size(7_000, 7_000), content_type="image/png"),
         "too many pixels"),
        # Past Pillow's own bomb limit charcot.images refuses it before looking further.
        (SimpleUploadedFile("bomb.png", _png_with_declared_size(50_000, 50_000), content_type="image/png"),
         "not an image we can read"),
        (image_upload(name="big.bmp", fmt="BMP"), "Upload a JPEG, PNG, GIF or WebP image"),
    ],
    ids=["text", "svg", "too-many-pixels", "decompression-bomb", "bmp"],
)  # fmt: skip
def test_uploads_that_are_not_safe_raster_images_are_refused_with_a_clear_message(
    client, reader, upload, message
):
    client.force_login(reader)
    response = _edit(client, avatar=upload, bio="My typed bio survives")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["avatar"])
    assert message in errors
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("textarea", {"name": "bio"}).text.strip() == "My typed bio survives"
    reader.refresh_from_db()
    assert not reader.avatar_small
    assert reader.bio == ""


@pytest.mark.django_db
def test_an_image_over_the_byte_limit_is_refused_before_it_is_decoded(client, reader, monkeypatch):
    monkeypatch.setattr(conf, "AVATAR_MAX_BYTES", 1024)
    upload = image_upload(size=(800, 800))
    assert upload.size > 1024
    client.force_login(reader)
    response = _edit(client, avatar=upload)
    assert "too large" in " ".join(response.context["form"].errors["avatar"])


@pytest.mark.django_db
def test_replacing_or_removing_an_avatar_deletes_the_old_files(
    client, reader, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, avatar=image_upload())
    reader.refresh_from_db()
    first = [reader.avatar_small.name, reader.avatar_large.name]
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, avatar=image_upload(colour=(0, 0, 200)))
    reader.refresh_from_db()
    assert all(not default_storage.exists(name) for name in first)
    second = [reader.avatar_small.name, reader.avatar_large.name]
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, remove_avatar="on")
    reader.refresh_from_db()
    assert not reader.avatar_small
    assert not reader.avatar_large
    assert all(not default_storage.exists(name) for name in second)


@pytest.mark.django_db
def test_people_without_a_picture_get_their_initials_on_a_colour_not_a_broken_image(client):
    person = UserFactory(display_name="Lena Ruiz")
    response = client.get(person.get_absolute_url())
    soup = BeautifulSoup(response.content, "html.parser")
    placeholder = soup.select_one(".profile-card .avatar")
    assert placeholder.name == "span"
    assert placeholder.text == "LR"
    assert f"avatar--c{person.avatar_colour}" in placeholder["class"]
    assert placeholder["aria-hidden"] == "true"
    assert not soup.select(".profile-card img")
    assert "style=" not in response.content.decode()


def test_initials_and_colour_come_from_the_public_name():
    assert User(display_name="Anna Kowalski").initials == "AK"
    assert User(display_name="anna").initials == "A"
    assert User(display_name="Dr. Lena María Ruiz").initials == "LR"
    assert User(display_name="Prof G").initials == "G"
    assert User(display_name="Dr").initials == "D"
    assert User(username="x", display_name="!!!").initials == "?"
    assert User(display_name="Zoë Ødegaard").initials == "ZØ"
    assert User(display_name="Prof G").avatar_colour == User(display_name="Prof G").avatar_colour


@pytest.mark.django_db
def test_drawing_an_avatar_needs_no_queries(django_assert_num_queries, reader):
    person = User.objects.get(pk=reader.pk)
    with django_assert_num_queries(0):
        html = avatar_html(person) + avatar_html(None, name="Anon Y")
    assert "AR" in html  # Anna Reader
    assert "AY" in html
