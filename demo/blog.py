"""Demo posts: a dozen articles using every feature (references, citations, a figure, a
correction, a medical review, a scheduled post and a draft). Idempotent."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from blog.models import Category, Correction, Post, Reference, Tag
from charcot import cache as page_cache

from .posts import POSTS

CATEGORIES = {
    "MS Blog": "News and views on multiple sclerosis research.",
    "Research Speak": "How a study was done and what it really shows.",
    "Clinic Speak": "Research translated into questions for your next appointment.",
    "Journal Club": "Close readings of single trials.",
}
FIGURE_NAME = "markdownx/demo-remyelination.png"


def _figure_url() -> str:
    """A simple drawn diagram, so the demo shows a captioned figure from our own media."""
    if not default_storage.exists(FIGURE_NAME):
        image = Image.new("RGB", (640, 280), "#f4f6f8")
        draw = ImageDraw.Draw(image)
        draw.rectangle((40, 130, 600, 150), fill="#8a3b12")  # the axon
        for x in range(60, 580, 90):
            draw.rounded_rectangle((x, 112, x + 70, 168), radius=20, outline="#1f4e79", width=8)
        draw.ellipse((280, 20, 360, 90), fill="#1f4e79")  # the oligodendrocyte
        draw.line((320, 90, 320, 112), fill="#1f4e79", width=6)
        out = io.BytesIO()
        image.save(out, format="PNG")
        default_storage.save(FIGURE_NAME, ContentFile(out.getvalue()))
    return default_storage.url(FIGURE_NAME)


def seed(people) -> None:
    author = people["author"]
    now = timezone.now()
    categories = {
        name: Category.objects.get_or_create(
            slug=slugify(name).replace("-", ""), defaults={"name": name, "description": text}
        )[0]
        for name, text in CATEGORIES.items()
    }
    figure_url = _figure_url()
    for spec in POSTS:
        if spec.get("draft"):
            status, published_at = Post.Status.DRAFT, None
        elif "scheduled_in_days" in spec:
            status = Post.Status.SCHEDULED
            published_at = now + timedelta(days=spec["scheduled_in_days"])
        else:
            status, published_at = Post.Status.PUBLISHED, now - timedelta(days=spec["days_ago"])
        body = spec["body"].replace("{figure_url}", figure_url)
        post, created = Post.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "author": author,
                "status": status,
                "published_at": published_at,
            },
        )
        content = {
            "title": spec["title"],
            "standfirst": spec["standfirst"],
            "body": body,
            "category": categories[spec["category"]],
            "conflict_of_interest": spec.get("coi", ""),
        }
        if "reviewed" in spec:
            reviewer, days_ago = spec["reviewed"]
            content["reviewed_by"] = reviewer
            content["reviewed_at"] = (now - timedelta(days=days_ago)).date()
        if created or any(getattr(post, field) != value for field, value in content.items()):
            for field, value in content.items():
                setattr(post, field, value)
            post.save()
        post.tags.set(
            [
                Tag.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0]
                for n in spec["tags"]
            ]
        )
        if not post.references.exists():
            Reference.objects.bulk_create(
                Reference(post=post, order=n, authors=a, title=t, journal=j, year=y, volume=v,
                          pages=p, doi=d, pmid=m, note=note)
                for n, (a, t, j, y, v, p, d, m, note) in enumerate(spec["refs"], start=1)
            )  # fmt: skip
        if spec.get("correction") and not post.corrections.exists():
            Correction.objects.create(
                post=post, corrected_at=(now - timedelta(days=1)).date(), note=spec["correction"]
            )
    page_cache.public_pages_changed()
