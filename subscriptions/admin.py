"""The subscribers page for authors and editors: counts, CSV export, a preview of the next
mail, a test mail to oneself, and the record of each post's sending. View-only: subscribers
change their own subscriptions, from the page every mail links to."""

import csv

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from blog.models import Category, Post

from . import links, mails
from .models import Delivery, PostMailing, Subscriber, Subscription
from .tasks import mail_test


class ViewOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def next_post() -> Post | None:
    """The post whose mail goes out next: the next scheduled one, else the latest published."""
    now = timezone.now()
    upcoming = (
        Post.objects.filter(status=Post.Status.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .first()
    )
    return upcoming or Post.objects.published().order_by("-published_at").first()


@admin.action(description="Export the selected subscriptions as CSV")
def export_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="subscriptions-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["email", "kind", "post", "categories", "frequency", "status", "confirmed_at", "via"]
    )
    for subscription in queryset.select_related("subscriber", "post").prefetch_related(
        "categories"
    ):
        writer.writerow(
            [
                subscription.subscriber.email,
                subscription.kind,
                subscription.post.title if subscription.post else "",
                "; ".join(category.name for category in subscription.categories.all()),
                subscription.frequency,
                subscription.status,
                subscription.confirmed_at.isoformat() if subscription.confirmed_at else "",
                subscription.confirmed_via,
            ]
        )
    return response


@admin.register(Subscription)
class SubscriptionAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["subscriber", "kind", "post", "frequency", "status", "confirmed_at"]
    list_filter = ["status", "kind", "frequency", "categories", "confirmed_via"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "post"]
    actions = [export_csv]
    change_list_template = "admin/subscriptions/subscription/change_list.html"
    readonly_fields = [
        "subscriber", "kind", "post", "categories", "frequency", "status", "requested_at",
        "requested_ip_hash", "confirmed_at", "confirmed_via", "confirmed_ip_hash",
        "unsubscribed_at", "mailed_until", "last_mailed_at",
    ]  # fmt: skip

    def get_urls(self):
        own = [
            path(
                "next-mail/",
                self.admin_site.admin_view(self.next_mail_view),
                name="subscriptions_next_mail",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        by_status = dict(
            Subscription.objects.order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        live = Q(subscriptions__kind="posts", subscriptions__status="confirmed")
        by_category = list(
            Category.objects.annotate(subscribers=Count("subscriptions", filter=live))
            .order_by("name")
            .values_list("name", "subscribers")
        )
        every = Subscription.objects.confirmed().to_new_posts().filter(categories__isnull=True)
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (label, by_status.get(value, 0)) for value, label in Subscription.Status.choices
            ],
            "category_counts": by_category,
            "every_category_count": every.count(),
            "next_mail_url": reverse("admin:subscriptions_next_mail"),
        }
        return super().changelist_view(request, extra_context)

    def next_mail_view(self, request):
        """Preview the next post's mail; POST sends it, marked as a test, to oneself."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        post = next_post()
        if request.method == "POST" and post is not None:
            if request.user.email:
                mail_test.enqueue(post_id=post.pk, email=request.user.email)
                messages.success(request, f"A test mail is on its way to {request.user.email}.")
            else:
                messages.error(request, "Your account has no email address to send a test to.")
            return HttpResponseRedirect(request.path)
        rendered = None
        if post is not None:
            rendered = mails.render(
                "subscriptions/emails/post.md",
                {"post": post, "url": links.absolute(post.get_absolute_url())},
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Preview of the next mail",
            "opts": self.model._meta,
            "post": post,
            "rendered": rendered,
            "preview_html": rendered.body_html if rendered else "",
        }
        return TemplateResponse(request, "admin/subscriptions/next_mail.html", context)


@admin.register(Subscriber)
class SubscriberAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["email", "user", "created_at", "hard_failures", "bouncing_since"]
    list_filter = [("bouncing_since", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "user", "created_at", "hard_failures", "bouncing_since"]


@admin.register(PostMailing)
class PostMailingAdmin(ViewOnly, admin.ModelAdmin):
    """Each post's sending: how many mails went, failed, or wait."""

    list_display = ["post", "queued_at", "recipients", "sent", "pending", "failed"]
    list_select_related = ["post"]
    readonly_fields = ["post", "queued_at", "recipients"]

    def get_queryset(self, request):
        deliveries = "post__deliveries__status"
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=Count(
                    "post__deliveries", filter=Q(**{deliveries: Delivery.Status.SENT})
                ),
                failed_count=Count(
                    "post__deliveries", filter=Q(**{deliveries: Delivery.Status.FAILED})
                ),
                pending_count=Count(
                    "post__deliveries",
                    filter=Q(
                        **{f"{deliveries}__in": [Delivery.Status.PENDING, Delivery.Status.SENDING]}
                    ),
                ),
            )
        )

    @admin.display(description="sent", ordering="sent_count")
    def sent(self, obj):
        return obj.sent_count

    @admin.display(description="pending", ordering="pending_count")
    def pending(self, obj):
        return obj.pending_count

    @admin.display(description="failed", ordering="failed_count")
    def failed(self, obj):
        return obj.failed_count


@admin.register(Delivery)
class DeliveryAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["key", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["subscriber__email", "key"]
    list_select_related = ["subscriber"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
