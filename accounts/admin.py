from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import transaction
from django.utils.html import format_html

from charcot import cache as page_cache
from charcot.images import open_verified_image
from charcot.validation import XmlSafeFormMixin

from . import conf
from .forms import AdminSignInForm
from .models import User
from .services import avatar_set, user_sync_staff


class UserAdminForm(XmlSafeFormMixin, UserChangeForm):
    """Lets staff give a guest author a picture, through the same checks as everyone's."""

    avatar_upload = forms.FileField(
        label="New picture",
        required=False,
        help_text="JPEG, PNG, GIF or WebP; cropped square, hidden data removed.",
    )
    remove_avatar = forms.BooleanField(label="Remove picture", required=False)

    class Meta(UserChangeForm.Meta):
        model = User

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if not upload:
            return None
        return open_verified_image(
            upload, max_bytes=conf.AVATAR_MAX_BYTES, max_pixels=conf.AVATAR_MAX_PIXELS
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People and their roles; the staff flag follows the role groups and is not edited here."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Public profile", {
            "fields": (
                "display_name", "slug", "avatar_preview", "avatar_upload", "remove_avatar",
                "pronouns", "title", "affiliation", "bio", "competing_interests", "website", "orcid",
                "mastodon_url", "bluesky_url", "linkedin_url",
            ),
        }),
        ("Private", {"fields": ("first_name", "last_name", "email", "notify_on_comments")}),
        ("Roles", {
            "fields": ("is_active", "is_superuser", "groups", "is_staff"),
            "description": "Roles are the Authors, Editors and Moderators groups. Only people "
            "with a role (or superusers) can use the admin; the staff flag follows them.",
        }),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )  # fmt: skip
    form = UserAdminForm
    readonly_fields = ("is_staff", "avatar_preview", "last_login", "date_joined")
    list_display = ("username", "public_name", "email", "roles", "is_active", "date_joined")
    list_filter = ("groups", "is_superuser", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    filter_horizontal = ("groups",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(sorted(obj.role_names)) or "—"

    @admin.display(description="Avatar")
    def avatar_preview(self, obj):
        if not obj.avatar_small:
            return "No picture: the initials placeholder is shown."
        return format_html('<img src="{}" width="64" height="64" alt="">', obj.avatar_small.url)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_sync_staff(user=form.instance)
        if form.cleaned_data.get("avatar_upload"):
            avatar_set(user=form.instance, image=form.cleaned_data["avatar_upload"])
        elif form.cleaned_data.get("remove_avatar"):
            avatar_set(user=form.instance, image=None)
        # A name, avatar or role shown on public pages may have changed.
        page_cache.public_pages_changed()


# The project's admin site (charcot/admin_site.py) imports no app: signing in to it is
# throttled like the site's own sign-in because accounts says so here.
admin.site.login_form = AdminSignInForm
