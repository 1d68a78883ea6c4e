"""A small learning spam filter, local and private: naive Bayes on words and links.

Trained by moderators' decisions (spam, approve) on the desk, stored in the database
(SpamFilterToken), never sent anywhere. Its score is one more signal: the policy holds a
comment it finds very likely spam for a moderator, never marks anything spam on its own,
and the desk shows the score.
"""

import math
import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F

from . import conf
from .models import SpamFilterToken

DOCS = "__documents__"  # the row counting the decisions themselves
WORD = re.compile(r"[^\W\d_]{3,20}", re.UNICODE)
URL = re.compile(r"(?i)\b(?:https?://|www\.)([^\s/<>\")]+)")


def features(text: str, url: str = "") -> set[str]:
    """Words, linked domains and how many links: the features the filter counts."""
    text = text or ""
    found = {word.lower() for word in WORD.findall(text)}
    domains = [match.lower().removeprefix("www.") for match in URL.findall(text)]
    found |= {f"link:{domain}"[:80] for domain in domains}
    found.add(f"links:{min(len(domains), 3)}")
    if url:
        found.add(f"site:{(urlsplit(url).hostname or '').removeprefix('www.')}"[:80])
    return found


def learn(*, text: str, url: str = "", is_spam: bool) -> None:
    """Count one moderator decision."""
    tokens = features(text, url) | {DOCS}
    column = "spam" if is_spam else "ham"
    with transaction.atomic():
        existing = set(
            SpamFilterToken.objects.filter(token__in=tokens).values_list("token", flat=True)
        )
        SpamFilterToken.objects.bulk_create(
            [SpamFilterToken(token=token) for token in tokens - existing],
            ignore_conflicts=True,
        )
        SpamFilterToken.objects.filter(token__in=tokens).update(**{column: F(column) + 1})


def decisions_seen() -> int:
    row = SpamFilterToken.objects.filter(token=DOCS).values_list("spam", "ham").first()
    return sum(row) if row else 0


def score(*, text: str, url: str = "") -> float | None:
    """The probability that this text is spam, or None until the filter has seen
    SPAM_FILTER_MIN_DECISIONS decisions of both kinds. One query."""
    tokens = features(text, url)
    counts = {
        token: (spam, ham)
        for token, spam, ham in SpamFilterToken.objects.filter(
            token__in=tokens | {DOCS}
        ).values_list("token", "spam", "ham")
    }
    spam_docs, ham_docs = counts.pop(DOCS, (0, 0))
    if spam_docs + ham_docs < conf.SPAM_FILTER_MIN_DECISIONS or not spam_docs or not ham_docs:
        return None
    # Bernoulli naive Bayes over the features present, with Laplace smoothing.
    log_odds = math.log(spam_docs / ham_docs)
    for token in tokens:
        spam, ham = counts.get(token, (0, 0))
        log_odds += math.log((spam + 1) / (spam_docs + 2)) - math.log((ham + 1) / (ham_docs + 2))
    log_odds = max(-50.0, min(50.0, log_odds))
    return 1 / (1 + math.exp(-log_odds))
