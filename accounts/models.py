import zlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import StringAgg, Value
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify

from charcot.markdown import BIO, render_markdown

from . import roles
from .validators import validate_bluesky_url, validate_linkedin_url, validate_orcid, web_url

# Placeholder avatar colours (accounts.css: .avatar--c0 … .avatar--c7), each AA with white text.
AVATAR_COLOURS = 8
# Titles skipped when making initials: "Dr Lena Ruiz" is LR, not DR.
HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame"}


def initials_for(name: str) -> str:
    """Up to two letters for a placeholder avatar, from the name people see."""
    words = [word for word in (name or "").split() if word[:1].isalnum()]
    named = [word for word in words if word.rstrip(".").casefold() not in HONORIFICS]
    words = named or words
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def avatar_colour_for(name: str) -> int:
    """A stable colour per name, so a placeholder looks the same on every page."""
    return zlib.crc32((name or "").encode()) % AVATAR_COLOURS


class User(AbstractUser):
    """Every person with an account: readers, authors, editors and moderators.

    Roles are groups (see accounts.roles); profile fields live here so bylines,
    comments and author pages need no extra join.
    """

    display_name = models.CharField(
        max_length=80, blank=True, help_text="Shown in bylines and on comments, e.g. “Prof G”."
    )
    slug = models.SlugField(max_length=80, unique=True, blank=True, null=True)

    pronouns = models.CharField(max_length=40, blank=True, help_text="Optional, e.g. “she/her”.")
    title = models.CharField(
        max_length=120, blank=True, help_text="Role or position, e.g. “Professor of Neurology”."
    )
    affiliation = models.CharField(
        max_length=200, blank=True, help_text="Institution, e.g. “Queen Mary University of London”."
    )
    bio = models.TextField(
        max_length=2000, blank=True, help_text="A few sentences about you, in Markdown."
    )
    bio_html = models.TextField(blank=True, editable=False)
    competing_interests = models.TextField(
        max_length=1000,
        blank=True,
        help_text="Funding, advisory roles or other interests readers should know about.",
    )
    website = models.URLField(blank=True, validators=[web_url])
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="Your 16-character ORCID iD, e.g. 0000-0002-1825-0097.",
    )
    verified_orcid = models.CharField(
        "verified ORCID iD",
        max_length=19,
        blank=True,
        editable=False,
        help_text="The ORCID iD this member proved by signing in with ORCID (set by identities/).",
    )

    class CitationName(models.TextChoices):
        FULL = "full", "Full name (Gavin Grant)"
        INITIALS = "initials", "Initials and family name (G. Grant)"

    citation_name = models.CharField(
        "name in citations",
        max_length=10,
        choices=CitationName.choices,
        default=CitationName.FULL,
        help_text="How “Cite this post” and scholarly indexes name you, from your first and "
        "last names (your display name when those are empty).",
    )
    mastodon_url = models.URLField("Mastodon", blank=True, validators=[web_url])
    bluesky_url = models.URLField("Bluesky", blank=True, validators=[validate_bluesky_url])
    linkedin_url = models.URLField("LinkedIn", blank=True, validators=[validate_linkedin_url])

    # Re-encoded square renditions of an uploaded avatar; the upload itself is never kept.
    avatar_small = models.ImageField(upload_to="avatars/", blank=True, editable=False)
    avatar_large = models.ImageField(upload_to="avatars/", blank=True, editable=False)

    notify_on_comments = models.BooleanField(
        "Email me about new comments",
        default=True,
        help_text="New comments on your posts and replies to your comments.",
    )

    def __str__(self):
        return self.public_name

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Group names, read once per instance (for many users, see with_role_names)."""
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, role: str) -> bool:
        return self.is_superuser or role in self.role_names

    @property
    def has_any_role(self) -> bool:
        return self.is_superuser or bool(self.role_names & set(roles.ALL))

    @property
    def is_moderator(self) -> bool:
        return self.has_role(roles.MODERATORS)

    @property
    def is_editor(self) -> bool:
        return self.has_role(roles.EDITORS)

    @property
    def is_author(self) -> bool:
        return self.has_role(roles.AUTHORS)

    @property
    def role_badge(self) -> str:
        """The one role named next to their comments ("" for readers); prefetch "groups"."""
        for role, badge in ((roles.AUTHORS, "Author"), (roles.EDITORS, "Editor"),
                            (roles.MODERATORS, "Moderator")):  # fmt: skip
            if role in self.role_names:
                return badge
        return ""

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        return initials_for(self.public_name)

    @property
    def avatar_colour(self) -> int:
        return avatar_colour_for(self.public_name)

    @property
    def affiliation_line(self) -> str:
        return ", ".join(part for part in (self.title, self.affiliation) if part)

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""

    @property
    def verified_orcid_url(self) -> str:
        return f"https://orcid.org/{self.verified_orcid}" if self.verified_orcid else ""

    @property
    def citation_person(self) -> dict:
        """The person as CSL-JSON names them: family and given names from the account's
        first and last names (given as initials if they chose so), else the name shown."""
        family, given = self.last_name.strip(), self.first_name.strip()
        if not family:
            return {"literal": self.public_name}
        if given and self.citation_name == self.CitationName.INITIALS:
            given = " ".join(f"{part[0]}." for part in given.replace("-", " ").split())
        return {"family": family, "given": given} if given else {"family": family}

    @property
    def citation_display_name(self) -> str:
        """The name for citation_author and the like: "Given Family"."""
        person = self.citation_person
        return person.get("literal") or " ".join(
            part for part in (person.get("given"), person.get("family")) if part
        )

    @property
    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Mastodon", self.mastodon_url),
            ("Bluesky", self.bluesky_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(label, url) for label, url in links if url]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.bio_html = render_markdown(self.bio, BIO) if self.bio else ""
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        # Usernames may hold characters a slug cannot ("j.doe", "jdoe" or non-Latin names).
        base = slugify(self.username)[:70] or "member"
        slug, number = base, 1
        while type(self)._default_manager.filter(slug=slug).exclude(pk=self.pk).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug

    def get_absolute_url(self):
        return reverse("accounts:profile", kwargs={"slug": self.slug})


def with_role_names(users) -> list:
    """The users of a queryset, each with `role_names` filled in by the same query.

    prefetch_related("groups") costs a second query and builds a related manager per user
    (about 0.1 ms per commenter on a discussion page).
    """
    users = list(users.annotate(role_list=StringAgg("groups__name", delimiter=Value("\n"))))
    for user in users:
        user.role_names = frozenset(filter(None, (user.role_list or "").split("\n")))
    return users
