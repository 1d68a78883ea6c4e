"""Demo moderation work: held, spam and removed comments, reports, a ban and a log to read.

Independent of the discussion demo (comments.demo): these comments are inserted here, each
with a fixed submission key so running the demo again adds nothing.
"""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from blog.models import Post
from charcot.clientip import hash_ip
from charcot.markdown import COMMENT, render_markdown
from comments.models import Comment, Report
from comments.moderation.services import (
    Action,
    comment_moderate,
    comment_redact,
    commenter_ban,
    report_create,
)

NAMESPACE = uuid.UUID("6f1b3c1e-4f0a-4c55-9d0b-2a6f5b1e7c10")

COMMENTS = [
    # key, post slug, parent key, name, ip, body, status, reason
    (
        "question",
        "rebound-after-natalizumab-withdrawal",
        None,
        "Sam Ortega",
        "203.0.113.7",
        "My neurologist wants me to stop natalizumab because I am JCV positive. Does the "
        "rebound risk depend on how long you were on it?",
        Comment.Status.APPROVED,
        "approved: returning commenter",
    ),
    (
        "first",
        "rebound-after-natalizumab-withdrawal",
        "question",
        "Jo Lindqvist",
        "203.0.113.8",
        "Same situation here. I switched to ocrelizumab six weeks after my last infusion.",
        Comment.Status.PENDING,
        "held: first comment",
    ),
    (
        "links",
        "ebv-and-ms-causation",
        None,
        "Ravi Patel",
        "203.0.113.9",
        "Three more papers: https://example.org/a https://example.org/b https://example.org/c",
        Comment.Status.PENDING,
        "held: links (3, more than 2)",
    ),
    (
        "spam",
        "ebv-and-ms-causation",
        None,
        "Cheap Meds",
        "198.51.100.66",
        "Buy supplements that cure MS overnight at www.example.net",
        Comment.Status.APPROVED,
        "approved: returning commenter",
    ),
    (
        "removed",
        "rebound-after-natalizumab-withdrawal",
        "question",
        "Troll",
        "198.51.100.67",
        "Neurologists are all paid by pharma, ignore them.",
        Comment.Status.APPROVED,
        "approved: returning commenter",
    ),
    (
        "reported",
        "ebv-and-ms-causation",
        None,
        "Kim Baxter",
        "203.0.113.10",
        "EBV vaccines are already available, just ask your GP for one.",
        Comment.Status.APPROVED,
        "approved: returning commenter",
    ),
    (
        "redacted",
        "ebv-and-ms-causation",
        None,
        "Lee Morgan",
        "203.0.113.11",
        "My mother, Margaret Morgan, hospital number 4821-773, had glandular fever at 19.",
        Comment.Status.APPROVED,
        "approved: returning commenter",
    ),
]


def _moderator(people):
    """The demo moderator, in the Moderators group (the desk checks the role)."""
    User = get_user_model()
    for role, group_name in (("moderator", roles.MODERATORS), ("author", roles.AUTHORS)):
        group, _ = Group.objects.get_or_create(name=group_name)
        people[role].groups.add(group)
    return User.objects.get(pk=people["moderator"].pk)


def seed(people) -> None:
    posts = {p.slug: p for p in Post.objects.filter(slug__in={c[1] for c in COMMENTS})}
    moderator = _moderator(people)
    made: dict[str, Comment] = {}
    created: set[str] = set()
    for key, slug, parent_key, name, ip, body, status, reason in COMMENTS:
        if slug not in posts:
            continue
        submission_key = uuid.uuid5(NAMESPACE, key)
        comment = Comment.objects.filter(submission_key=submission_key).first()
        if comment is None:
            comment = Comment.objects.create(
                post=posts[slug],
                parent=made.get(parent_key),
                author_name=name,
                author_email=f"{name.split()[0].lower()}@example.com",
                body=body,
                body_html=render_markdown(body, COMMENT),
                status=status,
                moderation_reason=reason,
                ip_hash=hash_ip(ip),
                submission_key=submission_key,
            )
            created.add(key)
        made[key] = comment

    if "spam" in created:
        comment_moderate(
            comment=made["spam"],
            action=Action.SPAM,
            moderator=moderator,
            reason="spam: selling supplements",
        )
        commenter_ban(comment=made["spam"], moderator=moderator, reason="supplement spam")
    if "removed" in created:
        comment_moderate(
            comment=made["removed"],
            action=Action.REMOVE,
            moderator=moderator,
            reason="removed: uncivil",
        )
    if "reported" in created:
        for n, reason in enumerate(
            [Report.Reason.MISINFORMATION, Report.Reason.MISINFORMATION, Report.Reason.SPAM]
        ):
            report_create(
                comment=made["reported"],
                reason=reason,
                note="There is no EBV vaccine yet." if n == 0 else "",
                ip_hash=hash_ip(f"192.0.2.{n + 1}"),
            )
    if "redacted" in created:
        comment_redact(
            comment=made["redacted"],
            moderator=moderator,
            body="My mother had glandular fever at 19. [name and hospital number removed]",
            reason="personal information removed",
        )
