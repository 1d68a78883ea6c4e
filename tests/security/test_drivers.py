"""The field drivers read forms as a browser would, so the hostile-field tests can fail."""

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse

from tests.security.drivers import Refusal, action_of, form_defaults, writable_fields

FORM = """
<form id="comment-form" method="post" action="/comments/post/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="hidden" name="parent" value="">
  <input type="hidden" name="timestamp" value="1700000000:sig">
  <input name="name" value="Ann">
  <input type="email" name="email" value="">
  <input type="url" name="url">
  <input type="checkbox" name="remember" value="1">
  <input type="checkbox" name="notify" checked>
  <textarea name="body">
Typed &lt;b&gt; text</textarea>
  <button type="submit" name="action" value="post">Post</button>
</form>
"""


def _form(html=FORM):
    return BeautifulSoup(html, "html.parser").select_one("form")


def test_defaults_are_what_a_browser_submits_untouched():
    assert form_defaults(_form()) == {
        "csrfmiddlewaretoken": "tok",
        "parent": "",
        "timestamp": "1700000000:sig",
        "name": "Ann",
        "email": "",
        "url": "",
        "notify": "on",
        "body": "Typed <b> text",
    }


def test_writable_fields_are_the_ones_a_person_types_into():
    assert writable_fields(_form()) == ["name", "email", "url", "body"]


def test_a_relative_action_resolves_against_the_page():
    form = _form('<form action="reply/?x=1"></form>')
    assert action_of(form, "/2026/05/post/") == "/2026/05/post/reply/?x=1"
    assert action_of(_form("<form></form>"), "/a/b/") == "/a/b/"


def _refused(body_value: str, error='<ul class="errorlist"><li>Too long.</li></ul>'):
    return HttpResponse(
        f'<main>{error}<form id="comment-form"><textarea name="body">\n{body_value}</textarea>'
        '<input name="name" value="Ann"></form></main>'
    )


def test_a_refusal_that_keeps_the_text_and_says_why_passes():
    Refusal(_refused("&lt;script&gt;x"), "form#comment-form").assert_clear_and_keeps(
        {"body": "<script>x", "name": "Ann"}, ["body", "name"]
    )


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(_refused(""), id="text-lost"),
        pytest.param(_refused("&lt;script&gt;x", error=""), id="no-message"),
        pytest.param(_refused("<script>x</script>"), id="echoed-unescaped"),
    ],
)
def test_a_refusal_that_loses_the_text_hides_the_reason_or_echoes_markup_fails(response):
    with pytest.raises(AssertionError):
        Refusal(response, "form#comment-form").assert_clear_and_keeps(
            {"body": "<script>x", "name": "Ann"}, ["body", "name"]
        )
