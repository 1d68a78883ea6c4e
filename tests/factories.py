"""Every app's factories in one import, for the many tests that build a whole scene."""

from tests.accounts.factories import UserFactory
from tests.blog.factories import CategoryFactory, PostFactory, TagFactory
from tests.comments.factories import CommentFactory

__all__ = ["CategoryFactory", "CommentFactory", "PostFactory", "TagFactory", "UserFactory"]
