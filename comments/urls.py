from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:post_pk>/", views.comment_post, name="post"),
    path("preview/", views.preview, name="preview"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
