"""Public moderation pages: a reader reports a comment (a plain form, no JavaScript needed)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from charcot.clientip import ip_hash

from ..models import Comment
from .forms import ReportForm
from .services import report_create


def reportable_comments():
    """Only comments the public can see can be reported."""
    return Comment.objects.readable().select_related("post", "user")


def report(request, pk: int):
    comment = get_object_or_404(reportable_comments(), pk=pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = report_create(
                comment=comment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                user=request.user,
                ip_hash=ip_hash(request),
            )
            if not outcome.refused:
                if outcome.created:
                    messages.success(request, "Thank you. A moderator will look at this comment.")
                else:
                    messages.info(request, "You have already reported this comment. Thank you.")
                return redirect(comment.get_absolute_url())
            form.add_error(None, outcome.refused)
            status = 429
        else:
            status = 400
    return render(
        request,
        "comments/moderation/report_form.html",
        {"comment": comment, "post": comment.post, "form": form},
        status=status,
    )
