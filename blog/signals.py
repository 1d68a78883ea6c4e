"""A post's tags, references and corrections are part of its page: changing one moves the
post's `updated_at`, which Post.shown_version (the key of its cached page parts) reads.

The admin saves them with the post anyway; these cover every other path (the shell, data
migrations, the demo), so a cached part can never outlive what it shows. The same events
bring the post's search document (blog.search) up to date, in the same transaction.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Correction, Post, Reference, Tag
from .search import search_index_refresh


def _touch(post_ids) -> None:
    post_ids = list(post_ids)
    Post.objects.filter(pk__in=post_ids).update(updated_at=timezone.now())
    search_index_refresh(post_ids)


@receiver(post_save, sender=Post)
def post_saved(sender, instance, raw=False, **kwargs):
    """Post.save() derives the row's own fields; its search document also reads the tags
    and references, so it is derived here, after the row exists."""
    if not raw:
        search_index_refresh([instance.pk])


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, created=False, raw=False, **kwargs):
    """A renamed tag shows on its posts' pages and is searched for in their documents."""
    if not (raw or created):
        _touch(list(instance.posts.values_list("pk", flat=True)))


@receiver(post_save, sender=Reference)
@receiver(post_delete, sender=Reference)
@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def detail_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch([instance.post_id])


@receiver(m2m_changed, sender=Post.tags.through)
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:  # tag.posts.clear(): its posts, before they go
        instance._cleared_post_ids = list(instance.posts.values_list("pk", flat=True))
        _touch(instance._cleared_post_ids)
    elif action == "post_clear" and reverse:  # their documents, now without the tag
        search_index_refresh(getattr(instance, "_cleared_post_ids", ()))
    elif action in ("post_add", "post_remove", "post_clear"):
        # From the tag's side (tag.posts.add), instance is the tag and pk_set its posts.
        _touch(pk_set or () if reverse else [instance.pk])
