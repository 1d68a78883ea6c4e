"""Template context shared by every page."""

from django.conf import settings

from .absolute import site_origin


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        # Absolute links in pages follow the one rule (charcot.absolute): SITE_URL.
        "SITE_ORIGIN": site_origin(),
    }
