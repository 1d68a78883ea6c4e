from django import template

from ..models import Comment
from ..moderation_services import comments_for_desk, may_use_desk

register = template.Library()


@register.simple_tag
def pending_comment_count(user) -> int | None:
    """Comments waiting for this moderator or author (one COUNT query); None off the desk."""
    if not may_use_desk(user):
        return None
    return comments_for_desk(user).filter(status=Comment.Status.PENDING).count()
