"""The 500-post bot flood (issue 17), replayed over HTTP against the live test server.

Twenty bot addresses send 25 posts each, mixing every trick the policy knows: a filled
honeypot, an instant submit, no time stamp, a forged one, the same text again and link
spam. Whatever each verdict, nothing beyond the rate limits is stored and nothing is public.
"""

import http.cookiejar
import itertools
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.core import signing
from django.urls import reverse

from comments.forms import TIMESTAMP_SALT
from comments.models import Comment

pytestmark = pytest.mark.django_db(transaction=True)

BOTS, POSTS_EACH, PER_MINUTE = 20, 25, 5
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAMP = re.compile(r'name="started" value="([^"]+)"')


def tricks(stamp: str):
    """The bot's repertoire, in turn."""
    old_stamp = signing.dumps(time.time() - 60, salt=TIMESTAMP_SALT)  # a harvested stamp
    links = " ".join(f"https://pills{n}.example" for n in range(6))
    return itertools.cycle(
        [
            {"homepage": "https://spam.example", "started": old_stamp},
            {"started": stamp},  # sent the moment the page arrived
            {"started": ""},
            {"started": "1700000000.0:forged"},
            {"started": old_stamp, "body": "Same text, again and again."},
            {"started": old_stamp, "body": f"Cheap meds {links}"},
        ]
    )


def test_a_500_post_bot_flood_stores_nothing_beyond_the_rate_limits_and_publishes_nothing(
    live_server, post, settings
):
    settings.CHARCOT_CLIENT_IP_PROXY_COUNT = 1
    settings.CHARCOT_COMMENTS_COMMENT_RATE_LIMITS = [(PER_MINUTE, 60), (50, 24 * 3600)]
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(live_server.url + post.get_absolute_url()).read().decode()
    token, stamp = TOKEN.search(page).group(1), STAMP.search(page).group(1)
    url = live_server.url + reverse("comments:post", kwargs={"post_pk": post.pk})
    started = time.time()
    answers = []
    for bot, trick in zip(
        itertools.chain.from_iterable(itertools.repeat(n, POSTS_EACH) for n in range(BOTS)),
        tricks(stamp),
        strict=False,
    ):
        data = {
            "csrfmiddlewaretoken": token,
            "name": f"Bot {bot}",
            "email": f"bot{bot}@spam.example",
            "body": f"Buy now {uuid.uuid4()}",
            "submission_key": str(uuid.uuid4()),
            **trick,
        }
        request = urllib.request.Request(  # noqa: S310 (the live test server)
            url,
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-Forwarded-For": f"198.51.100.{bot}", "Referer": live_server.url},
        )
        try:
            answers.append(browser.open(request).status)
        except urllib.error.HTTPError as error:
            answers.append(error.code)
    minutes = int(time.time() // 60) - int(started // 60) + 1  # fixed windows crossed
    assert len(answers) == BOTS * POSTS_EACH
    assert not {500, 503} & set(answers)
    stored = Comment.objects.count()
    assert stored <= BOTS * PER_MINUTE * minutes
    assert not Comment.objects.filter(status=Comment.Status.APPROVED).exists()
    print(f"500 bot posts in {time.time() - started:.1f} s: {stored} rows stored, 0 public")  # noqa: T201
