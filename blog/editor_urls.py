"""Same paths and names as markdownx.urls, so its widget finds them."""

from django.urls import path

from . import editor

urlpatterns = [
    path("upload/", editor.image_upload, name="markdownx_upload"),
    path("markdownify/", editor.markdown_preview, name="markdownx_markdownify"),
]
