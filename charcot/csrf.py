"""CSRF failures that lose nobody's writing: the typed text comes back with a fresh token.

A token goes stale when a reader leaves a comment form open for hours or signs in from
another tab. Re-offering their text is only done for requests from our own pages (same
Origin or Referer), so a cross-site forgery never gets a pre-filled form to click.
"""

from urllib.parse import urlsplit

from django.shortcuts import render

# Never echo secrets back into a page, even to their owner.
NEVER_ECHOED = ("password", "token", "csrfmiddlewaretoken", "secret")


def _from_our_own_page(request) -> bool:
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    return bool(parts.netloc) and parts.netloc == request.get_host()


def _kept_fields(request) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(text the reader wrote, shown for editing; everything else, carried as hidden fields)."""
    visible, hidden = [], []
    for name, values in request.POST.lists():
        if any(word in name.lower() for word in NEVER_ECHOED):
            continue
        for value in values:
            written = len(value) > 80 or "\n" in value
            (visible if written else hidden).append((name, value))
    return visible, hidden


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """Explain the expired form and offer the reader's text back with a fresh token."""
    visible, hidden = _kept_fields(request) if _from_our_own_page(request) else ([], [])
    return render(
        request,
        template_name,
        {"kept_visible": visible, "kept_hidden": hidden, "action": request.path},
        status=403,
    )
