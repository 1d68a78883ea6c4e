"""Placeholder avatars for people without an account (anonymous commenters, former members)."""

from django import template

from accounts.models import avatar_colour_for, initials_for

register = template.Library()


@register.filter
def initials(name: str) -> str:
    return initials_for(str(name))


@register.filter
def avatar_colour(name: str) -> int:
    return avatar_colour_for(str(name))
