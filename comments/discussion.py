"""Reading a discussion: one page of threads, fetched in a fixed number of queries.

Pick a page of top-level comments, load those whole trees in tree order in one query,
and build the nesting in memory without recursion. Hidden comments stay in the fetch so
that, when something visible hangs below them, they render as a placeholder and the
replies keep their place.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, Subquery
from django.utils.functional import LazyObject

from charcot.validation import parse_ascii_int

from . import conf, fragments
from .models import Comment, CommentRules

OLDEST, NEWEST = "oldest", "newest"
SORTS = (OLDEST, NEWEST)
OWN_COOKIE = "charcot_own_comments"
OWN_COOKIE_SALT = "comments.own"
OWN_COOKIE_MAX_IDS = 50


@dataclass
class Viewer:
    """Who is reading: their account, and the ids of comments they wrote anonymously."""

    user: object = None
    own_ids: frozenset = field(default_factory=frozenset)

    @classmethod
    def from_request(cls, request) -> "Viewer":
        if request is None:
            return cls()
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            # request.user is a lazy proxy, and the rules ask it a few things per comment
            # (about 2 ms on a page of 300): look through it once.
            user.is_authenticated  # noqa: B018 (loads the user)
            user = user._wrapped
        return cls(user=user, own_ids=frozenset(own_comment_ids(request)))


def own_comment_ids(request) -> list[int]:
    """Ids of comments this browser posted anonymously, from a signed cookie."""
    raw = request.get_signed_cookie(
        OWN_COOKIE,
        default="",
        salt=OWN_COOKIE_SALT,
        max_age=conf.OWN_COMMENTS_COOKIE_DAYS * 24 * 3600,
    )
    ids = (parse_ascii_int(part) for part in raw.split(","))
    return [pk for pk in ids if pk is not None][-OWN_COOKIE_MAX_IDS:]


def remember_own_comment(response, request, comment) -> None:
    ids = [pk for pk in own_comment_ids(request) if pk != comment.pk] + [comment.pk]
    response.set_signed_cookie(
        OWN_COOKIE,
        ",".join(str(pk) for pk in ids[-OWN_COOKIE_MAX_IDS:]),
        salt=OWN_COOKIE_SALT,
        max_age=conf.OWN_COMMENTS_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def parse_sort(value) -> str:
    return value if value in SORTS else OLDEST


def roots_for(post, viewer: Viewer, sort: str = OLDEST):
    """Top-level comments whose thread holds something this viewer may see, in page order.

    "Threads with something visible" is asked as the set of tree ids of visible comments,
    which PostgreSQL reads from the comment_post_public index alone; an EXISTS per root
    read every reply's row instead (30 ms on a 10,000-comment post, 3 ms this way).
    """
    visible_threads = Comment.objects.filter(post=post).visible_to(viewer.user, viewer.own_ids)
    order = "tree_id" if sort == OLDEST else "-tree_id"
    return Comment.objects.filter(
        post=post, parent__isnull=True, tree_id__in=visible_threads.values("tree_id")
    ).order_by("-is_pinned", order)


def thread_pages(post, viewer: Viewer, sort: str = OLDEST) -> list[list[int]]:
    """The discussion cut into pages of whole threads, as lists of tree ids.

    A page ends at conf.THREADS_PER_PAGE threads, or earlier when the next thread would
    take it past conf.COMMENTS_PER_PAGE comments (hidden ones included), so a few long
    threads cannot make a page of thousands of comments; a thread longer than that gets a
    page of its own. The sizes come from the roots' nested-set bounds, in one index-only
    query (one row per thread, not per comment).
    """
    return cut_into_pages(
        integer_rows(roots_for(post, viewer, sort).values_list("tree_id", "rght"))
    )


def integer_rows(queryset) -> list[tuple]:
    """The rows of a values_list of integer columns, straight from the cursor. A post with
    10,000 comments has about 3,500 threads, and Django's row iterator (which applies
    converters, none of which integers need) cost 5 ms of its page."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def cut_into_pages(roots) -> list[list[int]]:
    """Pages of tree ids from the roots' (tree_id, rght), in page order."""
    max_threads, max_comments = conf.THREADS_PER_PAGE, conf.COMMENTS_PER_PAGE
    pages, current, weight = [], [], 0
    for tree_id, rght in roots:
        size = (rght + 1) // 2  # a root has lft 1: its tree holds (rght - lft + 1) / 2 nodes
        if current and (len(current) >= max_threads or weight + size > max_comments):
            pages.append(current)
            current, weight = [], 0
        current.append(tree_id)
        weight += size
    if current:
        pages.append(current)
    return pages


def page_number_of(comment: Comment, viewer: Viewer, sort: str = OLDEST) -> int:
    """The page of the discussion that shows this comment's thread."""
    for number, tree_ids in enumerate(thread_pages(comment.post, viewer, sort), start=1):
        if comment.tree_id in tree_ids:
            return number
    return 1


@dataclass
class DiscussionPage:
    page: Page
    items: list
    sort: str
    public_count: int


class Node(CommentRules):
    """A comment as the discussion page shows it: a database row, not a model instance.

    A long page holds hundreds of comments, and building model instances (with their
    users) cost more than the rest of the page together. Rows carry only the fields the
    page shows; the rules come from CommentRules, shared with the model.
    """

    FIELDS = (
        "pk",
        "parent_id",
        "tree_id",
        "level",
        "user_id",
        "author_name",
        "author_url",
        "body_html",
        "status",
        "public_reason",
        "deleted_at",
        "redacted_at",
        "created_at",
        "edited_at",
        "is_pinned",
        "html",
        "html_key",
    )
    __slots__ = (
        *FIELDS,
        "user",
        *("replies", "parent_node", "shown", "opens", "closes"),
        *("is_visible", "is_own", "is_post_author"),
        *("can_edit", "can_delete", "is_deep", "flattens", "placeholder"),
    )

    def __init__(self, row, users):
        (
            self.pk,
            self.parent_id,
            self.tree_id,
            self.level,
            self.user_id,
            self.author_name,
            self.author_url,
            self.body_html,
            self.status,
            self.public_reason,
            self.deleted_at,
            self.redacted_at,
            self.created_at,
            self.edited_at,
            self.is_pinned,
            self.html,
            self.html_key,
        ) = row  # in the order of FIELDS; a setattr() loop took twice as long
        self.user = users.get(self.user_id)  # a fragments.Writer
        if self.user is None:  # an account deleted between the two queries
            self.user_id = None


def load_page(post, viewer: Viewer, *, sort: str = OLDEST, page_number=1) -> DiscussionPage:
    """One page of threads, ready for rendering as a flat list in tree order."""
    # The public count rides along with the roots (one round trip, counted once): every
    # thread holding a public comment is among them, so no roots means no comments.
    roots = integer_rows(
        roots_for(post, viewer, sort)
        .annotate(public_count=Subquery(public_count_of(post)))
        .values_list("tree_id", "rght", "public_count")
    )
    public_count = roots[0][2] if roots else 0
    pages = cut_into_pages((tree_id, rght) for tree_id, rght, _count in roots)
    page = Paginator(pages, per_page=1).get_page(page_number)
    tree_ids = page.object_list[0] if page.object_list else []
    rows = []
    if tree_ids:
        rows = list(
            Comment.objects.filter(post=post, tree_id__in=tree_ids)
            .order_by("tree_id", "lft")
            .values_list(*Node.FIELDS)
        )
    user_id = Node.FIELDS.index("user_id")
    users = fragments.writers_of(row[user_id] for row in rows)
    nodes = [Node(row, users) for row in rows]
    items = build_items(nodes, tree_ids, viewer, post)
    return DiscussionPage(page=page, items=items, sort=sort, public_count=public_count)


def public_count_of(post):
    """The post's public comment count, as a subquery."""
    public = Comment.objects.visible_on(post).order_by().values("post")
    # COUNT(*), not COUNT(id): PostgreSQL then reads the comment_post_public index alone.
    return public.annotate(count=Count("*")).values("count")


def build_items(nodes: list, tree_order: list, viewer: Viewer, post) -> list:
    """Nest the nodes in memory and flatten the visible ones into render order.

    Each item gets `replies` (all children), `shown` (visible, or a placeholder above
    something visible), `opens` (starts a list of replies) and `closes` (how many
    enclosing reply lists end after it), so the template needs no recursion.
    """
    by_pk = {}
    roots = {}
    max_depth = conf.MAX_VISUAL_DEPTH
    for node in nodes:  # tree order: every parent comes before its children
        node.replies = []
        node.parent_node = by_pk.get(node.parent_id)
        by_pk[node.pk] = node
        if node.parent_node is None:
            roots[node.tree_id] = node
        else:
            node.parent_node.replies.append(node)
    for node in reversed(nodes):  # children before parents
        node.is_visible = node.is_visible_to(viewer.user, viewer.own_ids)
        node.shown = node.is_visible or any(child.shown for child in node.replies)
        node.is_own = node.is_written_by(viewer.user, viewer.own_ids)
        node.is_post_author = node.user_id is not None and node.user_id == post.author_id
        node.can_edit = node.is_visible and node.is_editable_by(
            viewer.user, has_replies=bool(node.replies)
        )
        node.can_delete = node.is_visible and node.is_deletable_by(viewer.user)
        node.is_deep = node.level > max_depth
        node.flattens = node.level >= max_depth
        node.placeholder = "" if node.is_visible else placeholder_text(node)
    items = []
    for tree_id in tree_order:
        root = roots.get(tree_id)
        if root is None or not root.shown:
            continue
        stack = [root]
        while stack:
            node = stack.pop()
            shown_children = [child for child in node.replies if child.shown]
            node.opens = bool(shown_children)
            node.closes = ()
            items.append(node)
            stack.extend(reversed(shown_children))
    for index, node in enumerate(items):
        if not node.opens:
            following = items[index + 1].level if index + 1 < len(items) else 0
            node.closes = range(node.level - following)
    return items


def annotate_one(comment: Comment, viewer: Viewer, post) -> Comment:
    """Per-viewer bits for one comment shown on its own (the reply page)."""
    comment.replies = []
    build_items([comment], [comment.tree_id], viewer, post)
    comment.replies = [None] * comment.get_descendant_count()  # for "has replies" only
    comment.can_edit = comment.can_edit and not comment.replies
    return comment


def placeholder_text(node: Comment) -> str:
    if node.deleted_at is not None:
        return "Comment deleted by its writer."
    if node.status == Comment.Status.PENDING:
        return "Comment awaiting moderation."
    return "Comment removed by a moderator."
