"""Discussion views: posting (plain and enhanced POST in one view), replying, editing.

Every error path re-renders the reader's text exactly as typed; nothing typed is lost.
"""

import json
import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from blog.models import Post
from charcot import clientip, ratelimit
from charcot.csrf import csrf_failure as site_csrf_failure
from charcot.markdown import COMMENT, render_markdown
from charcot.validation import parse_ascii_int

from . import conf, discussion, mail_links
from .forms import (
    REMEMBER_COOKIE,
    REMEMBER_SALT,
    CommentForm,
    EditForm,
    comment_form_for,
    signed_now,
)
from .models import Comment
from .policy import Submission
from .services import (
    address_confirm,
    comment_create,
    comment_delete,
    comment_edit,
    mail_unsubscribe,
)

logger = logging.getLogger(__name__)


CLOSED = "Comments on this post are closed, so your comment was not published. Your text is still below if you want to keep a copy."
INVALID = "Your comment was not published yet: please check the highlighted fields. Your text is still in the box."
BAD_PARENT = "The comment you were replying to is no longer available. Your text is still in the box; you can post it as a new comment."
SERVER_ERROR = "Something went wrong on our side and your comment was not saved. Your text is still in the box; please try again in a moment."
CSRF_EXPIRED = "Your page had expired, so your comment was not sent. Your text is still in the box: please press Publish again."
COOKIES_NEEDED = "Cookies are needed to comment: your browser did not send the one this form sets, so your comment was not sent. Please allow cookies for this site, then press Publish again. Your text is still in the box."


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def published_post_or_404(pk) -> Post:
    return get_object_or_404(Post.objects.published().select_related("author"), pk=pk)


def visible_comment_or_404(request, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("post", "post__author", "user"), pk=pk
    )
    viewer = discussion.Viewer.from_request(request)
    if not comment.post.is_published() or not comment.is_visible_to(viewer.user, viewer.own_ids):
        raise Http404("No such comment.")
    return comment


def permalink_url(comment: Comment, viewer: discussion.Viewer, sort: str = discussion.OLDEST):
    """The post page that shows this comment, scrolled to it."""
    query = {}
    if sort != discussion.OLDEST:
        query["sort"] = sort
    page = discussion.page_number_of(comment, viewer, sort)
    if page > 1:
        query["page"] = page
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{comment.post.get_absolute_url()}{suffix}#comment-{comment.pk}"


def form_error(request, *, post, form, parent=None, message: str, status: int):
    """Tell the reader what went wrong, with their text still in the box."""
    if wants_json(request):
        errors = form.errors.get_json_data() if form.is_bound else {}
        answer = {
            "ok": False,
            "message": message,
            "errors": errors,
            "csrf_token": get_token(request),
        }
        if form.is_bound and form.seconds_to_submit() is None:
            answer["started"] = signed_now()  # the page's stamp was lost: a fresh one
        return JsonResponse(answer, status=status)
    if parent is not None:
        discussion.annotate_one(parent, discussion.Viewer.from_request(request), post)
    context = {
        "post": post,
        "parent": parent,
        "form": form,
        "error_message": message,
        "is_open": post.is_open_for_comments(),
        "max_length": conf.BODY_MAX_LENGTH,
    }
    return render(request, "comments/comment_form_page.html", context, status=status)


def posted_form(request, post) -> tuple[CommentForm, Comment | None]:
    """The comment form as posted, and the comment on `post` it answers (if it still exists)."""
    form = comment_form_for(request, data=request.POST)
    parent_pk = parse_ascii_int(request.POST.get("parent", ""))
    parent = None
    if parent_pk is not None:
        parent = Comment.objects.filter(post=post, pk=parent_pk).first()
    return form, parent


def form_submission(request, form: CommentForm, *, post, parent) -> Submission:
    """What the posting policy decides on, from the valid form and the request: the one
    place the form's fields become a `Submission`."""
    data = form.cleaned_data
    return Submission(
        post=post,
        body=data["body"],
        user=request.user if request.user.is_authenticated else None,
        author_name=data.get("name", ""),
        author_email=data.get("email", ""),
        author_url=data.get("url", ""),
        ip_hash=clientip.ip_hash(request),
        parent=parent,
        asks_author=data.get("asks_author", False),
        honeypot_filled=form.honeypot_filled,
        seconds_to_submit=form.seconds_to_submit(),
        from_form=True,
        enhanced=wants_json(request),
    )


@require_POST
def comment_post(request, post_pk):
    """Publish a comment from the plain form or from comments.js (JSON answer)."""
    post = published_post_or_404(post_pk)
    form, parent = posted_form(request, post)
    if not post.is_open_for_comments():
        return form_error(request, post=post, form=form, parent=parent, message=CLOSED, status=403)
    if not form.is_valid():
        return form_error(request, post=post, form=form, parent=parent, message=INVALID, status=400)
    viewer = discussion.Viewer.from_request(request)
    if form.cleaned_data["parent"] and (
        parent is None
        or parent.deleted_at is not None
        or not parent.is_visible_to(viewer.user, viewer.own_ids)
    ):
        return form_error(request, post=post, form=form, message=BAD_PARENT, status=400)
    data = form.cleaned_data
    submission = form_submission(request, form, post=post, parent=parent)
    member = submission.user
    try:
        result = comment_create(
            submission=submission,
            user_agent=clientip.user_agent(request),
            submission_key=data["submission_key"],
            notify_replies=None if member else data.get("notify", False),
            own_comment_ids=viewer.own_ids,
        )
    except Exception:
        logger.exception("Storing a comment on post %s failed", post.pk)
        return form_error(
            request, post=post, form=form, parent=parent, message=SERVER_ERROR, status=503
        )
    if result.decision.is_refused:
        return form_error(
            request,
            post=post,
            form=form,
            parent=parent,
            message=result.decision.refused,
            status=400,
        )
    comment = result.comment
    for hook in conf.POSTED_HOOKS:  # features above comments (subscriptions' follow box)
        import_string(hook)(request=request, post=post, comment=comment, data=data)
    viewer = discussion.Viewer(user=viewer.user, own_ids=viewer.own_ids | {comment.pk})
    message = posted_message(comment)
    if comment.is_visible_to(viewer.user, viewer.own_ids):
        url = permalink_url(comment, viewer)
        messages.success(request, message)
    else:
        # Shown to nobody (spam): no #comment-N to land on. The top of the post, where the
        # message says plainly that it was not published.
        url = comment.post.get_absolute_url()
        messages.warning(request, message)
    if wants_json(request):
        response = JsonResponse(
            {"ok": True, "url": url, "id": comment.pk, "status": comment.status, "message": message}
        )
    else:
        response = HttpResponseRedirect(url)
    if member is None:
        discussion.remember_own_comment(response, request, comment)
        update_remember_cookie(response, request, data)
    return response


def posted_message(comment: Comment) -> str:
    if comment.is_public():
        return "Thank you, your comment is published."
    if comment.is_awaiting_moderation():
        reason = f" {comment.public_reason}" if comment.public_reason else ""
        text = f"Thank you, your comment is awaiting moderation and only you can see it for now.{reason}"
        if comment.notify_replies and not comment.email_confirmed:
            text += " We have emailed you a link to confirm your address for reply notices."
        return text
    # Never "received" for text nobody will see: say plainly that it is not published.
    return "Your comment was not published."


def update_remember_cookie(response, request, data) -> None:
    """Keep name, email and website only when the reader ticked "remember me"."""
    if data.get("remember"):
        value = json.dumps({key: data.get(key, "") for key in ("name", "email", "url")})
        response.set_signed_cookie(
            REMEMBER_COOKIE,
            value,
            salt=REMEMBER_SALT,
            max_age=conf.REMEMBER_COOKIE_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    elif REMEMBER_COOKIE in request.COOKIES:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def permalink(request, pk):
    """/comments/<pk>/ opens the page of the discussion that holds the comment, at it."""
    comment = visible_comment_or_404(request, pk)
    sort = discussion.parse_sort(request.GET.get("sort"))
    return HttpResponseRedirect(
        permalink_url(comment, discussion.Viewer.from_request(request), sort)
    )


def reply(request, pk):
    """The reply page for readers without JavaScript: the comment, then the form."""
    parent = visible_comment_or_404(request, pk)
    if parent.deleted_at is not None:
        raise Http404("No such comment.")
    post = parent.post
    discussion.annotate_one(parent, discussion.Viewer.from_request(request), post)
    return render(
        request,
        "comments/comment_form_page.html",
        {
            "post": post,
            "parent": parent,
            "form": comment_form_for(request, parent=parent),
            "is_open": post.is_open_for_comments(),
            "max_length": conf.BODY_MAX_LENGTH,
        },
    )


def own_comment_or_404(request, pk) -> Comment:
    if not request.user.is_authenticated:
        raise Http404("No such comment.")
    return get_object_or_404(
        Comment.objects.select_related("post", "user"), pk=pk, user=request.user, deleted_at=None
    )


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Writers fix their own comment for a short while, unless someone already answered."""
    comment = own_comment_or_404(request, pk)
    has_replies = comment.get_descendant_count() > 0
    editable = comment.is_editable_by(request.user, has_replies=has_replies)
    form = EditForm(request.POST or None, initial={"body": comment.body})
    error = ""
    status = 200
    if not editable:
        if comment.redacted_at is not None:
            error = "A moderator has edited this comment, so it can no longer be edited."
        elif has_replies:
            error = "Someone has already replied, so this comment can no longer be edited."
        else:
            error = "The time for editing this comment has passed."
        status = 403 if request.method == "POST" else 200
    elif request.method == "POST":
        if form.is_valid():
            result = comment_edit(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
            if not result.decision.is_refused:
                messages.success(request, "Your comment is updated.")
                viewer = discussion.Viewer.from_request(request)
                return HttpResponseRedirect(permalink_url(result.comment, viewer))
            error, status = result.decision.refused, 400
        else:
            error, status = "Your changes were not saved: please check the text below.", 400
    return render(
        request,
        "comments/comment_edit.html",
        {
            "comment": comment,
            "form": form,
            "editable": editable,
            "error_message": error,
            "max_length": conf.BODY_MAX_LENGTH,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """Writers delete their own comment; with replies it stays as a placeholder."""
    comment = own_comment_or_404(request, pk)
    if request.method == "POST":
        post = comment.post
        viewer = discussion.Viewer.from_request(request)
        url = permalink_url(comment, viewer)
        keeps_place = comment_delete(comment=comment, user=request.user)
        messages.success(request, "Your comment is deleted.")
        return HttpResponseRedirect(url if keeps_place else f"{post.get_absolute_url()}#comments")
    has_replies = comment.get_descendant_count() > 0
    return render(
        request, "comments/comment_delete.html", {"comment": comment, "has_replies": has_replies}
    )


@require_POST
def preview(request):
    """The Markdown preview, rendered by the same code that renders published comments.

    Only what the form would accept is rendered, and each reader gets a bounded number of
    previews (CHARCOT_COMMENTS_PREVIEW_RATE_LIMITS).
    """
    rules = ratelimit.rules_for([f"ip:{clientip.ip_hash(request)}"], conf.PREVIEW_RATE_LIMITS)
    limit = ratelimit.take("preview", rules)
    if limit is not None:
        return JsonResponse({"error": ratelimit.message(limit, what="previews")}, status=429)
    body = request.POST.get("body", "")[: conf.BODY_MAX_LENGTH * 2]
    html = render_markdown(body[: conf.BODY_MAX_LENGTH], COMMENT)
    return JsonResponse({"html": html, "length": len(body)})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The signed link from the confirmation mail: reply notices start after this.

    Opening the link only shows a button; mail scanners that fetch every link must not
    confirm an address on its owner's behalf.
    """
    data = mail_links.read_token(token, max_age=mail_links.CONFIRM_MAX_AGE)
    comment = None
    if data and data.get("k") == "confirm":
        comment = (
            Comment.objects.select_related("post")
            .filter(pk=data.get("c"), author_email=data.get("e"))
            .first()
        )
    if comment is None:
        return render(
            request, "comments/mail_link.html", {"ok": False, "kind": "confirm"}, status=400
        )
    done = request.method == "POST"
    if done:
        address_confirm(comment=comment)
    return render(
        request,
        "comments/mail_link.html",
        {"ok": True, "kind": "confirm", "comment": comment, "done": done},
    )


@csrf_exempt  # one-click unsubscribe: mail clients POST without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop discussion mails, no sign-in; the signed token says which.

    Opening the link shows one button (mail scanners open every link); pressing it, or
    the mail client's own one-click POST, unsubscribes.
    """
    data = mail_links.read_token(token)
    kind = data.get("k") if data else None
    if kind not in ("replies", "address", "author"):
        return render(
            request, "comments/mail_link.html", {"ok": False, "kind": "unsubscribe"}, status=400
        )
    done = request.method == "POST"
    if done:
        mail_unsubscribe(token_data=data)
    return render(request, "comments/mail_link.html", {"ok": True, "kind": kind, "done": done})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: on the comment form, give the text back with a fresh token."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is None or match.view_name != "comments:post" or request.method != "POST":
        return site_csrf_failure(request, reason=reason)
    post = Post.objects.published().filter(pk=match.kwargs.get("post_pk")).first()
    if post is None:
        return site_csrf_failure(request, reason=reason)
    form, parent = posted_form(request, post)
    # No cookie at all (rather than a stale one): pressing Publish again would never help.
    message = COOKIES_NEEDED if reason == REASON_NO_CSRF_COOKIE else CSRF_EXPIRED
    return form_error(request, post=post, form=form, parent=parent, message=message, status=403)


class WriterCommentsView(LoginRequiredMixin, ListView):
    """A member's own comments, newest first, linked from their profile; only those they
    can still open (not deleted, on a published post)."""

    template_name = "comments/comment_history.html"
    context_object_name = "comments"
    paginate_by = conf.HISTORY_COMMENTS_PER_PAGE

    def get_queryset(self):
        return (
            Comment.objects.written_by(self.request.user)
            .readable()
            .select_related("post")
            .order_by("-created_at", "-pk")
        )
