"""What a reader typed, read once into clauses that both databases search for alike.

The syntax is the one people know from web search engines: words must all appear,
"quoted words" must appear together, -word must not appear, and `or` between two
parts accepts either. Nothing typed is ever passed on as query syntax: each backend
quotes every word itself, so `NEAR(`, `*`, `:` or unbalanced quotes are plain text.

With `prefixes`, each plain word also matches words that start like it (its last
letters dropped), so "pregnant" finds "pregnancy", "natalizumub" finds "natalizumab" and
a word still being typed finds the whole word. Neither the Porter stemmer of SQLite's
FTS5 nor PostgreSQL's English Snowball stemmer joins those pairs (pregnant → pregnant,
pregnancy → pregnanc). blog.search tries the words alone first: prefixes cost twice as
much to match and rank, and blur a query that finds enough without them.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12
# Words shorter than this match only themselves; longer ones also match as a prefix.
PREFIX_MIN_LENGTH = 4
# Letters a word's prefix keeps at least, once its last two are dropped.
PREFIX_KEEP = 5

# Control characters (NUL included), lone surrogates, and the two private-use characters
# the snippets use as highlight marks: none of them may reach a query or a document.
UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000\ue001]")
PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")
EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
# Words too common to narrow a search; PostgreSQL's English configuration drops them too,
# and FTS5 (which keeps every word) would otherwise demand them in every hit.
STOP_WORDS_TEXT = (
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for "
    "from further had has have having he her here hers herself him himself his how i if in "
    "into is it its itself just me more most my myself no nor not now of off on once only or "
    "other our ours ourselves out over own same she should so some such than that the their "
    "theirs them themselves then there these they this those through to too under until up "
    "very was we were what when where which while who whom why will with you your yours "
    "yourself yourselves"
)
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())


def clean_search_query(text: str) -> str:
    """The query as searched for: one line, no control characters, at most 200 characters."""
    return " ".join(UNSEARCHABLE.sub(" ", text or "").split())[:MAX_QUERY_LENGTH]


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase, as typed (backends quote it themselves)."""

    text: str
    phrase: bool = False

    @property
    def prefix(self) -> str:
        """The start that also matches ("pregna" for "pregnant"), or "" for none."""
        if self.phrase or not WORD.fullmatch(self.text) or self.text.isdigit():
            return ""
        if len(self.text) < PREFIX_MIN_LENGTH:
            return ""
        return self.text[: max(PREFIX_KEEP, len(self.text) - 2)].lower()


@dataclass
class Group:
    """Terms that must all match, and terms that must not; groups are joined by `or`."""

    required: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)


@dataclass
class ParsedQuery:
    groups: list[Group]
    prefixes: bool = True  # whether words also match the words that start like them

    def __bool__(self) -> bool:
        return bool(self.groups)

    def words(self) -> list[str]:
        """The plain words sought (not phrases, not excluded), lower case, for suggestions."""
        seen = []
        for group in self.groups:
            for term in group.required:
                word = term.text.lower()
                if not term.phrase and WORD.fullmatch(word) and word not in seen:
                    seen.append(word)
        return seen


def parse_query(text: str, *, prefixes: bool = True) -> ParsedQuery:
    """Read the query into groups of terms; words without letters or digits are dropped."""
    groups, current, clauses = [], Group(), 0
    for match in PART.finditer(clean_search_query(text)):
        if clauses >= MAX_CLAUSES:
            break
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            groups.append(current)
            current = Group()
            continue
        if word is not None:
            negated, term = word.startswith("-"), Term(EDGE_PUNCTUATION.sub("", word))
            if term.text.lower() in STOP_WORDS:
                continue
        else:
            term = Term(" ".join(phrase.split()), phrase=True)
        if not WORD.search(term.text):
            continue
        clauses += 1
        (current.excluded if negated else current.required).append(term)
    groups.append(current)
    # A group of exclusions alone would mean "every post but these": no search does that.
    return ParsedQuery([group for group in groups if group.required], prefixes=prefixes)
