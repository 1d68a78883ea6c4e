"""The moderation desk: comments, reports, bans and the moderation log in Django admin.

Moderators see everything; authors see the comments on their own posts; nobody else gets
in. Every change goes through `comments.moderation.services`, which logs it. The privacy
app adds its data-request actions to `CommentAdmin` (privacy/admin.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from mptt.admin import MPTTModelAdmin

from accounts.models import User
from charcot.clientip import hash_ip
from charcot.validation import parse_ascii_int
from identities.desk import linked_providers, provider_names

from .. import policy, spam_filter
from ..models import Ban, Comment, ModerationLog, Report
from .forms import BulkReasonForm, ReasonForm, RedactForm, ReplyForm
from .services import (
    QUESTION_STATES,
    Action,
    ReportOutcomeAction,
    ban_add,
    bans_delete,
    can_moderate,
    comment_moderate,
    comment_redact,
    comment_reply,
    commenter_ban,
    commenter_is_banned,
    commenter_unban,
    comments_for_desk,
    comments_unanswered_by,
    decision_undo,
    may_ban,
    may_use_desk,
    question_mark,
    redaction_quotes,
    report_act,
)

MAX_INDENT = 6


class DeskPermissions:
    """Moderators and authors (for their own posts) may look; nobody may add or delete."""

    def has_module_permission(self, request):
        return may_use_desk(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_desk(request.user) and (obj is None or self.may_see(request.user, obj))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_see(self, user, obj) -> bool:
        return True


class MemberFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "member"

    def lookups(self, request, model_admin):
        return [("yes", "Members (signed in)"), ("no", "Anonymous")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(user__isnull=False)
        if self.value() == "no":
            return queryset.filter(user__isnull=True)
        return queryset


class ChoicesFilter(admin.SimpleListFilter):
    """A list filter from a CHOICES table: {value: (label, Q)}."""

    CHOICES: dict = {}

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _q) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.CHOICES:
            return queryset.filter(self.CHOICES[self.value()][1])
        return queryset


class WhyHeldFilter(ChoicesFilter):
    title = "why held"
    parameter_name = "held"
    CHOICES = {
        "first": ("First comment", Q(moderation_reason__startswith=policy.HELD_FIRST_COMMENT)),
        "links": ("Links", Q(moderation_reason__startswith=policy.HELD_LINKS)),
        "words": ("Moderation words", Q(moderation_reason__startswith=policy.HELD_WORD)),
        "reports": (
            "Reader reports",
            Q(moderation_reason__startswith="held:")
            & Q(moderation_reason__endswith=policy.HELD_REPORTS_SUFFIX),
        ),
        "rate": ("Too fast", Q(moderation_reason__startswith=policy.HELD_TOO_FAST)),
        "all": ("Every comment held", Q(moderation_reason__startswith=policy.HELD_ALL)),
    }


class PolicyVerdictFilter(ChoicesFilter):
    """The posting policy's first verdict, which later decisions never overwrite (the
    comment and every log entry keep it under the same field name)."""

    title = "policy's verdict"
    parameter_name = "verdict"
    CHOICES = {
        "too-fast": ("Too fast", Q(policy_reason__contains="too fast")),
        "no-stamp": ("No valid time stamp", Q(policy_reason__contains="no valid time stamp")),
        "honeypot": ("Honeypot", Q(policy_reason__endswith="honeypot")),
        "banned": ("Banned", Q(policy_reason__contains=": banned")),
        "disallowed": ("Disallowed word", Q(policy_reason__contains="disallowed word")),
        "first": ("First comment", Q(policy_reason__startswith=policy.HELD_FIRST_COMMENT)),
        "links": ("Links", Q(policy_reason__startswith=policy.HELD_LINKS)),
        "words": ("Moderation words", Q(policy_reason__startswith=policy.HELD_WORD)),
    }


def _bulk(action: Action, description: str):
    """A bulk decision asks first: what will change, and why (logged with each decision)."""

    def run(modeladmin, request, queryset):
        comments = [c for c in queryset.select_related("post") if can_moderate(request.user, c)]
        form = BulkReasonForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            context = {
                **modeladmin.admin_site.each_context(request),
                "opts": modeladmin.opts,
                "title": f"{description}: {len(comments)} comment(s)?",
                "action_name": request.POST.get("action", ""),
                "description": description,
                "comments": comments,
                "form": form,
                "select_across": request.POST.get("select_across", "0"),
                "query_string": request.GET.urlencode(),
                "has_view_permission": True,
            }
            return TemplateResponse(request, "comments/moderation/admin/bulk_confirm.html", context)
        reason = form.reason()
        for comment in comments:
            comment_moderate(comment=comment, action=action, moderator=request.user, reason=reason)
        modeladmin.message_user(
            request, f"{description}: {len(comments)} comment(s).", messages.SUCCESS
        )
        return None

    run.__name__ = f"bulk_{action.value}"
    return admin.action(description=f"{description} the selected comments")(run)


@admin.register(Comment)
class CommentAdmin(DeskPermissions, MPTTModelAdmin):
    # django-mptt indents rows with style= attributes, which the CSP blocks; the thread
    # position column below indents with CSS classes instead.
    change_list_template = "comments/moderation/admin/comment_change_list.html"
    list_display = (
        "thread_position",
        "post_title",
        "author",
        "author_email",
        "ip_hash",
        "status",
        "moderation_reason",
        "report_count",
        "created_at",
    )
    list_display_links = ("thread_position",)
    list_filter = (
        "status",
        ("post", admin.RelatedOnlyFieldListFilter),
        MemberFilter,
        "created_at",
        WhyHeldFilter,
        PolicyVerdictFilter,
    )
    search_fields = (
        "body",
        "author_name",
        "author_email",
        "user__username",
        "user__display_name",
        "policy_reason",
    )
    list_select_related = ("post", "user")
    ordering = ("-tree_id", "lft")  # newest threads first, each in thread order
    list_per_page = 50
    actions = [
        _bulk(Action.APPROVE, "Approve"),
        _bulk(Action.SPAM, "Mark as spam"),
        _bulk(Action.REMOVE, "Remove"),
        _bulk(Action.RESTORE, "Restore"),
    ]

    class Media:
        css = {"all": ["comments/admin/moderation.css"]}

    def may_see(self, user, obj):
        return can_moderate(user, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Skip django-mptt's override (it only swaps in a tree-aware delete, and nobody
        # deletes here) whose old signature Django 6.1 deprecates.
        return admin.ModelAdmin.get_actions(self, request, action_location=action_location)

    def get_queryset(self, request):
        return comments_for_desk(request.user).annotate(
            report_count=Count("reports"), sign_in_providers=linked_providers("user")
        )

    @admin.display(description="Comment (thread position)")
    def thread_position(self, obj):
        depth = min(obj.level, MAX_INDENT)
        marker = "↳ " if obj.level else ""
        pin = "📌 " if obj.is_pinned else ""
        excerpt = Truncator(" ".join(obj.body.split())).chars(90)
        return format_html(
            '<span class="desk-depth desk-depth-{}">{}{}{}</span>', depth, marker, pin, excerpt
        )

    @admin.display(description="Post", ordering="post__title")
    def post_title(self, obj):
        return Truncator(obj.post.title).chars(40)

    @admin.display(description="Author")
    def author(self, obj):
        if obj.user_id:
            via = provider_names(getattr(obj, "sign_in_providers", ""))
            if via:
                return format_html(
                    "{} <small>(member, signs in with {})</small>", obj.user.public_name, via
                )
            return format_html("{} <small>(member)</small>", obj.user.public_name)
        return format_html("{} <small>(anonymous)</small>", obj.author_name or "Anonymous")

    @admin.display(description="Reports", ordering="report_count")
    def report_count(self, obj):
        return obj.report_count

    # --- The comment page: its thread, reports, log, actions and quick reply ---------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("unanswered/", wrap(self.unanswered_view), name="comments_comment_unanswered"),
            path("triage/", wrap(self.triage_view), name="comments_comment_triage"),
            path("triage/undo/", wrap(self.undo_view), name="comments_comment_undo"),
            path("<int:pk>/act/", wrap(self.act_view), name="comments_comment_act"),
            path("<int:pk>/redact/", wrap(self.redact_view), name="comments_comment_redact"),
            path("<int:pk>/ban/", wrap(self.ban_view), name="comments_comment_ban"),
            *super().get_urls(),
        ]

    def _comment_or_404(self, request, pk) -> Comment:
        if parse_ascii_int(str(pk)) is None:
            raise Http404
        comment = get_object_or_404(
            self.get_queryset(request).select_related("post", "user"), pk=pk
        )
        if not can_moderate(request.user, comment):
            raise PermissionDenied
        return comment

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self._comment_or_404(request, object_id)
        reply_form = ReplyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and reply_form.is_valid():
            reply = comment_reply(
                comment=comment, moderator=request.user, body=reply_form.cleaned_data["body"]
            )
            self.message_user(request, "Your reply is published.", messages.SUCCESS)
            return redirect(reverse("admin:comments_comment_change", args=[reply.pk]))
        return self.desk_response(request, comment, reply_form=reply_form)

    def desk_response(self, request, comment, *, reply_form, status=200):
        thread = (
            Comment.objects.filter(tree_id=comment.tree_id)
            .select_related("user")
            .annotate(report_count=Count("reports"))
            .order_by("lft")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Comment {comment.pk} on “{comment.post.title}”",
            "subtitle": None,
            "comment": comment,
            "thread": thread,
            "reports": comment.reports.select_related("user").order_by("-created_at"),
            "log_entries": comment.log_entries.select_related("moderator")[:20],
            "actions": self.available_actions(comment),
            "reason_form": ReasonForm(),
            "reply_form": reply_form,
            "is_banned": commenter_is_banned(comment),
            "may_ban": may_ban(request.user),
            "spam_score": spam_filter.score(text=comment.body, url=comment.author_url),
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "comments/moderation/admin/comment_desk.html", context, status=status
        )

    @staticmethod
    def available_actions(comment) -> list[Action]:
        by_status = {
            Comment.Status.PENDING: [Action.APPROVE, Action.SPAM, Action.REMOVE],
            Comment.Status.APPROVED: [Action.SPAM, Action.REMOVE, Action.HOLD],
            Comment.Status.SPAM: [Action.RESTORE, Action.REMOVE],
            Comment.Status.REMOVED: [Action.RESTORE],
        }
        actions = list(by_status[comment.status])
        if comment.status == Comment.Status.APPROVED and comment.parent_id is None:
            actions.insert(0, Action.UNPIN if comment.is_pinned else Action.PIN)
        return actions

    def act_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self._comment_or_404(request, pk)
        form = ReasonForm(request.POST)
        action = request.POST.get("action", "")
        if action not in self.available_actions(comment) or not form.is_valid():
            self.message_user(request, "That action is not available now.", messages.ERROR)
        else:
            displaced = action == Action.PIN and (
                Comment.objects.filter(post_id=comment.post_id, is_pinned=True)
                .exclude(pk=comment.pk)
                .exists()
            )
            comment_moderate(
                comment=comment,
                action=action,
                moderator=request.user,
                reason=form.cleaned_data["reason"],
            )
            done = f"{Action(action).label}: done."
            if displaced:  # one pinned thread per post: say what else changed
                done = "Pinned: this thread now comes first. The thread pinned before is no longer pinned."
            self.message_user(request, done, messages.SUCCESS)
        if request.POST.get("next") == "triage":
            return redirect(reverse("admin:comments_comment_triage"))
        return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))

    def redact_view(self, request, pk):
        comment = self._comment_or_404(request, pk)
        form = RedactForm(
            request.POST if request.method == "POST" else None, initial={"body": comment.body}
        )
        quotes = []
        if request.method == "POST" and form.is_valid():
            body, reason = form.cleaned_data["body"], form.cleaned_data["reason"]
            quotes = [
                (other, text)
                for other, text in redaction_quotes(comment=comment, body=body)
                if can_moderate(request.user, other)
            ]
            # Replies quoting the removed words are shown once, to redact together.
            if not quotes or request.POST.get("quotes_seen"):
                chosen = set(request.POST.getlist("quote"))
                with transaction.atomic():
                    comment_redact(
                        comment=comment, moderator=request.user, body=body, reason=reason
                    )
                    for other, text in quotes:
                        if str(other.pk) in chosen:
                            comment_redact(
                                comment=other,
                                moderator=request.user,
                                body=text,
                                reason=f"quoted comment {comment.pk}: {reason or 'redacted'}",
                            )
                done = len(chosen & {str(other.pk) for other, _text in quotes})
                also = f" with {done} quoting comment(s)" if done else ""
                self.message_user(request, f"The comment is redacted{also}.", messages.SUCCESS)
                return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Redact comment {comment.pk}",
            "comment": comment,
            "form": form,
            "quotes": quotes,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "comments/moderation/admin/redact.html", context)

    def ban_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comment = self._comment_or_404(request, pk)
        if not may_ban(request.user):
            raise PermissionDenied
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        if request.POST.get("unban"):
            commenter_unban(comment=comment, moderator=request.user, reason=reason)
            self.message_user(request, "The commenter may comment again.", messages.SUCCESS)
        else:
            bans = commenter_ban(comment=comment, moderator=request.user, reason=reason)
            kinds = ", ".join(ban.get_kind_display() for ban in bans) or "nothing"
            self.message_user(request, f"Banned: {kinds}.", messages.SUCCESS)
        return redirect(reverse("admin:comments_comment_change", args=[comment.pk]))

    # --- Keyboard triage: the pending queue, one comment at a time, in its thread ---------------

    TRIAGE_SIZE = 25

    def triage_view(self, request):
        if not may_use_desk(request.user):
            raise PermissionDenied
        pending = list(
            self.get_queryset(request)
            .filter(status=Comment.Status.PENDING, deleted_at__isnull=True)
            .select_related("post", "user", "parent", "parent__user")
            .order_by("created_at", "pk")[: self.TRIAGE_SIZE]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Triage the pending comments",
            "pending": pending,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "comments/moderation/admin/triage.html", context)

    def undo_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not may_use_desk(request.user):
            raise PermissionDenied
        entry = decision_undo(moderator=request.user)
        if entry is None:
            self.message_user(request, "There is no decision of yours to undo.", messages.ERROR)
        else:
            self.message_user(request, f"Undone: comment {entry.comment_id} is pending again.")
        return redirect(reverse("admin:comments_comment_triage"))

    # --- Unanswered questions: an author's to-do list ----------------------------------------

    def unanswered_view(self, request):
        if not may_use_desk(request.user):
            raise PermissionDenied
        if request.method == "POST":
            comment = self._comment_or_404(request, request.POST.get("comment", ""))
            state = request.POST.get("state", "")
            if state in QUESTION_STATES:
                question_mark(comment=comment, moderator=request.user, state=state)
                self.message_user(request, f"Marked: {QUESTION_STATES[state].lower()}.")
            return redirect(request.get_full_path())
        author = request.user
        authors = None
        if request.user.is_moderator:
            authors = User.objects.filter(posts__isnull=False).distinct().order_by("username")
            chosen = parse_ascii_int(request.GET.get("author", ""))
            if chosen is not None:
                author = get_object_or_404(authors, pk=chosen)
            elif not author.posts.exists():
                author = authors.first() or author
        page = Paginator(comments_unanswered_by(author), 50).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Unanswered questions for {author.public_name}",
            "author": author,
            "authors": authors,
            "page": page,
            "states": QUESTION_STATES,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "comments/moderation/admin/unanswered.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "unanswered_url": reverse("admin:comments_comment_unanswered"),
            "triage_url": reverse("admin:comments_comment_triage"),
        }
        return super().changelist_view(request, extra_context)


@admin.register(ModerationLog)
class ModerationLogAdmin(DeskPermissions, admin.ModelAdmin):
    """Append-only: viewable, never editable, so the record can be trusted."""

    list_display = (
        "created_at",
        "moderator",
        "action",
        "comment_link",
        "from_status",
        "to_status",
        "reason",
    )
    list_filter = ("action", PolicyVerdictFilter, "created_at")
    search_fields = ("reason", "policy_reason")
    list_select_related = ("moderator", "comment")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        user = request.user
        queryset = super().get_queryset(request)
        if may_use_desk(user) and user.is_moderator:
            return queryset
        if may_use_desk(user):
            return queryset.filter(comment__post__author=user)
        return queryset.none()

    def get_fields(self, request, obj=None):
        fields = ["created_at", "moderator", "action", "comment", "from_status", "to_status"]
        fields += ["reason", "policy_reason"]
        # Redacted originals may hold exactly the personal data that was removed.
        if request.user.is_moderator:
            fields.append("original_body")
        return fields

    def may_see(self, user, obj):
        return (
            obj.comment is None
            and user.is_moderator
            or (obj.comment is not None and can_moderate(user, obj.comment))
        )

    @admin.display(description="Comment")
    def comment_link(self, obj):
        if obj.comment_id is None:
            return "—"
        url = reverse("admin:comments_comment_change", args=[obj.comment_id])
        return format_html('<a href="{}">Comment {}</a>', url, obj.comment_id)


class ReportStateFilter(admin.SimpleListFilter):
    """Open reports by default: the queue is what still needs a decision."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("handled", "Handled"), ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "open") == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            # A report on a comment already decided (spam, removed) needs nothing more.
            return queryset.filter(handled_at__isnull=True).exclude(
                comment__status__in=[Comment.Status.SPAM, Comment.Status.REMOVED]
            )
        if value == "handled":
            return queryset.filter(handled_at__isnull=False)
        return queryset


def _report_action(action: ReportOutcomeAction):
    def run(modeladmin, request, queryset):
        done = set()
        for report in queryset.select_related("comment", "comment__post", "comment__user"):
            if report.comment_id in done or not can_moderate(request.user, report.comment):
                continue
            if action == ReportOutcomeAction.BAN and not may_ban(request.user):
                modeladmin.message_user(request, "Only moderators may ban.", messages.ERROR)
                return
            report_act(report=report, moderator=request.user, action=action)
            done.add(report.comment_id)
        modeladmin.message_user(request, f"{action.label}: {len(done)} comment(s).")

    run.__name__ = f"reports_{action.value}"
    return admin.action(description=action.label)(run)


@admin.register(Report)
class ReportAdmin(DeskPermissions, admin.ModelAdmin):
    """The report queue: open reports first, an action on each, the comment's status."""

    list_display = (
        "created_at",
        "comment_link",
        "comment_excerpt",
        "comment_status",
        "reason",
        "note",
        "reporter",
        "state",
    )
    list_filter = (ReportStateFilter, "reason", "comment__status", "created_at")
    search_fields = ("note", "comment__body", "comment__author_name", "comment__user__username")
    list_select_related = ("comment", "comment__user", "user", "handled_by")
    fields = ("comment", "reason", "note", "user", "reporter_key", "created_at")
    actions = [_report_action(action) for action in ReportOutcomeAction]

    def get_queryset(self, request):
        user = request.user
        queryset = super().get_queryset(request)
        if may_use_desk(user) and user.is_moderator:
            return queryset
        if may_use_desk(user):
            return queryset.filter(comment__post__author=user)
        return queryset.none()

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not may_ban(request.user):
            actions.pop(f"reports_{ReportOutcomeAction.BAN.value}", None)
        return actions

    def may_see(self, user, obj):
        return can_moderate(user, obj.comment)

    @admin.display(description="Reporter")
    def reporter(self, obj):
        return obj.user.public_name if obj.user_id else "Anonymous reader"

    @admin.display(description="Comment")
    def comment_link(self, obj):
        url = reverse("admin:comments_comment_change", args=[obj.comment_id])
        return format_html('<a href="{}">Comment {}</a>', url, obj.comment_id)

    @admin.display(description="Text")
    def comment_excerpt(self, obj):
        return Truncator(" ".join(obj.comment.body.split())).chars(80)

    @admin.display(description="Comment status", ordering="comment__status")
    def comment_status(self, obj):
        return obj.comment.get_status_display()

    @admin.display(description="State")
    def state(self, obj):
        if obj.handled_at is None:
            return "Open"
        who = obj.handled_by.public_name if obj.handled_by_id else "the site"
        return f"Handled ({obj.outcome}) by {who}"


class BanForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ("kind", "value", "reason")
        help_texts = {
            "value": "An email address, an IP address (stored only as its hash) or an account's id."
        }

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if kind == Ban.Kind.EMAIL:
            data["value"] = value.lower()
        elif kind == Ban.Kind.IP and (value.count(".") == 3 or ":" in value):
            data["value"] = hash_ip(value)
        elif kind == Ban.Kind.USER and not User.objects.filter(pk=parse_ascii_int(value) or 0):
            self.add_error("value", "No account has this id.")
        return data


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    """Moderators add and lift bans here or from a comment; authors cannot ban site-wide."""

    form = BanForm
    list_display = ("kind", "value", "reason", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("value", "reason")
    list_select_related = ("created_by",)

    def _is_moderator(self, request):
        return may_use_desk(request.user) and request.user.is_moderator

    def has_module_permission(self, request):
        return self._is_moderator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_moderator(request)

    def has_add_permission(self, request):
        return self._is_moderator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_moderator(request)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so the ban list's changes are in the moderation log too.
        saved = ban_add(kind=obj.kind, value=obj.value, reason=obj.reason, moderator=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        bans_delete(bans=[obj], moderator=request.user)

    def delete_queryset(self, request, queryset):
        bans_delete(bans=queryset, moderator=request.user)
