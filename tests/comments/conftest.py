import time
import uuid

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.db import connection
from django.urls import reverse

from comments.forms import TIMESTAMP_SALT
from comments.policy import Decision
from tests.accounts.factories import make_author, make_moderator
from tests.blog.factories import PostFactory


class Policy:
    """A stand-in moderation policy: tests choose the decision and see every submission."""

    def __init__(self):
        self.decision = Decision(status="approved", reason="test: approved")
        self.submissions = []

    def __call__(self, submission, **kwargs):
        self.submissions.append(submission)
        return self.decision


@pytest.fixture
def policy(monkeypatch):
    """Decouple discussion tests from the moderation rules and rate limits (tested on
    their own): the stand-in decides, and nothing is counted."""
    stand_in = Policy()
    monkeypatch.setattr("comments.services.moderation_decide", stand_in)
    monkeypatch.setattr(
        "comments.services.submission_count", lambda submission, decision, **kwargs: decision
    )
    return stand_in


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip)


def started_seconds_ago(seconds: float = 30) -> str:
    return signing.dumps(time.time() - seconds, salt=TIMESTAMP_SALT)


def anonymous_data(**overrides) -> dict:
    data = {
        "name": "Maggie",
        "email": "maggie@example.com",
        "url": "",
        "body": "Thank you for this post.",
        "parent": "",
        "submission_key": str(uuid.uuid4()),
        "started": started_seconds_ago(),
    }
    data.update(overrides)
    return data


def member_data(**overrides) -> dict:
    data = {
        "body": "A member's comment.",
        "parent": "",
        "submission_key": str(uuid.uuid4()),
        "started": started_seconds_ago(),
    }
    data.update(overrides)
    return data


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def box_text(response, selector="#comment-form textarea[name=body]") -> str:
    """The text in the comment box as a browser shows it (it drops one leading newline)."""
    textarea = soup(response).select_one(selector)
    assert textarea is not None, "no comment box on the page"
    text = textarea.string or ""
    return text[1:] if text.startswith("\n") else text


# The desk's people: a moderator, an author and the author's own post.
@pytest.fixture
def mod():
    return make_moderator()


@pytest.fixture
def writer():
    return make_author()


@pytest.fixture
def own_post(writer):
    return PostFactory(author=writer)


def desk(pk, name="change"):
    """A comment's page in the desk, or one of its views (act, redact, …)."""
    return reverse(f"admin:comments_comment_{name}", args=[pk])
