"""The posting policy: one place that decides a new comment's fate.

`comments.services.comment_create` takes two named steps, in order: `moderation_decide`
gives the verdict and counts nothing; `submission_count` then counts the submission against
the writer's rate limits (and a caught bot toward a spam wave), and turns the verdict into a
refusal when a limit is reached, before anything is stored. Rules run cheapest and surest
first; the first rule that matches decides, and every decision says why in `reason`
("held: first comment", "spam: honeypot") for moderators. Knobs live in `comments.conf`.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils import timezone

from charcot import ratelimit
from charcot.clientip import hash_ip

from . import conf, spam_filter, spam_wave
from .models import BY_ACCOUNT, BY_ADDRESS, BY_NETWORK, Ban, Comment, WriterRecord, writer_record


@dataclass(frozen=True)
class Submission:
    """Everything the policy may look at, gathered once by the view and handed to
    `comment_create`, which stores what it says (a member's own name and address fields
    stay empty: the account provides them)."""

    post: object
    body: str
    user: object | None = None
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    ip_hash: str = ""
    parent: Comment | None = None
    asks_author: bool = False  # the reader's "Ask the author" box: a question for the queue
    honeypot_filled: bool = False
    seconds_to_submit: float | None = None
    # Sent from the comment form, which always carries a signed time stamp: a missing or
    # forged one (seconds_to_submit None) then counts as too fast. Edits and imports have none.
    from_form: bool = False
    # Sent by comments.js, which can ask the writer again instead of storing a verdict
    # nobody would see (a draft restored from an earlier visit is published in seconds).
    enhanced: bool = False


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str = ""  # for moderators, e.g. "held: first comment"
    public_reason: str = ""  # shown to the writer in plain words; empty for spam signals
    refused: str = ""  # when set the comment is not stored and the writer sees this message

    @property
    def is_refused(self) -> bool:
        return bool(self.refused)


# Reason prefixes moderators filter the pending list by ("why held").
HELD_FIRST_COMMENT = "held: first comment"
HELD_ALL = "held: every comment is checked"
HELD_LINKS = "held: links"
HELD_WORD = "held: word"
HELD_TOO_FAST = "held: too fast"
HELD_REPORTS_SUFFIX = "reports"

PUBLIC_HELD = "Your comment will appear once a moderator has checked it."
HELD_WAVE = "held: spam wave"
HELD_FILTER = "held: spam filter"
PUBLIC_WAVE = (
    "Because of a wave of spam, new comments are being held for review for a while; "
    "yours will appear once a moderator has checked it."
)
PUBLIC_FIRST = (
    "Your first comment here will appear once a moderator has checked it; "
    "after that, your comments appear straight away."
)
REFUSED_DISALLOWED = "This comment cannot be posted here."
REFUSED_TOO_FAST = (
    "That was quicker than a person usually writes. Please check your comment and send it again."
)
REFUSED_DUPLICATE = "You already posted this comment a moment ago."
REFUSED_TOO_FAST_AGAIN = (
    "Your comment was not sent yet: please check it and press Publish again. Your text is "
    "still in the box."
)
DUPLICATE = "refused: duplicate"

LINK_RE = re.compile(r"(?i)(?:\bhttps?://|\bwww\.)")


def words_pattern(words) -> re.Pattern | None:
    """One case-insensitive regex matching any listed word or phrase as whole words."""
    words = [w.strip() for w in words if w and w.strip()]
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def find_word(words, *texts: str) -> str | None:
    pattern = words_pattern(words)
    if pattern is None:
        return None
    for text in texts:
        match = pattern.search(text or "")
        if match:
            return match.group(0).lower()
    return None


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


def is_trusted(user) -> bool:
    """Authors, editors and moderators are never held: they answer for the site."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_moderator or user.is_editor or user.is_author)
    )


def comment_rate_rules(submission: Submission) -> list[ratelimit.Rule]:
    """The comment limits, for the writer's network and, when signed in, their account."""
    identities = [f"ip:{submission.ip_hash}" if submission.ip_hash else ""]
    if submission.user is not None and submission.user.is_authenticated:
        identities.append(f"user:{submission.user.pk}")
    return ratelimit.rules_for(identities, conf.COMMENT_RATE_LIMITS)


# --- The rules ---------------------------------------------------------------------------


def _disallowed(reason: str) -> Decision:
    if conf.DISALLOWED_ACTION == "refuse":
        return Decision(
            status=Comment.Status.SPAM, reason=f"refused: {reason}", refused=REFUSED_DISALLOWED
        )
    return Decision(status=Comment.Status.SPAM, reason=f"spam: {reason}")


BAN_REASONS = {"ip": "banned IP", "email": "banned email", "user": "banned account"}


def _member(submission: Submission):
    user = submission.user
    return user if user is not None and user.is_authenticated else None


def _listed(submission: Submission) -> str | None:
    """Why the writer is on a disallowed list in the settings, or None."""
    user, email = _member(submission), _email(submission)
    if user is not None and user.get_username().lower() in {
        a.lower() for a in conf.DISALLOWED_ACCOUNTS
    }:
        return "banned account"
    if email:
        domain = "@" + email.rpartition("@")[2]
        listed = {e.strip().lower() for e in conf.DISALLOWED_EMAILS}
        if email in listed or domain in listed:
            return "banned email"
    if submission.ip_hash and submission.ip_hash in {hash_ip(ip) for ip in conf.DISALLOWED_IPS}:
        return "banned IP"
    return None


def _email(submission: Submission) -> str:
    user, email = _member(submission), (submission.author_email or "").strip().lower()
    if user is not None:
        email = email or (user.email or "").lower()
    return email


def _writer_record(submission: Submission, now: datetime) -> WriterRecord:
    """What the ban, duplicate and first-comment rules need from the database, at once."""
    user, email = _member(submission), _email(submission)
    bans = [(Ban.Kind.IP, submission.ip_hash)] if submission.ip_hash else []
    if email:
        # An "@domain" entry on the ban list bans every address at that domain.
        bans += [(Ban.Kind.EMAIL, email), (Ban.Kind.EMAIL, "@" + email.rpartition("@")[2])]
    if user is not None:
        bans.append((Ban.Kind.USER, str(user.pk)))

    same_person = [(BY_NETWORK, submission.ip_hash)] if submission.ip_hash else []
    if user is not None:
        same_person.append((BY_ACCOUNT, user.pk))
    elif submission.author_email:
        same_person.append((BY_ADDRESS, submission.author_email))
    body = submission.body.strip()

    # A returning commenter is the same account, or the same address under the same name:
    # an address alone is no proof (anyone who knows it could sign with another name).
    approved_before = None
    if conf.MODERATION_HOLD == "first-comment":
        if user is not None:
            approved_before = (BY_ACCOUNT, user.pk)
        elif submission.author_email:
            approved_before = (BY_ADDRESS, (submission.author_email, submission.author_name))

    return writer_record(
        bans=bans,
        same_person=same_person,
        bodies=list(dict.fromkeys([body, submission.body])) if body else [],
        since=now - timedelta(seconds=conf.DUPLICATE_WINDOW_SECONDS),
        approved_before=approved_before,
    )


def _sender_rules(
    submission: Submission, now: datetime
) -> tuple[Decision | None, WriterRecord | None]:
    """The rules on who sends and how (honeypot, role, timer, bans): a decision, or None and
    the writer's record for the rules on what they send."""
    if submission.honeypot_filled:
        return Decision(status=Comment.Status.SPAM, reason="spam: honeypot"), None

    if is_trusted(submission.user):
        return Decision(status=Comment.Status.APPROVED, reason="approved: trusted role"), None

    seconds = submission.seconds_to_submit
    if seconds is None and submission.from_form:
        seconds, why = 0.0, "too fast (no valid time stamp)"
    else:
        why = f"too fast ({seconds or 0:.1f} s)"
    if seconds is not None and seconds < conf.MODERATION_MIN_SECONDS:
        action = conf.MODERATION_TOO_FAST_ACTION
        if action == "spam" and (submission.enhanced or submission.seconds_to_submit is not None):
            # The timer measures this page, not the writing: a draft typed on an earlier
            # visit comes back (comments.js, or the browser restoring the form) and is sent
            # in a second. With a genuine time stamp, ask again rather than hide it; only a
            # missing or forged stamp (a bot that never loaded the page) is spam.
            return Decision(
                status=Comment.Status.SPAM,
                reason=f"refused: {why}",
                refused=REFUSED_TOO_FAST_AGAIN,
            ), None
        if action == "refuse":
            decision = Decision(
                status=Comment.Status.SPAM, reason=f"refused: {why}", refused=REFUSED_TOO_FAST
            )
        elif action == "hold":
            decision = Decision(
                status=Comment.Status.PENDING, reason=f"held: {why}", public_reason=PUBLIC_HELD
            )
        else:
            decision = Decision(status=Comment.Status.SPAM, reason=f"spam: {why}")
        return decision, None

    listed = _listed(submission)
    if listed:
        return _disallowed(listed), None
    record = _writer_record(submission, now)
    if record.ban:
        return _disallowed(BAN_REASONS[record.ban]), None
    return None, record


def _content_rules(submission: Submission, record: WriterRecord) -> Decision:
    """The rules on what is sent and the writer's history, in order; the first that matches
    decides."""
    if record.duplicate:
        return Decision(status=Comment.Status.PENDING, reason=DUPLICATE, refused=REFUSED_DUPLICATE)

    texts = (submission.body, submission.author_name, submission.author_url)
    word = find_word(conf.DISALLOWED_WORDS, *texts)
    if word:
        return _disallowed(f"disallowed word “{word}”")

    word = find_word(conf.MODERATION_WORDS, *texts)
    if word:
        return Decision(
            status=Comment.Status.PENDING,
            reason=f"{HELD_WORD} “{word}”",
            public_reason=PUBLIC_HELD,
        )

    links, max_links = count_links(submission.body), conf.MODERATION_MAX_LINKS
    if links > max_links:
        return Decision(
            status=Comment.Status.PENDING,
            reason=f"{HELD_LINKS} ({links}, more than {max_links})",
            public_reason=(
                f"Comments with more than {apnumber(max_links)} links are checked by a "
                "moderator before they appear."
            ),
        )

    mode = conf.MODERATION_HOLD
    if mode == "all":
        return Decision(status=Comment.Status.PENDING, reason=HELD_ALL, public_reason=PUBLIC_HELD)
    if mode == "first-comment":
        if not record.returning:
            return Decision(
                status=Comment.Status.PENDING, reason=HELD_FIRST_COMMENT, public_reason=PUBLIC_FIRST
            )
        return Decision(status=Comment.Status.APPROVED, reason="approved: returning commenter")
    return Decision(status=Comment.Status.APPROVED, reason="approved: no rule matched")


def moderation_decide(submission: Submission, *, now=None) -> Decision:
    """Decide the status of a new comment. Counts nothing: `submission_count` does that."""
    now = now or timezone.now()
    decision, record = _sender_rules(submission, now)
    if decision is None:
        decision = _content_rules(submission, record)
    if decision.status != Comment.Status.APPROVED or is_trusted(submission.user):
        return decision
    if _member(submission) is None and spam_wave.is_active(now):
        return Decision(status=Comment.Status.PENDING, reason=HELD_WAVE, public_reason=PUBLIC_WAVE)
    # The local filter only ever holds a comment for a person to decide, never spams it.
    likely = spam_filter.score(text=submission.body, url=submission.author_url)
    if likely is not None and likely >= conf.SPAM_FILTER_HOLD_SCORE:
        return Decision(
            status=Comment.Status.PENDING,
            reason=f"{HELD_FILTER} ({likely:.2f})",
            public_reason=PUBLIC_HELD,
        )
    return decision


def submission_count(
    submission: Submission, decision: Decision, *, now=None, cache=None
) -> Decision:
    """Count a decided submission against the writer's rate limits: the refusal when it
    goes over one, else `decision` unchanged. A caught bot also counts toward a spam wave.

    The limits apply before anything is stored, whatever the verdict: a bot caught by the
    honeypot or the timer is limited like anyone, so a flood stores no more rows than the
    limits allow. Only a duplicate (nothing stored, the writer double-clicked) and trusted
    roles go uncounted.
    """
    now = now or timezone.now()
    if decision.status == Comment.Status.APPROVED and is_trusted(submission.user):
        return decision
    limit = ratelimit.take(
        "comment",
        comment_rate_rules(submission),
        count=decision.reason != DUPLICATE,
        now=now,
        cache=cache,
    )
    if limit:
        return Decision(
            status=Comment.Status.PENDING,
            reason=f"refused: rate limit ({limit.describe()})",
            refused=ratelimit.message(limit),
        )
    if is_caught(decision):
        spam_wave.caught(now=now)
    return decision


def is_caught(decision: Decision) -> bool:
    """A bot's submission: spam, or refused as too fast (it counts toward a spam wave)."""
    return decision.status == Comment.Status.SPAM and not decision.reason.startswith(
        "refused: rate"
    )
