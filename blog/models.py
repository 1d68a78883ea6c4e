import hashlib
import math
import re
import uuid
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import slugify

from accounts import roles
from charcot.markdown import POST, Heading, Rendered, render

from . import conf

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
                "doi.org/", "doi:")  # fmt: skip

validate_doi = RegexValidator(
    DOI_RE,
    "Enter a DOI such as 10.1056/NEJMoa2035389 (it starts with “10.” and contains a slash).",
    code="invalid_doi",
)
validate_pmid = RegexValidator(
    r"^[1-9]\d{0,8}$",
    "Enter a PubMed ID: digits only, up to nine, such as 35025605.",
    code="invalid_pmid",
)


def normalize_doi(value: str) -> str:
    """Accept a DOI as people paste it (a doi.org link, "doi:…") and keep only the DOI."""
    value = (value or "").strip()
    lowered = value.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def normalize_pmid(value: str) -> str:
    value = (value or "").strip()
    return value[len("pmid:") :].strip() if value.lower().startswith("pmid:") else value


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})

    @property
    def hashtag(self) -> str:
        return "#" + "".join(self.name.split())


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


def published_q() -> Q:
    """Visible to the public: published, and its time has come (scheduled posts appear by
    themselves)."""
    return Q(
        status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED],
        published_at__lte=timezone.now(),
    )


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def visible_to(self, user):
        """What this person may read: the public posts, plus their own drafts, or every
        draft for editors."""
        if user is None or not user.is_authenticated:
            return self.published()
        if user.is_superuser or user.has_role(roles.EDITORS):
            return self.all()
        return self.filter(published_q() | Q(author=user))

    def by_author(self, user):
        return self.filter(author=user)

    def next_publication_at(self):
        """When the next scheduled post goes live (lists, feeds and sidebars then change by
        themselves), or None."""
        return (
            self.filter(
                status__in=[Post.Status.PUBLISHED, Post.Status.SCHEDULED],
                published_at__gt=timezone.now(),
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def for_lists(self):
        """What a list of posts shows, in a fixed number of queries (comment counts are
        added per page, by the comments app's `with_public_comment_counts` template tag)."""
        # Lists never show the body; word_count carries the reading time.
        return self.select_related("author", "category").defer("body", "body_html")


def author_page_url(user) -> str:
    """The author's page (profile, posts, feeds), or "" for an account without a slug."""
    return reverse("blog:author", kwargs={"slug": user.slug}) if user.slug else ""


def people_with_author_pages():
    """Who has an author page and feeds: active people with the author role or a published
    post. A reader who never published has none (it would list their name as an author)."""
    people = get_user_model().objects.filter(is_active=True)
    is_author = Exists(
        people.model.groups.through.objects.filter(user=OuterRef("pk"), group__name=roles.AUTHORS)
    )
    has_published = Exists(Post.objects.published().filter(author=OuterRef("pk")))
    return people.filter(is_author | has_published)


def post_featured_image_path(instance, filename):
    return f"posts/{timezone.now():%Y/%m}/{filename}"


# A post with this many headings shows a table of contents (blog/_toc.html).
TOC_MIN_HEADINGS = 4


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="Part of the permanent URL. Made from the title if left empty; fixed once "
        "the post is published.",
    )
    guid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Feed ID; never changes."
    )
    source_guid = models.CharField(
        max_length=500,
        blank=True,
        editable=False,
        help_text="The feed ID an imported post had at its old blog; feeds keep it.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="posts", null=True, blank=True
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    standfirst = models.TextField(blank=True, help_text="A short summary shown in lists.")
    body = models.TextField(
        blank=True,
        help_text="Markdown. Cite reference 2 below as [@2] (or [@2; @3]). An image alone in "
        'its paragraph with a title, ![alt](url "Caption"), becomes a captioned figure.',
    )
    body_html = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    featured_image = models.ImageField(
        upload_to=post_featured_image_path,
        blank=True,
        help_text="Shown at the top of the post and when it is shared. Re-encoded on upload.",
    )
    featured_image_alt = models.CharField(
        "featured image description",
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Scheduled posts appear by themselves at their publication time.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Set to now on publishing if empty."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_open = models.BooleanField(default=True)
    comments_close_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: comments close by themselves after this."
    )
    conflict_of_interest = models.TextField(
        "funding and conflicts of interest",
        blank=True,
        help_text="Funding, fees, advisory boards or other interests relevant to this post.",
    )
    disclaimer = models.TextField(
        "medical disclaimer",
        blank=True,
        help_text="Leave empty to show the site's standard disclaimer.",
    )
    reviewed_at = models.DateField(
        "last medically reviewed", null=True, blank=True, help_text="Date of the last review."
    )
    reviewed_by = models.CharField(
        "medical reviewer",
        max_length=120,
        blank=True,
        help_text="Name and qualification, e.g. “Dr A. Patel, consultant neurologist”.",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "scheduled", "published"]),
                name="post_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="post_scheduled_or_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        if self.status != self.Status.DRAFT and self.published_at is None:
            self.published_at = timezone.now()
        rendered = render(self.body, POST)
        self.body_html = rendered.html
        # Each heading's self-link adds one "¶" to the text; it is not a word read.
        self.word_count = len(strip_tags(self.body_html).split()) - len(rendered.headings)
        self.__dict__["outline"] = rendered
        super().save(*args, **kwargs)
        self._stored_slug = self.slug
        self._stored_published = self.status != self.Status.DRAFT

    def get_absolute_url(self):
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "blog:post", kwargs={"year": when.year, "month": when.month, "slug": self.slug}
        )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # Remember what the row said, so a published slug cannot change silently.
        instance._stored_slug = instance.__dict__.get("slug")
        instance._stored_published = instance.__dict__.get("status") not in (None, cls.Status.DRAFT)
        return instance

    def is_published(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def is_visible_to(self, user) -> bool:
        """Instance twin of `Post.objects.visible_to(user)`."""
        if self.is_published():
            return True
        if user is None or not user.is_authenticated:
            return False
        return user.is_superuser or user.has_role(roles.EDITORS) or self.author_id == user.pk

    def has_medical_review(self) -> bool:
        return bool(self.reviewed_at or self.reviewed_by)

    def is_open_for_comments(self) -> bool:
        """Takes comments: published, not closed by hand, and not past its closing time."""
        closes = self.comments_close_time()
        return (
            self.comments_open
            and self.is_published()
            and (closes is None or timezone.now() < closes)
        )

    def comments_close_time(self):
        """When comments close by themselves: the post's own date or the site-wide age limit
        (conf.COMMENTS_CLOSE_AFTER_DAYS), whichever comes first; None if neither is set."""
        days = conf.COMMENTS_CLOSE_AFTER_DAYS
        by_age = self.published_at + timedelta(days=days) if days and self.published_at else None
        return min(filter(None, (self.comments_close_at, by_age)), default=None)

    def was_updated(self) -> bool:
        """Edited noticeably (more than a day) after publication."""
        return bool(self.published_at and self.updated_at - self.published_at > timedelta(days=1))

    def shown_version(self) -> str:
        """A key made of everything the post's page shows of the post, its author and its
        category, so that cached parts of the page (blog_tags.post_part) need no purging.
        Tags, references and corrections are saved with the post (admin inlines), which
        moves `updated_at`."""
        author, category = self.author, self.category
        shown = (
            self.pk, self.updated_at, self.status, self.published_at,
            author.pk, author.public_name, author.slug, author.pronouns,
            author.affiliation_line, author.bio_html, str(author.avatar_large),
            author.first_name, author.last_name, author.citation_name, author.orcid,
            author.competing_interests, author.website, author.social_links,
            category and (category.slug, category.name),
        )  # fmt: skip
        return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()

    @cached_property
    def outline(self) -> Rendered:
        """The body's headings and citations (its HTML is stored in `body_html`)."""
        return render(self.body, POST)

    @property
    def table_of_contents(self) -> tuple[Heading, ...]:
        """The headings of a post long enough to need a table of contents, else none."""
        headings = self.outline.headings
        return headings if len(headings) >= TOC_MIN_HEADINGS else ()

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / conf.WORDS_PER_MINUTE))

    @property
    def disclaimer_text(self) -> str:
        return self.disclaimer or settings.SITE_MEDICAL_DISCLAIMER

    def clean(self):
        stored = getattr(self, "_stored_slug", None)
        if getattr(self, "_stored_published", False) and stored and self.slug != stored:
            raise ValidationError(
                {"slug": f"This post is published: its URL ends in “{stored}” and cannot change."}
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            # "Set to now on publishing if empty", before the constraints are checked.
            self.published_at = timezone.now()
        if self.status == self.Status.SCHEDULED and not self.published_at:
            raise ValidationError({"published_at": "A scheduled post needs a publication time."})
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the featured image for readers who cannot see it."}
            )

    def _unique_slug(self) -> str:
        base = slugify(self.title)[:180].strip("-") or "post"
        slug, n = base, 2
        while Post.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class Reference(models.Model):
    """One entry of a post's numbered reference list, cited in the body as [@n]."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveIntegerField(
        default=0, help_text="Position in the list; [@1] cites the first."
    )
    authors = models.CharField(
        max_length=500, blank=True, help_text="As cited, e.g. “Bjornevik K, Cortese M, et al.”"
    )
    title = models.CharField(max_length=500)
    journal = models.CharField(max_length=250, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField(
        "DOI", max_length=200, blank=True, validators=[validate_doi], help_text="e.g. 10.1126/…"
    )
    pmid = models.CharField("PMID", max_length=20, blank=True, validators=[validate_pmid])
    url = models.URLField("URL", max_length=500, blank=True)
    note = models.CharField(
        max_length=300, blank=True, help_text="One line, e.g. “This report describes…”"
    )

    class Meta:
        ordering = ["post", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{quote(self.doi, safe='/:;()[]<>')}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def link(self) -> str:
        return self.url or self.doi_url or self.pubmed_url

    @property
    def author_names(self) -> list[str]:
        """The named authors, without a trailing "et al."."""
        names = [name.strip() for name in self.authors.split(",")]
        return [name for name in names if name and name.rstrip(".").lower() != "et al"]

    @property
    def authors_sentence(self) -> str:
        return self.authors.strip().rstrip(".") + "." if self.authors.strip() else ""

    @property
    def volume_pages(self) -> str:
        return ":".join(part for part in (self.volume, self.pages) if part)

    def citation_text(self) -> str:
        """A plain Vancouver-style line, for meta tags and JSON-LD."""
        parts = [self.authors.strip(), self.title, self.journal]
        tail = "; ".join(str(p) for p in (self.year, self.volume_pages) if p)
        return ". ".join(p.rstrip(".") for p in [*parts, tail] if p) + "."


class Correction(models.Model):
    """A public, dated note of what changed in a post and why (silent edits are not listed)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateField(default=timezone.localdate)
    note = models.TextField(help_text="What was wrong, what it says now, and why.")

    class Meta:
        ordering = ["post", "corrected_at", "pk"]

    def __str__(self):
        return f"Correction of {self.corrected_at:%Y-%m-%d}"


def load_page_details(post) -> None:
    """A post's tags, references and corrections for its page: one query each, once."""
    prefetch_related_objects(
        [post],
        "tags",
        Prefetch("references", queryset=Reference.objects.order_by("order", "pk")),
        "corrections",
    )
