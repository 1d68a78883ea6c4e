from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import TemplateView

from blog.sitemaps import SITEMAPS
from comments.privacy_services import ip_retention_days, privacy_contact

urlpatterns = [
    path("admin/", admin.site.urls),
    # Sign-in (throttled), sign-up, profiles and /authors/; before Django's auth views so our
    # sign-in view answers at /accounts/login/.
    path("", include("accounts.urls")),
    # Django's auth views (login, logout, password change/reset) under their own names.
    path("accounts/", include("django.contrib.auth.urls")),
    # Sign-in with ORCID, Google or OpenID Connect: our flows, then allauth's callbacks.
    path("accounts/", include("identities.urls")),
    path("accounts/", include("identities.urls_external")),
    path("comments/", include("comments.urls")),
    # Short on purpose: every comment on a page links to its report form.
    path("comments/", include("comments.urls_moderation")),
    # The editor's preview and image upload, behind our own sanitizer and role checks.
    path("markdownx/", include("blog.editor_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="privacy.html",
            extra_context={
                "ip_retention_days": lazy(ip_retention_days, int)(),
                "privacy_contact": lazy(privacy_contact, str)(),
            },
        ),
        name="privacy",
    ),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "charcot.views.page_not_found"
handler500 = "charcot.views.server_error"
