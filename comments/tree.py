"""Tree writes made safe under concurrent writers: the per-thread lock lives here.

django-mptt shifts `lft`/`rght` of the whole thread on every insert and allocates a new
root's `tree_id` as max + 1 over the table, and leaves locking to its caller. On
PostgreSQL a write to a thread takes a transaction-scoped advisory lock on its tree id
(writers in other threads go on in parallel) and a new top-level comment takes another
one, so two roots never share a tree_id. SQLite runs IMMEDIATE transactions (see
charcot.env), which already queue writers one at a time.
"""

from django.db import connection
from django.utils import timezone

from charcot import bulk
from charcot.markdown import COMMENT, render_markdown

from . import fragments
from .models import Comment

# Any constants unique to these uses. pg_advisory_xact_lock(bigint) and
# pg_advisory_xact_lock(int, int) are separate key spaces; tree ids are ints.
NEW_THREAD_LOCK_KEY = 0x436F6D6D656E74  # "Comment"
THREAD_LOCK_CLASS = 0x54726565  # "Tree"
LOCK_THREAD = "SELECT pg_advisory_xact_lock(%s, %s)"

# After the thread's lock, the parent's place, read in the same statement that makes
# room for its new last child: every node from the parent's right edge on moves two to
# the right (ancestors and the parent widen; later nodes move). mptt's own insert reads
# the parent and shifts in two statements, both built by the ORM.
MAKE_ROOM_POSTGRESQL = """
    WITH parent AS (
        SELECT rght, level, tree_id FROM comments_comment WHERE id = %(parent)s
    ), shifted AS (
        UPDATE comments_comment AS node
        SET lft = CASE WHEN node.lft > parent.rght THEN node.lft + 2 ELSE node.lft END,
            rght = node.rght + 2
        FROM parent
        WHERE node.tree_id = parent.tree_id AND node.rght >= parent.rght
    )
    SELECT rght, level, tree_id FROM parent
"""
# The same, and the new node inserted as the parent's last child, in one statement: the
# INSERT and the UPDATE see the same snapshot, so the new node is not shifted.
INSERT_REPLY_POSTGRESQL = """
    WITH parent AS (
        SELECT rght, level, tree_id FROM comments_comment WHERE id = %s
    ), shifted AS (
        UPDATE comments_comment AS node
        SET lft = CASE WHEN node.lft > parent.rght THEN node.lft + 2 ELSE node.lft END,
            rght = node.rght + 2
        FROM parent
        WHERE node.tree_id = parent.tree_id AND node.rght >= parent.rght
    )
    INSERT INTO comments_comment ({columns}, lft, rght, level, tree_id)
    SELECT {values}, parent.rght, parent.rght + 1, parent.level + 1, parent.tree_id
    FROM parent
    RETURNING id, lft, rght, level, tree_id
"""
TREE_COLUMNS = ("lft", "rght", "level", "tree_id")
PARENT_PLACE = "SELECT rght, level, tree_id FROM comments_comment WHERE id = %s"
SHIFT = """
    UPDATE comments_comment
    SET lft = CASE WHEN lft > %(edge)s THEN lft + 2 ELSE lft END, rght = rght + 2
    WHERE tree_id = %(tree_id)s AND rght >= %(edge)s
"""


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
    """Lock one thread until the transaction ends."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(LOCK_THREAD, [THREAD_LOCK_CLASS, tree_id])


def insert_node(comment: Comment) -> None:
    """Save a new comment as the last child of its parent (or a new thread), under the lock.

    Call inside transaction.atomic. The parent's place is read after the lock is held, so
    a stale parent is harmless.
    """
    if comment.parent is not None and connection.vendor == "postgresql":
        _insert_reply_postgresql(comment)
        return
    lock_thread_for_insert(comment.parent)
    if comment.parent is None:
        comment.save()  # mptt: tree id max + 1, under the new-thread lock
        return
    edge, level, tree_id = _make_room(comment.parent_id)
    comment.tree_id, comment.level = tree_id, level + 1
    comment.lft, comment.rght = edge, edge + 1
    # With lft and rght set, mptt takes the node as placed and only inserts it.
    comment.save()
    parent = comment.parent
    parent.tree_id, parent.level, parent.rght = tree_id, level, edge + 2


def _insert_reply_postgresql(comment: Comment) -> None:
    """A reply in one statement under the thread's lock (INSERT_REPLY_POSTGRESQL).

    Everything else is done before the lock: the row's values, its Markdown and its stored
    article rendered as Comment.save() would. Under eight writers on two cores each statement inside the lock
    is a round trip that waits for a core, with the thread locked meanwhile.
    """
    comment.render_shown()
    fields = [
        field
        for field in Comment._meta.concrete_fields
        if not field.primary_key and field.attname not in TREE_COLUMNS
    ]
    values = [field.get_db_prep_save(field.pre_save(comment, True), connection) for field in fields]
    sql = INSERT_REPLY_POSTGRESQL.format(
        columns=", ".join(connection.ops.quote_name(field.column) for field in fields),
        values=", ".join(["%s"] * len(values)),
    )
    # The lock and the statement go in one round trip (psycopg's pipeline): the statement
    # starts, and takes its snapshot, only once the lock is held. A thread's tree id never
    # changes, so the parent's, read before, is the one to lock.
    with connection.cursor() as cursor, connection.connection.pipeline():
        cursor.execute(LOCK_THREAD, [THREAD_LOCK_CLASS, comment.parent.tree_id])
        cursor.execute(sql, [comment.parent_id, *values])
        row = cursor.fetchone()
    if row is None:
        raise Comment.DoesNotExist(f"The parent comment {comment.parent_id} is gone.")
    comment.pk, comment.lft, comment.rght, comment.level, comment.tree_id = row
    comment._state.adding, comment._state.db = False, connection.alias
    comment._mptt_saved = True
    comment._mptt_meta.update_mptt_cached_fields(comment)
    parent = comment.parent
    parent.tree_id, parent.level, parent.rght = comment.tree_id, comment.level - 1, comment.rght + 1


def _make_room(parent_id: int) -> tuple[int, int, int]:
    """Shift the thread to free two places at the parent's right edge; return that edge
    (the new node's lft), the parent's level and its tree id, as they were."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(MAKE_ROOM_POSTGRESQL, {"parent": parent_id})
            place = cursor.fetchone()
        else:
            cursor.execute(PARENT_PLACE, [parent_id])
            place = cursor.fetchone()
            if place is not None:
                cursor.execute(SHIFT, {"edge": place[0], "tree_id": place[2]})
    if place is None:
        raise Comment.DoesNotExist(f"The parent comment {parent_id} is gone.")
    return place


def nested_set_numbers(parents: list[int]) -> list[tuple[int, int, int, int]]:
    """(root index, lft, rght, level) for each node of a forest given as parent indices
    (-1 for a root, parents before their children): what django-mptt stores, children in
    the given order (plain last-child insertion). For bulk loads (the demo, the benchmark's
    seed), which write whole threads at once instead of inserting node by node."""
    children = [[] for _ in parents]
    roots = []
    for index, parent in enumerate(parents):
        (roots if parent < 0 else children[parent]).append(index)
    result = [None] * len(parents)
    for root in roots:
        counter = 1
        stack = [(root, 0, False)]
        lefts = {}
        while stack:
            node, level, closing = stack.pop()
            if closing:
                result[node] = (root, lefts.pop(node), counter, level)
                counter += 1
                continue
            lefts[node] = counter
            counter += 1
            stack.append((node, level, True))
            for child in reversed(children[node]):
                stack.append((child, level + 1, False))
    return result


def insert_threads(comments: list[Comment]) -> None:
    """Add whole new threads to a post at once (imports): nested-set numbers computed here.

    `comments` holds unsaved nodes, parents before their children, each `parent` an
    earlier node of the list or None, siblings in posting order. Each root gets a fresh
    tree id under the new-thread lock. Ids grow with lft among siblings, as last-child
    insertion would leave them: on PostgreSQL ids are reserved in tree order and the rows
    go in with one COPY; elsewhere rows are inserted one depth at a time, siblings in order.
    Each node's `created_at`, when set, is kept, and its `body_html` is rendered as
    `Comment.save()` would, and so is its stored fragment (comments.fragments).
    """
    if not comments:
        return
    index = {id(node): i for i, node in enumerate(comments)}
    parents = [-1 if node.parent is None else index[id(node.parent)] for node in comments]
    lock_thread_for_insert(None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(tree_id), 0) FROM comments_comment")
        next_tree_id = cursor.fetchone()[0] + 1
    tree_ids: dict[int, int] = {}  # a root's index in the list -> its new tree id
    by_level: list[list[Comment]] = []
    for node, (root, lft, rght, level) in zip(comments, nested_set_numbers(parents), strict=True):
        node.tree_id = tree_ids.setdefault(root, next_tree_id + len(tree_ids))
        node.lft, node.rght, node.level = lft, rght, level
        if len(by_level) <= level:
            by_level.append([])
        by_level[level].append(node)
    writers = fragments.writers_of(node.user_id for node in comments)
    for node in comments:
        node.body_html = render_markdown(node.body, COMMENT)
        node.created_at = node.created_at or timezone.now()
        is_post_author = node.user_id is not None and node.user_id == node.post.author_id
        fragments.store(node, writers.get(node.user_id), is_post_author)
    if connection.vendor == "postgresql":
        # One COPY with ids reserved up front, given in tree order: parents' ids are known
        # before their children's rows are written.
        nodes = sorted(comments, key=lambda node: (node.tree_id, node.lft))
        for node, pk in zip(nodes, bulk.reserve_ids(Comment, len(nodes)), strict=True):
            node.pk = pk
            node._state.adding, node._state.db = False, Comment.objects.db
        for node in nodes:
            if node.parent is not None:
                node.parent_id = node.parent.pk
        bulk.copy_rows(Comment, nodes, with_pk=True)
        return
    for level_nodes in by_level:
        level_nodes.sort(key=lambda node: (node.tree_id, node.lft))
    fields = [field for field in Comment._meta.concrete_fields if not field.primary_key]
    batch_size = max(1, min(500, connection.ops.bulk_batch_size(fields, comments)))
    for level_nodes in by_level:
        for node in level_nodes:
            if node.parent is not None:
                node.parent_id = node.parent.pk
        for start in range(0, len(level_nodes), batch_size):
            _insert_as_given(level_nodes[start : start + batch_size], fields)


def _insert_as_given(nodes: list[Comment], fields) -> None:
    """INSERT the nodes with every value as set, `created_at` included: the raw insert
    Django's loaddata uses (bulk_create would stamp auto_now_add's "now" on each row)."""
    rows = Comment.objects._insert(
        nodes, fields=fields, returning_fields=[Comment._meta.pk], raw=True
    )
    for node, (pk,) in zip(nodes, rows, strict=True):
        node.pk = pk
        node._state.adding, node._state.db = False, Comment.objects.db
