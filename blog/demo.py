"""Demo posts."""

from datetime import timedelta

from django.utils import timezone

from blog.models import Category, Post

POSTS = [
    {
        "slug": "rebound-after-natalizumab-withdrawal",
        "title": "Rebound after natalizumab withdrawal: what the cohort data say",
        "standfirst": "Stopping natalizumab can bring disease activity back, sometimes worse "
        "than before. How big is the risk, and what shortens the gap?",
        "body": "Stopping **natalizumab** is one of the most common decisions we discuss in clinic.\n\n"
        "## The question\n\nWhat happens in the months after the last infusion?",
        "days_ago": 3,
    },
    {
        "slug": "ebv-and-ms-causation",
        "title": "Epstein-Barr virus and MS: from association to causation",
        "standfirst": "A longitudinal study of millions of recruits changed how we talk about "
        "the cause of multiple sclerosis.",
        "body": "For decades we knew EBV was *associated* with MS.\n\nThis post explains why "
        "most of us now say it is a cause.",
        "days_ago": 10,
    },
]


def seed(people) -> None:
    author = people["author"]
    category, _ = Category.objects.get_or_create(slug="msblog", defaults={"name": "MS Blog"})
    now = timezone.now()
    for spec in POSTS:
        Post.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "standfirst": spec["standfirst"],
                "body": spec["body"],
                "author": author,
                "category": category,
                "status": Post.Status.PUBLISHED,
                "published_at": now - timedelta(days=spec["days_ago"]),
            },
        )
