"""import_wordpress: a WordPress export comes in whole, as readers of the old blog knew it."""

import pytest
from django.test import Client

from accounts.models import User
from blog.models import Post
from comments.models import Comment
from tests.factories import PostFactory, UserFactory

from .builders import wxr, wxr_author, wxr_comment, wxr_post
from .conftest import page, thread_shape

pytestmark = pytest.mark.django_db

PROF = wxr_author(id=7, login="prof", email="prof@old.example", name="Prof G")


def deep_thread():
    """Two threads; the first six replies deep with the author answering, siblings out of
    file order (WordPress exports comments by id, not by date)."""
    comments = [wxr_comment(1, author="Ann", content="Root one", date="2020-01-02 10:00:00")]
    for depth in range(2, 8):
        comments.append(
            wxr_comment(
                depth,
                parent=depth - 1,
                author=f"Level {depth}",
                content=f"Depth {depth}",
                date=f"2020-01-02 1{depth - 1}:00:00",
            )  # fmt: skip
        )
    comments += [
        wxr_comment(20, author="Ben", content="Root two", date="2020-01-03 09:00:00"),
        wxr_comment(
            22,
            parent=1,
            author="Late",
            content="Second answer to root one",
            date="2020-01-04 09:00:00",
        ),  # fmt: skip
        wxr_comment(
            21,
            parent=1,
            author="Prof G",
            email="prof@old.example",
            user_id=7,
            content="The author answers",
            date="2020-01-03 12:00:00",
        ),  # fmt: skip
    ]
    return comments


def test_the_post_page_shows_the_same_threads_in_the_same_order(run_import):
    result = run_import(
        wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=deep_thread())])
    )
    assert "1  posts imported" in result
    shape = thread_shape(Client().get("/2020/01/ebv/"))
    assert shape == [
        (0, "Root one"),
        (1, "Depth 2"), (2, "Depth 3"), (3, "Depth 4"), (4, "Depth 5"), (5, "Depth 6"), (6, "Depth 7"),
        (1, "The author answers"),
        (1, "Second answer to root one"),
        (0, "Root two"),
    ]  # fmt: skip


def test_the_authors_replies_carry_the_author_badge_and_name(run_import):
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=deep_thread())]))
    soup = page(Client().get("/2020/01/ebv/"))
    badged = [
        article.select_one(".comment__body").get_text(strip=True)
        for article in soup.select(".comment-list article")
        if article.select_one(":scope > header .badge--author")
    ]
    assert badged == ["The author answers"]
    assert "Prof G" in soup.select_one(".badge--author").parent.get_text()


def test_a_comment_by_the_authors_address_without_an_account_id_is_theirs_too(run_import):
    comments = [wxr_comment(1, author="G", email="PROF@old.example", content="Mine")]
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=comments)]))
    assert Comment.objects.get().user == Post.objects.get().author


def test_held_comments_are_held_spam_and_trash_never_shown(run_import):
    comments = [
        wxr_comment(1, content="Approved words"),
        wxr_comment(2, approved="0", content="Held words"),
        wxr_comment(3, approved="spam", content="Spam words"),
        wxr_comment(4, approved="trash", content="Trashed words"),
        wxr_comment(5, approved="post-trashed", content="Post trashed words"),
    ]
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=comments)]))
    html = Client().get("/2020/01/ebv/").content.decode()
    assert "Approved words" in html
    for hidden in ("Held words", "Spam words", "Trashed words", "Post trashed words"):
        assert hidden not in html
    assert dict(Comment.objects.values_list("body", "status")) == {
        "Approved words": "approved", "Held words": "pending", "Spam words": "spam",
        "Trashed words": "removed", "Post trashed words": "removed",
    }  # fmt: skip
    assert Comment.objects.awaiting_moderation().get().body == "Held words"
    for line in (
        "1  comments approved",
        "1  comments pending",
        "1  comments spam",
        "2  comments removed",
    ):
        assert line in result


def test_pingbacks_and_trackbacks_are_skipped_with_a_count_and_their_replies_kept(run_import):
    comments = [
        wxr_comment(1, type="pingback", author="Other blog", content="[…] linked here […]"),
        wxr_comment(2, parent=1, content="Reply to the pingback"),
        wxr_comment(3, type="trackback", content="Tracked"),
    ]
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=comments)]))
    assert thread_shape(Client().get("/2020/01/ebv/")) == [(0, "Reply to the pingback")]
    assert "1  pingbacks skipped" in result
    assert "1  trackbacks skipped" in result


def test_dates_shown_are_the_sources_gmt_times(run_import):
    comments = [wxr_comment(1, date="2019-07-14 23:45:00", content="Late at night")]
    run_import(
        wxr(
            authors=[PROF],
            posts=[wxr_post(10, slug="ebv", date="2019-07-14 22:00:00", comments=comments)],
        )
    )
    soup = page(Client().get("/2019/07/ebv/"))
    assert soup.select_one(".comment-list time")["datetime"] == "2019-07-14T23:45Z"
    assert Post.objects.get().published_at.isoformat() == "2019-07-14T22:00:00+00:00"


def test_commenters_ips_are_kept_only_as_the_salted_hash(run_import):
    from charcot.clientip import hash_ip

    comments = [
        wxr_comment(1, ip="203.0.113.9", email="kim@example.com", url="https://kim.example")
    ]
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=comments)]))
    comment = Comment.objects.get()
    assert comment.ip_hash == hash_ip("203.0.113.9")
    assert comment.ip_hash
    stored = " ".join(str(value) for value in Comment.objects.values().get().values())
    assert "203.0.113.9" not in stored
    html = Client().get("/2020/01/ebv/").content.decode()
    assert "kim@example.com" not in html
    assert "203.0.113.9" not in html


def test_drafts_scheduled_private_and_password_protected_posts_are_not_public(run_import):
    posts = [
        wxr_post(1, slug="draft", status="draft"),
        wxr_post(2, slug="future", status="future", date="2099-01-01 00:00:00"),
        wxr_post(3, slug="private", status="private"),
        wxr_post(4, slug="secret", password="hunter2"),
        wxr_post(5, slug="public"),
    ]
    result = run_import(wxr(authors=[PROF], posts=posts))
    client = Client()
    assert client.get("/2020/01/public/").status_code == 200
    for path in ("/2020/01/draft/", "/2099/01/future/", "/2020/01/private/", "/2020/01/secret/"):
        assert client.get(path).status_code == 404, path
    statuses = dict(Post.objects.values_list("slug", "status"))
    assert statuses == {"draft": "draft", "future": "scheduled", "private": "draft",
                        "secret": "draft", "public": "published"}  # fmt: skip
    assert "1  posts not public (private)" in result
    assert "1  posts not public (password-protected)" in result


def test_pages_attachments_and_trash_are_skipped_with_a_count(run_import):
    posts = [
        wxr_post(1, slug="about", type="page"),
        wxr_post(2, slug="photo", type="attachment", status="inherit"),
        wxr_post(3, slug="gone", status="trash"),
        wxr_post(4, slug="menu", type="nav_menu_item"),
    ]
    result = run_import(wxr(authors=[PROF], posts=posts))
    assert not Post.objects.exists()
    assert "1  pages skipped" in result
    assert "3  items skipped" in result
    assert "in the trash" in result
    assert "nav_menu_item" in result


def test_a_post_with_no_comments_comes_in_with_an_empty_discussion(run_import):
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="quiet")]))
    assert "No comments yet." in Client().get("/2020/01/quiet/").content.decode()


def test_unicode_entities_cdata_and_shortcodes_survive(run_import):
    content = (
        "Ärzte &amp; patients — 多発性硬化症 &lt;3\n\n"
        '[caption id="attachment_5" align="alignnone" width="300"]<a href="https://old.example/a.jpg">'
        '<img src="https://old.example/wp-content/uploads/2020/01/mri.jpg" alt="An MRI scan" /></a>'
        " Lesions on MRI[/caption]\n\n"
        "<!-- wp:paragraph --><p>Block <strong>editor</strong> text, <a href='https://x.example'>"
        "a link</a></p><!-- /wp:paragraph -->\n\n"
        '[gallery ids="1,2,3"]\n\n<iframe src="https://video.example/embed/1"></iframe>'
    )
    post = wxr_post(10, slug="unicode", title="Ärzte &amp; MS ]]> 日本", content=content)
    result = run_import(wxr(authors=[PROF], posts=[post]))
    soup = page(Client().get("/2020/01/unicode/"))
    article = soup.select_one("article")
    assert soup.select_one("h1").get_text(strip=True) == "Ärzte & MS ]]> 日本"
    text = article.get_text(" ", strip=True)
    assert "Ärzte & patients — 多発性硬化症 <3" in text
    # A remote image cannot show here (our own images only): it stays as a link, caption kept.
    link = article.select_one('a[href="https://old.example/wp-content/uploads/2020/01/mri.jpg"]')
    assert link.get_text() == "Image: An MRI scan — Lesions on MRI"
    assert article.select_one("strong").get_text() == "editor"
    assert "wp:paragraph" not in soup.decode()
    assert '[gallery ids="1,2,3"]' in text
    assert '<iframe src="https://video.example/embed/1"></iframe>' in text
    assert not soup.select("article iframe")
    assert "2  elements kept as text" in result
    assert "1  remote images left as links" in result


def test_categories_are_flattened_with_a_note_and_tags_kept(run_import):
    post = wxr_post(10, slug="terms", categories=[("ebv", "EBV"), ("news", "News")],
                    tags=[("virus", "Virus"), ("b-cells", "B cells")])  # fmt: skip
    result = run_import(
        wxr(authors=[PROF], categories=[("ms", "MS", ""), ("ebv", "EBV", "ms")], posts=[post])
    )
    imported = Post.objects.get()
    assert imported.category.name == "EBV"
    assert sorted(imported.tags.values_list("name", flat=True)) == ["B cells", "News", "Virus"]
    assert "was under “MS”" in result
    assert "the others became tags" in result


def test_the_excerpt_becomes_the_standfirst(run_import):
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, excerpt="<p>In <em>short</em>.</p>")]))
    assert Post.objects.get().standfirst == "In short ."


def test_an_author_matching_an_existing_account_by_email_is_that_account(run_import):
    existing = UserFactory(username="gio", email="Prof@Old.Example", display_name="Prof Gio")
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv")]))
    assert Post.objects.get().author == existing
    assert "1  authors matched" in result
    assert "Prof Gio" in Client().get("/2020/01/ebv/").content.decode()


def test_new_authors_get_accounts_without_a_usable_password(run_import):
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10)]))
    user = User.objects.get(username="prof")
    assert not user.has_usable_password()
    assert (user.email, user.display_name, user.is_staff) == ("prof@old.example", "Prof G", False)
    assert "1  authors created" in result


def test_the_author_map_sends_a_login_to_a_chosen_account(run_import, tmp_path):
    chosen = UserFactory(username="editor-in-chief")
    mapping = tmp_path / "authors.txt"
    mapping.write_text("# source = here\nprof = editor-in-chief\n")
    run_import(wxr(authors=[PROF], posts=[wxr_post(10)]), "--author-map", str(mapping))
    assert Post.objects.get().author == chosen


def test_an_author_map_naming_no_account_fails_that_post_and_says_why(run_import, tmp_path):
    mapping = tmp_path / "authors.txt"
    mapping.write_text("prof = nobody\n")
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10)]), "--author-map", str(mapping))
    assert not Post.objects.exists()
    assert "no account has that name or email" in result


def test_running_the_same_import_twice_changes_nothing(run_import):
    data = wxr(authors=[PROF], posts=[wxr_post(10, comments=deep_thread()), wxr_post(11)])
    run_import(data)
    before = (
        list(Post.objects.values_list("pk", "updated_at")),
        list(Comment.objects.values_list("pk", "lft", "rght")),
    )
    again = run_import(data)
    assert "2  posts already imported" in again
    assert "posts imported" not in again
    after = (
        list(Post.objects.values_list("pk", "updated_at")),
        list(Comment.objects.values_list("pk", "lft", "rght")),
    )
    assert after == before
    assert User.objects.count() == 1


def test_a_second_run_adds_the_comments_written_since_and_nothing_twice(run_import):
    first = wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv", comments=deep_thread())])
    run_import(first)
    since = [
        wxr_comment(30, parent=7, author="Deeper", content="Reply to depth 7", date="2020-02-01 09:00:00"),
        wxr_comment(31, parent=30, author="Deepest", content="Reply to the reply", date="2020-02-01 10:00:00"),
        wxr_comment(32, parent=20, author="Cat", content="Late answer to root two", date="2020-02-02 09:00:00"),
        wxr_comment(33, author="Dan", content="A new thread", date="2020-02-03 09:00:00"),
        wxr_comment(34, parent=33, author="Eve", content="Its first reply", date="2020-02-03 10:00:00"),
        wxr_comment(35, parent=1, author="Held", content="Waiting", approved="0", date="2020-02-04 09:00:00"),
    ]  # fmt: skip
    second = wxr(
        authors=[PROF],
        posts=[wxr_post(10, slug="ebv", comments=[*deep_thread(), *since]), wxr_post(11)],
    )

    again = run_import(second)

    assert "1  posts already imported" in again
    assert "1  posts imported" in again  # the new post
    assert "10  comments already imported" in again
    assert "6  comments added to posts imported before" in again
    assert "5  comments approved" in again
    assert "1  comments pending" in again
    assert Comment.objects.count() == 16
    shape = thread_shape(Client().get("/2020/01/ebv/"))
    assert shape == [
        (0, "Root one"),
        (1, "Depth 2"), (2, "Depth 3"), (3, "Depth 4"), (4, "Depth 5"), (5, "Depth 6"), (6, "Depth 7"),
        (7, "Reply to depth 7"), (8, "Reply to the reply"),
        (1, "The author answers"),
        (1, "Second answer to root one"),
        (0, "Root two"),
        (1, "Late answer to root two"),
        (0, "A new thread"),
        (1, "Its first reply"),
    ]  # fmt: skip
    reply = Comment.objects.get(body="Reply to the reply")
    assert reply.created_at.isoformat() == "2020-02-01T10:00:00+00:00"

    def rows():
        fields = ("pk", "tree_id", "lft", "rght", "level", "parent_id")
        return sorted(Comment.objects.values_list(*fields))

    stored = rows()
    Comment.objects.rebuild()
    assert rows() == stored

    third = run_import(second)
    assert "16  comments already imported" in third
    assert "added" not in third
    assert Comment.objects.count() == 16


def test_a_dry_run_reports_and_saves_nothing(run_import):
    result = run_import(
        wxr(authors=[PROF], posts=[wxr_post(10, comments=deep_thread())]), "--dry-run"
    )
    assert "Dry run" in result
    assert "1  posts imported" in result
    assert "10  comments approved" in result
    assert not Post.objects.exists()
    assert not Comment.objects.exists()
    assert not User.objects.exists()


def test_imported_trees_are_the_ones_rebuild_would_build(run_import):
    run_import(
        wxr(
            authors=[PROF],
            posts=[wxr_post(10, comments=deep_thread()), wxr_post(11, comments=deep_thread())],
        )
    )
    rows = lambda: sorted(Comment.objects.values_list("pk", "lft", "rght", "level", "parent_id"))  # noqa: E731
    stored = rows()
    Comment.objects.rebuild()
    assert rows() == stored
    for parent in Comment.objects.all():
        children = list(parent.get_children())
        assert [c.pk for c in children] == sorted(c.pk for c in children)
        assert [c.created_at for c in children] == sorted(c.created_at for c in children)


def test_a_trailing_reference_list_becomes_structured_references(run_import):
    content = (
        "<p>EBV matters.</p><h2>References</h2><ol>"
        "<li>Bjornevik K, Cortese M, Healy BC, et al. Longitudinal analysis reveals high prevalence"
        " of Epstein-Barr virus associated with multiple sclerosis. Science. 2022;375(6578):296-301."
        " doi:10.1126/science.abj8222</li>"
        "<li>Lanz TV, Brewer RC, Ho PP, et al. Clonally expanded B cells in multiple sclerosis bind"
        " EBV EBNA1 and GlialCAM. Nature. 2022;603(7900):321-327. PMID: 35073561</li></ol>"
    )
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="refs", content=content)]))
    soup = page(Client().get("/2020/01/refs/"))
    assert soup.select_one('a[href="https://doi.org/10.1126/science.abj8222"]')
    assert soup.select_one('a[href="https://pubmed.ncbi.nlm.nih.gov/35073561/"]')
    post = Post.objects.get()
    assert [r.journal for r in post.references.all()] == ["Science", "Nature"]
    assert "References" not in post.body
    assert "2  references structured" in result


def test_a_reference_list_that_does_not_parse_stays_as_text(run_import):
    content = "<p>Text.</p><h2>References</h2><ol><li>Some book I liked, 2003.</li></ol>"
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="refs", content=content)]))
    post = Post.objects.get()
    assert not post.references.exists()
    assert "Some book I liked" in post.body


def test_the_feed_keeps_the_old_blogs_guid(run_import):
    run_import(wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv")]))
    feed = Client().get("/feed/").content.decode()
    assert '<guid isPermaLink="false">https://old.example/?p=10</guid>' in feed


def test_a_post_whose_slug_is_taken_is_refused_and_the_others_come_in(run_import):
    PostFactory(slug="ebv", title="Already here")
    result = run_import(
        wxr(authors=[PROF], posts=[wxr_post(10, slug="ebv"), wxr_post(11, slug="other")])
    )
    assert "already used by the post “Already here”" in result
    assert "1  posts failed" in result
    assert "1  posts imported" in result
    assert Post.objects.filter(slug="other").exists()


def test_two_posts_of_the_file_with_one_slug_keep_the_first(run_import):
    result = run_import(
        wxr(authors=[PROF], posts=[wxr_post(10, slug="same"), wxr_post(11, slug="same")])
    )
    assert Post.objects.get().imported_from.source_id == "10"
    assert "1  posts failed" in result


def test_a_failed_post_takes_back_only_its_own_account_and_the_next_post_makes_it_again(
    run_import,
):
    PostFactory(slug="taken")
    posts = [
        wxr_post(10, slug="taken", categories=[("new", "New")]),
        wxr_post(11, slug="free", categories=[("new", "New")]),
    ]
    result = run_import(wxr(authors=[PROF], posts=posts))
    imported = Post.objects.get(slug="free")
    assert imported.author.username == "prof"
    assert imported.category.slug == "new"
    assert "1  posts failed" in result


def test_a_malformed_author_map_line_is_a_clear_error(run_import, tmp_path):
    mapping = tmp_path / "authors.txt"
    mapping.write_text("prof editor\n")
    result = run_import(wxr(authors=[PROF], posts=[wxr_post(10)]), "--author-map", str(mapping))
    assert "Line 1 of the author map is not “login = account”" in result.error
    assert not Post.objects.exists()


def test_a_terminal_sees_a_progress_bar(run_import, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    run_import(wxr(authors=[PROF], posts=[wxr_post(10), wxr_post(11)]))
    shown = terminal.getvalue()
    assert "\r[" in shown
    assert "2 posts" in shown
