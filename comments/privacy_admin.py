"""Admin actions for commenters' data requests, ready to list in a comment ModelAdmin.

    from comments.privacy_admin import erase_commenters, export_commenters
    actions = [export_commenters, erase_commenters]

They act on every comment left under the email addresses of the selected comments.
"""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone

from .privacy_services import commenter_erase, commenter_export


def _emails(queryset) -> list[str]:
    return sorted(
        {email.strip().lower() for email in queryset.values_list("author_email", flat=True)} - {""}
    )


@admin.action(description="Export everything stored for these commenters' emails (JSON)")
def export_commenters(modeladmin, request, queryset):
    exports = [commenter_export(email=email) for email in _emails(queryset)]
    response = HttpResponse(
        json.dumps(exports, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="commenter-export-{stamp}.json"'
    return response


@admin.action(
    description="Erase these commenters: anonymise all their comments", permissions=["change"]
)
def erase_commenters(modeladmin, request, queryset):
    emails = _emails(queryset)
    total = sum(commenter_erase(email=email, by=request.user).comments for email in emails)
    modeladmin.message_user(
        request,
        f"Anonymised {total} comment(s) from {len(emails)} commenter(s).",
        messages.SUCCESS,
    )
