"""The comment form: validation and cleaning only; the views and services do the rest."""

import json
import re
import time
import uuid

from django import forms
from django.core import signing
from django.core.validators import MaxLengthValidator, URLValidator

from accounts.names import clean_public_name
from charcot.forms import PlainWidgetRenderer
from charcot.validation import AsciiIntegerField, XmlSafeFormMixin
from identities.services import draft_take

from . import conf

TIMESTAMP_SALT = "comments.form-started"
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def signed_now() -> str:
    return signing.dumps(time.time(), salt=TIMESTAMP_SALT)


def seconds_since(signed: str) -> float | None:
    """Seconds since the form was rendered, or None when the stamp is missing or forged."""
    try:
        started = signing.loads(
            signed or "", salt=TIMESTAMP_SALT, max_age=conf.FORM_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return None
    if not isinstance(started, int | float):
        return None
    return max(0.0, time.time() - started)


class BodyField(forms.CharField):
    """The Markdown text. No `maxlength` attribute: the browser would silently cut a paste;
    the counter warns and the server explains instead."""

    def __init__(self, **kwargs):
        super().__init__(
            widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "true"}),
            **kwargs,
        )
        self.validators.append(MaxLengthValidator(conf.BODY_MAX_LENGTH))


class EditForm(XmlSafeFormMixin, forms.Form):
    default_renderer = PlainWidgetRenderer  # the form sits under every post: no widget templates

    body = BodyField(
        label="Your comment", error_messages={"required": "Please write your comment."}
    )


class CommentForm(EditForm):
    name = forms.CharField(
        label="Name", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Email",
        help_text="Never shown to anyone; needed for moderation and, if you ask, reply notices.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    url = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(label="Remember me in this browser", required=False)
    notify = forms.BooleanField(label="Email me when someone replies", required=False)
    follow = forms.BooleanField(label="Follow this discussion by email", required=False)
    asks_author = forms.BooleanField(
        label="Ask the author — this is a question for them", label_suffix="", required=False
    )
    parent = AsciiIntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (CSS, aria-hidden, no tab stop), filled in by bots.
    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    MEMBER_FIELDS = (
        "body",
        "parent",
        "submission_key",
        "started",
        "homepage",
        "follow",
        "asks_author",
    )

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        kwargs["initial"].setdefault("started", signed_now())
        super().__init__(*args, **kwargs)
        self.is_member = bool(user and user.is_authenticated)
        if self.is_member:
            for name in list(self.fields):
                if name not in self.MEMBER_FIELDS:
                    del self.fields[name]
        self.order_fields(
            ["name", "email", "url", "body", "asks_author", "remember", "notify", "follow"]
        )

    def clean_name(self):
        name = clean_public_name(self.cleaned_data["name"])  # nobody signs as staff or the site
        if not name:
            raise forms.ValidationError("Please give a name to sign your comment with.")
        return name

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not CONTROL_CHARS.sub("", body).strip():
            raise forms.ValidationError("Please write your comment.")
        return body

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("homepage", "").strip())

    def seconds_to_submit(self) -> float | None:
        return seconds_since(self.data.get("started", ""))


REMEMBER_COOKIE = "charcot_commenter"
REMEMBER_SALT = "comments.remember"


def remembered_commenter(request) -> dict:
    """Name, email and website from the opt-in "remember me" cookie, if this browser has it."""
    try:
        raw = request.get_signed_cookie(REMEMBER_COOKIE, default="", salt=REMEMBER_SALT)
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict) or not data:
        return {}
    return {key: str(data.get(key, ""))[:200] for key in ("name", "email", "url")}


def comment_form_for(request, *, data=None, parent=None) -> CommentForm:
    initial = {"parent": parent.pk if parent else None}
    if data is None and request.GET.get("draft"):
        # Back from "Sign in with … to comment": the text typed before leaving.
        draft = draft_take(session=request.session, token=request.GET["draft"], path=request.path)
        if draft is not None:
            initial["body"] = draft.body
            if draft.started:
                initial["started"] = draft.started
            initial["parent"] = initial["parent"] or draft.parent_id
    if not request.user.is_authenticated:
        remembered = remembered_commenter(request)
        initial.update(remembered)
        initial["remember"] = bool(remembered)
    return CommentForm(data, user=request.user, initial=initial)
