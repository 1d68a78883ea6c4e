"""A reader in a real Chromium: subscribes, confirms from the mail, gets a new post by mail,
follows a discussion, and unsubscribes from the mail's link."""

import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from subscriptions import mailing
from subscriptions.models import Subscription
from tests.factories import CommentFactory, PostFactory

from .conftest import links_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

playwright_api = pytest.importorskip("playwright.sync_api")
EMAIL = "browser.reader@example.net"


def orm(work):
    """Run database work in a plain thread (no event loop there), closing its connection."""

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def page(live_server):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with playwright_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable)
        except Exception as error:  # no browser on this machine
            pytest.skip(f"no Chromium: {error}")
        try:
            context = browser.new_context(base_url=live_server.url)
            opened = context.new_page()
            yield opened
            opened.wait_for_load_state("networkidle")
        finally:
            browser.close()


def path_of(message, part: str) -> str:
    url = next(url for url in links_in(message) if part in url)
    return urlsplit(url).path


def send_due_mail(now=None):
    """What the every-minute command does."""

    def run():
        mailing.new_posts_queue(now=now)
        mailing.discussions_queue(now=now)
        mailing.deliveries_send(now=now)

    orm(run)


def test_subscribe_confirm_receive_follow_and_unsubscribe(page):
    old = orm(
        lambda: PostFactory(title="An older post", published_at=timezone.now() - timedelta(days=9))
    )
    page.goto("/")
    page.fill("#sidebar-subscribe-email", EMAIL)
    page.click(".subscribe-widget button[type=submit]")
    assert page.input_value("#id_email") == EMAIL  # the full form, to choose what and how often
    page.locator("#main").get_by_role("button", name="Subscribe").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    [confirmation] = mail.outbox
    assert confirmation.to == [EMAIL]

    page.goto(path_of(confirmation, "/subscribe/confirm/"))
    page.get_by_role("button", name="Yes, send me these mails").click()
    page.get_by_role("heading", name="Thank you, you are subscribed").wait_for()

    new = orm(lambda: PostFactory(title="Fresh findings on remyelination"))
    send_due_mail()
    [post_mail] = [m for m in mail.outbox if "Fresh findings" in m.subject]
    assert new.get_absolute_url() in post_mail.body

    page.goto(old.get_absolute_url())
    page.fill(f"#follow-email-{old.pk}", EMAIL)
    page.get_by_role("button", name="Follow this discussion").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    follow_confirmation = mail.outbox[-1]
    assert old.title in follow_confirmation.body
    page.goto(path_of(follow_confirmation, "/subscribe/confirm/"))
    page.get_by_role("button", name="Yes, send me these mails").click()
    page.get_by_role("heading", name="Thank you, you are subscribed").wait_for()

    orm(lambda: CommentFactory(post=old, author_name="Dev", body="Mine settled in a month."))
    send_due_mail(now=timezone.now() + timedelta(seconds=5))
    [discussion_mail] = [m for m in mail.outbox if "new comment" in m.subject]
    assert "Mine settled in a month." in discussion_mail.body

    page.goto(path_of(post_mail, "/subscribe/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    statuses = orm(lambda: dict(Subscription.objects.values_list("kind", "status")))
    assert statuses == {"posts": "unsubscribed", "discussion": "confirmed"}
