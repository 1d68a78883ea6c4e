import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from accounts import roles
from accounts.models import User
from demo import accounts as demo


@pytest.mark.django_db
def test_demo_authors_have_full_profiles_one_with_a_picture_one_with_initials(client):
    people = demo.seed()
    prof_g, lena = people["author"], people["second_author"]
    for author in (prof_g, lena):
        author.full_clean()  # ORCID checksums, URLs
        assert author.is_author
        assert author.is_staff
        assert author.title
        assert author.affiliation
        assert author.bio_html
        assert author.orcid
    assert prof_g.avatar_small
    assert prof_g.avatar_large
    assert not lena.avatar_small
    page = BeautifulSoup(
        client.get(reverse("blog:author", kwargs={"slug": prof_g.slug})).content, "html.parser"
    )
    assert page.select_one(".profile-card img.avatar")
    lena_page = BeautifulSoup(client.get(lena.get_absolute_url()).content, "html.parser")
    assert lena_page.select_one(".profile-card span.avatar").text == "LR"


@pytest.mark.django_db
def test_demo_has_a_moderator_an_editor_and_several_readers_without_roles():
    people = demo.seed()
    assert people["moderator"].is_moderator
    assert not people["moderator"].is_author
    assert people["editor"].is_editor
    assert len(people.readers) >= 4
    for reader in people.readers:
        assert not reader.is_staff
        assert not reader.role_names & set(roles.ALL)


@pytest.mark.django_db
def test_seeding_twice_keeps_the_same_people_roles_and_avatar():
    first = demo.seed()
    avatar = first["author"].avatar_small.name
    count = User.objects.count()
    second = demo.seed()
    assert User.objects.count() == count
    assert User.objects.get(pk=second["author"].pk).avatar_small.name == avatar
    assert second["author"].groups.count() == 1


@pytest.mark.django_db
def test_the_demo_command_still_prints_the_three_sign_ins(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for username, password in [("profg", "charcot-author-demo"), ("mod", "charcot-moderator-demo"),
                               ("reader", "charcot-reader-demo")]:  # fmt: skip
        assert f"username: {username}" in out
        assert password in out
