"""Mounted at the site root: sign-in and people's pages under /accounts/ (authors: blog.urls).

Included before django.contrib.auth.urls, so our throttled sign-in view answers at
/accounts/login/ (reverse("login") still gives that path).
"""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        views.PasswordResetView.as_view(),
        name="password-reset",
    ),
    path("accounts/signup/", views.SignUpView.as_view(), name="signup"),
    path("accounts/me/", views.MeView.as_view(), name="me"),
    path("accounts/me/edit/", views.ProfileEditView.as_view(), name="me-edit"),
    path("accounts/me/email/", views.EmailChangeView.as_view(), name="email"),
    path("accounts/profile/<slug:slug>/", views.ProfileView.as_view(), name="profile"),
]
