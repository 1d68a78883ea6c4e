import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import Comment, MailOptOut
from tests.comments.conftest import anonymous_data, member_data
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy")]


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Post through the form and run the after-commit work, as a real request would."""

    def post_comment(post, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("comments:post", kwargs={"post_pk": post.pk}), data, **extra)

    return post_comment


def link_in(message, name) -> str:
    match = re.search(rf"https?://\S+/comments/{name}/\S+/", message.body)
    assert match, f"no {name} link in: {message.body}"
    return urlsplit(match.group(0)).path


def test_post_author_is_mailed_about_each_new_comment_with_one_click_unsubscribe(
    send, post, author
):
    send(post, anonymous_data(body="Interesting study."))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert "Interesting study." in message.body
    assert "maggie@example.com" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/comments/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_mail_waits_for_the_commit(client, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("comments:post", kwargs={"post_pk": post.pk}), anonymous_data())
    assert mail.outbox == []
    assert callbacks


def test_authors_are_not_mailed_about_their_own_or_held_comments(
    send, client, post, author, policy
):
    from comments.policy import Decision

    client.force_login(author)
    send(post, member_data())
    client.logout()
    policy.decision = Decision(status="pending", reason="held")
    send(post, anonymous_data())
    assert mail.outbox == []


def test_unsubscribe_link_stops_new_comment_mails_without_signing_in(send, client, post):
    send(post, anonymous_data())
    link = link_in(mail.outbox[0], "unsubscribe")
    assert client.get(link).status_code == 200
    assert not MailOptOut.objects.filter(email=post.author.email).exists()  # a scanner's visit
    response = client.post(link)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert MailOptOut.objects.filter(email=post.author.email).exists()
    mail.outbox.clear()
    send(post, anonymous_data())
    assert mail.outbox == []


def test_one_click_unsubscribe_accepts_a_post_from_the_mail_client(send, client, post):
    send(post, anonymous_data())
    url = link_in(mail.outbox[0], "unsubscribe")
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(url).status_code == 200
    assert MailOptOut.objects.filter(email=post.author.email).exists()


def test_anonymous_reply_notices_start_only_after_the_address_is_confirmed(send, client, post):
    MailOptOut.objects.create(email=post.author.email)  # keep the outbox to reply mail
    send(post, anonymous_data(email="rosa@example.com", notify="on", body="Question?"))
    question = Comment.objects.get(body="Question?")
    assert [m.to for m in mail.outbox] == [["rosa@example.com"]]
    confirm = link_in(mail.outbox[0], "confirm")
    mail.outbox.clear()
    send(post, anonymous_data(name="Tom", email="tom@example.com", parent=str(question.pk)))
    assert mail.outbox == []
    assert client.get(confirm).status_code == 200
    assert not Comment.objects.get(pk=question.pk).email_confirmed  # a link scanner's visit
    assert client.post(confirm).status_code == 200
    send(
        post,
        anonymous_data(
            name="Tom", email="tom@example.com", parent=str(question.pk), body="Answer!"
        ),
    )
    assert [m.to for m in mail.outbox] == [["rosa@example.com"]]
    assert "Answer!" in mail.outbox[0].body
    assert "tom@example.com" not in mail.outbox[0].body
    unsubscribe = link_in(mail.outbox[0], "unsubscribe")
    mail.outbox.clear()
    client.post(unsubscribe)
    send(post, anonymous_data(name="Ben", email="ben@example.com", parent=str(question.pk)))
    assert mail.outbox == []


def test_confirmation_mails_are_rate_limited_per_address(send, post):
    MailOptOut.objects.create(email=post.author.email)
    for number in range(5):
        send(
            post,
            anonymous_data(email="victim@example.com", notify="on", body=f"Comment {number}"),
            REMOTE_ADDR=f"198.51.100.{number}",
        )
    assert len(mail.outbox) == 3


def test_confirmation_mails_are_rate_limited_per_network_address(send, post):
    MailOptOut.objects.create(email=post.author.email)
    for number in range(12):
        send(
            post,
            anonymous_data(
                email=f"person{number}@example.com", notify="on", body=f"Comment {number}"
            ),
            REMOTE_ADDR="198.51.100.7",
        )
    assert len(mail.outbox) == 10


def test_members_hear_about_replies_to_their_comments(send, post, reader):
    MailOptOut.objects.create(email=post.author.email)
    mine = CommentFactory(post=post, user=reader, notify_replies=True, email_confirmed=True)
    send(post, anonymous_data(parent=str(mine.pk), body="Reply to a member"))
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_a_member_replying_to_themselves_gets_no_mail(send, client, post, reader):
    MailOptOut.objects.create(email=post.author.email)
    client.force_login(reader)
    send(post, member_data(body="First"))
    first = Comment.objects.get(body="First")
    assert first.notify_replies is True
    send(post, member_data(parent=str(first.pk), body="Adding to my own comment"))
    assert mail.outbox == []


def test_forged_or_tampered_links_do_nothing(client, post):
    comment = CommentFactory(post=post, notify_replies=True)
    for name in ("confirm", "unsubscribe"):
        response = client.get(reverse(f"comments:{name}", kwargs={"token": "forged:token"}))
        assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.notify_replies is True
    assert not comment.email_confirmed


def test_members_mail_goes_to_their_account_address_only(send, post):
    writer = UserFactory(email="writer@example.org")
    MailOptOut.objects.create(email=post.author.email)
    mine = CommentFactory(post=post, user=writer, notify_replies=True, email_confirmed=True)
    send(post, anonymous_data(parent=str(mine.pk)))
    assert mail.outbox[0].to == ["writer@example.org"]


def test_confirmation_mail_also_lets_a_stranger_stop_all_mail_to_their_address(send, client, post):
    MailOptOut.objects.create(email=post.author.email)
    send(post, anonymous_data(email="stranger@example.com", notify="on"))
    message = mail.outbox[0]
    assert "/comments/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert client.post(link_in(message, "unsubscribe")).status_code == 200
    mail.outbox.clear()
    send(post, anonymous_data(email="stranger@example.com", notify="on"))
    assert mail.outbox == []


def test_with_the_database_queue_mail_waits_for_the_worker_not_the_reader(
    send, post, author, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = send(post, anonymous_data(body="Queued, not sent in the request."))
    assert response.status_code == 302
    assert mail.outbox == []  # the reader's request did not wait for the mail server
    queued = list(DBTaskResult.objects.ready())
    assert [job.task_path for job in queued] == ["comments.tasks.mail_post_author"]
    # What `manage.py db_worker` does with each job (the command itself closes the test's
    # database connection, so the job is run here the same way).
    job = queued[0]
    job.task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
    assert [message.to for message in mail.outbox] == [[author.email]]
