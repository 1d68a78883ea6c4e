"""A comment typed before an external sign-in, kept server-side for one return trip."""

from django.db import models
from django.utils import timezone


class CommentDraft(models.Model):
    """What a reader typed, held against a one-time token while they sign in elsewhere.

    Only the token's hash is stored: the token itself travels in the return URL and in
    the reader's session, so a copy of the table cannot restore anyone's text.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    body = models.TextField(blank=True)
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)
    started = models.CharField(max_length=200, blank=True)
    return_path = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "comment draft"

    def __str__(self):
        return f"Draft for {self.return_path}"
