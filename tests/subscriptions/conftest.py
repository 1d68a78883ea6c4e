import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from tests.comments.conftest import policy  # noqa: F401 (the discussion tests' stand-in policy)


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip)


LINK = re.compile(r"<(https?://[^>\s]+)>")


def links_in(message) -> list[str]:
    """The links of a mail's plain-text part, in order."""
    return LINK.findall(message.body)


def link_to(message, part: str) -> str:
    """The path of the first link in the mail whose URL contains `part`."""
    for url in links_in(message):
        if part in url:
            return urlsplit(url).path
    raise AssertionError(f"no link with {part!r} in:\n{message.body}")


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


class CommittingClient(Client):
    """The test client, with each request's on-commit work (mail tasks) run as it ends, as
    it would be after a real commit."""

    capture = None

    def request(self, **request):
        with self.capture(execute=True):
            return super().request(**request)


@pytest.fixture
def client(django_capture_on_commit_callbacks):
    committing = CommittingClient()
    committing.capture = django_capture_on_commit_callbacks
    return committing
