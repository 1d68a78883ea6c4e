"""The import page in the admin: editors upload an export; a background task imports it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html

from .models import ImportRun
from .tasks import import_run
from .xmlstream import ImportFileError, check_size


class ImportRunForm(forms.ModelForm):
    class Meta:
        model = ImportRun
        fields = ["source", "file", "dry_run"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(getattr(upload, "size", None))
        except ImportFileError as error:
            raise ValidationError(str(error), code="too_large") from error
        return upload


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Editors and superusers (the importers permissions in accounts.roles) start imports
    and read their reports; nobody edits or deletes one."""

    form = ImportRunForm
    list_display = ["__str__", "source", "dry_run", "state", "posts_done", "started_by"]
    list_filter = ["state", "source"]
    readonly_fields = [
        "state",
        "progress",
        "report_text",
        "started_by",
        "created_at",
        "finished_at",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["source", "file", "dry_run"]
        return ["source", "dry_run", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return ["source", "dry_run", *self.readonly_fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Progress")
    def progress(self, obj):
        if obj.state == ImportRun.State.RUNNING:
            return format_html(
                '<progress max="100" value="{}">{}%</progress> {} posts so far; reload to follow.',
                obj.percent, obj.percent, obj.posts_done,
            )  # fmt: skip
        if obj.state == ImportRun.State.QUEUED:
            return "Waiting for the task worker."
        return format_html(
            '<progress max="100" value="100">100%</progress> {} posts', obj.posts_done
        )

    @admin.display(description="Report")
    def report_text(self, obj):
        return format_html("<pre>{}</pre>", obj.report) if obj.report else "Not finished yet."

    def save_model(self, request, obj, form, change):
        obj.started_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: import_run.enqueue(obj.pk))
