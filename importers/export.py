"""The whole blog as a WordPress export (WXR 1.2), written as a stream of text.

Bodies go out as the HTML Charcot renders (WordPress stores HTML), with each post's
structured references appended as a "References" list that import_wordpress reads
back. Commenters' IPs are never exported: Charcot keeps only a salted hash.
"""

import re
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from blog.models import Category, Post, Tag
from comments.models import Comment

POST_STATUSES = {Post.Status.PUBLISHED: "publish", Post.Status.SCHEDULED: "future",
                 Post.Status.DRAFT: "draft"}  # fmt: skip
COMMENT_STATUSES = {Comment.Status.APPROVED: "1", Comment.Status.PENDING: "0",
                    Comment.Status.SPAM: "spam", Comment.Status.REMOVED: "trash"}  # fmt: skip

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>{title}</title>
	<link>{site}</link>
	<description>{tagline}</description>
	<language>{language}</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{site}</wp:base_site_url>
	<wp:base_blog_url>{site}</wp:base_blog_url>
	<generator>Charcot</generator>
"""


def cdata(text: str) -> str:
    """WordPress's own wxr_cdata(): the text whole, with any "]]>" split across sections."""
    return "<![CDATA[" + str(text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def gmt(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "0000-00-00 00:00:00"


def export_wordpress() -> Iterator[str]:
    site = settings.SITE_URL.rstrip("/")
    yield HEAD.format(
        title=escape(settings.SITE_NAME), site=escape(site), tagline=escape(settings.SITE_TAGLINE),
        language=escape(settings.LANGUAGE_CODE),
    )  # fmt: skip
    people = get_user_model().objects.filter(
        Q(posts__isnull=False) | Q(comments__isnull=False)
    ).distinct().order_by("pk")  # fmt: skip
    for user in people:
        yield (
            f"\t<wp:author><wp:author_id>{user.pk}</wp:author_id>"
            f"<wp:author_login>{cdata(user.username)}</wp:author_login>"
            f"<wp:author_email>{cdata(user.email)}</wp:author_email>"
            f"<wp:author_display_name>{cdata(user.public_name)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(user.first_name)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(user.last_name)}</wp:author_last_name></wp:author>\n"
        )
    for category in Category.objects.order_by("pk"):
        yield (
            f"\t<wp:category><wp:term_id>{category.pk}</wp:term_id>"
            f"<wp:category_nicename>{cdata(category.slug)}</wp:category_nicename>"
            f"<wp:category_parent></wp:category_parent><wp:cat_name>{cdata(category.name)}</wp:cat_name>"
            f"<wp:category_description>{cdata(category.description)}</wp:category_description></wp:category>\n"
        )
    for tag in Tag.objects.order_by("pk"):
        yield (
            f"\t<wp:tag><wp:term_id>{tag.pk}</wp:term_id><wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(tag.name)}</wp:tag_name></wp:tag>\n"
        )
    posts = Post.objects.select_related("author", "category").prefetch_related("tags", "references")
    for post in posts.order_by("pk").iterator(chunk_size=100):
        yield from _item(post, site)
    yield "</channel>\n</rss>\n"


# The page's "¶" self-links beside headings are chrome, not the author's text.
HEADING_SELF_LINK = re.compile(r'\s*<a [^>]*class="heading-link"[^>]*>¶</a>')


def _content(post) -> str:
    body = HEADING_SELF_LINK.sub("", post.body_html)
    references = list(post.references.all())
    if not references:
        return body
    entries = "".join(
        f"<li>{escape(ref.citation_text())}"
        + (f" doi:{escape(ref.doi)}" if ref.doi else "")
        + (f" PMID: {escape(ref.pmid)}" if ref.pmid else "")
        + "</li>"
        for ref in references
    )
    return f"{body}\n<h2>References</h2>\n<ol>{entries}</ol>"


def _item(post, site: str) -> Iterator[str]:
    link = site + post.get_absolute_url()
    terms = ""
    if post.category_id:
        terms += (f'\t\t<category domain="category" nicename={quoteattr(post.category.slug)}>'
                  f"{cdata(post.category.name)}</category>\n")  # fmt: skip
    for tag in post.tags.all():
        terms += f'\t\t<category domain="post_tag" nicename={quoteattr(tag.slug)}>{cdata(tag.name)}</category>\n'
    guid = post.source_guid or f"{site}/?p={post.pk}"
    yield f"""	<item>
		<title>{escape(post.title)}</title>
		<link>{escape(link)}</link>
		<dc:creator>{cdata(post.author.username)}</dc:creator>
		<guid isPermaLink="false">{escape(guid)}</guid>
		<description></description>
		<content:encoded>{cdata(_content(post))}</content:encoded>
		<excerpt:encoded>{cdata(escape(post.standfirst))}</excerpt:encoded>
		<wp:post_id>{post.pk}</wp:post_id>
		<wp:post_date>{gmt(post.published_at)}</wp:post_date>
		<wp:post_date_gmt>{gmt(post.published_at)}</wp:post_date_gmt>
		<wp:comment_status>{"open" if post.comments_open else "closed"}</wp:comment_status>
		<wp:ping_status>closed</wp:ping_status>
		<wp:post_name>{cdata(post.slug)}</wp:post_name>
		<wp:status>{POST_STATUSES.get(post.status, "draft")}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>post</wp:post_type>
		<wp:post_password></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
{terms}"""
    comments = Comment.objects.filter(post=post).select_related("user").order_by("tree_id", "lft")
    for comment in comments.iterator(chunk_size=1000):
        yield _comment(comment)
    yield "\t</item>\n"


def _comment(comment) -> str:
    user = comment.user
    deleted = comment.deleted_at is not None
    status = "trash" if deleted else COMMENT_STATUSES.get(comment.status, "0")
    # A comment its writer deleted keeps its place in the thread, not its words.
    body = "" if deleted else comment.body_html
    return f"""		<wp:comment>
			<wp:comment_id>{comment.pk}</wp:comment_id>
			<wp:comment_author>{cdata(comment.display_name)}</wp:comment_author>
			<wp:comment_author_email>{cdata(user.email if user else comment.author_email)}</wp:comment_author_email>
			<wp:comment_author_url>{escape(comment.author_url)}</wp:comment_author_url>
			<wp:comment_author_IP></wp:comment_author_IP>
			<wp:comment_date>{gmt(comment.created_at)}</wp:comment_date>
			<wp:comment_date_gmt>{gmt(comment.created_at)}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(body)}</wp:comment_content>
			<wp:comment_approved>{status}</wp:comment_approved>
			<wp:comment_type>comment</wp:comment_type>
			<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>
			<wp:comment_user_id>{user.pk if user else 0}</wp:comment_user_id>
		</wp:comment>
"""
