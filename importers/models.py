"""Where each imported post and comment came from: old links resolve through these rows."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from . import conf


class Source(models.TextChoices):
    WORDPRESS = "wordpress", "WordPress"
    BLOGGER = "blogger", "Blogger"


class ImportedPost(models.Model):
    """A post that came from another blog, with what its old links were made of."""

    post = models.OneToOneField("blog.Post", on_delete=models.CASCADE, related_name="imported_from")
    source = models.CharField(max_length=10, choices=Source.choices)
    site = models.CharField(max_length=300, blank=True, help_text="The old blog's address.")
    source_id = models.CharField(max_length=100, help_text="The post's id at the old blog.")
    source_url = models.CharField(max_length=1000, blank=True)
    source_path = models.CharField(
        max_length=500, blank=True, db_index=True, help_text="The old permalink's path."
    )
    source_slug = models.CharField(max_length=300, blank=True, db_index=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site", "source_id"], name="imported_post_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} post {self.source_id}"


class ImportedComment(models.Model):
    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="imported_from"
    )
    imported_post = models.ForeignKey(
        ImportedPost, on_delete=models.CASCADE, related_name="comments"
    )
    source_id = models.CharField(max_length=100)
    source_url = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["imported_post", "source_id"], name="imported_comment_once"
            ),
        ]

    def __str__(self):
        return f"Imported comment {self.source_id}"


class PrivateUploads(FileSystemStorage):
    """Exports hold commenters' addresses: they wait outside the public media folder, in
    CHARCOT_IMPORTERS_UPLOAD_ROOT (read on each use, so tests can move it)."""

    @property
    def base_location(self):
        return str(conf.UPLOAD_ROOT or Path(settings.MEDIA_ROOT).parent / "private-imports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def upload_storage():
    return PrivateUploads()


class ImportRun(models.Model):
    """An import started from the admin: the uploaded file, its progress and its report."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    source = models.CharField(max_length=10, choices=Source.choices)
    file = models.FileField(
        upload_to="%Y/%m/", storage=upload_storage, help_text="The export file (deleted once read)."
    )
    dry_run = models.BooleanField(
        default=False, help_text="Read the file and report what would happen; change nothing."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    posts_done = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    report = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_source_display()} import of {self.created_at:%Y-%m-%d %H:%M}"
