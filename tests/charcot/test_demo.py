import pytest
from django.core.management import call_command

from accounts.models import User
from blog.models import Post
from comments.models import Comment


def _counts():
    return (User.objects.count(), Post.objects.count(), Comment.objects.count())


@pytest.mark.django_db
def test_demo_creates_an_author_a_moderator_and_a_reader_and_prints_their_passwords(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for role in ("author", "moderator", "reader"):
        assert role in out
    for username in ("profg", "mod", "reader"):
        assert User.objects.filter(username=username).exists()
        assert f"username: {username}" in out
    assert Post.objects.published().exists()


@pytest.mark.django_db
def test_running_demo_twice_duplicates_nothing():
    call_command("demo")
    first = _counts()
    call_command("demo")
    assert _counts() == first


@pytest.mark.django_db
def test_demo_passwords_it_prints_actually_sign_in(client, capsys):
    call_command("demo")
    from demo.accounts import DEMO_ACCOUNTS

    for username, password, _profile in DEMO_ACCOUNTS.values():
        assert client.login(username=username, password=password)
        user = User.objects.get(username=username)
        assert user.check_password(password)
