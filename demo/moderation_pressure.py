"""Demo for the desk under pressure (issue 17): a pinned comment with its public label, an
open report in the report queue and readers' questions waiting in the unanswered queue (one
with a question mark, one asked with the form's "Ask the author" box and none).

Idempotent like demo.moderation: each comment has a fixed submission key.
"""

import uuid

from blog.models import Post
from charcot.clientip import hash_ip
from charcot.markdown import COMMENT, render_markdown
from comments.models import Comment, Report
from comments.moderation.services import Action, comment_moderate, report_create

NAMESPACE = uuid.UUID("0b7f3d8e-9a51-4c0e-8d7e-5a2f61c41717")
SLUG = "rebound-after-natalizumab-withdrawal"

COMMENTS = [
    # key, parent key, name, ip, body
    (
        "pinned",
        None,
        "Dr Ana Ruiz",
        "203.0.113.21",
        "A summary for newcomers: rebound is most often seen 3–6 months after stopping, "
        "and switching within 8–12 weeks lowers the risk. Start here before reading on.",
    ),
    (
        "reported",
        None,
        "Max Feld",
        "203.0.113.22",
        "Just stop all medication and fast for a week, it resets the immune system.",
    ),
    (
        "thread",
        None,
        "Ola Berg",
        "203.0.113.23",
        "I stopped in March and had an MRI in June with two new lesions.",
    ),
    (
        "question",
        "thread",
        "Lena Vos",
        "203.0.113.24",
        "Did your neurologist suggest a steroid course, or a new therapy straight away?",
    ),
    (
        "asks-author",
        None,
        "Nora Quinn",
        "203.0.113.25",
        "I have been on natalizumab for nine years and would value your reading of the "
        "French cohort for someone in my position.",
    ),
]
ASKS_AUTHOR = {"asks-author"}  # ticked "Ask the author" on the form


def seed(people) -> None:
    post = Post.objects.filter(slug=SLUG).first()
    if post is None:
        return
    made: dict[str, Comment] = {}
    created: set[str] = set()
    for key, parent_key, name, ip, body in COMMENTS:
        submission_key = uuid.uuid5(NAMESPACE, key)
        comment = Comment.objects.filter(submission_key=submission_key).first()
        if comment is None:
            comment = Comment.objects.create(
                post=post,
                parent=made.get(parent_key),
                author_name=name,
                author_email=f"{name.split()[-1].lower()}@example.com",
                body=body,
                body_html=render_markdown(body, COMMENT),
                status=Comment.Status.APPROVED,
                moderation_reason="approved: returning commenter",
                ip_hash=hash_ip(ip),
                submission_key=submission_key,
                asks_author=key in ASKS_AUTHOR,
            )
            created.add(key)
        made[key] = comment
    if "pinned" in created:
        comment_moderate(
            comment=made["pinned"],
            action=Action.PIN,
            moderator=people["author"],
            reason="a good summary",
        )
    if "reported" in created:
        # Below the threshold that hides it: the report waits, open, in the queue.
        report_create(
            comment=made["reported"],
            reason=Report.Reason.MISINFORMATION,
            note="Dangerous advice for people on natalizumab.",
            ip_hash=hash_ip("192.0.2.77"),
        )
