from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Sign-in (throttled), sign-up and profiles; before Django's auth views so our
    # sign-in view answers at /accounts/login/.
    path("", include("accounts.urls")),
    # Django's auth views (login, logout, password change/reset) under their own names.
    path("accounts/", include("django.contrib.auth.urls")),
    # Sign-in with ORCID, Google or OpenID Connect: our flows, then allauth's callbacks.
    path("accounts/", include("identities.urls")),
    path("accounts/", include("identities.urls_external")),
    path("comments/", include("comments.urls")),
    # The editor's preview and image upload, behind our own sanitizer and role checks.
    path("subscribe/", include("subscriptions.urls")),
    path("markdownx/", include("blog.editor_urls")),
    # Old comment anchors of imported blogs (static/js/old-anchors.js).
    path("", include("importers.urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # The privacy page, and members' data export and account deletion under /accounts/me/.
    path("", include("privacy.urls")),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# On the comment form, a request over the size or field limits gets its text back.
handler400 = "comments.oversize.bad_request"
handler404 = "charcot.views.page_not_found"
handler500 = "charcot.views.server_error"
