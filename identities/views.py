"""Starting a sign-in with an external identity, commenting in one step, and managing links.

Every flow starts here with a POST (CSRF-checked): a random nonce goes with it, and the
return path is fixed on our side before the reader leaves.
"""

import logging
import secrets

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from requests import RequestException

from accounts import throttle
from charcot import clientip

from . import providers
from .adapter import safe_next
from .services import DisconnectRefused, draft_create, identity_disconnect

logger = logging.getLogger(__name__)


def start(request, provider_id: str, *, process: str, next_url: str):
    """Send the reader to the provider: state and PKCE from allauth, plus our nonce."""
    if providers.find(provider_id) is None:
        raise Http404("No such sign-in provider.")
    seconds = throttle.wait_seconds(ip=clientip.client_ip(request), username="")
    if seconds:
        messages.error(
            request,
            "Too many sign-in attempts failed from your network. Please wait "
            f"{throttle.describe_wait(seconds)} and try again.",
        )
        return HttpResponseRedirect(next_url or reverse("login"))
    provider = get_adapter().get_provider(request, provider_id)
    nonce = secrets.token_urlsafe(24)
    auth_params = {**provider.get_auth_params(), "nonce": nonce}
    try:
        return provider.redirect(
            request, process, next_url=next_url or None, auth_params=auth_params, nonce=nonce
        )
    except RequestException:  # an OpenID Connect issuer's discovery document did not come
        logger.warning("Could not reach %s to start a sign-in", provider_id, exc_info=True)
        messages.error(
            request,
            f"{providers.name_of(provider_id)} is not answering right now, so you are not "
            "signed in. Please try again in a moment.",
        )
        return HttpResponseRedirect(next_url or reverse("login"))


@require_POST
def sign_in(request, provider_id):
    """The "Sign in with …" buttons on the sign-in and sign-up pages."""
    return start(
        request, provider_id, process="login", next_url=safe_next(request, request.POST.get("next"))
    )


@require_POST
def comment_sign_in(request, provider_id):
    """ "Sign in with … to comment": keep the typed text, sign in, come back to it.

    The button sits in the comment form, so the form's own fields arrive here.
    """
    if providers.find(provider_id) is None:
        raise Http404("No such sign-in provider.")
    return_path = safe_next(request, request.POST.get("return_to")).split("?")[0].split("#")[0]
    if not return_path:
        raise Http404("No page to come back to.")
    body = request.POST.get("body", "")
    parent = request.POST.get("parent", "")
    next_url = return_path
    if body.strip() or parent.isdigit():
        token = draft_create(
            session=request.session,
            body=body,
            parent_id=int(parent) if parent.isdigit() and len(parent) < 19 else None,
            started=request.POST.get("started", ""),
            return_path=return_path,
        )
        next_url = f"{return_path}?{urlencode({'draft': token})}"
    return start(request, provider_id, process="login", next_url=f"{next_url}#comment-form")


@never_cache
@login_required
def connections(request):
    """A member's linked identities, with a way to add or remove each."""
    linked = list(SocialAccount.objects.filter(user=request.user).order_by("date_joined", "pk"))
    linked_ids = {account.provider for account in linked}
    return render(
        request,
        "identities/connections.html",
        {
            "linked": [(account, providers.name_of(account.provider)) for account in linked],
            "available": [p for p in providers.configured() if p.id not in linked_ids],
        },
    )


@require_POST
@login_required
def connect(request, provider_id):
    return start(
        request, provider_id, process="connect", next_url=reverse("identities:connections")
    )


@require_POST
@login_required
def disconnect(request, pk):
    account = get_object_or_404(SocialAccount, pk=pk, user=request.user)
    name = providers.name_of(account.provider)
    try:
        identity_disconnect(user=request.user, account=account)
    except DisconnectRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{name} is no longer linked to your account.")
    return HttpResponseRedirect(reverse("identities:connections"))
