"""The enhanced discussion in a real Chromium: inline reply, quote, drafts, failed sends."""

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("policy"),
]

playwright_api = pytest.importorskip("playwright.sync_api")


def orm(work):
    """Run database work in a plain thread (no event loop there), closing its connection."""

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def page(live_server):
    """A phone-sized Chromium page, open only during the test body.

    Playwright's sync API keeps an event loop running in this thread, so the test body
    reaches the database only through `orm()`; the browser closes before the flush.
    """
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with playwright_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable)
        except Exception as error:  # no browser on this machine
            pytest.skip(f"no Chromium: {error}")
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            opened = context.new_page()
            yield opened
            # Let the server finish in-flight requests before the database is torn down.
            opened.wait_for_load_state("networkidle")
        finally:
            browser.close()


@pytest.fixture
def discussion(live_server):
    post = PostFactory()
    anna = CommentFactory(post=post, author_name="Anna", body="Rebound came at twelve weeks.")
    return f"{live_server.url}{post.get_absolute_url()}", post, anna


def fill_identity(page):
    page.fill("#id_name", "Tom")
    page.fill("#id_email", "tom@example.com")


def test_reply_moves_the_form_under_the_comment_and_lands_on_the_new_reply(discussion, page):
    url, post, anna = discussion
    page.goto(url)
    page.click(f"#comment-{anna.pk} a[data-reply]")
    assert page.locator(f"#comment-{anna.pk} form#comment-form").count() == 1
    assert page.locator("[data-replying]").is_visible()
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert page.input_value("input[name=parent]") == str(anna.pk)
    fill_identity(page)
    page.fill("#id_body", "Same for me.")
    page.click("[data-submit]")
    page.wait_for_url(lambda current: "#comment-" in current)
    reply = orm(lambda: Comment.objects.get(body="Same for me."))
    assert reply.parent_id == anna.pk
    page.locator(f"#comment-{anna.pk} #comment-{reply.pk}").wait_for()
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_cancel_puts_the_form_back_for_a_new_thread(discussion, page):
    url, post, anna = discussion
    page.goto(url)
    page.click(f"#comment-{anna.pk} a[data-reply]")
    page.click("[data-cancel-reply]")
    assert page.locator(f"#comment-{anna.pk} form#comment-form").count() == 0
    assert page.input_value("input[name=parent]") == ""


def test_selected_text_can_be_quoted_into_a_reply(discussion, page):
    url, post, anna = discussion
    page.goto(url)
    page.evaluate(
        """id => {
            const body = document.querySelector('#comment-' + id + ' .comment__body p');
            const range = document.createRange();
            range.selectNodeContents(body);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        anna.pk,
    )
    quote = page.locator(f"#comment-{anna.pk} button[data-quote]")
    quote.wait_for(state="visible")
    quote.click()
    text = page.input_value("#id_body")
    assert text.startswith(
        f"> **[Anna](/comments/{anna.pk}/) wrote:**\n>\n> Rebound came at twelve weeks."
    )
    assert page.input_value("input[name=parent]") == str(anna.pk)


def test_draft_survives_a_reload(discussion, page):
    url, *_ = discussion
    page.goto(url)
    page.fill("#id_body", "Half-written thoughts")
    page.reload()
    assert page.input_value("#id_body") == "Half-written thoughts"


def test_network_failure_keeps_the_text_and_says_so(discussion, page):
    url, post, anna = discussion
    page.goto(url)
    fill_identity(page)
    page.fill("#id_body", "Typed on a train")
    page.route("**/comments/post/**", lambda route: route.abort())
    page.click("[data-submit]")
    status = page.locator("[data-status]")
    status.wait_for(state="visible")
    page.locator("[data-status]", has_text="could not reach").wait_for()
    assert page.input_value("#id_body") == "Typed on a train"
    assert not orm(Comment.objects.filter(body="Typed on a train").exists)


def test_validation_error_from_the_server_keeps_the_text(discussion, page):
    url, *_ = discussion
    page.goto(url)
    page.fill("#id_name", "Tom")
    page.fill("#id_email", "tom@example.com")
    page.evaluate("document.getElementById('id_email').type = 'text'")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_body", "Still here")
    page.click("[data-submit]")
    page.locator("[data-status]", has_text="still in the box").wait_for()
    assert page.input_value("#id_body") == "Still here"


def test_preview_shows_the_rendered_markdown(discussion, page):
    url, *_ = discussion
    page.goto(url)
    page.fill("#id_body", "**bold** move")
    page.click("[data-preview-button]")
    page.locator("[data-preview-body] strong").wait_for()
    assert page.inner_text("[data-preview-body] strong") == "bold"
    assert "of 10,000 characters" in page.inner_text("[data-counter]")


def test_discussion_does_not_scroll_sideways_on_a_phone(live_server, page):
    def deep_thread():
        post = PostFactory()
        parent = CommentFactory(post=post, body="x" * 300)
        for _ in range(9):
            parent = CommentFactory(post=post, parent=parent, body="A long reply " * 20)
        return post

    post = orm(deep_thread)
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The browser's own HTML parser keeps the nesting the server meant (no tag soup).
    depths = page.eval_on_selector_all(
        "#comments article",
        "articles => articles.map(a => { let n = 0, p = a.parentElement;"
        " while (p) { if (p.tagName === 'ARTICLE') n++; p = p.parentElement; } return n; })",
    )
    assert depths == list(range(10))


def test_discussion_and_form_pass_automated_accessibility_checks(discussion, page):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    url, post, anna = discussion
    orm(
        lambda: CommentFactory(
            post=post, parent=anna, author_name="Ben", author_url="https://ben.example.com"
        )
    )
    page.goto(url)
    results = axe_module.Axe().run(page, context={"include": [["#comments"]]})
    violations = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
    ]
    assert violations == []


def test_text_moved_into_a_reply_is_not_restored_elsewhere_once_posted(discussion, page):
    url, post, anna = discussion
    page.goto(url)
    fill_identity(page)
    page.fill("#id_body", "Started at the top, sent as a reply")
    page.click(f"#comment-{anna.pk} a[data-reply]")
    assert page.input_value("#id_body") == "Started at the top, sent as a reply"
    page.click("[data-submit]")
    page.wait_for_url(lambda current: "#comment-" in current)
    page.locator(".comment-list article >> text=Started at the top").first.wait_for()
    assert page.input_value("#id_body") == ""
    assert page.evaluate("Object.keys(localStorage).length") == 0
