"""comments.tree: each new node is placed exactly where django-mptt's rebuild() puts it."""

import random

import pytest

from comments import tree
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def nested_sets() -> dict:
    rows = Comment.objects.values_list("pk", "tree_id", "lft", "rght", "level", "parent_id")
    ranks = {t: n for n, t in enumerate(sorted({row[1] for row in rows}))}
    return {pk: (ranks[t], lft, rght, level, parent) for pk, t, lft, rght, level, parent in rows}


def add(post, parent=None) -> Comment:
    comment = Comment(post=post, parent=parent, body="A reply", author_name="Kim")
    tree.insert_node(comment)
    return comment


def test_replies_anywhere_in_a_thread_leave_the_tree_rebuild_would_build():
    rng = random.Random(8)
    post = PostFactory()
    nodes = [add(post) for _ in range(3)]
    for _ in range(60):
        # Fresh parents, as the views load them, and sometimes a stale one.
        parent = rng.choice(nodes)
        if rng.random() < 0.8:
            parent = Comment.objects.get(pk=parent.pk)
        nodes.append(add(post, parent))
    stored = nested_sets()
    Comment.objects.rebuild()
    assert nested_sets() == stored


def test_a_reply_is_the_last_child_one_level_down_and_its_parent_widens():
    parent = CommentFactory()
    first = add(parent.post, parent)
    second = add(parent.post, Comment.objects.get(pk=parent.pk))
    assert list(parent.get_children()) == [first, second]
    assert (second.level, second.lft, second.rght) == (1, 4, 5)
    parent.refresh_from_db()
    assert (parent.lft, parent.rght) == (1, 6)


def test_other_threads_are_left_alone():
    post = PostFactory()
    one, other = add(post), add(post)
    add(post, one)
    other_before = Comment.objects.filter(tree_id=other.tree_id).values_list("lft", "rght")
    assert list(other_before) == [(1, 2)]


def test_a_reply_to_a_comment_deleted_meanwhile_is_not_stored():
    parent = CommentFactory()
    stale = Comment.objects.get(pk=parent.pk)
    parent.delete()
    with pytest.raises(Comment.DoesNotExist):
        add(stale.post, stale)
    assert not Comment.objects.exists()
