"""Factories for comments, one at a time or whole discussions at once."""

import random

import factory
from django.db.models import Max

from charcot.markdown import COMMENT, render_markdown
from comments.models import Comment
from tests.accounts.factories import UserFactory
from tests.blog.factories import PostFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment inserted directly (bypassing moderation); use services to test posting."""

    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    parent = None
    user = None
    author_name = factory.Faker("first_name")
    author_email = factory.LazyAttribute(lambda c: f"{c.author_name.lower()}@example.com")
    body = factory.Faker("paragraph")
    status = Comment.Status.APPROVED


def anonymous_comment(**kwargs):
    kwargs.setdefault("ip_hash", "a" * 32)
    return CommentFactory(**kwargs)


SENTENCES = [
    "Does this hold for people diagnosed after fifty?",
    "Our clinic saw the same pattern, *though* with fewer relapses.",
    "The confidence interval is wide: I would wait for the replication.",
    "Thank you, this is the clearest summary I have read.",
    "Which dose was used in the second arm?",
    "See the supplementary table, it answers part of this.",
]
# Replies per thread, in turn: a few lone comments, a few busy threads.
THREAD_SIZES = (0, 1, 2, 3, 5, 8, 13)
DEEPEST = 8


def bulk_discussion(post, *, threads: int, seed: str = "tests") -> int:
    """Threads of a realistic shape (replies up to depth 8, one a long chain, a few held),
    stored level by level with django-mptt's build_tree_nodes; returns how many comments.
    Quicker than CommentFactory by far for the hundreds a query-count test needs."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    members = [UserFactory(username="bulk-reader"), UserFactory(username="bulk-moderator")]
    html = {text: render_markdown(text, COMMENT) for text in SENTENCES}

    def comment(level):
        text = rng.choice(SENTENCES)
        held = level > 0 and rng.random() < 0.03
        writer = {"user": rng.choice(members)} if rng.random() < 0.35 else {}
        anonymous = {} if writer else {"author_name": "Guest", "author_email": "g@example.com"}
        status = Comment.Status.PENDING if held else Comment.Status.APPROVED
        return {"post": post, "body": text, "body_html": html[text], "status": status,
                "level": level, "children": [], **writer, **anonymous}  # fmt: skip

    first_tree_id = (Comment.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
    by_level: dict[int, list[Comment]] = {}
    for index in range(threads):
        root = comment(0)
        nodes = [root]
        if index == 1:
            for level in range(1, DEEPEST + 1):
                nodes[-1]["children"].append(comment(level))
                nodes.append(nodes[-1]["children"][-1])
        else:
            size = 3 if threads < 10 else THREAD_SIZES[index % len(THREAD_SIZES)]
            for _ in range(size):
                parent = rng.choice([node for node in nodes if node["level"] < DEEPEST])
                parent["children"].append(comment(parent["level"] + 1))
                nodes.append(parent["children"][-1])
        _place(Comment.objects.build_tree_nodes(_without_levels(root)), root, by_level,
               tree_id=first_tree_id + index)  # fmt: skip
    for level in sorted(by_level):
        Comment.objects.bulk_create(by_level[level])  # parents first: they have their pk
    return sum(len(records) for records in by_level.values())


def _without_levels(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in ("level", "children")} | {
        "children": [_without_levels(child) for child in data["children"]]
    }


def _place(records, root: dict, by_level, *, tree_id: int) -> None:
    """Link each record (build_tree_nodes gives them in depth-first order) to its parent."""
    order = iter(records)

    def walk(data, parent):
        record = next(order)
        record.tree_id, record.parent = tree_id, parent
        by_level.setdefault(record.level, []).append(record)
        for child in data["children"]:
            walk(child, record)

    walk(root, None)
