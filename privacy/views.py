"""Members' own data: download it, or delete the account; and the public privacy page."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from accounts.forms import AccountDeleteForm
from accounts.models import User

from .services import (
    AccountDeleteRefused,
    account_delete,
    account_export,
    ip_retention_days,
    privacy_contact,
)


def privacy_page(request):
    """What we store and why."""
    return render(
        request,
        "privacy/privacy.html",
        {"ip_retention_days": ip_retention_days(), "privacy_contact": privacy_contact()},
    )


@never_cache
@login_required
def account_export_view(request):
    """Everything we hold about you, as a JSON download."""
    user = User.objects.prefetch_related("groups").get(pk=request.user.pk)
    data = account_export(user=user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"{settings.SITE_NAME.lower()}-data-{user.slug}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class AccountDeleteView(LoginRequiredMixin, FormView):
    template_name = "privacy/account_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_posts"] = self.request.user.posts.exists()
        return context

    def form_valid(self, form):
        try:
            account_delete(
                user=self.request.user,
                remove_comments=form.cleaned_data["comments"] == AccountDeleteForm.REMOVE,
            )
        except AccountDeleteRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        logout(self.request)
        messages.success(self.request, "Your account and your personal data have been deleted.")
        return redirect("blog:home")
