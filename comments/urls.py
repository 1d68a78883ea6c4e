from django.urls import path

from . import feeds, views
from .moderation import views as moderation_views

app_name = "comments"

urlpatterns = [
    path("post/<int:post_pk>/", views.comment_post, name="post"),
    path("preview/", views.preview, name="preview"),
    path("mine/", views.WriterCommentsView.as_view(), name="mine"),
    path("feed/rss/", feeds.LatestCommentsFeed(), name="feed-rss"),
    path("feed/atom/", feeds.LatestCommentsAtomFeed(), name="feed-atom"),
    path("post/<int:post_pk>/feed/rss/", feeds.PostCommentsFeed(), name="post-feed-rss"),
    path("post/<int:post_pk>/feed/atom/", feeds.PostCommentsAtomFeed(), name="post-feed-atom"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    # Short on purpose: every comment on a page links to its report form.
    path("<int:pk>/report/", moderation_views.report, name="report"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
