"""PlainWidgetRenderer draws the same markup as Django's form templates, only faster."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from charcot.forms import PlainWidgetRenderer
from comments.forms import CommentForm, EditForm


def same_markup(html) -> str:
    """Whitespace between tags is the templates' layout, not markup."""
    return re.sub(r">\s+<", "><", str(html).strip())


FORMS = {
    "blank": (None, {}),
    "remembered reader": (
        None,
        {"initial": {"name": 'Ann "<b>"', "email": "a@example.org", "remember": True}},
    ),
    "replying": (None, {"initial": {"parent": 5, "body": "Quote:\n> <script>x</script> & more"}}),
    "every field wrong": (
        {"name": " ", "email": "not an address", "url": "javascript:alert(1)", "body": ""},
        {},
    ),
    "valid with choices": (
        {"name": "Ann", "email": "a@example.org", "body": "<i>hi</i>", "notify": "on"},
        {},
    ),
}


def pair(data, kwargs):
    fixed = {"initial": {"submission_key": "key", "started": "stamp", **kwargs.get("initial", {})}}
    fast = CommentForm(data, **fixed)
    slow = CommentForm(data, renderer=DjangoTemplates(), **fixed)
    if data is not None:
        fast.is_valid(), slow.is_valid()
    return fast, slow


@pytest.mark.django_db  # a valid name is checked against the staff's (accounts.names)
@pytest.mark.parametrize("case", FORMS)
def test_comment_form_fields_render_exactly_as_django_templates_would(case):
    fast, slow = pair(*FORMS[case])
    assert isinstance(fast.renderer, PlainWidgetRenderer)
    for name in fast.fields:
        for render in ("as_field_group", "label_tag", "__str__"):
            assert same_markup(getattr(fast[name], render)()) == same_markup(
                getattr(slow[name], render)()
            ), (name, render)
        assert same_markup(fast[name].errors) == same_markup(slow[name].errors), name
    assert same_markup(fast.non_field_errors()) == same_markup(slow.non_field_errors())


def test_invalid_fields_are_marked_for_assistive_technology():
    fast, _slow = pair(*FORMS["every field wrong"])
    html = str(fast["email"].as_field_group())
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert '<ul class="errorlist" id="id_email_error">' in html


def test_typed_text_is_escaped_in_inputs_and_textareas():
    fast, _slow = pair(*FORMS["remembered reader"])
    assert 'value="Ann &quot;&lt;b&gt;&quot;"' in str(fast["name"])
    reply, _slow = pair(*FORMS["replying"])
    assert "&gt; &lt;script&gt;x&lt;/script&gt; &amp; more</textarea>" in str(reply["body"])


def test_widgets_it_does_not_draw_go_to_the_templates():
    class Choice(forms.Form):
        default_renderer = PlainWidgetRenderer
        colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")])

    assert '<option value="r">Red</option>' in str(Choice()["colour"])


def test_the_edit_form_uses_it_too():
    assert isinstance(EditForm().renderer, PlainWidgetRenderer)
