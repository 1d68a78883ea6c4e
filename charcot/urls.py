from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import TemplateView

from comments.privacy_services import ip_retention_days, privacy_contact

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's auth views (login, logout, password change/reset) under their own names.
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("comments/", include("comments.urls")),
    path("markdownx/", include("markdownx.urls")),
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
