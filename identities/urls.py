"""Mounted at /accounts/ (charcot.urls): signing in with an external identity, and the
profile page that links and unlinks them. allauth's callbacks are in urls_external."""

from django.urls import path

from . import views

app_name = "identities"

urlpatterns = [
    path("with/<str:provider_id>/", views.sign_in, name="sign-in"),
    path("comment-with/<str:provider_id>/", views.comment_sign_in, name="comment-sign-in"),
    path("me/identities/", views.connections, name="connections"),
    path("me/identities/connect/<str:provider_id>/", views.connect, name="connect"),
    path("me/identities/<int:pk>/disconnect/", views.disconnect, name="disconnect"),
]
