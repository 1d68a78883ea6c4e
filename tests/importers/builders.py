"""Exports written for the tests: WXR and Blogger files built from plain dictionaries."""

from xml.sax.saxutils import escape, quoteattr

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
  <title>Old MS blog</title>
  <link>https://old.example</link>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>https://old.example</wp:base_site_url>
  <wp:base_blog_url>https://old.example</wp:base_blog_url>
"""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_author(*, id, login, email="", name=""):
    return {"id": id, "login": login, "email": email, "name": name or login}


def wxr_comment(id, *, parent=0, author="Reader", email="", url="", ip="", date="2020-01-02 10:00:00",
                approved="1", type="", user_id=0, content="A comment."):  # fmt: skip
    return dict(locals())


def wxr_post(id, *, title="A post", slug=None, status="publish", type="post", date="2020-01-01 09:00:00",
             creator="prof", content="<p>Body</p>", excerpt="", categories=(), tags=(), comments=(),
             password="", link=None, comment_status="open"):  # fmt: skip
    values = dict(locals())
    values["slug"] = slug if slug is not None else f"post-{id}"
    values["link"] = link or f"https://old.example/{date[:4]}/{date[5:7]}/{values['slug']}/"
    return values


def _comment_xml(c) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{c["id"]}</wp:comment_id>
      <wp:comment_author>{cdata(c["author"])}</wp:comment_author>
      <wp:comment_author_email>{escape(c["email"])}</wp:comment_author_email>
      <wp:comment_author_url>{escape(c["url"])}</wp:comment_author_url>
      <wp:comment_author_IP>{escape(c["ip"])}</wp:comment_author_IP>
      <wp:comment_date>{c["date"]}</wp:comment_date>
      <wp:comment_date_gmt>{c["date"]}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(c["content"])}</wp:comment_content>
      <wp:comment_approved>{c["approved"]}</wp:comment_approved>
      <wp:comment_type>{c["type"]}</wp:comment_type>
      <wp:comment_parent>{c["parent"]}</wp:comment_parent>
      <wp:comment_user_id>{c["user_id"]}</wp:comment_user_id>
    </wp:comment>"""


def _post_xml(p) -> str:
    terms = "".join(
        f'\n    <category domain="category" nicename={quoteattr(slug)}>{cdata(name)}</category>'
        for slug, name in p["categories"]
    ) + "".join(
        f'\n    <category domain="post_tag" nicename={quoteattr(slug)}>{cdata(name)}</category>'
        for slug, name in p["tags"]
    )
    return f"""
  <item>
    <title>{escape(p["title"])}</title>
    <link>{escape(p["link"])}</link>
    <pubDate>Wed, 01 Jan 2020 09:00:00 +0000</pubDate>
    <dc:creator>{cdata(p["creator"])}</dc:creator>
    <guid isPermaLink="false">https://old.example/?p={p["id"]}</guid>
    <description></description>
    <content:encoded>{cdata(p["content"])}</content:encoded>
    <excerpt:encoded>{cdata(p["excerpt"])}</excerpt:encoded>
    <wp:post_id>{p["id"]}</wp:post_id>
    <wp:post_date>{p["date"]}</wp:post_date>
    <wp:post_date_gmt>{p["date"]}</wp:post_date_gmt>
    <wp:comment_status>{p["comment_status"]}</wp:comment_status>
    <wp:post_name>{escape(p["slug"])}</wp:post_name>
    <wp:status>{p["status"]}</wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:post_type>{p["type"]}</wp:post_type>
    <wp:post_password>{escape(p["password"])}</wp:post_password>{terms}{"".join(_comment_xml(c) for c in p["comments"])}
  </item>"""


def wxr(*, posts=(), authors=(), categories=(), version="1.2", head="") -> bytes:
    parts = [WXR_HEAD.format(version=version), head]
    for a in authors:
        parts.append(f"""
  <wp:author><wp:author_id>{a["id"]}</wp:author_id><wp:author_login>{cdata(a["login"])}</wp:author_login>
    <wp:author_email>{cdata(a["email"])}</wp:author_email><wp:author_display_name>{cdata(a["name"])}</wp:author_display_name>
    <wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>""")
    for slug, name, parent in categories:
        parts.append(f"""
  <wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>{escape(slug)}</wp:category_nicename>
    <wp:category_parent>{escape(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>""")
    parts += [_post_xml(p) for p in posts]
    parts.append("\n</channel>\n</rss>\n")
    return "".join(parts).encode()


BLOG = "tag:blogger.com,1999:blog-42"


def blogger_classic(*, posts=(), comments=()) -> bytes:
    """The classic Blogger export: kind#post and kind#comment entries, comments apart."""
    entries = []
    for p in posts:
        draft = "<app:control><app:draft>yes</app:draft></app:control>" if p.get("draft") else ""
        labels = "".join(f'<category scheme="http://www.blogger.com/atom/ns#" term={quoteattr(label)}/>'
                         for label in p.get("labels", ()))  # fmt: skip
        entries.append(f"""
  <entry>
    <id>{BLOG}.post-{p["id"]}</id>
    <published>{p["published"]}</published>
    <category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#{p.get("kind", "post")}"/>{labels}
    <title type="text">{escape(p["title"])}</title>
    <content type="html">{escape(p["content"])}</content>
    <link rel="alternate" type="text/html" href="https://old.blogspot.com{p["path"]}"/>
    <author><name>{escape(p.get("author", "Prof G"))}</name><uri>https://www.blogger.com/profile/1</uri><email>noreply@blogger.com</email></author>
    {draft}
  </entry>""")
    for c in comments:
        related = (f'<link rel="related" href="https://www.blogger.com/feeds/42/{c["post"]}/comments/default/{c["parent"]}"/>'
                   if c.get("parent") else "")  # fmt: skip
        entries.append(f"""
  <entry>
    <id>{BLOG}.post-{c["id"]}</id>
    <published>{c["published"]}</published>
    <category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#comment"/>
    <title type="text">c</title>
    <content type="html">{escape(c["content"])}</content>
    <link rel="alternate" type="text/html" href="https://old.blogspot.com/x.html?showComment=1#c{c["id"]}"/>{related}
    <author><name>{escape(c.get("author", "Reader"))}</name><uri>{escape(c.get("uri", ""))}</uri><email>noreply@blogger.com</email></author>
    <thr:in-reply-to href="https://old.blogspot.com/x.html" ref="{BLOG}.post-{c["post"]}" type="text/html"/>
  </entry>""")
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:openSearch="http://a9.com/-/spec/opensearchrss/1.0/"
  xmlns:app="http://purl.org/atom/app#" xmlns:thr="http://purl.org/syndication/thread/1.0">
  <id>{BLOG}</id>
  <title type="text">Old Blogger blog</title>
  <link rel="alternate" type="text/html" href="https://old.blogspot.com/"/>{"".join(entries)}
</feed>
""".encode()


def blogger_new(*, entries=()) -> bytes:
    """The newer export (Takeout): blogger:type, blogger:status, blogger:parent."""
    parts = []
    for e in entries:
        parent = (
            f"<blogger:parent>{BLOG}.post-{e['parent']}</blogger:parent>" if e.get("parent") else ""
        )
        filename = (
            f"<blogger:filename>{e['filename']}</blogger:filename>" if e.get("filename") else ""
        )
        parts.append(f"""
  <entry>
    <id>{BLOG}.post-{e["id"]}</id>{parent}
    <blogger:type>{e["type"]}</blogger:type>
    <blogger:status>{e.get("status", "LIVE")}</blogger:status>
    <author><name>{escape(e.get("author", "Reader"))}</name><uri>{escape(e.get("uri", ""))}</uri><blogger:type>BLOGGER</blogger:type></author>
    <title>{escape(e.get("title", ""))}</title>
    <content type="html">{escape(e["content"])}</content>
    <blogger:created>{e["published"]}</blogger:created>
    <published>{e["published"]}</published>
    <updated>{e["published"]}</updated>{filename}
  </entry>""")
    return f"""<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <id>{BLOG}</id>
  <title>Old Blogger blog</title>{"".join(parts)}
</feed>
""".encode()
