"""The README's screenshots, taken from the demo content: `CHARCOT_SCREENSHOTS=1 make e2e`.

Off by default so an ordinary test run never rewrites files in docs/screenshots/.
"""

import io
import os

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from blog.models import Post

from .support import SCREENSHOTS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("CHARCOT_SCREENSHOTS") != "1",
        reason="Screenshots are taken only with CHARCOT_SCREENSHOTS=1.",
    ),
]


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=io.StringIO())


def _most_discussed_post():
    return (
        Post.objects.published()
        .annotate(approved=Count("comments", filter=Q(comments__status="approved")))
        .order_by("-approved", "-published_at")
        .first()
    )


def test_screenshot_of_the_home_page(browsing, demo):
    page = browsing.page()
    page.goto("/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home.png")


def test_screenshot_of_a_post_with_its_discussion(browsing, demo):
    page = browsing.page()
    page.goto(_most_discussed_post().get_absolute_url())
    # The end of the article, the about-the-author box and the start of the discussion.
    top = max(0, page.locator("#comments").bounding_box()["y"] - 500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / "post-discussion.png",
        full_page=True,
        clip={"x": 0, "y": top, "width": 1280, "height": 1300},
    )


def test_screenshot_of_the_moderation_desk(browsing, demo):
    try:
        desk = reverse("admin:comments_comment_changelist")
    except NoReverseMatch:
        pytest.skip("Comments are not in admin yet: the moderation desk comes with issue 6.")
    moderator = User.objects.get(username="mod")
    if not moderator.is_staff:
        pytest.skip("The demo moderator cannot reach admin yet (roles come with issue 4).")
    page = browsing.page(moderator)
    page.goto(desk)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "moderation-desk.png")
