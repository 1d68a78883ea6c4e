"""Sign-up and sign-in, people's public pages, and a member's own profile and data."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView, ListView

from comments.models import Comment

from . import conf, throttle
from .forms import (
    AccountDeleteForm,
    AuthorProfileForm,
    EmailChangeForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
)
from .services import (
    AccountDeleteRefused,
    account_delete,
    account_export,
    avatar_set,
    user_change_email,
)

User = get_user_model()


class SignInView(LoginView):
    """Django's sign-in with the throttled form and a way to sign up instead."""

    form_class = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signup_url"] = _with_next(reverse("accounts:signup"), context.get("next"))
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, with the site's name in the message rather than its host."""

    @property
    def extra_email_context(self):
        return {"site_name": settings.SITE_NAME}

    def form_valid(self, form):
        ip = throttle.client_ip(self.request)
        if throttle.quota_exhausted(throttle.RESET, ip=ip):
            form.add_error(
                None,
                "Too many reset emails were asked for from your network recently. "
                "Please try again in an hour.",
            )
            return self.form_invalid(form)
        throttle.quota_record(throttle.RESET, ip=ip, window=conf.SIGNUP_WINDOW_SECONDS)
        return super().form_valid(form)


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class SignUpView(RedirectURLMixin, FormView):
    form_class = SignUpForm
    template_name = "registration/signup.html"
    next_page = reverse_lazy("accounts:me")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        ip = throttle.client_ip(self.request)
        if throttle.quota_exhausted(throttle.SIGNUP, ip=ip):
            form.add_error(
                None,
                "Too many accounts were created from your network recently. "
                "Please try again in an hour.",
            )
            return self.form_invalid(form)
        user = form.save()
        throttle.quota_record(throttle.SIGNUP, ip=ip, window=conf.SIGNUP_WINDOW_SECONDS)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, f"Welcome, {user.public_name}! Your account is ready.")
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.get_redirect_url()
        context["login_url"] = _with_next(reverse("login"), context["next"])
        return context


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class ProfileView(DetailView):
    """A member's public page: who they are, never their email or their comment history."""

    template_name = "accounts/profile.html"
    context_object_name = "person"

    def get_queryset(self):
        return User.objects.filter(is_active=True).prefetch_related("groups")


@method_decorator(never_cache, name="dispatch")
class MeView(LoginRequiredMixin, ListView):
    """Your own profile: what others see, your comment history, and your data."""

    template_name = "accounts/me.html"
    context_object_name = "comments"
    paginate_by = conf.HISTORY_COMMENTS_PER_PAGE

    def get_queryset(self):
        return (
            Comment.objects.written_by(self.request.user)
            .readable()
            .select_related("post")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.request.user
        return context


@method_decorator(never_cache, name="dispatch")
class ProfileEditView(LoginRequiredMixin, FormView):
    template_name = "accounts/profile_form.html"
    success_url = reverse_lazy("accounts:me")

    def get_form_class(self):
        return AuthorProfileForm if self.request.user.has_any_role else ProfileForm

    def get_form_kwargs(self):
        # A fresh copy: a rejected form must not change request.user for the rest of the page.
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = User.objects.get(pk=self.request.user.pk)
        return kwargs

    def form_valid(self, form):
        with transaction.atomic():
            user = form.save()
            if form.cleaned_data.get("avatar"):
                avatar_set(user=user, image=form.cleaned_data["avatar"])
            elif form.cleaned_data.get("remove_avatar"):
                avatar_set(user=user, image=None)
        messages.success(self.request, "Your profile is saved.")
        return super().form_valid(form)

    def form_invalid(self, form):
        if form.files.get("avatar") and "avatar" not in form.errors:
            messages.warning(
                self.request, "Please choose your picture again: browsers forget it on errors."
            )
        return super().form_invalid(form)


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class EmailChangeView(LoginRequiredMixin, FormView):
    template_name = "accounts/email_form.html"
    form_class = EmailChangeForm
    success_url = reverse_lazy("accounts:me")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user_change_email(user=self.request.user, email=form.cleaned_data["email"])
        messages.success(self.request, "Your email address is changed.")
        return super().form_valid(form)


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
    template_name = "accounts/account_delete.html"
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
