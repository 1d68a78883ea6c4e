"""Tree writes made safe under concurrent writers: the per-thread lock lives here.

django-mptt shifts `lft`/`rght` of the whole thread on every insert and allocates a new
root's `tree_id` as max + 1 over the table, and leaves locking to its caller. On
PostgreSQL a reply locks its thread's root row (writers in other threads go on in
parallel) and a new top-level comment takes a transaction-scoped advisory lock, so two
roots never share a tree_id. SQLite runs IMMEDIATE transactions (see charcot.env), which
already queue writers one at a time.
"""

from django.db import connection

from .models import Comment

# Any constant unique to this use; pg_advisory_xact_lock takes a 64-bit key.
NEW_THREAD_LOCK_KEY = 0x436F6D6D656E74  # "Comment"


def lock_thread_for_insert(parent: Comment | None) -> None:
    """Make this transaction the only writer of the thread that will receive a new node."""
    if connection.vendor != "postgresql":
        return
    if parent is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NEW_THREAD_LOCK_KEY])
        return
    lock_thread(parent.tree_id)


def lock_thread(tree_id: int) -> None:
    """Lock one thread (its root row) until the transaction ends."""
    if connection.vendor != "postgresql":
        return
    list(
        Comment.objects.select_for_update()
        .filter(tree_id=tree_id, parent__isnull=True)
        .values_list("pk", flat=True)
    )


def insert_node(comment: Comment) -> None:
    """Save a new comment as the last child of its parent (or a new thread), under the lock.

    Call inside transaction.atomic. mptt re-reads the parent's tree fields from the
    database when it inserts, i.e. after the lock is held, so a stale parent is harmless.
    """
    lock_thread_for_insert(comment.parent)
    comment.save()
