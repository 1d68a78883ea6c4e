"""The desk's admin classes live in `comments.moderation.admin`; importing it registers them."""

from .moderation import admin  # noqa: F401
