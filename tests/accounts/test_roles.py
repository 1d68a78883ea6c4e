import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from accounts.services import user_set_roles
from tests.factories import PostFactory, UserFactory


def _fresh(user):
    """Permissions and roles are cached per instance; read them again."""
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_the_data_migration_creates_exactly_the_three_role_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL) <= names


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ALL)
def test_each_role_group_has_exactly_the_permissions_listed_for_it(role_group, role):
    group = role_group(role)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert granted == roles.PERMISSIONS[role]


@pytest.mark.django_db
def test_authors_write_posts_with_references_and_moderate_comments_but_delete_no_comment(
    author_role,
):
    author = _fresh(author_role)
    assert author.has_perms(["blog.add_post", "blog.change_post", "blog.view_post"])
    # Model-wide, narrowed by the post admin to their own posts (deleting: their own drafts).
    assert author.has_perms(["blog.delete_post", "blog.add_reference", "blog.change_correction"])
    assert author.has_perms(["comments.view_comment", "comments.change_comment"])
    assert not author.has_perm("comments.delete_comment")
    assert not author.has_perm("comments.change_ban")
    assert not author.has_perm("blog.change_category")
    assert not author.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_an_authors_permission_is_model_wide_so_ownership_is_checked_per_object(author_role):
    # The model permission alone never grants a particular post: object checks say no,
    # and the post admin restricts authors to their own posts.
    others = PostFactory(author=UserFactory(username="someone-else"))
    author = _fresh(author_role)
    assert author.has_perm("blog.change_post")
    assert not author.has_perm("blog.change_post", others)


@pytest.mark.django_db
def test_an_author_cannot_edit_another_authors_post_in_the_admin(client, author_role):
    from django.contrib import admin

    from blog.models import Post

    if not admin.site.is_registered(Post):
        pytest.skip("The blog app's PostAdmin is not on this branch yet.")
    own = PostFactory(author=author_role)
    others = PostFactory(author=UserFactory(username="someone-else"))
    client.force_login(author_role)
    assert client.get(f"/admin/blog/post/{own.pk}/change/").status_code == 200
    response = client.get(f"/admin/blog/post/{others.pk}/change/")
    if response.status_code == 200:  # a read-only view is acceptable, an editable form is not
        assert response.context["has_change_permission"] is False
    else:
        assert response.status_code in (302, 403, 404)


@pytest.mark.django_db
def test_editors_edit_all_posts_and_their_categories_but_not_comments(editor):
    editor = _fresh(editor)
    assert editor.has_perms(["blog.change_post", "blog.add_post", "blog.change_category"])
    assert not editor.has_perm("comments.change_comment")
    assert not editor.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_moderators_handle_comments_reports_and_bans_but_not_posts(moderator_role):
    moderator = _fresh(moderator_role)
    assert moderator.has_perms(
        ["comments.change_comment", "comments.view_report", "comments.change_report",
         "comments.add_ban", "comments.delete_ban", "comments.view_moderationlog"]
    )  # fmt: skip
    assert not moderator.has_perm("comments.change_moderationlog")
    assert not moderator.has_perm("comments.delete_moderationlog")
    for permission in ("blog.view_post", "blog.change_post", "blog.add_post"):
        assert not moderator.has_perm(permission)


@pytest.mark.django_db
def test_readers_have_no_permissions(reader):
    assert _fresh(reader).get_all_permissions() == set()


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["author_role", "editor", "moderator_role"])
def test_people_with_a_role_reach_the_admin(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_superusers_reach_the_admin(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_readers_are_sent_to_the_admin_sign_in_page(client, reader):
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_staff_flag_without_a_role_does_not_open_the_admin(client):
    client.force_login(UserFactory(username="stray", is_staff=True))
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/blog/post/").status_code == 302


@pytest.mark.django_db
def test_moderators_cannot_open_posts_in_the_admin(client, moderator_role):
    from django.contrib import admin

    from blog.models import Post

    client.force_login(moderator_role)
    index = client.get("/admin/")
    assert "/admin/blog/post/" not in index.content.decode()
    if admin.site.is_registered(Post):
        assert client.get("/admin/blog/post/").status_code == 403


@pytest.mark.django_db
def test_setting_roles_keeps_the_staff_flag_in_step(role_group):
    person = UserFactory(username="person")
    user_set_roles(user=person, role_names=[roles.MODERATORS])
    person = _fresh(person)
    assert person.is_staff
    assert person.is_moderator
    user_set_roles(user=person, role_names=[])
    person = _fresh(person)
    assert not person.is_staff
    assert not person.is_moderator


@pytest.mark.django_db
def test_setting_roles_keeps_other_groups(role_group):
    newsletter = Group.objects.create(name="Newsletter")
    person = UserFactory(username="person", groups=[newsletter])
    user_set_roles(user=person, role_names=[roles.AUTHORS])
    assert set(_fresh(person).role_names) == {"Newsletter", roles.AUTHORS}


@pytest.mark.django_db
def test_unknown_roles_are_refused():
    with pytest.raises(ValueError, match="Unknown roles"):
        user_set_roles(user=User(), role_names=["Overlords"])


def _admin_change(client, person, **changes):
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None
        and key not in ("groups", "user_permissions", "password", "is_staff", "last_login", "date_joined")
    }  # fmt: skip
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "10:00:00", "is_active": "on"})
    data.update(changes)
    return client.post(f"/admin/accounts/user/{person.pk}/change/", data)


@pytest.mark.django_db
def test_changing_groups_in_the_user_admin_updates_the_staff_flag(client, role_group):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    person = UserFactory(username="person")
    response = _admin_change(client, person, groups=[role_group(roles.MODERATORS).pk])
    assert response.status_code == 302
    assert _fresh(person).is_staff
    response = _admin_change(client, person, groups=[])
    assert response.status_code == 302
    assert not _fresh(person).is_staff


@pytest.mark.django_db
def test_staff_give_a_guest_author_a_picture_through_the_same_checks(client, role_group):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import image_upload

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    guest = UserFactory(username="guest", groups=[role_group(roles.AUTHORS)])
    bad = _admin_change(
        client, guest, avatar_upload=SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")
    )
    assert bad.status_code == 200
    assert "not an image" in " ".join(bad.context["adminform"].form.errors["avatar_upload"])
    good = _admin_change(
        client, guest, avatar_upload=image_upload(), groups=[role_group(roles.AUTHORS).pk]
    )
    assert good.status_code == 302
    assert _fresh(guest).avatar_large.name.startswith("avatars/")


@pytest.mark.django_db
def test_role_groups_come_back_after_a_database_flush(role_group):
    Group.objects.all().delete()
    roles.sync_role_groups()
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ALL)


@pytest.mark.django_db
def test_the_role_badge_names_the_most_public_role_and_costs_no_query_once_prefetched(
    django_assert_num_queries, role_group, reader
):
    UserFactory(username="both", groups=[role_group(roles.MODERATORS), role_group(roles.AUTHORS)])
    UserFactory(username="mod-only", groups=[role_group(roles.MODERATORS)])
    people = {u.username: u for u in User.objects.prefetch_related("groups")}
    with django_assert_num_queries(0):
        assert people["both"].role_badge == "Author"
        assert people["mod-only"].role_badge == "Moderator"
        assert people["reader"].role_badge == ""


def test_every_admin_page_names_the_blog_not_django(client, moderator, settings):
    """Found trying the import page as the editor: the tab said "Django site admin"."""
    settings.SITE_NAME = "Charcot"
    for url in ("/admin/login/", "/admin/"):
        if url == "/admin/":
            client.force_login(moderator)
        page = client.get(url).content.decode()
        assert "<title>" in page
        assert "Django site admin" not in page
        assert "Django administration" not in page
        assert "Charcot admin" in page
