"""Demo discussions: one long one (hundreds of comments, eight levels deep) and a short one.

Trees are built in memory with their nested-set fields computed here and stored with a
few bulk inserts (one per level), which keeps `manage.py demo` fast; the result is
checked before returning. Idempotent: a post that has comments already is left alone.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from blog.models import Post
from charcot.markdown import COMMENT, render_markdown
from comments import tree
from comments.models import Comment

MAX_LEVEL = 8
ANONYMOUS = [
    ("Maggie", "maggie@example.com", "https://example.com/maggie"),
    ("Tom R", "tom.r@example.net", ""),
    ("Carer in Leeds", "leeds.carer@example.org", ""),
    ("Dr. Ines Alvarez", "ines@example.org", "https://example.org/ines"),
    ("Rosa", "rosa@example.com", ""),
    ("Ben (pwMS)", "ben@example.net", ""),
    ("Hannah", "hannah@example.org", ""),
]
SENTENCES = [
    "I stopped natalizumab after six years because of JCV antibodies.",
    "My neurologist suggested bridging with an anti-CD20 within eight weeks.",
    "Is there any data on *extended interval dosing* instead of stopping?",
    "The rebound in our cohort came at about three to four months.",
    "Has anyone had an MRI during the washout period?",
    "We were told that the risk is highest in younger people with active disease.",
    "Thank you for explaining this so clearly, it helped me prepare for clinic.",
    "What about pregnancy planning? That is why I am stopping.",
    "My wife had a relapse twelve weeks after the last infusion.",
    "The paper is here: [cohort study](https://example.org/cohort-study).",
    "Fatigue got worse for me, but the scans stayed stable.",
    "Could you say more about **ocrelizumab** versus **rituximab** for bridging?",
    "Our MS nurse recommended checking lymphocyte counts first.",
    "I am a carer and these comment threads are where I learn the most.",
    "Switching to fingolimod did not prevent rebound in my case.",
    "Does EBV status change anything here?",
]
AUTHOR_REPLIES = [
    "Good question. The short answer is that the gap matters more than the drug.",
    "Yes: in the studies I know, starting the next treatment within 8–12 weeks reduced rebound.",
    "I would not extrapolate from one case, but it fits the pattern in the registries.",
    "This is exactly the discussion to have with your own team; bring the numbers along.",
    "Extended interval dosing is a reasonable option for many people; see the trial data.",
]


@dataclass(eq=False)
class Node:
    parent: "Node | None"
    level: int
    writer: tuple  # ("user", User) or ("anon", (name, email, url))
    body: str
    status: str = Comment.Status.APPROVED
    minutes: int = 0
    children: list = field(default_factory=list)
    lft: int = 0
    rght: int = 0
    obj: Comment | None = None


def seed(people) -> None:
    posts = list(Post.objects.published().order_by("-published_at")[:2])
    for post, threads in zip(posts, (60, 6), strict=False):
        if not Comment.objects.filter(post=post).exists():
            build_discussion(post, people, threads=threads, rng=random.Random(post.slug))  # noqa: S311 (demo text, not secrets)


def build_discussion(post, people, *, threads: int, rng: random.Random) -> int:
    members = [people["reader"], people["moderator"]]
    author = post.author
    roots = []
    for index in range(threads):
        root = Node(None, 0, writer(rng, members), text(rng), minutes=index * 37)
        roots.append(root)
        size = 3 if threads < 10 else rng.choice([0, 1, 2, 3, 5, 8, 13])
        if index == 1:
            grow_chain(root, rng, members, author)
        else:
            grow(root, size, rng, members, author)
    held = [node for root in roots for node in walk(root) if node.level and rng.random() < 0.03]
    for node in held:
        node.status = Comment.Status.PENDING
    first_tree_id = (Comment.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
    for root in roots:
        number(root)
    store(post, roots, first_tree_id)
    return sum(1 for root in roots for _ in walk(root))


def writer(rng, members):
    if rng.random() < 0.35:
        return ("user", rng.choice(members))
    return ("anon", rng.choice(ANONYMOUS))


def text(rng) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))


def author_reply(rng, parent: Node) -> str:
    """The way authors answer here: quote the point, attributed and linked, then reply.

    `{link}` becomes the parent's permalink once its primary key is known (see `store`).
    """
    answer = parent.body.split("\n\n")[-1]  # never quote a quote (or its placeholders)
    quoted = answer.split(". ")[0].rstrip(".") + "."
    return f"> **[{{name}}]({{link}}) wrote:**\n>\n> {quoted}\n\n{rng.choice(AUTHOR_REPLIES)}"


def grow(root: Node, size: int, rng, members, author) -> None:
    nodes = [root]
    for step in range(size):
        open_nodes = [node for node in nodes if node.level < MAX_LEVEL]
        parent = rng.choice(open_nodes[-4:] if rng.random() < 0.7 else open_nodes)
        nodes.append(reply(parent, rng, members, author, root.minutes + 5 * (step + 1)))


def grow_chain(root: Node, rng, members, author) -> None:
    """One thread that goes all the way down, to show the depth cap."""
    parent = root
    for level in range(1, MAX_LEVEL + 1):
        parent = reply(
            parent, rng, members, author, root.minutes + 3 * level, force_author=level % 2 == 0
        )


def reply(parent, rng, members, author, minutes, force_author=False) -> Node:
    if force_author or rng.random() < 0.15:
        node = Node(
            parent, parent.level + 1, ("user", author), author_reply(rng, parent), minutes=minutes
        )
    else:
        node = Node(parent, parent.level + 1, writer(rng, members), text(rng), minutes=minutes)
    parent.children.append(node)
    return node


def walk(root: Node):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def number(root: Node) -> None:
    """Nested-set numbers for one thread, from the one numbering helper (comments.tree)."""
    nodes = list(walk(root))
    index = {id(node): i for i, node in enumerate(nodes)}
    parents = [-1 if node is root else index[id(node.parent)] for node in nodes]
    for node, (_root, lft, rght, _level) in zip(
        nodes, tree.nested_set_numbers(parents), strict=True
    ):
        node.lft, node.rght = lft, rght


def store(post, roots: list, first_tree_id: int) -> None:
    start = timezone.now() - timedelta(days=2)
    by_level: dict[int, list] = {}
    for tree_offset, root in enumerate(roots):
        for node in walk(root):
            node.tree_id = first_tree_id + tree_offset
            by_level.setdefault(node.level, []).append(node)
    rendered: dict[str, str] = {}  # the demo reuses texts; render each once
    for level in sorted(by_level):
        objs = []
        for node in by_level[level]:
            kind, who = node.writer
            if "{link}" in node.body:
                parent = node.parent.obj
                name = parent.display_name.replace("[", "").replace("]", "")
                node.body = node.body.format(name=name, link=parent.get_absolute_url())
            objs.append(
                Comment(
                    post=post,
                    parent_id=node.parent.obj.pk if node.parent else None,
                    user=who if kind == "user" else None,
                    author_name="" if kind == "user" else who[0],
                    author_email="" if kind == "user" else who[1],
                    author_url="" if kind == "user" else who[2],
                    body=node.body,
                    body_html=rendered.get(node.body)
                    or rendered.setdefault(node.body, render_markdown(node.body, COMMENT)),
                    status=node.status,
                    moderation_reason="demo",
                    public_reason=(
                        "First comments from new people are checked by a moderator."
                        if node.status == Comment.Status.PENDING
                        else ""
                    ),
                    lft=node.lft,
                    rght=node.rght,
                    tree_id=node.tree_id,
                    level=node.level,
                )
            )
        for node, obj in zip(by_level[level], Comment.objects.bulk_create(objs), strict=True):
            node.obj = obj
    # auto_now_add stamped every row "now"; give the discussion its real rhythm.
    stamped = []
    for nodes in by_level.values():
        for node in nodes:
            node.obj.created_at = start + timedelta(minutes=node.minutes)
            stamped.append(node.obj)
    Comment.objects.bulk_update(stamped, ["created_at"], batch_size=500)
    check(roots)


def check(roots: list) -> None:
    """Every stored thread spans exactly twice its size in nested-set numbers."""
    for root in roots:
        size = sum(1 for _ in walk(root))
        stored = Comment.objects.filter(tree_id=root.tree_id)
        if stored.count() != size or root.rght != 2 * size:
            raise RuntimeError(f"Demo thread {root.tree_id} was stored incorrectly.")
