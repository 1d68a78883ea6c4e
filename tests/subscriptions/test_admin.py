"""The subscribers page in admin: authors and editors read it; moderators and readers don't."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.roles import EDITORS
from subscriptions import mailing
from tests.factories import CategoryFactory, PostFactory, UserFactory

from .factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:subscriptions_subscription_changelist"


@pytest.fixture
def editor(db):
    from accounts.roles import sync_role_groups

    sync_role_groups()
    return UserFactory(username="editor", is_staff=True, groups=[Group.objects.get(name=EDITORS)])


@pytest.fixture
def subscribers():
    trials = CategoryFactory(name="Trials")
    SubscriptionFactory(subscriber__email="a@example.net", categories=[trials])
    SubscriptionFactory(subscriber__email="b@example.net")
    SubscriptionFactory(subscriber__email="c@example.net", pending=True)
    return trials


@pytest.mark.parametrize("who", ["author", "editor"])
def test_authors_and_editors_see_counts_by_status_and_category(client, request, who, subscribers):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert response.context["every_category_count"] == 1
    assert ("Trials", 1) in response.context["category_counts"]
    counts = dict(response.context["status_counts"])
    assert counts["Confirmed"] == 2
    assert counts["Pending confirmation"] == 1


@pytest.mark.parametrize("who", ["moderator", "reader"])
def test_moderators_and_readers_do_not_see_subscribers(client, request, who, subscribers):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code in (302, 403)
    preview = client.get(reverse("admin:subscriptions_next_mail"))
    assert preview.status_code in (302, 403)


def test_nobody_changes_a_subscription_in_admin(client, editor, subscribers):
    client.force_login(editor)
    subscription = subscribers.subscriptions.get()
    url = reverse("admin:subscriptions_subscription_change", args=[subscription.pk])
    response = client.post(url, {"status": "unsubscribed"})
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"
    assert response.status_code in (200, 403)


def test_the_selected_subscriptions_export_as_csv(client, editor, subscribers):
    client.force_login(editor)
    from subscriptions.models import Subscription

    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "export_csv",
            "_selected_action": list(Subscription.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["email"] for row in rows} == {"a@example.net", "b@example.net", "c@example.net"}
    assert next(r for r in rows if r["email"] == "a@example.net")["categories"] == "Trials"


def test_the_next_mail_is_previewed_and_a_test_goes_to_the_editor_only(
    client, editor, subscribers, django_capture_on_commit_callbacks
):
    PostFactory(title="Coming soon", scheduled=True)
    client.force_login(editor)
    page = client.get(reverse("admin:subscriptions_next_mail"))
    assert page.status_code == 200
    assert "New on Charcot: Coming soon" in page.content.decode()
    client.post(reverse("admin:subscriptions_next_mail"))
    [message] = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == "[Test] New on Charcot: Coming soon"


def test_each_posts_sending_is_recorded_with_sent_failed_and_pending_counts(client, editor):
    SubscriptionFactory(subscriber__email="a@example.net")
    SubscriptionFactory(subscriber__email="b@example.net")
    PostFactory(title="Recorded")
    mailing.new_posts_queue()
    mailing.deliveries_send(size=1)
    client.force_login(editor)
    response = client.get(reverse("admin:subscriptions_postmailing_changelist"))
    assert response.status_code == 200
    mailing_row = response.context["cl"].result_list[0]
    assert (mailing_row.sent_count, mailing_row.pending_count, mailing_row.failed_count) == (
        1,
        1,
        0,
    )
