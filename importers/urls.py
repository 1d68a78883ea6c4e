from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("moved/comment/", views.old_comment, name="old-comment"),
]
