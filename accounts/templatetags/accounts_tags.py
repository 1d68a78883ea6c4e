"""Avatars in templates: a member's picture or initials, or an anonymous person's initials."""

from django import template

from accounts.avatars import avatar_html

register = template.Library()


@register.simple_tag
def avatar(person=None, name="", size="small"):
    return avatar_html(person, name, size)
