from django.contrib.admin.apps import AdminConfig


class CharcotAdminConfig(AdminConfig):
    """Django admin with our site class: only superusers and people with a role get in."""

    default_site = "accounts.admin_site.CharcotAdminSite"
