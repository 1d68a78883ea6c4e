"""Adversarial Markdown for the CPU bound: the families known to be quadratic somewhere.

Shared by tests/security/test_markdown_cpu.py (bounded examples) and bench/markdown_cpu.py
(many more). Each family is a short unit repeated up to the length a form accepts; the
strategy also mixes families and wraps them in containers, as an attacker would.
"""

import gc
import time

from hypothesis import strategies as st

CPU_BOUND_SECONDS = 0.100  # no accepted input may cost more Markdown rendering than this
COMMENT_LIMIT = 10_000  # comments.conf.BODY_MAX_LENGTH by default
BIO_LIMIT = 2_000  # accounts.models.Person.bio max_length

# The issue's reproductions (issue 20): each took seconds with Python-Markdown.
ISSUE_REPRODUCTIONS = {
    "empty-links": "[](" * 3_333,  # 9,999 characters
    "links": "[a](" * 5_000,
    "images": "![a](" * 4_000,
}

FAMILIES = {
    "brackets": ["[", "]", "[]", "[[]", "[a]", "[x][", "[a]\n", "[`", "[![", "![[", "\\["],
    "links": ["[](", "[a](", "![a](", "[](b", "[a](b (", '[a](b "', "[a](<", "!["],
    "parentheses": ["(", ")", "((", "[a](()", "[a](b(c"],
    "emphasis": ["*", "_", "*a", "**_", "a_b*", "***a", "_*_", "~", "~~a", "^a", "~a"],
    "backticks": ["`", "`a", "``a`", "```", "`` "],
    "containers": ["> ", ">[", "- ", "- [", "1. ", "> - ", "* > ", "    - "],
    "entities": ["&amp;", "&#", "&#x", "&#65;", "&lt;[", "&", "&#99999999;"],
    "definitions": ["[a]: b\n", "[a]: <", '[a]: b "', "[a]:", "[a]: b\n[", "[^a]: b\n[^"],
    "citations": ["[@1", "[@1]", "[@1-", "[@1,", "[@"],
    "other": ["<", "<a", "<http:", "|a|\n", "a\n: b\n", "# [", "\n", "  \n", "\\"],
}
UNITS = [unit for units in FAMILIES.values() for unit in units]


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


@st.composite
def hostile_markdown(draw, max_length: int = COMMENT_LIMIT) -> str:
    """A few families, each repeated to a drawn length, joined and possibly nested."""
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(UNITS), st.integers(1, max_length)), min_size=1, max_size=4
        )
    )
    separator = draw(st.sampled_from(["", " ", "a", "\n", "\n\n"]))
    prefix = draw(st.sampled_from(["", "> ", "- ", "1. ", "> - ", "# ", "    "]))
    text = separator.join(repeated(unit, count * len(unit)) for unit, count in parts)
    text = "\n".join(prefix + line for line in text.split("\n")) if prefix else text
    # Sometimes the longest text the form accepts, so the bound is met at the limit.
    if draw(st.booleans()):
        text = repeated(text, max_length)
    return text[:max_length]


def cpu_seconds(function, *args, **kwargs) -> float:
    """CPU time of one call; above the bound, the least of five (the machine is shared).

    The test process's heap is frozen out of the garbage collector first, as gunicorn's
    workers freeze theirs before forking (charcot/gunicorn.conf.py): otherwise each
    collection walks every object thousands of earlier tests left behind, a cost no
    request pays.
    """
    gc.collect()
    gc.freeze()
    try:
        timings = []
        for _ in range(5):
            started = time.process_time()
            function(*args, **kwargs)
            timings.append(time.process_time() - started)
            if timings[-1] < CPU_BOUND_SECONDS:
                break
    finally:
        gc.unfreeze()
    return min(timings)
