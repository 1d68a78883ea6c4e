"""The comment form's privacy promises: hashed IPs, opt-in remember-me, a link to the policy.

These drive the discussion work's form by its markup contract and skip until it exists.
"""

import hashlib
from urllib.parse import unquote

import pytest
from django.urls import reverse

from comments.discussion import OWN_COOKIE
from comments.models import Comment
from tests.security.drivers import (
    COMMENT_FORM,
    action_of,
    comment_form,
    form_defaults,
    soup_of,
    valid_comment,
)

pytestmark = pytest.mark.django_db
IP = "203.0.113.57"


def _submit(client, post, **extra):
    form = comment_form(client, post)
    data = {**form_defaults(form), **valid_comment("privacy"), **extra}
    before = set(Comment.objects.values_list("pk", flat=True))
    response = client.post(action_of(form, post.get_absolute_url()), data, REMOTE_ADDR=IP)
    return response, Comment.objects.exclude(pk__in=before).first()


def test_a_comment_keeps_a_salted_hash_of_the_ip_never_the_ip(client, post):
    _response, comment = _submit(client, post)
    assert comment is not None
    assert comment.ip_hash, "the hash is kept for abuse handling"
    assert IP not in comment.ip_hash
    assert comment.ip_hash != hashlib.sha256(IP.encode()).hexdigest(), "salted, not bare"
    assert comment.ip_hash != hashlib.md5(IP.encode()).hexdigest()  # noqa: S324 - comparison only


def test_remember_me_is_off_unless_the_reader_ticks_it(client, post):
    form = comment_form(client, post)
    boxes = [box for box in form.select('input[type="checkbox"]') if "remember" in box["name"]]
    if not boxes:
        pytest.skip("no remember-me checkbox on the comment form (the discussion work adds it)")
    assert not any(box.has_attr("checked") for box in boxes), "opt-in, not opt-out"
    response, _comment = _submit(client, post)
    email = valid_comment("privacy")["email"]
    for cookie in response.cookies.values():
        if not cookie.value:
            continue  # a deletion
        # The own-comments cookie holds only signed comment ids, so writers see their own
        # held comments; it carries no name or address.
        allowed = {"csrftoken", "sessionid", "messages", OWN_COOKIE}
        assert cookie.key in allowed, f"{cookie.key} set unasked"
        assert email not in unquote(cookie.value)


def test_the_comment_form_links_to_the_privacy_page(client, post):
    comment_form(client, post)
    soup = soup_of(client.get(post.get_absolute_url()))
    form = soup.select_one(COMMENT_FORM)
    links = [a["href"] for a in form.select("a[href]")]
    assert any(href.split("#")[0] == reverse("privacy:page") for href in links), (
        "the form tells commenters what is kept and why"
    )
