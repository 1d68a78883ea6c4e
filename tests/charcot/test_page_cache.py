import itertools
import re
import zlib
from datetime import timedelta

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

import charcot.urls
from charcot import cache as page_cache

RENDERS = itertools.count()
FORM_PAGE = engines["django"].from_string(
    "<!DOCTYPE html><title>Form</title><p>Render {{ n }}</p>"
    '<form method="post">{% csrf_token %}<button>Send</button></form>'
    '<form method="post">{% csrf_token %}<button>Again</button></form>'
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]*)"')


def form_page(request):
    if request.method == "POST":
        return HttpResponse("posted")
    return HttpResponse(FORM_PAGE.render({"n": next(RENDERS)}, request))


def post_page(request, post_id):
    return HttpResponse(f"<p>post {post_id} render {next(RENDERS)}</p>")


def list_page(request):
    return HttpResponse(f"<p>list render {next(RENDERS)}</p>")


def leaky_page(request):
    template = engines["django"].from_string('<div data-token="{{ csrf_token }}"></div>')
    return HttpResponse(template.render({}, request))


def message_page(request):
    messages.info(request, "Thanks!")
    return HttpResponse("<p>flash</p>")


def session_page(request):
    request.session["seen"] = True
    return HttpResponse("<p>remembered</p>")


@never_cache
def private_page(request):
    return HttpResponse(f"<p>private {next(RENDERS)}</p>")


def soon_changing_page(request):
    page_cache.valid_until(request, timezone.now() - timedelta(seconds=1))
    return HttpResponse(f"<p>soon {next(RENDERS)}</p>")


urlpatterns = [
    path("t/form/", form_page),
    path("t/post/<int:post_id>/", post_page),
    path("t/list/", list_page),
    path("t/leaky/", leaky_page),
    path("t/message/", message_page),
    path("t/session/", session_page),
    path("t/private/", private_page),
    path("t/soon/", soon_changing_page),
    *charcot.urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.CHARCOT_PAGE_CACHE_ENABLED = True


@pytest.fixture
def bump_committed(django_capture_on_commit_callbacks):
    """The one invalidation call as a service makes it, the transaction "committed" at once."""

    def bump():
        with django_capture_on_commit_callbacks(execute=True):
            page_cache.public_pages_changed()

    return bump


def test_second_anonymous_visit_to_the_home_page_is_served_without_a_query(
    client, post, django_assert_num_queries
):
    first = client.get(reverse("blog:home"))
    with django_assert_num_queries(0):
        second = client.get(reverse("blog:home"))
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert post.title in second.content.decode()


def test_cached_page_keeps_the_security_headers_of_the_rendered_one(client, post):
    first = client.get(post.get_absolute_url())
    second = client.get(post.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type"):
        assert second[header] == first[header]


def test_a_public_change_refreshes_every_page(client, bump_committed):
    urls = ["/t/post/1/", "/t/list/"]
    before = {url: client.get(url).content for url in urls}
    bump_committed()
    assert all(client.get(url).content != before[url] for url in urls)


def test_invalidation_waits_for_the_transaction_to_commit(
    client, django_capture_on_commit_callbacks
):
    before = client.get("/t/list/").content
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache.public_pages_changed()
        assert client.get("/t/list/").content == before
    for callback in callbacks:
        callback()
    assert client.get("/t/list/").content != before


def test_page_rendered_while_something_changed_is_not_stored(bump_committed):
    def racing_view(request):
        page = HttpResponse("<p>read before the change committed</p>")
        bump_committed()  # another request's commit lands meanwhile
        return page

    request = RequestFactory().get("/t/racing/")
    page_cache.PageCacheMiddleware(racing_view)(request)
    assert page_cache.peek(request) is None


def test_signed_in_reader_never_gets_the_anonymous_page_nor_leaves_theirs(client, reader, post):
    anonymous = Client()
    anonymous.get(reverse("blog:home"))
    client.force_login(reader)
    signed_in = client.get(reverse("blog:home"))
    assert "X-Page-Cache" not in signed_in
    assert "Sign out" in signed_in.content.decode()
    later = anonymous.get(reverse("blog:home"))
    assert later["X-Page-Cache"] == "hit"
    assert "Sign out" not in later.content.decode()


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "charcot_commenter", "pending"])
def test_any_cookie_that_may_be_personal_bypasses_the_cache(client, cookie):
    client.get("/t/list/")
    client.cookies[cookie] = "something"
    response = client.get("/t/list/")
    assert "X-Page-Cache" not in response


def test_csrf_cookie_alone_does_not_bypass_the_cache(client):
    client.get("/t/form/")
    assert "csrftoken" in client.cookies
    assert client.get("/t/form/")["X-Page-Cache"] == "hit"


def test_pages_that_set_messages_sessions_or_say_never_cache_are_not_stored(client):
    for url in ("/t/message/", "/t/session/", "/t/private/"):
        Client().get(url)
        assert page_cache.peek(RequestFactory().get(url)) is None, url


def test_page_that_changes_by_itself_is_not_kept_past_that_moment(client):
    client.get("/t/soon/")
    assert page_cache.peek(RequestFactory().get("/t/soon/")) is None


def test_unchanged_page_answers_if_none_match_with_304(client):
    first = client.get("/t/list/")
    again = client.get("/t/list/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_unchanged_page_answers_if_modified_since_with_304(client):
    first = client.get("/t/list/")
    again = client.get("/t/list/", headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304


def test_changed_page_answers_an_old_etag_with_the_new_page(client, bump_committed):
    first = client.get("/t/list/")
    bump_committed()
    again = client.get("/t/list/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_stored_page_holds_no_csrf_token(client):
    rendered = client.get("/t/form/")
    stored = page_cache.peek(RequestFactory().get("/t/form/"))
    secret = client.cookies["csrftoken"].value
    assert len(TOKEN.findall(rendered.content.decode())) == 2
    for token in TOKEN.findall(rendered.content.decode()):
        assert token.encode() not in b"".join(stored.parts)
    assert secret.encode() not in b"".join(stored.parts)
    assert len(stored.parts) == 3


def test_each_reader_of_a_cached_form_gets_a_token_for_their_own_cookie():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/t/form/")
    page = second.get("/t/form/")
    assert page["X-Page-Cache"] == "hit"
    assert "private" in page["Cache-Control"]
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1
    secret = second.cookies["csrftoken"].value
    assert secret != first.cookies["csrftoken"].value
    assert _unmask_cipher_token(tokens.pop()) == secret
    posted = second.post("/t/form/", {"csrfmiddlewaretoken": TOKEN.findall(page.text)[0]})
    assert posted.status_code == 200


def _gunzip_one_member(data: bytes) -> bytes:
    """Decompress as a browser does, insisting on a single, complete gzip member."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    plain = decompressor.decompress(data)
    assert decompressor.eof
    assert decompressor.unused_data == b""
    return plain


def test_gzip_reader_of_a_cached_form_gets_the_same_page_with_their_own_token():
    Client().get("/t/form/")
    reader = Client()
    plain = reader.get("/t/form/")
    zipped = reader.get("/t/form/", headers={"accept-encoding": "gzip, br"})
    assert zipped["X-Page-Cache"] == "hit"
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    page = _gunzip_one_member(zipped.content).decode()
    assert TOKEN.sub("TOKEN", page) == TOKEN.sub("TOKEN", plain.content.decode())
    secret = reader.cookies["csrftoken"].value
    assert {_unmask_cipher_token(t) for t in TOKEN.findall(page)} == {secret}


def test_gzip_reader_of_a_cached_page_without_a_form_gets_the_stored_bytes(client, post):
    plain = client.get(reverse("blog:home"))
    zipped = client.get(reverse("blog:home"), headers={"accept-encoding": "gzip"})
    assert zipped["X-Page-Cache"] == "hit"
    assert _gunzip_one_member(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content)


def test_304_is_not_given_to_a_reader_without_a_csrf_cookie_on_a_form_page(client):
    first = client.get("/t/form/")
    stranger = Client()
    again = stranger.get("/t/form/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "csrftoken" in stranger.cookies


def test_page_showing_the_csrf_secret_outside_a_form_is_never_stored(client):
    client.get("/t/leaky/")
    assert page_cache.peek(RequestFactory().get("/t/leaky/")) is None


def test_stored_post_page_carries_no_commenter_email_or_ip(client, post):
    from tests.factories import CommentFactory

    CommentFactory(post=post, author_email="hidden@example.net", ip_hash="abc123hash")
    client.get(post.get_absolute_url())
    stored = page_cache.peek(RequestFactory().get(post.get_absolute_url()))
    assert stored is not None
    assert b"hidden@example.net" not in b"".join(stored.parts)
    assert b"abc123hash" not in b"".join(stored.parts)


@pytest.mark.parametrize(("goes_live_in", "stored"), [(0.9, False), (3600 * 24, True)])
def test_home_page_is_kept_only_until_the_next_scheduled_post_goes_live(
    client, post, goes_live_in, stored
):
    from tests.factories import PostFactory

    PostFactory(scheduled=True, published_at=timezone.now() + timedelta(seconds=goes_live_in))
    client.get(reverse("blog:home"))
    assert (page_cache.peek(RequestFactory().get(reverse("blog:home"))) is not None) is stored


@pytest.mark.parametrize("closed_by", ["its own date", "the site-wide age limit"])
@pytest.mark.parametrize(("closes_in", "stored"), [(0.9, False), (3600 * 24, True)])
def test_post_page_is_kept_only_until_its_comments_close(
    client, settings, closed_by, closes_in, stored
):
    """Issue 14, defect 5: a page kept past the age limit showed the form to later readers."""
    from tests.factories import PostFactory

    closes = timezone.now() + timedelta(seconds=closes_in)
    if closed_by == "its own date":
        post = PostFactory(comments_close_at=closes)
    else:
        settings.CHARCOT_BLOG_COMMENTS_CLOSE_AFTER_DAYS = 30
        post = PostFactory(published_at=closes - timedelta(days=30))
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "comment-form" in response.content.decode()
    assert (page_cache.peek(RequestFactory().get(post.get_absolute_url())) is not None) is stored


def test_admin_accounts_and_comment_pages_are_never_cached(client):
    client.get(reverse("admin:login"))
    assert page_cache.peek(RequestFactory().get(reverse("admin:login"))) is None
    for url in ("/accounts/login/", "/comments/anything/", "/admin/"):
        assert not page_cache.is_cacheable_request(RequestFactory().get(url)), url


def test_cache_is_off_by_default_unless_every_worker_shares_the_cache_backend(settings):
    del settings.CHARCOT_PAGE_CACHE_ENABLED
    assert not page_cache.is_enabled()  # the test settings' local-memory cache
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    assert page_cache.is_enabled()


def test_cache_can_be_turned_off(client, settings):
    settings.CHARCOT_PAGE_CACHE_ENABLED = False
    client.get("/t/list/")
    assert "X-Page-Cache" not in client.get("/t/list/")


EDGE_INPUT = (
    '<input type="hidden" name="csrfmiddlewaretoken" value="' + page_cache.EDGE_PLACEHOLDER + '">'
)


def edge_client(secret="a" * 32):
    """A request as nginx's edge cache forwards it: the reader's CSRF cookie, the marker."""
    client = Client(headers={"x-charcot-edge": "1"})
    client.cookies["csrftoken"] = secret
    return client


def test_the_edge_cache_gets_stored_pages_with_a_placeholder_where_each_token_goes(settings):
    settings.CHARCOT_EDGE_CACHE_SECONDS = 1
    for response in (edge_client().get("/t/form/"), edge_client().get("/t/form/")):
        html = response.content.decode()
        assert html.count(EDGE_INPUT) == 2
        assert response["X-Accel-Expires"] == "1"
        assert "private" in response["Cache-Control"]  # for browsers: it becomes theirs
    assert "Set-Cookie" not in str(response.cookies)


def test_the_edge_revalidates_with_the_pages_etag(settings):
    settings.CHARCOT_EDGE_CACHE_SECONDS = 1
    first = edge_client().get("/t/form/")
    again = edge_client().get("/t/form/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["X-Accel-Expires"] == "1"


def test_a_form_posted_with_the_secret_nginx_writes_in_is_accepted(settings):
    settings.CHARCOT_EDGE_CACHE_SECONDS = 1
    secret = "b" * 32
    page = edge_client(secret).get("/t/form/").content.decode()
    filled = page.replace(page_cache.EDGE_PLACEHOLDER, secret)  # what nginx's sub_filter does
    reader = Client(enforce_csrf_checks=True)
    reader.cookies["csrftoken"] = secret
    posted = reader.post("/t/form/", {"csrfmiddlewaretoken": TOKEN.findall(filled)[0]})
    assert posted.status_code == 200


def test_without_the_edge_setting_the_marker_header_changes_nothing(settings):
    settings.CHARCOT_EDGE_CACHE_SECONDS = 0
    html = edge_client().get("/t/form/").content.decode()
    assert page_cache.EDGE_PLACEHOLDER not in html
    assert _unmask_cipher_token(TOKEN.findall(html)[0]) == "a" * 32


def test_pages_that_are_not_stored_never_go_to_the_edge_with_a_placeholder(settings, client):
    settings.CHARCOT_EDGE_CACHE_SECONDS = 1
    for url in ("/t/leaky/", "/t/private/"):
        response = edge_client().get(url)
        assert "X-Accel-Expires" not in response
        assert page_cache.EDGE_PLACEHOLDER not in response.content.decode()


def test_a_first_time_reader_without_any_cookie_also_gets_the_edge_copy(settings):
    settings.CHARCOT_EDGE_CACHE_SECONDS = 1
    response = Client(headers={"x-charcot-edge": "1"}).get("/t/form/")
    assert response.content.decode().count(EDGE_INPUT) == 2  # nginx mints their cookie
    assert response["X-Accel-Expires"] == "1"
