"""Hostile or broken exports are refused with a message naming where, never a traceback."""

import pytest
from django.test import Client, override_settings

from blog.models import Post
from comments.models import Comment

from .builders import wxr, wxr_author, wxr_comment, wxr_post
from .conftest import thread_shape

pytestmark = pytest.mark.django_db

PROF = wxr_author(id=7, login="prof", email="prof@old.example")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol9;</title></item></channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""


def test_an_entity_bomb_is_refused_before_it_expands(run_import):
    result = run_import(BILLION_LAUGHS)
    assert "refused at line" in result.error
    assert "DTD or entities" in result.error
    assert not Post.objects.exists()


def test_an_external_entity_is_never_read(run_import):
    result = run_import(EXTERNAL_ENTITY)
    assert "DTD or entities" in result.error
    assert "root:" not in result.output + result.error


def test_a_file_larger_than_the_limit_is_refused_before_reading(run_import):
    data = wxr(authors=[PROF], posts=[wxr_post(10)])
    with override_settings(CHARCOT_IMPORTERS_MAX_FILE_BYTES=len(data) - 1):
        result = run_import(data)
    assert "imports take files up to" in result.error
    assert not Post.objects.exists()


def test_one_element_claiming_more_text_than_the_limit_is_refused(run_import):
    data = wxr(authors=[PROF], posts=[wxr_post(10, content="x" * 5000)])
    with override_settings(CHARCOT_IMPORTERS_MAX_FIELD_CHARS=1000):
        result = run_import(data)
    assert "<encoded> element at line" in result.error
    assert "the limit is 1,000" in result.error


def test_truncated_xml_names_the_line_and_keeps_the_posts_before_it(run_import):
    data = wxr(authors=[PROF], posts=[wxr_post(10, slug="first"), wxr_post(11, slug="second")])
    cut = data[: data.rindex(b"<wp:post_id>11")]
    result = run_import(cut)
    assert "not well-formed XML at line" in result.error
    assert "cut short" in result.error
    assert list(Post.objects.values_list("slug", flat=True)) == ["first"]
    assert "1  posts imported" in result.output


def test_a_file_that_is_not_a_wordpress_export_is_refused_by_its_root(run_import):
    result = run_import(b'<?xml version="1.0"?>\n<html><body>hello</body></html>')
    assert "root element at line 2 is <html>" in result.error
    assert "WXR" in result.error


def test_an_empty_file_is_refused(run_import):
    assert "line 1" in run_import(b"").error


def test_plain_rss_without_a_channel_is_refused(run_import):
    assert "no <channel>" in run_import(b"<rss></rss>").error


def test_a_comment_whose_parent_is_missing_becomes_a_thread_of_its_own(run_import):
    comments = [wxr_comment(1, content="Root"), wxr_comment(2, parent=99, content="Orphan")]
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="p", comments=comments)]))
    assert thread_shape(Client().get("/2020/01/p/")) == [(0, "Root"), (0, "Orphan")]
    assert "comment 2 answers 99, which is not in the file" in result


def test_comments_answering_themselves_or_each_other_in_a_loop_are_cut_loose(run_import):
    comments = [
        wxr_comment(1, parent=1, content="Self"),
        wxr_comment(2, parent=3, content="Loop A"),
        wxr_comment(3, parent=2, content="Loop B"),
        wxr_comment(4, parent=3, content="Under the loop"),
    ]
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="p", comments=comments)]))
    shape = thread_shape(Client().get("/2020/01/p/"))
    assert sorted(text for _, text in shape) == ["Loop A", "Loop B", "Self", "Under the loop"]
    assert "answers itself" in result
    assert "cycle of replies" in result
    assert Comment.objects.count() == 4
    Comment.objects.rebuild()  # the stored tree is a valid one: rebuild finds no surprise


def test_a_comment_id_used_twice_keeps_the_first(run_import):
    comments = [wxr_comment(1, content="First"), wxr_comment(1, content="Second")]
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="p", comments=comments)]))
    assert list(Comment.objects.values_list("body", flat=True)) == ["First"]
    assert "was skipped" in result


def test_a_javascript_url_or_bad_address_of_a_commenter_is_dropped(run_import):
    comments = [wxr_comment(1, url="javascript:alert(1)", email="not an address", content="Hi")]
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="p", comments=comments)]))
    comment = Comment.objects.get()
    assert (comment.author_url, comment.author_email) == ("", "")


def test_script_in_a_comment_is_shown_as_text_never_run(run_import):
    comments = [
        wxr_comment(1, content='Hi <script>alert("x")</script><img src=x onerror=alert(1)>')
    ]
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="p", comments=comments)]))
    html = Client().get("/2020/01/p/").content.decode()
    assert "<script>alert" not in html
    assert "onerror=alert" not in html.replace("&lt;", "")
    assert "&lt;script&gt;alert" in html
