"""Field drivers: fill and submit the site's forms as a stranger would, found by their markup.

The forms are built by other parts of the project; a driver finds its form by the markup
contract (`<form id="comment-form">`, the sign-up URL name, `blog:search` with `q`) and
skips with a clear message until that form exists.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse

from charcot.validation import xml_safe
from comments.models import Comment
from tests.comments.conftest import started_seconds_ago
from tests.security.html_safety import assert_html_is_safe

TEXT_INPUT_TYPES = {"text", "email", "url", "search", "tel", ""}
NOT_FILLED = {"submit", "button", "image", "file", "reset"}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def reverse_first(*names: str, **kwargs) -> str | None:
    """The URL of the first route name that exists, or None."""
    for name in names:
        try:
            return reverse(name, **kwargs)
        except NoReverseMatch:
            continue
    return None


def form_defaults(form) -> dict[str, str]:
    """What a browser would submit for this form untouched (hidden fields included)."""
    data = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            data[name] = element.get_text().removeprefix("\n")
        elif element.name == "select":
            option = element.select_one("option[selected]") or element.select_one("option")
            if option is not None:
                data[name] = option.get("value", option.get_text())
        else:
            kind = element.get("type", "text").lower()
            if kind in NOT_FILLED:
                continue
            if kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    data[name] = element.get("value", "on")
                continue
            data[name] = element.get("value", "")
    if "started" in data:
        # A reader who took half a minute to write: a comment form sent the instant it
        # loaded is asked again and stores nothing (comments.policy), and these drivers
        # test what is stored.
        data["started"] = started_seconds_ago(30)
    return data


def writable_fields(form) -> list[str]:
    """Names of the free-text fields a person types into (not passwords, not hidden)."""
    names = []
    for element in form.select("input[name], textarea[name]"):
        if element.name == "textarea" or element.get("type", "text").lower() in TEXT_INPUT_TYPES:
            names.append(element["name"])
    return names


def action_of(form, page_url: str) -> str:
    target = urljoin("http://testserver" + page_url, form.get("action") or page_url)
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def remote_addr_for(*parts: str) -> str:
    """A distinct client address per case, so per-IP rate limits do not mask the check."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return f"10.{digest[0]}.{digest[1]}.{digest[2] or 1}"


def single_line(value: str) -> str:
    return value.replace("\x00", "").replace("\r", "").replace("\n", "").strip()


def _multi_line(value: str) -> str:
    return value.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def shown_value(form, name: str) -> str | None:
    element = form.select_one(f'textarea[name="{name}"]') or form.select_one(
        f'input[name="{name}"]'
    )
    if element is None:
        return None
    if element.name == "textarea":
        return _multi_line(element.get_text())
    return single_line(element.get("value", ""))


def typed(form, name: str, value: str) -> str:
    """What a refused form shows of a typed value: every form drops the characters XML
    cannot carry as it reads them (charcot.validation), the rest is kept."""
    value = xml_safe(value)
    if form.select_one(f'textarea[name="{name}"]') is not None:
        return _multi_line(value)
    return single_line(value)


def has_error_message(soup) -> bool:
    for element in soup.select('[role="alert"], [class*="error"], [class*="invalid"]'):
        if element.get_text(strip=True):
            return True
    return False


@dataclass
class Refusal:
    """Checks for a refused submission: a clear message and the typed text kept."""

    response: object
    form_selector: str

    def assert_clear_and_keeps(self, submitted: dict[str, str], fields: list[str]) -> None:
        assert self.response.status_code < 500
        soup = soup_of(self.response)
        assert_html_is_safe(self.response.content)
        assert has_error_message(soup), "a refused form says what is wrong"
        form = soup.select_one(self.form_selector)
        assert form is not None, f"the refused form ({self.form_selector}) is shown again"
        for name in fields:
            shown = shown_value(form, name)
            if shown is not None:
                assert shown == typed(form, name, submitted[name]), f"{name} keeps what was typed"


def collapse(text: str) -> str:
    return " ".join(text.split())


COMMENT_FORM = "form#comment-form"
# Whether a form exists is the same for every test in a run: look once per process.
_missing: dict[str, str] = {}


def require_form(kind: str, reason: str | None) -> None:
    if kind in _missing:
        pytest.skip(_missing[kind])
    if reason:
        _missing[kind] = reason
        pytest.skip(reason)


def valid_comment(tag: str) -> dict[str, str]:
    """Distinct per case, so duplicate and flood rules do not refuse the valid parts."""
    return {
        "name": "Valid Reader",
        "email": f"valid.reader.{tag}@example.org",
        "url": "",
        "body": f"Thank you, this was helpful ({tag}).",
    }


def comment_form_on(page):
    form = soup_of(page).select_one(COMMENT_FORM)
    require_form(
        "comment",
        None
        if form is not None
        else f"{COMMENT_FORM} is not on the post page yet: activates when the discussion "
        "work is merged",
    )
    return form


def comment_form(client, post):
    return comment_form_on(client.get(post.get_absolute_url()))


def post_comment(client, post, values: dict, tag: str, *, page=None):
    """Submit the comment form found on `page` (or a fresh post page) with these values."""
    form = comment_form_on(page) if page is not None else comment_form(client, post)
    # A reader who took half a minute to write: a form sent the instant it loaded is asked
    # again and stores nothing (comments.policy), and these drivers test what is stored.
    took_their_time = (
        {"started": started_seconds_ago(30)} if form.select_one("[name=started]") else {}
    )
    data = {**form_defaults(form), **took_their_time, **valid_comment(tag), **values}
    before = set(Comment.objects.values_list("pk", flat=True))
    response = client.post(
        action_of(form, post.get_absolute_url()), data, REMOTE_ADDR=remote_addr_for(tag)
    )
    return data, response, Comment.objects.exclude(pk__in=before).first()
