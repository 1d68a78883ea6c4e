"""The admin site: reachable by superusers and people with a role, and sign-in is throttled."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from .forms import ThrottledLoginMixin


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class CharcotAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def has_permission(self, request):
        """Staff flag and a role (or superuser): the one rule for who reaches the admin."""
        return super().has_permission(request) and request.user.has_any_role
