"""The author's editor in admin, with the role groups exactly as accounts.roles defines them
(not hand-granted permissions): references, corrections and the medical review are edited
inline on the post by its author and by editors; publishing with an empty date; deleting
one's own drafts."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from blog.models import Post
from tests.blog.factories import CorrectionFactory, ReferenceFactory
from tests.blog.test_admin import change_url, form_data
from tests.blog.test_references import recorded
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def role(name):
    roles.sync_role_groups()
    return Group.objects.get(name=name)


@pytest.fixture
def writer():
    return UserFactory(username="real-author", is_staff=True, groups=[role(roles.AUTHORS)])


@pytest.fixture
def colleague():
    return UserFactory(username="real-colleague", is_staff=True, groups=[role(roles.AUTHORS)])


@pytest.fixture
def desk_editor():
    return UserFactory(username="real-editor", is_staff=True, groups=[role(roles.EDITORS)])


def with_rows(data, references=(), corrections=()):
    data = dict(data)
    data["references-TOTAL_FORMS"] = str(len(references))
    for index, row in enumerate(references):
        data.update({f"references-{index}-{name}": value for name, value in row.items()})
    data["corrections-TOTAL_FORMS"] = str(len(corrections))
    for index, row in enumerate(corrections):
        data.update({f"corrections-{index}-{name}": value for name, value in row.items()})
    return data


@pytest.mark.parametrize("person", ["writer", "desk_editor"])
def test_authors_and_editors_see_the_references_and_corrections_sections_on_the_post(
    client, request, person, writer
):
    post = PostFactory(author=writer)
    client.force_login(request.getfixturevalue(person))
    page = client.get(change_url(post)).content.decode()
    assert 'name="references-TOTAL_FORMS"' in page
    assert 'name="corrections-TOTAL_FORMS"' in page
    assert 'name="reviewed_at"' in page
    assert 'name="reviewed_by"' in page


def test_an_author_adds_references_and_a_correction_to_their_own_post(client, writer):
    post = PostFactory(author=writer, body="Cited [@1] and [@2].")
    client.force_login(writer)
    data = with_rows(
        form_data(post, reviewed_at="2026-05-01", reviewed_by="Dr A. Patel, neurologist"),
        references=[{"title": "First study", "year": "2021"}, {"title": "Second study"}],
        corrections=[{"corrected_at": "2026-06-01", "note": "The dose was 10 mg, not 100 mg."}],
    )
    response = client.post(change_url(post), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(r.order, r.title) for r in post.references.order_by("order")] == [
        (1, "First study"),
        (2, "Second study"),
    ]
    assert post.corrections.get().note == "The dose was 10 mg, not 100 mg."
    post.refresh_from_db()
    assert post.reviewed_by == "Dr A. Patel, neurologist"


def test_an_editor_edits_the_references_of_someone_elses_post(client, desk_editor, writer):
    post = PostFactory(author=writer)
    reference = ReferenceFactory(post=post, order=1, title="Old title")
    client.force_login(desk_editor)
    data = form_data(post)
    data.update({
        "references-TOTAL_FORMS": "1", "references-INITIAL_FORMS": "1",
        "references-0-id": reference.pk, "references-0-post": post.pk,
        "references-0-order": "1", "references-0-title": "Corrected title",
    })  # fmt: skip
    response = client.post(change_url(post), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reference.refresh_from_db()
    assert reference.title == "Corrected title"


def test_references_are_validated_for_authors_as_for_staff(client, writer):
    post = PostFactory(author=writer)
    client.force_login(writer)
    data = with_rows(form_data(post), references=[{"title": "A study", "doi": "doi 10-1126"}])
    response = client.post(change_url(post), data)
    assert response.status_code == 200
    assert "starts with “10.” and contains a slash" in response.content.decode()
    assert not post.references.exists()


def test_an_author_cannot_add_references_to_another_authors_post(client, writer, colleague):
    theirs = PostFactory(author=colleague)
    client.force_login(writer)
    data = with_rows(form_data(theirs), references=[{"title": "Planted"}])
    client.post(change_url(theirs), data)
    assert not theirs.references.exists()


def test_the_reference_admin_is_not_a_separate_page(client, desk_editor):
    client.force_login(desk_editor)
    assert client.get("/admin/blog/reference/").status_code == 404


def test_references_take_the_order_of_the_hidden_field_and_new_rows_go_last(client, writer):
    post = PostFactory(author=writer)
    first = ReferenceFactory(post=post, order=1, title="Was first")
    second = ReferenceFactory(post=post, order=2, title="Was second")
    client.force_login(writer)
    data = form_data(post)
    # The page moved "Was second" up (its hidden order fields now say 2 and 1); a new row
    # added without JavaScript carries no order.
    data.update({
        "references-TOTAL_FORMS": "3", "references-INITIAL_FORMS": "2",
        "references-0-id": first.pk, "references-0-post": post.pk,
        "references-0-order": "2", "references-0-title": first.title,
        "references-1-id": second.pk, "references-1-post": post.pk,
        "references-1-order": "1", "references-1-title": second.title,
        "references-2-order": "0", "references-2-title": "Added last",
    })  # fmt: skip
    response = client.post(change_url(post), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(r.order, r.title) for r in post.references.order_by("order")] == [
        (1, "Was second"),
        (2, "Was first"),
        (3, "Added last"),
    ]


def test_the_reference_order_is_a_hidden_field_not_a_number_to_type(client, writer):
    post = PostFactory(author=writer)
    client.force_login(writer)
    page = client.get(change_url(post)).content.decode()
    assert 'type="hidden" name="references-0-order"' in page
    assert "js/blog-admin.js" in page


def test_an_empty_reference_row_renumbered_by_the_page_is_ignored(client, writer):
    post = PostFactory(author=writer)
    client.force_login(writer)
    data = with_rows(form_data(post), references=[{"order": "1"}])
    assert client.post(change_url(post), data).status_code == 302
    assert not post.references.exists()


def test_an_author_fills_a_reference_from_a_recorded_doi(client, writer, monkeypatch):
    from blog import references

    monkeypatch.setattr(
        references, "fetch_json",
        lambda url, **kw: json.loads(recorded("doi_10.1126_science.abj8222.csl.json")),
    )  # fmt: skip
    client.force_login(writer)
    url = reverse("admin:blog_post_lookup_reference")
    answer = client.get(url, {"doi": "10.1126/science.abj8222"}).json()
    assert answer["reference"]["journal"] == "Science"


def test_the_lookup_says_clearly_when_the_service_cannot_be_reached(client, writer, monkeypatch):
    import urllib.request

    from blog import references

    def offline(*args, **kwargs):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    client.force_login(writer)
    url = reverse("admin:blog_post_lookup_reference")
    response = client.get(url, {"doi": "10.1126/science.abj8222"})
    assert response.status_code == 400
    assert "offline" in response.json()["error"]
    assert references  # the module whose network call failed


def test_a_reader_cannot_use_the_reference_lookup(client):
    client.force_login(UserFactory(username="just-reading"))
    url = reverse("admin:blog_post_lookup_reference")
    assert client.get(url, {"doi": "10.1126/science.abj8222"}).status_code == 302


# Defect 2: Published with an empty date.


def test_publishing_from_the_add_view_with_an_empty_date_sets_it_to_now(client, writer):
    client.force_login(writer)
    data = form_data(title="Published at once", status="published")
    response = client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get(title="Published at once")
    assert post.is_published()
    assert post.published_at is not None


def test_scheduling_with_an_empty_date_still_asks_for_one(client, writer):
    client.force_login(writer)
    data = form_data(title="Scheduled without a time", status="scheduled")
    response = client.post(reverse("admin:blog_post_add"), data)
    assert response.status_code == 200
    assert "A scheduled post needs a publication time." in response.content.decode()


# Defect 6: deleting drafts.


def test_an_author_deletes_their_own_draft(client, writer):
    draft = PostFactory(author=writer, draft=True)
    ReferenceFactory(post=draft)
    client.force_login(writer)
    url = reverse("admin:blog_post_delete", args=[draft.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Post.objects.filter(pk=draft.pk).exists()


def test_an_author_cannot_delete_their_own_published_post(client, writer):
    live = PostFactory(author=writer)
    client.force_login(writer)
    url = reverse("admin:blog_post_delete", args=[live.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Post.objects.filter(pk=live.pk).exists()


def test_an_author_cannot_delete_another_authors_draft(client, writer, colleague):
    theirs = PostFactory(author=colleague, draft=True)
    client.force_login(writer)
    client.post(reverse("admin:blog_post_delete", args=[theirs.pk]), {"post": "yes"})
    changelist = reverse("admin:blog_post_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [theirs.pk],
                             "post": "yes"})  # fmt: skip
    assert Post.objects.filter(pk=theirs.pk).exists()


def test_the_delete_action_removes_only_the_authors_own_drafts(client, writer):
    draft = PostFactory(author=writer, draft=True)
    live = PostFactory(author=writer)
    client.force_login(writer)
    changelist = reverse("admin:blog_post_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [draft.pk, live.pk],
                             "post": "yes"})  # fmt: skip
    assert Post.objects.filter(pk=live.pk).exists()


def test_editors_corrections_are_saved_on_someone_elses_post(client, desk_editor, writer):
    post = PostFactory(author=writer)
    CorrectionFactory(post=post)
    client.force_login(desk_editor)
    page = client.get(change_url(post)).content.decode()
    assert 'name="corrections-0-note"' in page


def test_without_javascript_a_reference_moves_up_one_place_on_save(client, writer):
    post = PostFactory(author=writer)
    refs = [ReferenceFactory(post=post, order=n, title=f"Ref {n}") for n in (1, 2, 3)]
    client.force_login(writer)
    data = form_data(post)
    data.update({"references-TOTAL_FORMS": "3", "references-INITIAL_FORMS": "3"})
    for index, reference in enumerate(refs):
        data.update({
            f"references-{index}-id": reference.pk, f"references-{index}-post": post.pk,
            f"references-{index}-order": str(reference.order),
            f"references-{index}-title": reference.title,
        })  # fmt: skip
    data["references-2-move"] = "up"
    response = client.post(change_url(post), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [r.title for r in post.references.order_by("order")] == ["Ref 1", "Ref 3", "Ref 2"]


def test_without_javascript_a_reference_moves_down_one_place_on_save(client, writer):
    post = PostFactory(author=writer)
    refs = [ReferenceFactory(post=post, order=n, title=f"Ref {n}") for n in (1, 2)]
    client.force_login(writer)
    data = form_data(post)
    data.update({"references-TOTAL_FORMS": "2", "references-INITIAL_FORMS": "2"})
    for index, reference in enumerate(refs):
        data.update({
            f"references-{index}-id": reference.pk, f"references-{index}-post": post.pk,
            f"references-{index}-order": str(reference.order),
            f"references-{index}-title": reference.title,
        })  # fmt: skip
    data["references-0-move"] = "down"
    assert client.post(change_url(post), data).status_code == 302
    assert [r.title for r in post.references.order_by("order")] == ["Ref 2", "Ref 1"]
    page = client.get(change_url(post)).content.decode()
    assert 'name="references-0-move"' in page
