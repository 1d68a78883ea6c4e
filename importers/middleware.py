"""Old links of imported posts answer 301: /?p=123 at once, other paths only as 404s.

Charcot's own URLs win: a path is looked up here only after every view said 404, so a
post, a month archive or any page of ours is never shadowed by an imported link.
"""

from django.http import HttpResponsePermanentRedirect

from . import redirects


class OldLinksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # The home page answers 200 to /?p=123, so WordPress's plain links are read first.
        if request.path == "/" and "p" in request.GET:
            target = redirects.for_query(request.GET)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = redirects.for_path(request.path, request.GET)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
