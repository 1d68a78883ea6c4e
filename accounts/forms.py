"""Sign-up, sign-in, profile and account-deletion forms: validation only."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError

from charcot.images import open_verified_image
from charcot.validation import XmlSafeFormMixin

from . import conf, throttle
from .names import clean_public_name
from .validators import normalize_orcid

User = get_user_model()


class ThrottledLoginMixin:
    """Refuse sign-in while too many recent attempts failed, before checking the password."""

    def clean(self):
        ip = throttle.client_ip(self.request)
        username = self.cleaned_data.get("username") or ""
        seconds = throttle.wait_seconds(ip=ip, username=username)
        if seconds:
            raise ValidationError(
                "Too many failed sign-in attempts. Please wait %(wait)s and try again, "
                "or reset your password.",
                code="throttled",
                params={"wait": throttle.describe_wait(seconds)},
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.record_failure(ip=ip, username=username)
            raise
        throttle.record_success(username=username)
        return cleaned


class SignInForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's sign-in, throttled like the site's (installed by accounts/admin.py)."""


class DisplayNameMixin:
    """A display name must not copy someone else's, or read as the site's, a role's or
    staff's (accounts.names); left empty, the name shown instead must pass the same rule."""

    def clean_display_name(self):
        name = clean_public_name(self.cleaned_data.get("display_name", ""), user=self.instance)
        if not name:
            self._check_fallback_name()
            return name
        others = User.objects.filter(display_name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                "Someone already uses that name. Please choose another, so readers can tell "
                "you apart.",
                code="taken",
            )
        return name

    def _check_fallback_name(self) -> None:
        # Without a display name, User.public_name shows the full name or the username.
        shown = self.instance.get_full_name() or self.instance.username
        if not self.instance.pk or not shown:
            return  # sign-up checks the username itself
        try:
            clean_public_name(shown, user=self.instance)
        except ValidationError:
            raise ValidationError(
                "Please choose a display name: without one, your comments would be signed "
                "“%(name)s”, which readers could take for the site’s, a role’s or staff’s.",
                code="reserved_fallback",
                params={"name": shown},
            ) from None


class SignUpForm(XmlSafeFormMixin, DisplayNameMixin, UserCreationForm):
    email = forms.EmailField(
        help_text="For password resets and, if you ask for them, comment notifications. "
        "Never shown to anyone."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")
        help_texts = {
            "display_name": "The name shown on your comments. Leave empty to use your username."
        }

    def clean_username(self):
        # The username is the name shown when the display name is empty, and the profile URL.
        return clean_public_name(super().clean_username())

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account with that email address already exists. "
                "Sign in, or reset your password if you have forgotten it.",
                code="email_taken",
            )
        return email


class ProfileForm(XmlSafeFormMixin, DisplayNameMixin, forms.ModelForm):
    """What every member may change about themselves."""

    avatar = forms.FileField(
        label="Picture",
        required=False,
        help_text="A JPEG, PNG, GIF or WebP photo. We crop it to a square and remove "
        "its hidden data (such as location).",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my picture")

    class Meta:
        model = User
        fields = ("display_name", "pronouns", "bio", "website", "notify_on_comments")
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["avatar", "remove_avatar"])
        if not self.instance.avatar_small:
            del self.fields["remove_avatar"]

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        return open_verified_image(
            upload, max_bytes=conf.AVATAR_MAX_BYTES, max_pixels=conf.AVATAR_MAX_PIXELS
        )


class AuthorProfileForm(ProfileForm):
    """People who write (or edit, or moderate) also show who they are professionally."""

    orcid = forms.CharField(
        label="ORCID iD",
        required=False,
        max_length=60,
        help_text="e.g. 0000-0002-1825-0097; a link to orcid.org works too.",
    )

    class Meta(ProfileForm.Meta):
        fields = (
            "display_name",
            "first_name",
            "last_name",
            "citation_name",
            "pronouns",
            "title",
            "affiliation",
            "bio",
            "competing_interests",
            "website",
            "orcid",
            "mastodon_url",
            "bluesky_url",
            "linkedin_url",
            "notify_on_comments",
        )
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            "competing_interests": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pages saved before this choice existed do not send it: keep what is stored.
        self.fields["citation_name"].required = False

    def clean_orcid(self):
        return normalize_orcid(self.cleaned_data.get("orcid", ""))

    def clean_citation_name(self):
        return self.cleaned_data.get("citation_name") or self.instance.citation_name


class PasswordConfirmMixin:
    """The current password, asked again before changes that could lock the owner out."""

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your password.", code="wrong_password")
        return password


def _password_field():
    return forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To confirm it is really you.",
    )


class EmailChangeForm(PasswordConfirmMixin, forms.Form):
    email = forms.EmailField(
        label="New email address",
        help_text="Used for password resets and comment emails; never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = _password_field()

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError("Another account uses that email address.", code="email_taken")
        return email


class AccountDeleteForm(PasswordConfirmMixin, forms.Form):
    KEEP = "keep"
    REMOVE = "remove"

    comments = forms.ChoiceField(
        label="Your comments",
        choices=[
            (KEEP, f"Keep them in the discussions, shown as by “{conf.FORMER_MEMBER_NAME}”"),
            (REMOVE, "Remove them (replies from others stay, under a placeholder)"),
        ],
        initial=KEEP,
        widget=forms.RadioSelect,
    )
    password = _password_field()

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
