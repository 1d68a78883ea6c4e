"""Running an import: records from a reader become posts, accounts, terms and whole threads.

Each post and its discussion go in under their own transaction, so a failure loses that
post alone and a second run picks up where the first stopped: posts already imported (by
their source id) are left as they are, apart from the comments written since, which join
their threads. A dry run does the same work and rolls it back.
"""

import functools
import logging
import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Category, Post, Reference, Tag
from charcot import bulk
from charcot.clientip import hash_ip
from charcot.images import open_verified_image, reencode_image
from charcot.validation import parse_ascii_int
from comments import notifications, tree
from comments.models import Comment

from . import conf
from .convert import html_to_markdown
from .models import ImportedComment, ImportedPost, Source
from .records import SourceAuthor, SourceComment, SourcePost, SourceTerm
from .report import Report
from .xmlstream import ImportFileError

logger = logging.getLogger(__name__)

IMAGE_MAX_SIDE = 2000
IMAGE_DIRECTORY = "imported/"


class PostRefused(Exception):
    """This post cannot come in as it is; the message says why, for the report."""


@dataclass
class ImportOptions:
    dry_run: bool = False
    # Source login -> an existing account's username or email.
    author_map: dict[str, str] = field(default_factory=dict)
    uploads: Path | None = None


def parse_author_map(lines) -> dict[str, str]:
    """`login = username-or-email` per line; blank lines and # comments are skipped."""
    mapping = {}
    for number, line in enumerate(lines, start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        login, sign, account = line.partition("=")
        if not sign or not login.strip() or not account.strip():
            raise ValueError(f"Line {number} of the author map is not “login = account”: {line!r}")
        mapping[login.strip()] = account.strip()
    return mapping


def import_records(
    reader, *, options: ImportOptions, progress: Callable[[int], None] | None = None
) -> Report:
    """Import everything `reader.records()` yields; return the report (never raises for the
    file's faults: those end the run with `report.fatal`)."""
    report = Report(dry_run=options.dry_run)
    run = _Run(reader, options, report)
    # Each post commits on its own (a later failure keeps it); a dry run wraps them all in
    # one transaction that it rolls back.
    outer = transaction.atomic() if options.dry_run else nullcontext()
    try:
        with outer:
            try:
                for record in reader.records():
                    run.take(record)
                    if isinstance(record, SourcePost) and progress is not None:
                        progress(run.posts_seen)
            except ImportFileError as error:
                report.fatal = str(error)
            report.notes.extend(getattr(reader, "notes", ()))
            if options.dry_run:
                transaction.set_rollback(True)
            elif (
                report.counts["posts imported"]
                or report.counts["comments added to posts imported before"]
            ):
                notifications.discussion_changed()
    finally:
        run.close()
    return report


class _Run:
    def __init__(self, reader, options: ImportOptions, report: Report):
        self.reader, self.options, self.report = reader, options, report
        self.authors: dict[str, SourceAuthor] = {}
        self.terms: dict[tuple[str, str], SourceTerm] = {}
        self.accounts: dict[str, object] = {}
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self.posts_seen = 0
        User = get_user_model()
        self.staff_by_email = {
            user.email.lower(): user
            for user in User.objects.filter(is_staff=True).exclude(email="")
        }
        self.saved_images: dict[str, str] = {}
        self.ip_hashes: dict[str, str] = {}

    def close(self) -> None:
        if self.options.dry_run:
            # A dry run keeps no files either: the rows pointing at them were rolled back.
            for name in self.saved_images.values():
                default_storage.delete(name)

    def take(self, record) -> None:
        if isinstance(record, SourceAuthor):
            self.authors[record.login] = record
        elif isinstance(record, SourceTerm):
            self.terms[(record.kind, record.slug)] = record
        elif isinstance(record, SourcePost):
            self.posts_seen += 1
            self.post(record)

    # Posts ------------------------------------------------------------------------------

    def post(self, record: SourcePost) -> None:
        where = (
            f"{record.kind} {record.source_id or '?'} “{record.title[:60]}” (line {record.line})"
        )
        if record.skip_reason:
            self.report.count("pages skipped" if record.kind == "page" else "items skipped")
            if record.kind not in ("page", "attachment"):
                self.report.note(f"Skipped {where}: {record.skip_reason}.")
            return
        imported = (
            ImportedPost.objects.filter(
                source=self.reader.kind, site=self.reader.site, source_id=record.source_id
            )
            .select_related("post__author")
            .first()
        )
        if imported is not None:
            self.report.count("posts already imported")
        try:
            with transaction.atomic():
                if imported is None:
                    self._post(record)
                else:
                    self.new_comments(record, imported)
        except PostRefused as error:
            self._failed(f"{where}: {error}")
        except Exception as error:
            logger.exception("Import of %s failed", where)
            self._failed(f"{where}: {type(error).__name__}: {error}")

    def _failed(self, message: str) -> None:
        self.report.count("posts failed")
        self.report.failures.append(message)
        # Accounts and terms made for this post were rolled back with it: look them up again.
        self.accounts.clear()
        self.categories.clear()
        self.tags.clear()

    def _post(self, record: SourcePost) -> None:
        report = self.report
        author = self.account(record.author_login, required=True)
        category = self.category(record.categories)
        slug = self._slug(record)
        converted = html_to_markdown(record.body_html, references=True)
        body = self._images(converted.markdown, converted.images)
        standfirst = BeautifulSoup(record.excerpt_html or "", "html.parser").get_text(
            " ", strip=True
        )
        status = record.status or Post.Status.DRAFT
        published_at = record.published_at
        if status != Post.Status.DRAFT and published_at is None:
            published_at = timezone.now()
        post = Post(
            title=(record.title or "Untitled")[:200],
            slug=slug,
            author=author,
            category=category,
            standfirst=standfirst,
            body=body,
            status=status,
            published_at=published_at,
            comments_open=record.comments_open,
            source_guid=record.guid[:500],
        )
        post.save()
        if published_at:
            Post.objects.filter(pk=post.pk).update(created_at=published_at)
        tags = [self.tag(term) for term in record.tags]
        tags += [self.tag(term) for term in record.categories[1:]]
        if tags:
            post.tags.set(tags)
        if len(record.categories) > 1:
            report.note(
                f"“{post.title[:60]}” had {len(record.categories)} categories; the first is its "
                "category, the others became tags."
            )
        Reference.objects.bulk_create(
            Reference(post=post, order=number, **entry)
            for number, entry in enumerate(converted.references, start=1)
        )
        report.count("references structured", len(converted.references))
        report.count("elements kept as text", converted.kept_as_text)
        if record.hidden_reason:
            report.count(f"posts not public ({record.hidden_reason})")
        imported = ImportedPost.objects.create(
            post=post,
            source=self.reader.kind,
            site=self.reader.site[:300],
            source_id=record.source_id,
            source_url=record.link[:1000],
            source_path=source_path(record.link)[:500],
            source_slug=unquote(record.slug).lower()[:300],
        )
        report.count("redirects", 2 if self.reader.kind == "wordpress" else 1)
        self.comments(record, post, imported)
        report.count("posts imported")

    def _slug(self, record: SourcePost) -> str:
        wanted = slugify(unquote(record.slug), allow_unicode=False)[:200].strip("-")
        if not wanted:
            wanted = slugify(record.title)[:180].strip("-") or f"imported-{record.source_id}"
            if record.status == Post.Status.DRAFT:
                return self._free_slug(wanted)
        taken = Post.objects.filter(slug=wanted).first()
        if taken is not None:
            raise PostRefused(
                f"its slug “{wanted}” is already used by the post “{taken.title[:60]}”; its old "
                "links would lead there. Rename one of them and import again."
            )
        return wanted

    def _free_slug(self, base: str) -> str:
        slug, number = base, 2
        while Post.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    def _images(self, markdown: str, sources: list[str]) -> str:
        for source in dict.fromkeys(sources):
            local = self._local_image(source)
            if local is not None:
                markdown = markdown.replace(f"]({source}", f"]({local}")
                continue
            # Pages show only our own images (CSP, sanitizer): a remote one becomes its link.
            self.report.count("remote images left as links")
            image = re.compile(
                r"!\[([^\]]*)\]\(" + re.escape(source) + r'(?: "((?:[^"\\]|\\.)*)")?\)'
            )
            markdown = image.sub(lambda m, url=source: _image_link(m[1], m[2], url), markdown)
        return markdown

    def _local_image(self, source: str) -> str | None:
        """The URL of the copy of `source` found under --uploads, imported once."""
        uploads = self.options.uploads
        if uploads is None:
            return None
        path = unquote(urlsplit(source).path)
        relative = (
            path.split("/wp-content/uploads/", 1)[1]
            if "/wp-content/uploads/" in path
            else Path(path).name
        )
        candidate = (uploads / relative).resolve()
        if not candidate.is_relative_to(uploads.resolve()) or not candidate.is_file():
            if urlsplit(source).scheme in ("http", "https"):
                self.report.note(f"Image not found under --uploads: {source}")
            return None
        if source in self.saved_images:
            return default_storage.url(self.saved_images[source])
        try:
            with candidate.open("rb") as handle:
                image = reencode_image(open_verified_image(handle), max_side=IMAGE_MAX_SIDE)
        except ValidationError as error:
            self.report.count("images unreadable")
            self.report.note(f"Image {relative} left as a link: {' '.join(error.messages)}")
            return None
        name = default_storage.save(IMAGE_DIRECTORY + image.name, image)
        self.saved_images[source] = name
        self.report.count("images imported")
        return default_storage.url(name)

    # People and terms -------------------------------------------------------------------

    def account(self, login: str, *, required: bool = False):
        """The account for a source login: mapped, matched by email or login, or created."""
        if login in self.accounts:
            return self.accounts[login]
        User = get_user_model()
        source = self.authors.get(login) or SourceAuthor(login=login)
        wanted = self.options.author_map.get(login)
        if wanted:
            user = User.objects.filter(Q(username=wanted) | Q(email__iexact=wanted)).first()
            if user is None:
                raise PostRefused(
                    f"the author map sends “{login}” to “{wanted}”, and no account has that name or email."
                )
            self.report.count("authors matched")
        elif not required and login not in self.authors:
            return None
        else:
            user = None
            if source.email:
                user = User.objects.filter(email__iexact=source.email).order_by("pk").first()
            if user is None and login:
                user = User.objects.filter(username=login).first()
            if user is not None:
                self.report.count("authors matched")
            else:
                user = self._create_account(source)
        self.accounts[login] = user
        return user

    def _create_account(self, source: SourceAuthor):
        User = get_user_model()
        base = (slugify(source.login) or slugify(source.display_name) or "imported-author")[:140]
        username, number = base, 2
        while User.objects.filter(username=username).exists():
            username, number = f"{base}-{number}", number + 1
        email = source.email if _valid_email(source.email) else ""
        user = User(
            username=username, email=email, display_name=(source.display_name or source.login)[:80]
        )
        user.set_unusable_password()  # they set one through "forgot password" when ready
        user.save()
        self.report.count("authors created")
        return user

    def category(self, terms: list[SourceTerm]) -> Category | None:
        if not terms:
            return None
        term = self.terms.get(("category", terms[0].slug), terms[0])
        slug = slugify(unquote(term.slug))[:80] or slugify(term.name)[:80]
        if not slug:
            return None
        if slug not in self.categories:
            category = Category.objects.filter(Q(slug=slug) | Q(name=term.name[:80])).first()
            if category is None:
                category = Category.objects.create(
                    name=term.name[:80] or slug, slug=slug, description=term.description
                )
                self.report.count("categories created")
                if term.parent:
                    parent = self.terms.get(("category", term.parent))
                    self.report.note(
                        f"Category “{category.name}” was under “{parent.name if parent else term.parent}”; "
                        "Charcot's categories are flat."
                    )
            self.categories[slug] = category
        return self.categories[slug]

    def tag(self, term: SourceTerm) -> Tag:
        slug = slugify(unquote(term.slug))[:60] or slugify(term.name)[:60] or "tag"
        if slug not in self.tags:
            tag = Tag.objects.filter(Q(slug=slug) | Q(name=term.name[:60])).first()
            if tag is None:
                tag = Tag.objects.create(name=term.name[:60] or slug, slug=slug)
                self.report.count("tags created")
            self.tags[slug] = tag
        return self.tags[slug]

    # Discussions ------------------------------------------------------------------------

    def comments(self, record: SourcePost, post: Post, imported: ImportedPost) -> None:
        kept, parents = self._discussion(record, post)
        ordered = _tree_order(kept, parents, roots=[""])
        nodes: dict[str, Comment] = {}
        for source in ordered:
            nodes[source.source_id] = self._comment(
                source, post, nodes.get(parents[source.source_id])
            )
        tree.insert_threads(list(nodes.values()))
        self._remember(imported, ordered, nodes)

    def new_comments(self, record: SourcePost, imported: ImportedPost) -> None:
        """A post imported by an earlier run: add the comments written since (new threads,
        and replies under comments already here), leave the others as they are."""
        post = imported.post
        kept, parents = self._discussion(record, post)
        present = dict(
            ImportedComment.objects.filter(imported_post=imported).values_list(
                "source_id", "comment_id"
            )
        )
        self.report.count("comments already imported", sum(cid in present for cid in kept))
        new = {cid: comment for cid, comment in kept.items() if cid not in present}
        if not new:
            return
        answered = Comment.objects.in_bulk(
            {present[parents[cid]] for cid in new if parents[cid] in present}
        )
        nodes: dict[str, Comment] = {}
        # New threads first, whole, as a first import writes them.
        threads = _tree_order(new, parents, roots=[""])
        for source in threads:
            nodes[source.source_id] = self._comment(
                source, post, nodes.get(parents[source.source_id])
            )
        tree.insert_threads(list(nodes.values()))
        # Then replies to comments already here, each under its thread's lock, as the last
        # child (they are newer than what was there), with their own replies after them.
        replies = _tree_order(new, parents, roots=[cid for cid in present if cid in kept])
        for source in replies:
            parent_id = parents[source.source_id]
            parent = nodes.get(parent_id) or answered[present[parent_id]]
            node = self._comment(source, post, parent)
            tree.insert_node(node)  # Comment.save() keeps the source's created_at
            nodes[source.source_id] = node
        self._remember(imported, [*threads, *replies], nodes)
        self.report.count("comments added to posts imported before", len(new))

    def _remember(self, imported, sources: list[SourceComment], nodes: dict[str, Comment]):
        bulk.insert_new(
            ImportedComment,
            [
                ImportedComment(
                    comment=nodes[source.source_id],
                    imported_post=imported,
                    source_id=source.source_id,
                    source_url=source.source_url[:1000],
                )  # fmt: skip
                for source in sources
            ],
        )

    def _discussion(
        self, record: SourcePost, post: Post
    ) -> tuple[dict[str, SourceComment], dict[str, str]]:
        """The comments that come in, by id, and the id of the one each answers ("" for a
        thread), with pingbacks and other types counted and passed over."""
        report = self.report
        kept: dict[str, SourceComment] = {}
        passed_over: dict[str, str] = {}  # skipped comment id -> its parent's id
        for comment in record.comments:
            if comment.kind in ("pingback", "trackback"):
                report.count(f"{comment.kind}s skipped")
                passed_over[comment.source_id] = comment.parent_id
            elif comment.kind != "comment":
                report.count("comments of other types skipped")
                passed_over[comment.source_id] = comment.parent_id
            elif not comment.source_id or comment.source_id in kept:
                report.note(
                    f"“{post.title[:60]}”: a comment without an id of its own (“{comment.source_id}”) was skipped."
                )
            else:
                kept[comment.source_id] = comment
        parents = {
            cid: self._parent_of(comment, kept, passed_over, post) for cid, comment in kept.items()
        }
        return kept, parents

    def _parent_of(self, comment, kept, passed_over, post) -> str:
        """The id of the kept comment this one answers ("" for a thread), cycles broken."""
        seen = {comment.source_id}
        parent = comment.parent_id
        while parent in passed_over and parent not in seen:
            seen.add(parent)
            parent = passed_over[parent]
        if not parent:
            return ""
        if parent in seen:
            self.report.note(
                f"“{post.title[:60]}”: comment {comment.source_id} answers itself (a cycle); kept as a new thread."
            )
            return ""
        if parent not in kept:
            self.report.note(
                f"“{post.title[:60]}”: comment {comment.source_id} answers {parent}, which is not in the file; kept as a new thread."
            )
            return ""
        # A loop through other kept comments (a -> b -> a) never reaches a thread.
        walk, steps = parent, 0
        while walk and steps <= len(kept):
            if walk == comment.source_id:
                self.report.note(
                    f"“{post.title[:60]}”: comment {comment.source_id} is in a cycle of replies; kept as a new thread."
                )
                return ""
            walk = kept[walk].parent_id if walk in kept else ""
            steps += 1
        return parent

    def _comment(self, source: SourceComment, post: Post, parent: Comment | None) -> Comment:
        converted = html_to_markdown(source.body_html)
        body = converted.markdown or "(empty comment)"
        limit = conf.MAX_COMMENT_CHARS
        if len(body) > limit:
            body = body[:limit] + " […]"
            self.report.note(
                f"“{post.title[:60]}”: comment {source.source_id} was cut to {limit:,} characters."
            )
        self.report.count("elements kept as text", converted.kept_as_text)
        user = self._writer(source, post)
        self.report.count(f"comments {source.status}")
        return Comment(
            post=post,
            parent=parent,
            user=user,
            author_name="" if user else source.author_name[:80],
            author_email=""
            if user or not _valid_email(source.author_email)
            else source.author_email,
            author_url="" if user or not _valid_url(source.author_url) else source.author_url,
            body=body,
            status=source.status,
            moderation_reason=f"imported from {Source(self.reader.kind).label}",
            ip_hash=self._ip_hash(source.ip),
            created_at=source.created_at or post.published_at or timezone.now(),
            email_confirmed=False,
            notify_replies=False,
        )

    def _ip_hash(self, ip: str) -> str:
        """hash_ip once per address: the same readers come back, post after post."""
        if ip not in self.ip_hashes:
            self.ip_hashes[ip] = hash_ip(ip)
        return self.ip_hashes[ip]

    def _writer(self, source: SourceComment, post: Post):
        """Comments by the post's author or staff belong to their accounts (and badges)."""
        if source.author_login and source.author_login in self.authors:
            return self.account(source.author_login)
        email = source.author_email.lower()
        if email and post.author.email and email == post.author.email.lower():
            return post.author
        return self.staff_by_email.get(email) if email else None


def _image_link(alt: str, caption: str | None, source: str) -> str:
    words = " — ".join(part for part in (alt, (caption or "").replace('\\"', '"')) if part)
    return f"[Image: {words}]({source})" if words else f"[Image]({source})"


def _tree_order(
    comments: dict[str, SourceComment], parents: dict[str, str], *, roots: list[str]
) -> list[SourceComment]:
    """The comments below `roots` (ids, "" for the post itself), depth first, siblings in
    posting order: parents always before their replies."""
    children: dict[str, list[SourceComment]] = {}
    for cid, comment in comments.items():
        children.setdefault(parents[cid], []).append(comment)
    for siblings in children.values():
        siblings.sort(key=_posting_order)
    ordered = []
    for root in roots:
        stack = list(reversed(children.get(root, [])))
        while stack:
            source = stack.pop()
            ordered.append(source)
            stack.extend(reversed(children.get(source.source_id, [])))
    return ordered


def _posting_order(comment: SourceComment):
    number = parse_ascii_int(comment.source_id) or 0
    return (comment.created_at or timezone.now(), number, comment.source_id)


@functools.lru_cache(maxsize=8192)  # readers' addresses repeat across a whole blog
def _valid_email(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return len(value) <= 254


@functools.lru_cache(maxsize=8192)
def _valid_url(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return len(value) <= 200


def source_path(url: str) -> str:
    path = urlsplit(url).path
    return unquote(path).lower() if path else ""
