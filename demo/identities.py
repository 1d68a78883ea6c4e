"""Demo data for external identities: one member whose ORCID iD shows as verified.

Clearly demo data: the account, its ORCID link and the iD are made up here, not proven by
a real ORCID sign-in (ORCID's documentation iD 0000-0002-1825-0097 belongs to the fictional
Josiah Carberry). Idempotent: the member is found by username.
"""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from blog.models import Post
from comments.models import Comment
from comments.policy import Decision, Submission
from comments.services import comment_create

DEMO_USERNAME = "demo-orcid"
DEMO_ORCID = "0000-0002-1825-0097"
COMMENT = (
    "Signing in with ORCID puts my iD beside my name, so readers can check who is "
    "commenting. A useful habit for a research blog's discussion."
)


def seed():
    """Create (or find) the demo member with a seeded, verified ORCID iD; returns them."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={
            "display_name": "Dr Josiah Carberry (demo)",
            "first_name": "Josiah",
            "last_name": "Carberry",
            "title": "Professor of Psychoceramics (demo account)",
            "affiliation": "Brown University (fictional, ORCID's documentation example)",
            "orcid": DEMO_ORCID,
            "verified_orcid": DEMO_ORCID,
        },
    )
    if created:
        user.set_unusable_password()  # demo only: it signs in with nothing
        user.save(update_fields=["password"])
    SocialAccount.objects.get_or_create(
        provider="orcid",
        uid=DEMO_ORCID,
        defaults={"user": user, "extra_data": {"demo": True}},
    )
    # One comment, so the verified mark shows in a discussion (the newest post's).
    post = Post.objects.published().order_by("-published_at").first()
    if post is not None and not Comment.objects.filter(user=user).exists():
        comment_create(
            submission=Submission(post=post, user=user, body=COMMENT),
            decision=Decision(status=Comment.Status.APPROVED, reason="demo"),
        )
    return user
