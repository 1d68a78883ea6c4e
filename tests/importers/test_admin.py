"""The import page: editors upload an export, a background task imports it, the report shows."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from blog.models import Post
from importers.admin import ImportRunForm
from importers.models import ImportRun
from tests.conftest import _role
from tests.factories import UserFactory

from .builders import wxr, wxr_author, wxr_comment, wxr_post

pytestmark = pytest.mark.django_db

ADD = reverse("admin:importers_importrun_add")
PROF = wxr_author(id=7, login="prof", email="prof@old.example")


@pytest.fixture(autouse=True)
def _private_uploads(tmp_path, settings):
    settings.CHARCOT_IMPORTERS_UPLOAD_ROOT = str(tmp_path / "uploads")


def signed_in(role=None, **extra) -> Client:
    user = UserFactory(username=f"{role or 'plain'}-user", is_staff=True,
                       groups=[_role(role)] if role else [], **extra)  # fmt: skip
    client = Client()
    client.force_login(user)
    return client


def upload(data: bytes, name="blog.xml"):
    return SimpleUploadedFile(name, data, content_type="text/xml")


def test_an_editor_uploads_an_export_and_reads_the_report(
    django_capture_on_commit_callbacks, tmp_path
):
    client = signed_in("Editors")
    data = wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=[wxr_comment(1)])])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, {"source": "wordpress", "file": upload(data)})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.DONE
    assert Post.objects.filter(slug="ebv").exists()
    page = BeautifulSoup(
        client.get(reverse("admin:importers_importrun_change", args=[run.pk])).content,
        "html.parser",
    )
    report = page.select_one("pre").get_text()
    assert "1  posts imported" in report
    assert "1  comments approved" in report
    assert page.select_one("progress")["value"] == "100"
    assert not list((tmp_path / "uploads").rglob("*.xml")), "the export is not kept"


def test_a_dry_run_from_the_admin_saves_nothing_but_the_report(django_capture_on_commit_callbacks):
    client = signed_in("Editors")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            ADD,
            {
                "source": "wordpress",
                "file": upload(wxr(authors=[PROF], posts=[wxr_post(10)])),
                "dry_run": "on",
            },
        )
    run = ImportRun.objects.get()
    assert "Dry run" in run.report
    assert not Post.objects.exists()


def test_a_broken_file_ends_the_run_as_failed_with_the_reason(django_capture_on_commit_callbacks):
    client = signed_in("Editors")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, {"source": "blogger", "file": upload(b"<rss><channel>")})
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED
    assert "expected <feed>" in run.report


def test_an_upload_claiming_two_gigabytes_is_refused_before_any_import():
    claimed = upload(b"<rss/>")
    claimed.size = 2 * 1024**3 + 1
    form = ImportRunForm(data={"source": "wordpress"}, files={"file": claimed})
    assert not form.is_valid()
    assert "imports take files up to" in form.errors["file"][0]


@override_settings(CHARCOT_IMPORTERS_MAX_FILE_BYTES=100)
def test_the_admin_refuses_a_file_over_the_limit_with_a_message():
    response = signed_in("Editors").post(ADD, {"source": "wordpress", "file": upload(b"x" * 200)})
    assert response.status_code == 200
    assert "imports take files up to" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("role", ["Authors", "Moderators", None])
def test_authors_moderators_and_other_staff_may_not_import(role):
    client = signed_in(role)
    assert client.get(ADD).status_code in (302, 403)
    assert client.post(ADD, {"source": "wordpress", "file": upload(b"<rss/>")}).status_code in (
        302,
        403,
    )
    assert not ImportRun.objects.exists()


def test_a_superuser_may_import():
    assert signed_in(is_superuser=True).get(ADD).status_code == 200


def test_nobody_edits_or_deletes_a_run():
    run = ImportRun.objects.create(source="wordpress", file="x.xml")
    client = signed_in("Editors")
    assert (
        client.post(
            reverse("admin:importers_importrun_delete", args=[run.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ImportRun.objects.exists()
