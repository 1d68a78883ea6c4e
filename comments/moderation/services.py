"""Moderators' writes: every status change, pin, redaction, ban and report goes through here.

Each function checks that the moderator may act on the comment, works inside one
transaction and leaves a `ModerationLog` entry (who, when, what, why).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts import roles
from blog.models import Post
from charcot import ratelimit
from charcot.markdown import COMMENT, render_markdown

from .. import conf, fragments, notifications, spam_filter
from ..models import Ban, Comment, ModerationLog, Report
from ..policy import Decision, Submission
from ..services import comment_create


class Action(models.TextChoices):
    APPROVE = "approve", "Approve"
    SPAM = "spam", "Mark as spam"
    REMOVE = "remove", "Remove"
    RESTORE = "restore", "Restore"
    HOLD = "hold", "Hold for moderation"
    PIN = "pin", "Pin"
    UNPIN = "unpin", "Unpin"
    REDACT = "redact", "Redact"
    BAN = "ban", "Ban commenter"
    UNBAN = "unban", "Unban commenter"
    REPLY = "reply", "Reply"


STATUS_AFTER = {
    Action.APPROVE: Comment.Status.APPROVED,
    Action.SPAM: Comment.Status.SPAM,
    Action.REMOVE: Comment.Status.REMOVED,
    Action.HOLD: Comment.Status.PENDING,
}

REDACTION_NOTE = "personal information removed"
LEARNED = (Action.APPROVE, Action.SPAM)  # the decisions the spam filter learns from


# --- Who may moderate what ----------------------------------------------------------------


def may_use_desk(user) -> bool:
    """Moderators and authors reach the desk; nobody else does."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_moderator or user.is_author)
    )


def comments_for_desk(user) -> models.QuerySet:
    """Moderators see every comment; authors only those on their own posts."""
    if not may_use_desk(user):
        return Comment.objects.none()
    if user.is_moderator:
        return Comment.objects.all()
    return Comment.objects.filter(post__author=user)


def can_moderate(user, comment: Comment) -> bool:
    if not may_use_desk(user):
        return False
    if user.is_moderator:
        return True
    return comment.post.author_id == user.pk


def _check(moderator, comment: Comment) -> None:
    if not can_moderate(moderator, comment):
        raise PermissionDenied("You may not moderate this comment.")


def may_ban(user) -> bool:
    """Bans are site-wide, so only moderators add or lift them; authors hide comments."""
    return may_use_desk(user) and user.is_moderator


def _check_ban(moderator, comment: Comment | None = None) -> None:
    if not may_ban(moderator) or (comment is not None and not can_moderate(moderator, comment)):
        raise PermissionDenied("Only moderators may ban or unban commenters.")


def _log(
    *,
    comment,
    moderator,
    action,
    reason="",
    from_status="",
    to_status="",
    original_body="",
    policy_reason="",
):
    """Record a decision: who, when, what and why (and why the policy first held it)."""
    if comment is not None and not policy_reason:
        policy_reason = comment.policy_reason
    return ModerationLog.objects.create(
        comment=comment,
        moderator=moderator,
        action=action,
        reason=reason[:200],
        from_status=from_status,
        to_status=to_status,
        original_body=original_body,
        policy_reason=policy_reason[:200],
    )


# --- Status changes -----------------------------------------------------------------------


def _status_before_removal(comment: Comment) -> str:
    """Restoring undoes the last spam/remove: back to approved only if it was approved."""
    previous = (
        ModerationLog.objects.filter(comment=comment, action__in=[Action.SPAM, Action.REMOVE])
        .exclude(from_status="")
        .values_list("from_status", flat=True)
        .first()
    )
    if previous == Comment.Status.APPROVED:
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def comment_moderate(
    *, comment: Comment, action: str, moderator, reason: str = ""
) -> ModerationLog:
    """Approve, spam, remove, restore, hold, pin or unpin one comment, and log it.

    `moderator=None` is the site itself (e.g. reports sending a comment back to pending).
    """
    action = Action(action)
    if moderator is not None:
        _check(moderator, comment)
    with transaction.atomic():
        if action == Action.PIN:
            # Lock the post so two pins on one post cannot race past the unique constraint.
            Post.objects.select_for_update().filter(pk=comment.post_id).first()
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        from_status = comment.status
        changes: dict = {}
        if action == Action.RESTORE:
            to_status = _status_before_removal(comment)
        elif action in STATUS_AFTER:
            to_status = STATUS_AFTER[action]
        else:
            to_status = from_status
        if action == Action.PIN:
            if from_status != Comment.Status.APPROVED:
                raise PermissionDenied("Only an approved comment can be pinned.")
            if comment.parent_id is not None:
                raise PermissionDenied("Only a top-level comment can be pinned.")
            unpinned = Comment.objects.filter(post_id=comment.post_id, is_pinned=True).exclude(
                pk=comment.pk
            )
            shown_changed = [comment.pk, *unpinned.values_list("pk", flat=True)]
            unpinned.update(is_pinned=False)
            changes["is_pinned"] = True
        elif action == Action.UNPIN or to_status != Comment.Status.APPROVED:
            changes["is_pinned"] = False
            shown_changed = [comment.pk]
        if to_status != from_status:
            who = moderator.public_name if moderator is not None else "the site"
            changes["status"] = to_status
            changes["moderation_reason"] = (reason or f"{action.label.lower()}: by {who}")[:200]
        if changes:
            Comment.objects.filter(pk=comment.pk).update(**changes)
            if action in (Action.PIN, Action.UNPIN):  # the "Pinned" label is in the fragment
                fragments.refresh(Comment.objects.filter(pk__in=shown_changed))
            notifications.discussion_changed()
        entry = _log(
            comment=comment,
            moderator=moderator,
            action=action,
            reason=reason,
            from_status=from_status,
            to_status=to_status,
        )
        if moderator is not None and to_status != from_status and action in LEARNED:
            # A person's decision teaches the local spam filter (comments.spam_filter).
            spam_filter.learn(
                text=comment.body, url=comment.author_url, is_spam=action == Action.SPAM
            )
        if moderator is not None and (action in STATUS_AFTER or action == Action.RESTORE):
            # A moderator has decided: the reports on it leave the open queue.
            reports_handle(reports=comment.reports.all(), moderator=moderator, outcome=action)
        if to_status == Comment.Status.PENDING and from_status != to_status:
            notifications.moderators_notify()
        if to_status == Comment.Status.APPROVED and from_status == Comment.Status.PENDING:
            # First time public: the post's author and the person it answers hear of it.
            transaction.on_commit(partial(_comment_published, comment.pk))
    return entry


def decisions_learned() -> list[spam_filter.Example]:
    """What the spam filter learned from, oldest first: each moderator's approve or spam
    that changed a comment's status (as comment_moderate teaches it), with the comment's
    text as it is now. For measuring the filter on the site's own decisions."""
    rows = (
        ModerationLog.objects.filter(
            moderator__isnull=False, action__in=LEARNED, comment__isnull=False
        )
        .exclude(from_status=F("to_status"))
        .order_by("created_at", "pk")
        .values_list("comment__body", "comment__author_url", "action")
    )
    return [spam_filter.Example(body, url, action == Action.SPAM) for body, url, action in rows]


TRIAGE_ACTIONS = (Action.APPROVE, Action.SPAM, Action.REMOVE)


def decision_undo(*, moderator) -> ModerationLog | None:
    """Put the comment of this moderator's last triage decision back in the queue."""
    last = (
        ModerationLog.objects.filter(moderator=moderator, action__in=TRIAGE_ACTIONS)
        .exclude(comment=None)
        .select_related("comment", "comment__post")
        .first()
    )
    if last is None or last.from_status != Comment.Status.PENDING:
        return None
    if last.comment.status != last.to_status:
        return None  # someone decided again since: nothing of ours to undo
    return comment_moderate(
        comment=last.comment, action=Action.HOLD, moderator=moderator, reason="undo"
    )


def _comment_published(comment_id: int) -> None:
    comment = Comment.objects.select_related("user", "post").filter(pk=comment_id).first()
    if comment is not None:
        notifications.comment_published(comment)


def comment_redact(*, comment: Comment, moderator, body: str, reason: str = "") -> ModerationLog:
    """Replace the text, keeping the original only in the log (purged after retention)."""
    _check(moderator, comment)
    body = body.strip()
    if not body:
        raise ValueError("A redacted comment still needs some text.")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        original = comment.body
        Comment.objects.filter(pk=comment.pk).update(
            body=body, body_html=render_markdown(body, COMMENT), redacted_at=timezone.now()
        )
        fragments.refresh(Comment.objects.filter(pk=comment.pk))
        notifications.discussion_changed()
        return _log(
            comment=comment,
            moderator=moderator,
            action=Action.REDACT,
            reason=reason or REDACTION_NOTE,
            from_status=comment.status,
            to_status=comment.status,
            original_body=original,
        )


PUNCTUATION = ".,;:!?)(\"'[]*_"


def _removed_phrases(original: str, body: str) -> list[tuple[str, re.Pattern]]:
    """What a redaction took out, as patterns that also match it inside a Markdown quote
    (where line breaks and "> " may fall between the words)."""
    old, new = original.split(), body.split()
    patterns = []
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        words = old[i1:i2]
        if tag == "replace":
            # Words compare whole, punctuation and all: what the moderator kept around
            # the removal ("900123." became "[removed].") stays in the quotes too.
            words = _without_kept_punctuation(words, new[j1], new[j2 - 1])
        if tag in ("replace", "delete") and len(" ".join(words)) >= 4:
            pattern = re.compile(r"[\s>]+".join(re.escape(word) for word in words))
            patterns.append((words[0], pattern))
    return patterns


def _without_kept_punctuation(words: list[str], first: str, last: str) -> list[str]:
    """`words` less the leading and trailing punctuation they share with the replacement
    whose first and last words are `first` and `last`."""
    lead = len(first) - len(first.lstrip(PUNCTUATION))
    trail = len(last) - len(last.rstrip(PUNCTUATION))
    words = list(words)
    head = 0
    while head < lead and head < len(words[0]) and words[0][head] == first[head]:
        head += 1
    words[0] = words[0][head:]
    tail = 0
    while tail < trail and tail < len(words[-1]) and words[-1][-1 - tail] == last[-1 - tail]:
        tail += 1
    if tail:
        words[-1] = words[-1][:-tail]
    return [word for word in words if word]


def redaction_quotes(*, comment: Comment, body: str) -> list[tuple[Comment, str]]:
    """Other comments on the post that quote what this redaction removes, each with its
    text after the same removal: offered to the moderator to redact together."""
    patterns = _removed_phrases(comment.body, body)
    if not patterns:
        return []
    first_words = Q(pk__in=[])
    for word, _pattern in patterns:
        first_words |= Q(body__contains=word)
    quoting = []
    candidates = (
        Comment.objects.filter(first_words, post_id=comment.post_id)
        .exclude(pk=comment.pk)
        .order_by("tree_id", "lft")
    )
    for other in candidates:
        text = other.body
        for _word, pattern in patterns:
            text = pattern.sub("[removed]", text)
        if text != other.body:
            quoting.append((other, text))
    return quoting


def redactions_purge(*, now: datetime | None = None) -> int:
    """Forget redacted originals older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.REDACTION_RETENTION_DAYS)
    return (
        ModerationLog.objects.filter(action=Action.REDACT, created_at__lt=cutoff)
        .exclude(original_body="")
        .update(original_body="")
    )


# --- Bans ---------------------------------------------------------------------------------


def ban_targets(comment: Comment) -> list[tuple[str, str]]:
    """The (kind, value) pairs that identify a comment's writer."""
    targets = []
    if comment.user_id:
        targets.append((Ban.Kind.USER, str(comment.user_id)))
    if comment.author_email:
        targets.append((Ban.Kind.EMAIL, comment.author_email.strip().lower()))
    if comment.ip_hash:
        targets.append((Ban.Kind.IP, comment.ip_hash))
    return targets


def commenter_ban(*, comment: Comment, moderator, reason: str = "") -> list[Ban]:
    """Disallow the writer's account, email and IP hash from commenting again."""
    _check_ban(moderator, comment)
    with transaction.atomic():
        bans = [
            Ban.objects.get_or_create(
                kind=kind, value=value, defaults={"reason": reason[:200], "created_by": moderator}
            )[0]
            for kind, value in ban_targets(comment)
        ]
        kinds = ", ".join(Ban.Kind(ban.kind).label for ban in bans) or "nothing to ban"
        _log(
            comment=comment,
            moderator=moderator,
            action=Action.BAN,
            reason=f"{kinds}{': ' + reason if reason else ''}",
        )
    return bans


def commenter_unban(*, comment: Comment, moderator, reason: str = "") -> int:
    _check_ban(moderator, comment)
    targets = ban_targets(comment)
    with transaction.atomic():
        matches = Q(pk__in=[])
        for kind, value in targets:
            matches |= Q(kind=kind, value=value)
        removed, _ = Ban.objects.filter(matches).delete()
        _log(comment=comment, moderator=moderator, action=Action.UNBAN, reason=reason)
    return removed


def ban_add(*, kind: str, value: str, moderator, reason: str = "") -> Ban:
    """Add one entry to the ban list by hand, and log it."""
    _check_ban(moderator)
    with transaction.atomic():
        ban, _created = Ban.objects.get_or_create(
            kind=kind, value=value, defaults={"reason": reason[:200], "created_by": moderator}
        )
        _log(
            comment=None,
            moderator=moderator,
            action=Action.BAN,
            reason=f"ban list: {ban}{': ' + reason if reason else ''}",
        )
    return ban


def bans_delete(*, bans, moderator, reason: str = "") -> int:
    """Lift entries of the ban list by hand, each logged."""
    _check_ban(moderator)
    with transaction.atomic():
        bans = list(bans)
        for ban in bans:
            _log(
                comment=None,
                moderator=moderator,
                action=Action.UNBAN,
                reason=f"ban list: {ban}{': ' + reason if reason else ''}",
            )
        return Ban.objects.filter(pk__in=[ban.pk for ban in bans]).delete()[0]


def commenter_is_banned(comment: Comment) -> bool:
    matches = Q(pk__in=[])
    for kind, value in ban_targets(comment):
        matches |= Q(kind=kind, value=value)
    return Ban.objects.filter(matches).exists()


# --- Replies from the desk ----------------------------------------------------------------


def comment_reply(*, comment: Comment, moderator, body: str) -> Comment:
    """Post an approved reply as the moderator; a pending comment is approved with it."""
    _check(moderator, comment)
    with transaction.atomic():
        if comment.status == Comment.Status.PENDING:
            comment_moderate(
                comment=comment,
                action=Action.APPROVE,
                moderator=moderator,
                reason="approved: with a moderator reply",
            )
            comment.refresh_from_db()
        result = comment_create(
            submission=Submission(post=comment.post, parent=comment, user=moderator, body=body),
            decision=Decision(status=Comment.Status.APPROVED, reason="approved: moderator reply"),
        )
        _log(
            comment=result.comment,
            moderator=moderator,
            action=Action.REPLY,
            reason=f"reply to comment {comment.pk}",
            to_status=Comment.Status.APPROVED,
        )
    return result.comment


QUESTION_STATES = {"answered": "Answered", "not_question": "Not a question"}


def _answerers() -> Q:
    """Who answers a question: the post's author, editors and moderators."""
    return Q(user=OuterRef("post__author")) | Q(
        user__groups__name__in=[roles.EDITORS, roles.MODERATORS]
    )


def comments_unanswered_by(author) -> models.QuerySet:
    """Readers' questions on the author's posts that nobody who answers for the site has
    answered: a reader's approved comment, top-level or reply, that asks something (a
    question mark, or the reader ticked "Ask the author"), with no approved reply under it from the post's author, an editor or a
    moderator, and not marked answered or "not a question" by the author."""
    answers = Comment.objects.filter(
        _answerers(),
        tree_id=OuterRef("tree_id"),
        lft__gt=OuterRef("lft"),
        rght__lt=OuterRef("rght"),
        status=Comment.Status.APPROVED,
        deleted_at__isnull=True,
    )
    staff = Q(user=F("post__author")) | Q(
        user__groups__name__in=[roles.AUTHORS, roles.EDITORS, roles.MODERATORS]
    )
    return (
        Comment.objects.filter(
            Q(body__contains="?") | Q(asks_author=True),
            post__author=author,
            status=Comment.Status.APPROVED,
            deleted_at__isnull=True,
            question_state="",
        )
        .exclude(pk__in=Comment.objects.filter(staff).values("pk"))
        .filter(~Exists(answers))
        .select_related("post", "user")
        .order_by("created_at", "pk")
    )


def question_mark(*, comment: Comment, moderator, state: str) -> ModerationLog:
    """The author (or a moderator) says a question is answered, or is not a question."""
    _check(moderator, comment)
    if state not in QUESTION_STATES:
        raise ValueError(f"Unknown question state {state!r}")
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(question_state=state)
        return _log(
            comment=comment,
            moderator=moderator,
            action="question",
            reason=QUESTION_STATES[state].lower(),
            from_status=comment.status,
            to_status=comment.status,
        )


# --- Reader reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutcome:
    report: Report | None
    created: bool = False
    held: bool = False
    refused: str = ""


def reporter_key(*, user=None, ip_hash: str = "") -> str:
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{ip_hash}" if ip_hash else ""


def report_create(
    *,
    comment: Comment,
    reason: str,
    note: str = "",
    user=None,
    ip_hash: str = "",
    now: datetime | None = None,
    cache=None,
) -> ReportOutcome:
    """Record one person's report; enough different people send the comment back to pending."""
    key = reporter_key(user=user, ip_hash=ip_hash)
    if not key:
        return ReportOutcome(report=None, refused="We could not tell who is reporting.")
    rules = ratelimit.rules_for([key], conf.REPORT_RATE_LIMITS)
    limit = ratelimit.exceeded("report", rules, now=now, cache=cache)
    if limit:
        return ReportOutcome(report=None, refused=ratelimit.message(limit, what="reports"))
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            comment=comment,
            reporter_key=key,
            defaults={
                "reason": reason,
                "note": note[:1000],
                "user": user if user is not None and user.is_authenticated else None,
            },
        )
        if not created:
            return ReportOutcome(report=report)
        ratelimit.record("report", rules, now=now, cache=cache)
        held = _hold_if_reported(comment)
    return ReportOutcome(report=report, created=True, held=held)


def _answers_for_the_site(comment: Comment) -> bool:
    """Replies by the post's author, editors and moderators are never hidden by reports:
    anonymous readers could otherwise silence the people who answer for the site."""
    writer = comment.user
    return writer is not None and (
        writer.pk == comment.post.author_id or writer.is_moderator or writer.is_editor
    )


def _hold_if_reported(comment: Comment) -> bool:
    """Reports count from the last time a moderator approved (or restored) the comment."""
    if comment.status != Comment.Status.APPROVED or _answers_for_the_site(comment):
        return False
    last_approval = (
        ModerationLog.objects.filter(
            comment=comment,
            action__in=[Action.APPROVE, Action.RESTORE],
            to_status=Comment.Status.APPROVED,
            moderator__isnull=False,
        )
        .values_list("created_at", flat=True)
        .first()
    )
    reports = Report.objects.filter(comment=comment)
    if last_approval is not None:
        reports = reports.filter(created_at__gt=last_approval)
    count = reports.values("reporter_key").distinct().count()
    if count < conf.REPORT_THRESHOLD:
        return False
    comment_moderate(
        comment=comment, action=Action.HOLD, moderator=None, reason=f"held: {count} reports"
    )
    return True


# --- The report queue ---------------------------------------------------------------------


class ReportOutcomeAction(models.TextChoices):
    DISMISS = "dismiss", "Dismiss (nothing wrong)"
    HIDE = "hide", "Hide the comment (hold it)"
    SPAM = "spam", "Mark the comment as spam"
    BAN = "ban", "Ban the commenter and remove the comment"


def reports_handle(*, reports, moderator, outcome: str) -> int:
    """Close these reports (open ones only), saying who dealt with them and how."""
    return reports.filter(handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=moderator, outcome=str(outcome)[:30]
    )


def report_act(*, report: Report, moderator, action: str, reason: str = "") -> None:
    """One decision from the report queue on the reported comment; its reports close."""
    action = ReportOutcomeAction(action)
    comment = report.comment
    _check(moderator, comment)
    with transaction.atomic():
        reports_handle(reports=comment.reports.all(), moderator=moderator, outcome=action)
        if action == ReportOutcomeAction.HIDE and comment.status == Comment.Status.APPROVED:
            comment_moderate(
                comment=comment, action=Action.HOLD, moderator=moderator, reason=reason
            )
        elif action == ReportOutcomeAction.SPAM:
            comment_moderate(
                comment=comment, action=Action.SPAM, moderator=moderator, reason=reason
            )
        elif action == ReportOutcomeAction.BAN:
            commenter_ban(comment=comment, moderator=moderator, reason=reason)
            comment_moderate(
                comment=comment, action=Action.REMOVE, moderator=moderator, reason=reason
            )
        elif action == ReportOutcomeAction.DISMISS:
            _log(
                comment=comment,
                moderator=moderator,
                action="dismiss reports",
                reason=reason,
                from_status=comment.status,
                to_status=comment.status,
            )
