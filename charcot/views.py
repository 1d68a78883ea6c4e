"""Error pages in the site's own layout."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception):
    # Without the request context, as for 500: the request itself could not be read.
    template = loader.get_template("400.html")
    return HttpResponseBadRequest(template.render({"SITE_NAME": settings.SITE_NAME}))


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request context: whatever broke may be in a context processor.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))
