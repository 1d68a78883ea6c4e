"""What comments does when something below it changes: a writer's shown profile or roles.

Connected in CommentsConfig.ready(). accounts and identities know nothing of comments; the
stored fragments (comments.fragments) show a writer's name, avatar, ORCID mark and
Moderator badge, so when one of those changes, the writer's fragments are re-rendered in
a task once the change is committed.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from . import tasks

User = get_user_model()

# The User fields a comment's fragment shows (comments.fragments.WRITER_FIELDS).
SHOWN = frozenset(
    ("display_name", "first_name", "last_name", "username", "slug", "avatar_small")
    + ("verified_orcid", "is_superuser")
)


def writer_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields is not None and SHOWN.isdisjoint(update_fields)):
        return  # a new account has no comments; a sign-in only moves last_login
    user_id = instance.pk
    transaction.on_commit(lambda: tasks.fragments_refresh.enqueue(user_id))


def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    user_ids = (pk_set or ()) if reverse else (instance.pk,)  # reverse: group.user_set.add()
    for user_id in user_ids:
        transaction.on_commit(lambda user_id=user_id: tasks.fragments_refresh.enqueue(user_id))


def connect():
    post_save.connect(writer_changed, sender=User, dispatch_uid="comments.writer_changed")
    m2m_changed.connect(
        roles_changed, sender=User.groups.through, dispatch_uid="comments.roles_changed"
    )
