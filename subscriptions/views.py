"""Subscribing, confirming, managing and unsubscribing; no account needed for any of it.

Pages reached from a mail carry a signed token in their URL: they are never cached, and
opening one changes nothing (mail scanners open every link); a button does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from blog.models import Post
from charcot import clientip as ip

from . import conf, links, services
from .forms import ChangeForm, FollowForm, MemberSubscribeForm, SubscribeForm
from .models import Subscriber, Subscription

SENT = (
    "Thank you. If this address can be subscribed, a mail with a confirmation link is on its "
    "way: nothing is sent until you follow it."
)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """/subscribe/ and the small forms in the sidebar and under each post post here."""
    form = SubscribeForm(
        request.POST or None, initial={"email": request.GET.get("email", "").strip()[:254]}
    )
    if request.method == "POST":
        if form.is_valid():
            services.subscription_request(
                email=form.cleaned_data["email"],
                categories=form.cleaned_data["categories"],
                frequency=form.cleaned_data["frequency"],
                ip_hash=ip.ip_hash(request),
            )
            return HttpResponseRedirect(reverse("subscriptions:sent"))
        return render(request, "subscriptions/subscribe.html", {"form": form}, status=400)
    response = render(request, "subscriptions/subscribe.html", {"form": form})
    if "email" in request.GET:
        # The sidebar's address, filled in: a page for this reader only, never cached.
        add_never_cache_headers(response)
    return response


def sent(request):
    return render(request, "subscriptions/sent.html", {"message": SENT})


@require_http_methods(["GET", "POST"])
def follow(request, post_pk):
    """ "Follow this discussion": members by a click, everyone else by a confirmed address."""
    post = get_object_or_404(Post.objects.published(), pk=post_pk)
    if request.user.is_authenticated and request.method == "POST":
        if not request.user.email:
            messages.error(request, "Add an email address to your profile to follow discussions.")
        else:
            services.member_subscribe(
                user=request.user,
                via=Subscription.Via.MEMBER_FOLLOW,
                post=post,
                ip_hash=ip.ip_hash(request),
            )
            messages.success(request, "You follow this discussion: new comments come by mail.")
        return HttpResponseRedirect(post.get_absolute_url() + "#comments")
    form = None if request.user.is_authenticated else FollowForm(request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        services.subscription_request(
            email=form.cleaned_data["email"], post=post, ip_hash=ip.ip_hash(request)
        )
        return HttpResponseRedirect(reverse("subscriptions:sent"))
    status = 400 if request.method == "POST" else 200
    return render(request, "subscriptions/follow.html", {"form": form, "post": post}, status=status)


@login_required
@require_POST
def member_subscribe_view(request):
    """One click on the profile page: the member's own address, confirmed by their account."""
    form = MemberSubscribeForm(request.POST)
    frequency = (
        form.cleaned_data["frequency"] if form.is_valid() else Subscription.Frequency.IMMEDIATE
    )
    if not request.user.email:
        messages.error(request, "Add an email address to your profile first.")
    else:
        services.member_subscribe(
            user=request.user,
            via=Subscription.Via.PROFILE,
            frequency=frequency,
            ip_hash=ip.ip_hash(request),
        )
        messages.success(request, "You are subscribed to new posts.")
    return HttpResponseRedirect(reverse("accounts:me"))


def _subscription_named_by(data: dict | None) -> Subscription | None:
    """The subscription a signed link names, if it still belongs to the address it names."""
    if data is None:
        return None
    subscription = (
        Subscription.objects.select_related("subscriber", "post").filter(pk=data.get("s")).first()
    )
    if subscription is None or not links.names(data, subscription.subscriber.email):
        return None
    return subscription


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The confirmation link: a button, so that a mail scanner opening it confirms nothing."""
    data = links.read_confirm_token(token)
    subscription = _subscription_named_by(data)
    if subscription is None:
        return render(request, "subscriptions/confirm.html", {"ok": False}, status=400)
    if request.method == "POST":
        subscription = services.subscription_confirm(token=token, ip_hash=ip.ip_hash(request))
    context = {
        "ok": True,
        "subscription": subscription,
        "done": subscription.is_confirmed(),
        "manage": reverse(
            "subscriptions:manage", kwargs={"token": links.manage_token(subscription.subscriber)}
        ),
    }
    return render(request, "subscriptions/confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """Every subscription of the address the token names: change or stop each, or all."""
    data = links.read_manage_token(token)
    subscriber = None
    if data is not None:
        subscriber = Subscriber.objects.filter(pk=data.get("a")).first()
    if subscriber is None or not links.names(data, subscriber.email):
        return render(request, "subscriptions/manage.html", {"ok": False}, status=400)
    subscriptions = list(
        subscriber.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED)
        .select_related("post")
        .prefetch_related("categories")
    )
    posts_subscription = next((s for s in subscriptions if s.kind == Subscription.Kind.POSTS), None)
    change_form = ChangeForm(
        initial=posts_subscription
        and {
            "frequency": posts_subscription.frequency,
            "categories": list(posts_subscription.categories.all()),
        }
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        chosen = {str(s.pk): s for s in subscriptions}.get(request.POST.get("subscription", ""))
        if action == "all":
            services.subscriber_end_all(subscriber=subscriber)
            messages.success(request, "You are unsubscribed from everything.")
            return HttpResponseRedirect(request.path)
        if action == "stop" and chosen is not None:
            services.subscription_end(subscription=chosen)
            messages.success(request, "You are unsubscribed from that.")
            return HttpResponseRedirect(request.path)
        if action == "change" and posts_subscription is not None:
            change_form = ChangeForm(request.POST)
            if change_form.is_valid():
                services.subscription_change(
                    subscription=posts_subscription,
                    frequency=change_form.cleaned_data["frequency"],
                    categories=change_form.cleaned_data["categories"],
                )
                messages.success(request, "Your choices are saved.")
                return HttpResponseRedirect(request.path)
            status = 400
        else:
            messages.error(request, "Nothing was changed: that subscription no longer exists.")
            return HttpResponseRedirect(request.path)
    context = {
        "ok": True,
        "subscriber": subscriber,
        "subscriptions": subscriptions,
        "posts_subscription": posts_subscription,
        "change_form": change_form,
        "retention_days": conf.RETENTION_DAYS,
    }
    return render(request, "subscriptions/manage.html", context, status=status)


@never_cache
@csrf_exempt  # one-click unsubscribe: mail clients POST with no session or token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every mail and its List-Unsubscribe header: POST stops that subscription."""
    data = links.read_unsubscribe_token(token)
    subscription = _subscription_named_by(data)
    if subscription is None:
        return render(request, "subscriptions/unsubscribe.html", {"ok": False}, status=400)
    done = request.method == "POST"
    if done:
        services.subscription_end(subscription=subscription)
    context = {
        "ok": True,
        "done": done,
        "subscription": subscription,
        "manage": reverse(
            "subscriptions:manage", kwargs={"token": links.manage_token(subscription.subscriber)}
        ),
    }
    return render(request, "subscriptions/unsubscribe.html", context)
