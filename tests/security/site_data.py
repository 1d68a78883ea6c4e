"""A populated site to crawl: the demo plus one comment of every kind with private data."""

from dataclasses import dataclass

from django.core.management import call_command

from blog.models import Post
from comments.models import Comment, Report
from tests.factories import CommentFactory


@dataclass(frozen=True)
class Secrets:
    """Strings that must never appear on a public surface."""

    emails: frozenset[str]
    ip_hashes: frozenset[str]
    reasons: frozenset[str]

    def all(self) -> frozenset[str]:
        return self.emails | self.ip_hashes | self.reasons


def seed_public_site() -> Secrets:
    """Run the demo and add comments in each status, each with an email, IP hash and reason."""
    call_command("demo", stdout=_Silent())
    post = Post.objects.published().first()
    for number, status in enumerate(Comment.Status.values, start=1):
        comment = CommentFactory(
            post=post,
            author_name=f"Leak Test {number}",
            author_email=f"leak-test-{number}@private.example",
            author_url=f"https://leak-test-{number}.example/",
            ip_hash=f"{number:02d}" + "feedface" * 7 + "ab",
            user_agent="LeakTestBrowser/1.0",
            status=status,
            moderation_reason=f"confidential moderation note {number}",
        )
        Report.objects.create(
            comment=comment,
            reporter_key="c0ffee" * 10 + f"{number:04d}",
            reason=Report.Reason.SPAM,
            note=f"confidential report note {number}",
        )
    comments = Comment.objects.all()
    return Secrets(
        emails=frozenset(
            email.lower() for email in comments.values_list("author_email", flat=True) if email
        )
        | frozenset(
            email.lower()
            for email in post.author._meta.model.objects.values_list("email", flat=True)
            if email
        ),
        ip_hashes=frozenset(h for h in comments.values_list("ip_hash", flat=True) if h)
        | frozenset(Report.objects.values_list("reporter_key", flat=True)),
        reasons=frozenset(
            reason
            for reason in comments.values_list("moderation_reason", flat=True)
            if len(reason) > 12
        )
        | frozenset(Report.objects.exclude(note="").values_list("note", flat=True)),
    )


class _Silent:
    def write(self, *args, **kwargs):
        return None

    def flush(self):
        return None
