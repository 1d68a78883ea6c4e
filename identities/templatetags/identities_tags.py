from django import template

from identities import providers

register = template.Library()


@register.simple_tag
def external_providers() -> list:
    """The sign-in providers this site is configured with (from settings: no query)."""
    return providers.configured()
