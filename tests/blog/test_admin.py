import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from blog.models import Post
from tests.blog.factories import ReferenceFactory
from tests.blog.test_references import recorded
from tests.factories import CategoryFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def form_data(post=None, **overrides):
    """What the admin's post form submits, with empty reference and correction inlines."""
    data = {
        "title": post.title if post else "Siponimod in active SPMS",
        "slug": post.slug if post else "",
        "category": post.category_id if post and post.category_id else "",
        "standfirst": "Summary.",
        "body": "Body with *Markdown*, citing nothing (a citation needs a reference row).",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "featured_image_alt": "",
        "reviewed_at": "",
        "reviewed_by": "",
        "conflict_of_interest": "",
        "disclaimer": "",
        "comments_open": "on",
        "comments_close_at_0": "",
        "comments_close_at_1": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    if post is not None:
        data["author"] = post.author_id
        if post.published_at:
            data["status"] = post.status
            data["published_at_0"] = post.published_at.strftime("%Y-%m-%d")
            data["published_at_1"] = post.published_at.strftime("%H:%M:%S")
    data.update(overrides)
    return data


def png_bytes(exif=False, size=(40, 30)):
    image = Image.new("RGB", size, "#1f4e79")
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def test_author_sees_and_edits_only_their_own_posts(client, staff_author, other_author):
    mine = PostFactory(author=staff_author, title="Mine")
    theirs = PostFactory(author=other_author, title="Theirs")
    client.force_login(staff_author)
    changelist = client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert "Mine" in changelist
    assert "Theirs" not in changelist
    assert client.get(change_url(mine)).status_code == 200
    # Someone else's post: not even visible, and a forged POST changes nothing.
    assert client.get(change_url(theirs)).status_code in (302, 403, 404)
    client.post(change_url(theirs), form_data(theirs, title="Hijacked"))
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_author_cannot_delete_another_authors_post(client, staff_author, other_author):
    theirs = PostFactory(author=other_author)
    client.force_login(staff_author)
    client.post(reverse("admin:blog_post_delete", args=[theirs.pk]), {"post": "yes"})
    assert Post.objects.filter(pk=theirs.pk).exists()


def test_editor_can_edit_every_post(client, editor, other_author):
    theirs = PostFactory(author=other_author, title="Theirs")
    client.force_login(editor)
    response = client.post(change_url(theirs), form_data(theirs, title="Edited by the editor"))
    assert response.status_code == 302, response.content.decode()[:2000]
    theirs.refresh_from_db()
    assert theirs.title == "Edited by the editor"
    assert theirs.author == other_author


def test_new_post_by_an_author_is_theirs_whatever_the_form_says(client, staff_author, other_author):
    client.force_login(staff_author)
    data = form_data(author=other_author.pk, title="My new post", body="Cited [@1].")
    data.update({"references-TOTAL_FORMS": "1", "references-0-order": "1",
                 "references-0-title": "A study"})  # fmt: skip
    response = client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302
    post = Post.objects.get(title="My new post")
    assert post.author == staff_author
    assert post.slug == "my-new-post"
    assert "#ref-1" in post.body_html


def test_reader_without_staff_role_cannot_open_the_post_admin(client):
    client.force_login(UserFactory(username="plain"))
    response = client.get(reverse("admin:blog_post_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_published_posts_slug_is_read_only_in_admin(client, staff_author):
    post = PostFactory(author=staff_author, slug="stable-slug")
    client.force_login(staff_author)
    page = client.get(change_url(post)).content.decode()
    assert 'name="slug"' not in page
    client.post(change_url(post), form_data(post, slug="changed-slug", title="New title"))
    post.refresh_from_db()
    assert post.slug == "stable-slug"
    assert post.title == "New title"


def test_draft_slug_is_editable_in_admin(client, staff_author):
    post = PostFactory(author=staff_author, draft=True)
    client.force_login(staff_author)
    assert 'name="slug"' in client.get(change_url(post)).content.decode()


def test_admin_offers_the_markdownx_editor_filters_search_and_view_on_site(client, editor):
    post = PostFactory(author=editor)
    client.force_login(editor)
    page = client.get(change_url(post)).content.decode()
    assert "markdownx-editor" in page
    assert 'data-markdownx-upload-urls-path="/markdownx/upload/"' in page
    assert "View on site" in page
    assert 'name="references-0-fill"' in page
    changelist = client.get(reverse("admin:blog_post_changelist"), {"q": post.title})
    assert changelist.status_code == 200
    assert "By status" in changelist.content.decode()


def test_reference_rows_are_saved_in_order_and_can_be_filled_from_a_doi(
    client, staff_author, monkeypatch
):
    from blog import references

    monkeypatch.setattr(
        references, "fetch_json",
        lambda url, **kw: json.loads(recorded("doi_10.1126_science.abj8222.csl.json")),
    )  # fmt: skip
    post = PostFactory(author=staff_author)
    client.force_login(staff_author)
    data = form_data(post)
    data.update({
        "references-TOTAL_FORMS": "2",
        "references-0-order": "2", "references-0-title": "Hand-typed second",
        "references-1-order": "1", "references-1-fill": "on",
        "references-1-doi": "https://doi.org/10.1126/science.abj8222",
    })  # fmt: skip
    response = client.post(change_url(post), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    refs = list(post.references.order_by("order"))
    assert [r.title[:12] for r in refs] == ["Longitudinal", "Hand-typed s"]
    assert refs[0].doi == "10.1126/science.abj8222"
    assert refs[0].journal == "Science"


def test_malformed_doi_in_admin_shows_a_clear_error_on_the_row(client, staff_author):
    post = PostFactory(author=staff_author)
    client.force_login(staff_author)
    data = form_data(post)
    data.update({"references-TOTAL_FORMS": "1", "references-0-order": "1",
                 "references-0-title": "A study", "references-0-doi": "doi 10-1126"})  # fmt: skip
    response = client.post(change_url(post), data)
    assert response.status_code == 200
    assert "starts with “10.” and contains a slash" in response.content.decode()
    assert not post.references.exists()


def test_featured_image_is_verified_and_reencoded_without_exif(client, staff_author):
    post = PostFactory(author=staff_author)
    client.force_login(staff_author)
    upload = SimpleUploadedFile("holiday.jpg", png_bytes(exif=True), content_type="image/jpeg")
    data = form_data(post, featured_image=upload, featured_image_alt="An MRI scanner")
    assert client.post(change_url(post), data).status_code == 302
    post.refresh_from_db()
    assert "holiday" not in post.featured_image.name
    with default_storage.open(post.featured_image.name) as stored:
        assert not Image.open(stored).getexif()


def test_featured_image_that_is_not_an_image_is_refused_with_a_message(client, staff_author):
    post = PostFactory(author=staff_author)
    client.force_login(staff_author)
    upload = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(change_url(post), form_data(post, featured_image=upload,
                                                       featured_image_alt="x"))  # fmt: skip
    assert response.status_code == 200
    post.refresh_from_db()
    assert not post.featured_image


def test_publish_and_withdraw_actions_go_through_the_services(client, editor):
    draft = PostFactory(draft=True)
    live = PostFactory()
    client.force_login(editor)
    url = reverse("admin:blog_post_changelist")
    client.post(url, {"action": "publish_now", "_selected_action": [draft.pk]})
    client.post(url, {"action": "withdraw", "_selected_action": [live.pk]})
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.is_published()
    assert live.status == Post.Status.DRAFT


# The markdownx endpoints: preview and image upload.


@pytest.mark.parametrize("who", ["anonymous", "reader", "staff_without_role"])
def test_markdownx_upload_and_preview_refuse_everyone_but_authors_and_editors(client, who):
    if who == "reader":
        client.force_login(UserFactory(username="a-reader"))
    elif who == "staff_without_role":
        client.force_login(UserFactory(username="staff-only", is_staff=True))
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    assert client.post(reverse("markdownx_upload"), {"image": upload}).status_code == 403
    assert client.post(reverse("markdownx_markdownify"), {"content": "x"}).status_code == 403


def test_markdownx_upload_by_an_author_is_reencoded_with_a_random_name(client, staff_author):
    client.force_login(staff_author)
    upload = SimpleUploadedFile("patient-name.jpg", png_bytes(exif=True), content_type="image/jpeg")
    response = client.post(
        reverse("markdownx_upload"),
        {"image": upload},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![Describe this image](/media/markdownx/")
    assert "patient-name" not in code
    name = code[code.index("/media/") + len("/media/") : -1]
    with default_storage.open(name) as stored:
        assert not Image.open(stored).getexif()
    # And the uploaded image is accepted in a post body.
    post = PostFactory(body=code)
    assert f'src="/media/{name}"' in post.body_html


def test_markdownx_upload_refuses_files_that_are_not_images(client, staff_author):
    client.force_login(staff_author)
    upload = SimpleUploadedFile("evil.gif", b"GIF89a<script>", content_type="image/gif")
    response = client.post(reverse("markdownx_upload"), {"image": upload})
    assert response.status_code == 400
    assert "not an image" in response.json()["image"][0]


def test_markdownx_preview_uses_the_post_sanitizer(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("markdownx_markdownify"),
        {"content": "Cited [@1] <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    html = response.content.decode()
    assert 'href="#ref-1"' in html
    assert "<script>" not in html
    # The forbidden link stays the harmless text it was typed as.
    assert 'href="javascript:' not in html
    assert "[x](javascript:alert(1))" in html


def test_category_admin_creates_a_hashtag_category(client, editor):
    client.force_login(editor)
    client.post(
        reverse("admin:blog_category_add"), {"name": "Research Speak", "slug": "researchspeak"}
    )
    assert CategoryFactory._meta.model.objects.get(slug="researchspeak").hashtag == "#ResearchSpeak"


def test_existing_references_show_in_the_admin(client, staff_author):
    post = PostFactory(author=staff_author)
    ReferenceFactory(post=post, title="Recorded study")
    client.force_login(staff_author)
    assert "Recorded study" in client.get(change_url(post)).content.decode()


def test_fill_button_endpoint_returns_the_looked_up_reference(client, staff_author, monkeypatch):
    from blog import references

    monkeypatch.setattr(
        references, "fetch_json",
        lambda url, **kw: json.loads(recorded("esummary_35025605.json")),
    )  # fmt: skip
    client.force_login(staff_author)
    url = reverse("admin:blog_post_lookup_reference")
    data = client.get(url, {"pmid": "35025605"}).json()
    assert data["reference"]["doi"] == "10.1126/science.abj8222"
    page = client.get(reverse("admin:blog_post_add")).content.decode()
    assert f'data-lookup-url="{url}"' in page
    assert "/static/js/blog-admin.js" in page


def test_fill_button_endpoint_explains_failures_and_refuses_outsiders(client, staff_author):
    url = reverse("admin:blog_post_lookup_reference")
    assert client.get(url, {"doi": "10.1/x"}).status_code == 302  # to the admin login
    client.force_login(UserFactory(username="staff-no-role", is_staff=True))
    assert client.get(url, {"doi": "10.1/x"}).status_code == 302  # role-less staff: no admin
    client.force_login(staff_author)
    response = client.get(url, {"doi": "not a doi"})
    assert response.status_code == 400
    assert "is not a DOI" in response.json()["error"]


def test_post_admin_never_lists_readers_in_the_author_choices_or_filter(
    client, editor, other_author
):
    UserFactory(username="quiet-reader", display_name="Quiet Reader")
    PostFactory(author=other_author)
    client.force_login(editor)
    add_page = client.get(reverse("admin:blog_post_add")).content.decode()
    changelist = client.get(reverse("admin:blog_post_changelist")).content.decode()
    assert "Dr Other" in add_page
    assert "Dr Other" in changelist
    assert "Quiet Reader" not in add_page
    assert "Quiet Reader" not in changelist
