from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify

from . import roles


class User(AbstractUser):
    """Every person with an account: readers, authors, editors and moderators.

    Roles are groups (see accounts.roles); profile fields live here so bylines,
    comments and author pages need no extra join.
    """

    display_name = models.CharField(
        max_length=80, blank=True, help_text="Shown in bylines and on comments, e.g. “Prof G”."
    )
    slug = models.SlugField(max_length=80, unique=True, blank=True, null=True)

    def __str__(self):
        return self.public_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Group names, read once per instance (prefetch "groups" to avoid a query each)."""
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, role: str) -> bool:
        return self.is_superuser or role in self.role_names

    @property
    def is_moderator(self) -> bool:
        return self.has_role(roles.MODERATORS)

    @property
    def is_editor(self) -> bool:
        return self.has_role(roles.EDITORS)

    @property
    def is_author(self) -> bool:
        return self.has_role(roles.AUTHORS)

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.username) or None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"slug": self.slug})
