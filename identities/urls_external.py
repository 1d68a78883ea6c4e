"""allauth's provider callbacks and pages, mounted at /accounts/ without a namespace
(allauth reverses these names bare).

allauth's own account pages are not mounted: its few links to them (sign in, sign up,
inactive account) are names here that lead to Charcot's pages.
"""

from allauth.socialaccount import views as social_views
from allauth.urls import build_provider_urlpatterns
from django.urls import path
from django.views.generic import RedirectView, TemplateView

urlpatterns = [
    path("external/cancelled/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("external/error/", social_views.login_error, name="socialaccount_login_error"),
    path("external/signup/", social_views.signup, name="socialaccount_signup"),
    path(
        "external/connections/",
        RedirectView.as_view(pattern_name="identities:connections"),
        name="socialaccount_connections",
    ),
    path(
        "external/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="account_login",
    ),
    path(
        "external/signup-form/",
        RedirectView.as_view(pattern_name="accounts:signup", query_string=True),
        name="account_signup",
    ),
    path(
        "external/inactive/",
        TemplateView.as_view(template_name="identities/account_inactive.html"),
        name="account_inactive",
    ),
    *build_provider_urlpatterns(),
]
