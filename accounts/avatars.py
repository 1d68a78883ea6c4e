"""A person's avatar as HTML: their picture, or their initials on a colour from their name.

A function rather than a template include because a long discussion draws one per
comment; the `{% avatar %}` tag serves the templates. Decorative: the name is always shown
next to it, so pictures have empty alt text and initials are hidden from screen readers.
"""

from html import escape  # Django's escape() is this plus a str() and a SafeString wrapper

from django.utils.safestring import SafeString

from .models import avatar_colour_for, initials_for

PIXELS = {"small": 40, "large": 128}


def avatar_html(person=None, name: str = "", size: str = "small") -> SafeString:
    """`person` is a User, or None for anonymous commenters (then `name` is used)."""
    size = size if size in PIXELS else "small"
    if person is not None:
        picture = person.avatar_large if size == "large" else person.avatar_small
        return avatar_markup(picture.url if picture else "", person.public_name, size)
    return avatar_markup("", name, size)


def avatar_markup(picture_url: str, name: str, size: str = "small") -> SafeString:
    """The avatar from a picture's URL ("" for none) and the name it stands beside: what
    avatar_html draws for a User, for callers holding plain rows (comments.fragments)."""
    size_class = " avatar--large" if size == "large" else ""
    if picture_url:
        pixels = PIXELS[size]
        html = (
            f'<img class="avatar{size_class}" src="{escape(picture_url)}" width="{pixels}"'
            f' height="{pixels}" alt="" loading="lazy">'
        )
        return SafeString(html)  # safe: the only value from outside is escaped
    html = (
        f'<span class="avatar{size_class} avatar--c{avatar_colour_for(name)}"'
        f' aria-hidden="true">{escape(initials_for(name))}</span>'
    )
    return SafeString(html)  # safe: the initials are escaped, the rest is ours
