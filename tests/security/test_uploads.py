"""Hostile uploads: only real raster images get in, and only as freshly encoded files."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from PIL import Image

from charcot.images import open_verified_image, reencode_image
from tests.factories import UserFactory

PAYLOAD = b"<script>alert(document.cookie)</script>"


def _png(size=(8, 8), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (16, 16), (10, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png_bomb(width=30_000, height=30_000) -> bytes:
    """A tiny file that claims 900 megapixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def _gif_js_polyglot() -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF")
    return out.getvalue() + b"*/=1;" + PAYLOAD


REFUSED = {
    "svg-with-script": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
    "html-named-png": b"<!DOCTYPE html><html><body>" + PAYLOAD + b"</body></html>",
    "png-header-then-html": b"\x89PNG\r\n\x1a\n" + PAYLOAD,
    "truncated-png": _png()[:40],
    "pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + PAYLOAD,
    "zip": b"PK\x03\x04" + b"\x00" * 26 + PAYLOAD,
    "empty": b"",
    "decompression-bomb": _png_bomb(),
}


def _bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="BMP")
    return out.getvalue()


REFUSED["bmp-not-on-the-list"] = _bmp()


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_anything_but_a_real_raster_image_is_refused_with_a_clear_message(data):
    with pytest.raises(ValidationError) as refused:
        open_verified_image(SimpleUploadedFile("photo.png", data, content_type="image/png"))
    assert refused.value.messages[0].endswith(".")


def test_an_image_over_the_byte_limit_is_refused_before_decoding():
    upload = SimpleUploadedFile("big.png", _png(), content_type="image/png")
    with pytest.raises(ValidationError, match="too large"):
        open_verified_image(upload, max_bytes=20)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_png() + PAYLOAD, id="png-with-trailing-html"),
        pytest.param(_gif_js_polyglot(), id="gif-javascript-polyglot"),
    ],
)
def test_polyglot_payloads_do_not_survive_re_encoding(data):
    image = open_verified_image(SimpleUploadedFile("x.gif", data))
    fresh = reencode_image(image).read()
    assert PAYLOAD not in fresh
    assert b"<script" not in fresh.lower()


def test_re_encoding_strips_exif_and_gps_and_picks_a_random_name():
    image = open_verified_image(SimpleUploadedFile("holiday.jpg", _jpeg_with_gps()))
    assert image.getexif(), "the test image carries EXIF to begin with"
    first = reencode_image(image)
    second = reencode_image(image)
    reopened = Image.open(io.BytesIO(first.read()))
    assert not reopened.getexif()
    assert b"PhoneMaker" not in first.open().read()
    assert first.name != second.name
    assert first.name.rsplit(".", 1)[1] in {"jpg", "png"}
    assert "holiday" not in first.name


def _markdownx_upload_guarded() -> bool:
    try:
        reverse("blog:search")
    except NoReverseMatch:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.xfail(
    condition=not _markdownx_upload_guarded(),
    reason="markdownx's own upload view is open until the posts work lands (it restricts it)",
    strict=True,
)
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_the_markdown_image_upload_is_closed_to_visitors_without_an_author_role(client, who):
    if who == "reader":
        client.force_login(UserFactory(username="plain-reader"))
    response = client.post(
        reverse("markdownx_upload"),
        {"image": SimpleUploadedFile("a.png", _png(), content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code in (302, 400, 403, 404, 405)
    assert b"image_code" not in response.content
