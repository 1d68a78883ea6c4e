"""The project's admin site: who reaches it. Installed as `charcot.admin_site.AdminConfig`.

charcot imports no app, so the apps bring their part: the user model (accounts) answers
`has_any_role`, and accounts' admin module puts its throttled sign-in form on the site,
where every app configures the admin (`accounts/admin.py`).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class CharcotAdminSite(admin.AdminSite):
    index_title = "Moderation, posts and people"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The blog's own name on every admin page and tab, not "Django site admin".
        self.site_header = self.site_title = f"{settings.SITE_NAME} admin"

    def has_permission(self, request):
        """Staff flag and a role (or superuser): the one rule for who reaches the admin."""
        return super().has_permission(request) and request.user.has_any_role


class AdminConfig(DjangoAdminConfig):
    """Django admin with the site above: only superusers and people with a role get in."""

    default_site = "charcot.admin_site.CharcotAdminSite"
