"""The site's URLs plus the provider's under /o/ (tests switch ROOT_URLCONF to this)."""

from django.urls import include, path

from charcot.urls import handler404, handler500  # noqa: F401 - the site's error pages
from charcot.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *site_urlpatterns,
]
