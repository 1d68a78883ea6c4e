"""Commenters' data requests on the moderation desk: export and erase, for moderators.

The actions act on every comment left under the email addresses of the selected comments.
They extend the desk's `CommentAdmin` from here, so the comments app knows nothing of privacy.
"""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone

from comments.models import Comment
from comments.moderation.admin import CommentAdmin

from .services import commenter_erase, commenter_export


def _emails(queryset) -> list[str]:
    return sorted(
        {email.strip().lower() for email in queryset.values_list("author_email", flat=True)} - {""}
    )


@admin.action(
    description="Export everything stored for these commenters' emails (JSON)",
    permissions=["privacy"],
)
def export_commenters(modeladmin, request, queryset):
    exports = [commenter_export(email=email) for email in _emails(queryset)]
    response = HttpResponse(
        json.dumps(exports, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="commenter-export-{stamp}.json"'
    return response


@admin.action(
    description="Erase these commenters: anonymise all their comments", permissions=["privacy"]
)
def erase_commenters(modeladmin, request, queryset):
    emails = _emails(queryset)
    total = sum(commenter_erase(email=email, by=request.user).comments for email in emails)
    modeladmin.message_user(
        request,
        f"Anonymised {total} comment(s) from {len(emails)} commenter(s).",
        messages.SUCCESS,
    )


class PrivacyCommentAdmin(CommentAdmin):
    actions = [*CommentAdmin.actions, export_commenters, erase_commenters]

    def has_privacy_permission(self, request) -> bool:
        """Data requests reach across posts: moderators act on them, authors do not."""
        return self.has_module_permission(request) and request.user.is_moderator


admin.site.unregister(Comment)
admin.site.register(Comment, PrivacyCommentAdmin)
