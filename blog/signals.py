"""A post's tags, references and corrections are part of its page: changing one moves the
post's `updated_at`, which Post.shown_version (the key of its cached page parts) reads.

The admin saves them with the post anyway; these cover every other path (the shell, data
migrations, the demo), so a cached part can never outlive what it shows.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Correction, Post, Reference


def _touch(post_ids) -> None:
    Post.objects.filter(pk__in=post_ids).update(updated_at=timezone.now())


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
        _touch(list(instance.posts.values_list("pk", flat=True)))
    elif action in ("post_add", "post_remove", "post_clear"):
        # From the tag's side (tag.posts.add), instance is the tag and pk_set its posts.
        _touch(pk_set or () if reverse else [instance.pk])
