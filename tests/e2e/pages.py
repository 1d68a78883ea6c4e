"""Finding the site's pages and the discussion's parts the way a reader's browser does.

The discussion markup contract (issue 5): each comment is `<article id="comment-<pk>">` with
its replies nested inside it in a list; the form is `<form id="comment-form">` with fields
`name`, `email`, `url`, `body` and a hidden `parent`; the submit button says Publish.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

PUBLISH = re.compile(r"^\s*Publish", re.IGNORECASE)
SIGN_UP = re.compile(r"sign\s*up|create (an|your)? ?account|register", re.IGNORECASE)
# Errors as the server renders them (Django's error list, aria-invalid fields) or as the
# enhanced form announces them (an alert in the form).
ERRORS = "main .errorlist, main [aria-invalid='true'], #comment-form [role='alert']:not(:empty)"
REPLY = re.compile(r"^\s*Reply", re.IGNORECASE)
QUOTE = re.compile(r"^\s*Quote", re.IGNORECASE)
CANCEL = re.compile(r"^\s*Cancel", re.IGNORECASE)
NO_DISCUSSION = (
    'The post page has no <form id="comment-form"> yet: these checks start once the '
    "discussion work (issue 5) is merged."
)


def sign_in_url() -> str:
    """The sign-in page, or a skip while its template (accounts work, issue 4) is missing."""
    try:
        get_template("registration/login.html")
    except TemplateDoesNotExist:
        pytest.skip("No registration/login.html yet: the sign-in page comes with issue 4.")
    return reverse("login")


def sign_up_url(client) -> str:
    """The sign-up page, found as a reader finds it: the link on the sign-in page."""
    html = client.get(sign_in_url()).content.decode()
    for link in BeautifulSoup(html, "html.parser").select("main a[href]"):
        if SIGN_UP.search(link.get_text(" ", strip=True)):
            return link["href"]
    pytest.skip("The sign-in page links to no sign-up page yet (issue 4).")
    return ""


def open_discussion(page, post, anchor: str = "") -> None:
    """Open a post at its discussion, or skip while the post page has no comment form."""
    page.goto(post.get_absolute_url() + anchor)
    if page.locator("form#comment-form").count() == 0:
        pytest.skip(NO_DISCUSSION)


def comment(page, pk: int):
    return page.locator(f"article#comment-{pk}")


def own_control(page, pk: int, name: re.Pattern):
    """The link or button named `name` that belongs to comment `pk` itself, not to a reply."""
    candidates = page.locator(f"article#comment-{pk} :is(a, button)").filter(has_text=name)
    index = candidates.evaluate_all(
        "(els, id) => els.findIndex((el) => el.closest('article[id^=\"comment-\"]').id === id)",
        f"comment-{pk}",
    )
    assert index >= 0, f"comment {pk} has no control named {name.pattern!r}"
    return candidates.nth(index)


def enclosing_comment_id(locator) -> str:
    """The id of the comment article a node sits in (its nearest enclosing one)."""
    return locator.evaluate(
        "(el) => { const a = el.parentElement.closest('article[id^=\"comment-\"]'); "
        "return a ? a.id : ''; }"
    )


def submit_comment_form_showing_errors(page, post, text: str) -> None:
    """Send the form with the name and email left empty, past the browser's own checks."""
    open_discussion(page, post)
    form = page.locator("form#comment-form")
    form.evaluate("(form) => { form.noValidate = true; }")
    form.locator("[name=body]").fill(text)
    for field in ("name", "email"):
        if form.locator(f"[name={field}]").count():
            form.locator(f"[name={field}]").fill("")
    form.get_by_role("button", name=PUBLISH).click()
    page.locator(ERRORS).first.wait_for()


_PHRASE_BOX = """([id, phrase]) => {
  const article = document.getElementById(id);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(phrase);
    if (at < 0 || node.parentElement.closest("article") !== article) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    range.startContainer.parentElement.scrollIntoView({block: "center"});
    const rects = range.getClientRects(), first = rects[0], last = rects[rects.length - 1];
    return {x1: first.left + 1, y1: first.top + first.height / 2,
            x2: last.right - 1, y2: last.top + last.height / 2};
  }
  return null;
}"""


def select_text_of(page, pk: int, phrase: str) -> None:
    """Select words of a comment the way a reader does: drag the mouse across them."""
    box = page.evaluate(_PHRASE_BOX, [f"comment-{pk}", phrase])
    assert box, f"comment {pk} does not show {phrase!r}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
