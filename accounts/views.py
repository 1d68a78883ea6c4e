"""Sign-up and sign-in, people's public pages, and a member's own profile and data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView, TemplateView

from charcot import clientip, ratelimit
from charcot.absolute import site_domain, site_uses_https

from . import conf
from .forms import (
    AuthorProfileForm,
    EmailChangeForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
)
from .services import (
    profile_update,
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

    @property
    def domain_override(self):
        return site_domain()  # the reset link follows the site's one rule (charcot.absolute)

    @property
    def use_https(self):
        return site_uses_https()

    def form_valid(self, form):
        rule = ratelimit.Rule(
            f"ip:{clientip.ip_hash(self.request)}", conf.RESETS_PER_IP, conf.SIGNUP_WINDOW_SECONDS
        )
        if ratelimit.take("password-reset", [rule]):
            form.add_error(
                None,
                "Too many reset emails were asked for from your network recently. "
                "Please try again in an hour.",
            )
            return self.form_invalid(form)
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
        rule = ratelimit.Rule(
            f"ip:{clientip.ip_hash(self.request)}", conf.SIGNUPS_PER_IP, conf.SIGNUP_WINDOW_SECONDS
        )
        if ratelimit.take("signup", [rule]):
            form.add_error(
                None,
                "Too many accounts were created from your network recently. "
                "Please try again in an hour.",
            )
            return self.form_invalid(form)
        user = form.save()
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
class MeView(LoginRequiredMixin, TemplateView):
    """Your own profile: what others see, links to your comments, and your data."""

    template_name = "accounts/me.html"

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
        profile_update(
            form=form,
            avatar=form.cleaned_data.get("avatar"),
            remove_avatar=bool(form.cleaned_data.get("remove_avatar")),
        )
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
