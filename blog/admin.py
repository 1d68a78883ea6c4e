from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accounts import roles
from charcot import cache as page_cache

from .forms import PostAdminForm, ReferenceForm
from .models import Category, Correction, Post, Reference, Tag
from .references import ReferenceLookupFailed, lookup_reference
from .services import (
    post_preview_token,
    post_publish,
    post_withdraw,
)


def is_editor(user) -> bool:
    return user.is_superuser or user.has_role(roles.EDITORS)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "hashtag", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PostPartInline:
    """A part of a post (its references, its corrections) is edited on the post, by whoever
    may edit that post: its author, or an editor."""

    def _owns(self, request, obj) -> bool:
        return obj is None or is_editor(request.user) or obj.author_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)


class ReferenceInline(PostPartInline, admin.StackedInline):
    model = Reference
    form = ReferenceForm
    extra = 1
    ordering = ["order", "pk"]
    classes = ["blog-references"]
    fieldsets = [
        (None, {"fields": ["order", "move", "fill", ("doi", "pmid")]}),
        (None, {"fields": ["authors", "title", ("journal", "year"), ("volume", "pages"), "url", "note"]}),
    ]  # fmt: skip


class CorrectionInline(PostPartInline, admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["corrected_at", "note"]


def references_in_form_order(formset) -> list[Reference]:
    """The saved references in the order the form gives them: by their hidden order field
    (which static/js/blog-admin.js sets when rows are moved), rows without one after those
    with one, each group in the order the rows appear; then each row asked to move up or
    down (the form's choice without JavaScript) one place."""
    rows, deleted = [], set(map(id, formset.deleted_forms)) if formset.can_delete else set()
    for index, form in enumerate(formset.forms):
        if form.instance.pk is None or id(form) in deleted:
            continue
        order = form.cleaned_data.get("order") or 0
        rows.append((order == 0, order, index, form.cleaned_data.get("move"), form.instance))
    rows.sort(key=lambda row: row[:3])
    # Then the moves asked for without JavaScript, one place each.
    for index in range(1, len(rows)):
        if rows[index][3] == "up":
            rows[index - 1], rows[index] = rows[index], rows[index - 1]
    for index in range(len(rows) - 2, -1, -1):
        if rows[index][3] == "down":
            rows[index], rows[index + 1] = rows[index + 1], rows[index]
    return [row[-1] for row in rows]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Authors see and edit their own posts; editors every post."""

    form = PostAdminForm
    inlines = [ReferenceInline, CorrectionInline]
    list_display = ["title", "author", "category", "status", "published_at", "is_live"]
    # Only people who have posts, never the whole user table.
    list_filter = ["status", "category", ("author", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["author", "category"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    filter_horizontal = ["tags"]
    actions = ["publish_now", "withdraw"]
    readonly_fields = ["preview_link", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "category", "tags", "standfirst", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "preview_link", "created_at", "updated_at"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        ("Medical review and disclosures",
         {"fields": ["reviewed_at", "reviewed_by", "conflict_of_interest", "disclaimer"]}),
        ("Comments", {"fields": ["comments_open", "comments_close_at"]}),
    ]  # fmt: skip

    class Media:
        js = ["js/blog-admin.js"]
        css = {"all": ["css/blog-admin.css"]}

    def get_urls(self):
        lookup = path(
            "lookup-reference/",
            self.admin_site.admin_view(self.lookup_reference_view),
            name="blog_post_lookup_reference",
        )
        return [lookup, *super().get_urls()]

    def lookup_reference_view(self, request):
        """The "Fill from DOI/PMID" button's JSON endpoint (the checkbox works without it)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        try:
            found = lookup_reference(
                doi=request.GET.get("doi", "")[:200], pmid=request.GET.get("pmid", "")[:20]
            )
        except ReferenceLookupFailed as error:
            return JsonResponse({"error": str(error)}, status=400)
        return JsonResponse({"reference": found.as_dict()})

    @admin.display(boolean=True, description="Live")
    def is_live(self, obj):
        return obj.is_published()

    @admin.display(description="Secret preview link")
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save the post to get a preview link."
        if obj.is_published():
            return "The post is public."
        url = reverse("blog:preview", kwargs={"token": post_preview_token(obj)})
        return format_html(
            '<a href="{}">Open the preview</a> — anyone with this link can read the post '
            "until it is published.",
            url,
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("author", "category")
        return queryset if is_editor(request.user) else queryset.by_author(request.user)

    def _owns(self, request, obj) -> bool:
        return obj is None or is_editor(request.user) or obj.author_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        """Superusers delete any post (the Editors role grants no deleting); authors only
        their own drafts."""
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or is_editor(request.user):
            return True
        return obj.author_id == request.user.pk and obj.status == Post.Status.DRAFT

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_editor(request.user):
            fields.append("author")
        if obj is not None and obj.status != Post.Status.DRAFT:
            # Published URLs are permanent: the slug cannot change silently.
            fields.append("slug")
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.status != Post.Status.DRAFT:
            return {}
        return {"slug": ["title"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    Q(is_superuser=True) | Q(groups__name__in=[roles.AUTHORS, roles.EDITORS])
                )
                .distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change and (not is_editor(request.user) or not obj.author_id):
            obj.author = request.user
        super().save_model(request, obj, form, change)
        page_cache.public_pages_changed()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Reference:
            # Numbered 1, 2, 3… as listed: [@1] cites the first reference shown.
            ordered = references_in_form_order(formset)
            for number, reference in enumerate(ordered, start=1):
                reference.order = number
            Reference.objects.bulk_update(ordered, ["order"])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        page_cache.public_pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        page_cache.public_pages_changed()

    @admin.action(description="Publish selected posts now", permissions=["change"])
    def publish_now(self, request, queryset):
        count = 0
        for post in queryset:
            if self._owns(request, post) and not post.is_published():
                post_publish(post=post)
                count += 1
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    @admin.action(description="Withdraw selected posts (back to draft)", permissions=["change"])
    def withdraw(self, request, queryset):
        count = 0
        for post in queryset:
            if self._owns(request, post):
                post_withdraw(post=post)
                count += 1
        self.message_user(request, f"Withdrew {count} post(s) to draft.", messages.SUCCESS)
