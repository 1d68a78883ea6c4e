"""Content the browser tests read: a realistic post and a deep, mixed discussion."""

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory


def build_article(author):
    return PostFactory(
        author=author,
        title="Rebound after natalizumab withdrawal",
        standfirst="Stopping natalizumab can bring disease activity back. How big is the risk?",
        body=(
            "Stopping **natalizumab** is one of the most common decisions we discuss in clinic.\n\n"
            "## The question\n\nWhat happens in the months after the last infusion? "
            "See [the cohort paper](https://doi.org/10.1000/182) for the numbers.\n\n"
            "> Rebound is not relapse.\n\n- MRI at three months\n- Bridging therapy\n"
        ),
    )


def build_deep_discussion(post, author, reader) -> list[Comment]:
    """Eight levels of anonymous, member and author voices around two short threads.

    Returns the deepest thread, root first.
    """
    CommentFactory(
        post=post,
        author_name="Bea",
        author_url="https://bea.example.org/",
        body="Thank you, this is the clearest summary I have read.",
    )
    voices = [
        {"author_name": "Carol", "body": "My neurologist suggested *bridging* with an infusion."},
        {"user": author, "body": "That is what most centres do now; timing matters most."},
        {"user": reader, "body": "How long is the usual gap between the last dose and the next?"},
        {"author_name": "Dev", "body": "Mine was eight weeks, with an MRI at six."},
        {"user": author, "body": "Eight weeks is typical. Shorter gaps mean less rebound."},
        {"author_name": "Carol", "body": "Did anyone have a rebound despite a short gap?"},
        {"user": reader, "body": "I did, mildly, and it settled within a month."},
        {"author_name": "Eli", "body": "Reassuring to read, thank you both for sharing this."},
    ]
    thread = []
    parent = None
    for voice in voices:
        parent = CommentFactory(post=post, parent=parent, **voice)
        thread.append(parent)
    CommentFactory(post=post, parent=thread[0], author_name="Fay", body="Same experience here.")
    CommentFactory(
        post=post,
        author_name="Gus",
        body="Is there data on ocrelizumab after natalizumab?",
        status=Comment.Status.PENDING,
    )
    CommentFactory(post=post, author_name="Hal", body="Following this thread.")
    return thread
