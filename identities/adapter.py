"""Charcot's rules for allauth's social flow (settings.SOCIALACCOUNT_ADAPTER / ACCOUNT_ADAPTER).

allauth only carries people to and from a provider: Charcot's own pages sign in, sign up
and reset passwords. The rules here: nobody is matched to an existing account by email,
the sign-in throttles apply, an ID token must carry the nonce we sent, and what a sign-in
proves (an ORCID iD) is recorded.
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthError
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts import conf as accounts_conf
from accounts import names, throttle
from charcot import clientip, ratelimit

from . import providers
from .services import identity_confirmed

logger = logging.getLogger(__name__)
User = get_user_model()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return True

    def generate_unique_username(self, txts, regex=None):
        # A username can be someone's public name: never make it from their email address.
        return super().generate_unique_username(
            [txt for txt in txts if txt and "@" not in str(txt)] or ["member"], regex=regex
        )


def signup_rule(request) -> ratelimit.Rule:
    """Accounts made from one address, counted with Charcot's own sign-ups."""
    return ratelimit.Rule(
        f"ip:{clientip.ip_hash(request)}",
        accounts_conf.SIGNUPS_PER_IP,
        accounts_conf.SIGNUP_WINDOW_SECONDS,
    )


def safe_next(request, url) -> str:
    """A same-site path to go back to, or "" for anything else (forged or foreign)."""
    url = str(url or "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def id_token_claims(sociallogin) -> dict | None:
    """The ID token's claims when the provider sent one (OpenID Connect, Google)."""
    data = sociallogin.account.extra_data or {}
    if isinstance(data.get("id_token"), dict):
        return data["id_token"]
    if "iss" in data and "aud" in data:
        return data
    return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        # A provider that is not configured does not exist, for every URL of it.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("No such sign-in provider.") from None

    def pre_social_login(self, request, sociallogin) -> None:
        name = providers.name_of(sociallogin.account.provider)
        state = sociallogin.state or {}
        claims = id_token_claims(sociallogin)
        if claims is not None and (not state.get("nonce") or claims.get("nonce") != state["nonce"]):
            throttle.record_failure(ip=clientip.client_ip(request), username="")
            logger.warning("Sign-in with %s refused: the ID token's nonce did not match", name)
            raise ImmediateHttpResponse(error_page(request, name, status=400))
        if sociallogin.is_existing:
            identity_confirmed(
                user=sociallogin.user,
                provider_id=sociallogin.account.provider,
                uid=sociallogin.account.uid,
            )
            return
        if state.get("process") == "connect" and request.user.is_authenticated:
            identity_confirmed(
                user=request.user,
                provider_id=sociallogin.account.provider,
                uid=sociallogin.account.uid,
            )
            return
        emails = {sociallogin.user.email or ""} | {
            address.email for address in sociallogin.email_addresses
        }
        emails = {email.strip() for email in emails if email and email.strip()}
        if emails and any(User.objects.filter(email__iexact=email).exists() for email in emails):
            # Same address, different person until proven otherwise: never link by email.
            messages.error(
                request,
                f"An account here already uses the email address {name} gave us, so nothing "
                f"was linked. If that account is yours, sign in to it, then connect {name} "
                "from your profile.",
            )
            login_url = reverse("login")
            next_url = safe_next(request, state.get("next"))
            if next_url:
                login_url = f"{login_url}?{urlencode({'next': next_url})}"
            raise ImmediateHttpResponse(HttpResponseRedirect(login_url))

    def populate_user(self, request, sociallogin, data):
        """The provider's name, unless it would pass someone off as a role or another member
        (the rules of accounts.forms.DisplayNameMixin); never its username."""
        user = super().populate_user(request, sociallogin, data)
        user.username = ""  # made from the name by allauth, unique
        name = " ".join(user.get_full_name().split())
        if name and (
            names.has_invisible_characters(name)
            or names.name_key(name) in names.reserved_keys()
            or User.objects.filter(display_name__iexact=name).exists()
        ):
            user.first_name = user.last_name = ""
        return user

    def is_open_for_signup(self, request, sociallogin) -> bool:
        if ratelimit.exceeded("signup", [signup_rule(request)]):
            messages.error(
                request,
                "Too many accounts were created from your network recently. "
                "Please try again in an hour.",
            )
            raise ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))
        return True

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        ratelimit.record("signup", [signup_rule(request)])
        identity_confirmed(
            user=user, provider_id=sociallogin.account.provider, uid=sociallogin.account.uid
        )
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        name = providers.name_of(getattr(provider, "sub_id", "") or getattr(provider, "id", ""))
        state = (extra_context or {}).get("state") or {}
        next_url = safe_next(request, state.get("next"))
        if error == AuthError.CANCELLED:
            text = f"Signing in with {name} was cancelled."
        else:
            throttle.record_failure(ip=clientip.client_ip(request), username="")
            logger.warning("Sign-in with %s failed: %s %r", name, error, exception)
            text = f"Signing in with {name} did not work, so you are not signed in."
        if not next_url:
            raise ImmediateHttpResponse(
                error_page(request, name, cancelled=error == AuthError.CANCELLED)
            )
        if "draft=" in next_url:
            text += " Your text is still in the box."
        messages.error(request, text)
        raise ImmediateHttpResponse(HttpResponseRedirect(next_url))

    def get_connect_redirect_url(self, request, socialaccount) -> str:
        return reverse("identities:connections")


def error_page(request, name: str, *, cancelled: bool = False, status: int = 400):
    return render(
        request,
        "identities/sign_in_failed.html",
        {"provider_name": name, "cancelled": cancelled},
        status=200 if cancelled else status,
    )
