"""A small learning spam filter, local and private: naive Bayes on words and links.

Trained by moderators' decisions (spam, approve) on the desk, stored in the database
(SpamFilterToken), never sent anywhere. Its score is one more signal: the policy holds a
comment it finds very likely spam for a moderator, never marks anything spam on its own,
and the desk shows the score.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Example:
    """One moderator decision as the filter sees it: the text, the website, the verdict."""

    text: str
    url: str
    is_spam: bool


def _counted(examples: Iterable[Example]) -> Counter:
    """Per feature, how often it appeared in spam and in approved comments."""
    counts: Counter = Counter()
    for example in examples:
        column = "spam" if example.is_spam else "ham"
        for token in features(example.text, example.url) | {DOCS}:
            counts[token, column] += 1
    return counts


def learn_many(examples: Iterable[Example]) -> None:
    """Count many decisions at once, as `learn` would one by one (the demo's history).
    Existing rows are locked while their new totals are written."""
    counts = _counted(examples)
    tokens = {token for token, _ in counts}
    with transaction.atomic():
        rows = {
            row.token: row
            for row in SpamFilterToken.objects.select_for_update().filter(token__in=tokens)
        }
        for token in tokens:
            row = rows.setdefault(token, SpamFilterToken(token=token))
            row.spam += counts[token, "spam"]
            row.ham += counts[token, "ham"]
        SpamFilterToken.objects.bulk_update(
            [row for row in rows.values() if row.pk], ["spam", "ham"], batch_size=500
        )
        SpamFilterToken.objects.bulk_create(
            [row for row in rows.values() if not row.pk], batch_size=500
        )


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
    if spam_docs + ham_docs < conf.SPAM_FILTER_MIN_DECISIONS:
        return None
    return _probability(tokens, counts, spam_docs, ham_docs)


def _probability(
    tokens: set[str], counts: Mapping[str, tuple[int, int]], spam_docs: int, ham_docs: int
) -> float | None:
    """Bernoulli naive Bayes over the features present, with Laplace smoothing; None until
    both kinds of decision have been seen."""
    if not spam_docs or not ham_docs:
        return None
    log_odds = math.log(spam_docs / ham_docs)
    for token in tokens:
        spam, ham = counts.get(token, (0, 0))
        log_odds += math.log((spam + 1) / (spam_docs + 2)) - math.log((ham + 1) / (ham_docs + 2))
    log_odds = max(-50.0, min(50.0, log_odds))
    return 1 / (1 + math.exp(-log_odds))


# --- Measuring it: train on the first decisions, test on the ones after -------------------


@dataclass(frozen=True)
class Verdicts:
    """What the filter called spam at one threshold, against the moderators' decisions."""

    threshold: float
    flagged: int  # scored at least `threshold`
    flagged_spam: int  # ... that moderators called spam
    spam: int  # spam among the tested decisions

    @property
    def precision(self) -> float | None:
        return self.flagged_spam / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.flagged_spam / self.spam if self.spam else None


@dataclass(frozen=True)
class Evaluation:
    trained_spam: int
    trained_ham: int
    tested_spam: int
    tested_ham: int
    verdicts: list[Verdicts]


def evaluate(examples: list[Example], *, train: int, thresholds: Iterable[float]) -> Evaluation:
    """Train a fresh filter, in memory, on the first `train` decisions (in the order they
    were made) and score each later one with the live filter's arithmetic."""
    trained, tested = examples[:train], examples[train:]
    counted = _counted(trained)
    counts = {token: (counted[token, "spam"], counted[token, "ham"]) for token, _ in counted}
    spam_docs, ham_docs = counts.pop(DOCS, (0, 0))
    scored = [
        (_probability(features(e.text, e.url), counts, spam_docs, ham_docs), e.is_spam)
        for e in tested
    ]
    spam = sum(is_spam for _, is_spam in scored)
    verdicts = []
    for threshold in thresholds:
        flagged = [is_spam for score, is_spam in scored if score is not None and score >= threshold]
        verdicts.append(Verdicts(threshold, len(flagged), sum(flagged), spam))
    return Evaluation(
        trained_spam=spam_docs,
        trained_ham=ham_docs,
        tested_spam=spam,
        tested_ham=len(tested) - spam,
        verdicts=verdicts,
    )
