"""Comment requests over the size or field limits: a clear page with what could be read.

Django refuses a request body over DATA_UPLOAD_MAX_MEMORY_SIZE or with more fields than
DATA_UPLOAD_MAX_NUMBER_FIELDS before any view runs, with a bare 400. On the comment form
that lost the reader's text; here, wired as handler400, the form comes back with the
fields read from the start of the body (never more than the limit) and says why.
"""

import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse, QueryDict
from django.http.request import RawPostDataException
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

from blog.models import Post
from charcot.views import bad_request as site_bad_request

from . import conf
from .forms import comment_form_for
from .views import form_error, wants_json

KEPT_FIELDS = ("name", "email", "url", "body", "remember", "notify", "started")
# A percent escape cut off by the end of what was read.
CUT_ESCAPE = re.compile(r"%[0-9A-Fa-f]?\Z")

TOO_BIG = (
    "Your comment was not sent: it is far longer than a comment may be ({limit:,} "
    "characters). What could be read of your text is in the box: please shorten it and "
    "publish again."
)
TOO_MANY_FIELDS = (
    "Your comment was not sent: the form arrived with far more fields than it has. Your "
    "text is in the box: please press Publish again."
)

NOT_READ = (
    "Your comment was not sent: the form arrived too large to read. Go back with your "
    "browser's Back button: your text should still be in the box there."
)


def bad_request(request, exception):
    """handler400: on the comment form, explain the limit and give the text back."""
    if not isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return site_bad_request(request, exception)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is None or match.view_name != "comments:post" or request.method != "POST":
        return site_bad_request(request, exception)
    post = Post.objects.published().filter(pk=match.kwargs.get("post_pk")).first()
    if post is None:
        return site_bad_request(request, exception)
    too_big = isinstance(exception, RequestDataTooBig)
    message = TOO_BIG.format(limit=conf.BODY_MAX_LENGTH) if too_big else TOO_MANY_FIELDS
    status = 413 if too_big else 400
    if wants_json(request):
        # comments.js still has the text in the box; it only needs to be told.
        answer = {"ok": False, "message": message, "errors": {}, "csrf_token": get_token(request)}
        return JsonResponse(answer, status=status)
    data = readable_fields(request)
    if "body" not in data:
        message = NOT_READ
    form = comment_form_for(request, data=data)
    return form_error(request, post=post, form=form, message=message, status=status)


def readable_fields(request) -> QueryDict:
    """The comment form's fields from the start of an urlencoded body, up to the limit."""
    data = QueryDict(mutable=True)
    if request.content_type != "application/x-www-form-urlencoded":
        return data  # a multipart stream cannot be re-read once Django gave up on it
    try:
        raw = request.body  # read already when there were too many fields
    except RequestDataTooBig:
        raw = request.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)  # its start, unread yet
    except RawPostDataException:
        return data
    text = raw.decode("ascii", "replace")
    for name in KEPT_FIELDS:
        found = re.search(rf"(?:\A|&){name}=([^&]*)", text)
        if found:
            value = unquote_plus(CUT_ESCAPE.sub("", found[1]), errors="replace")
            data[name] = value.rstrip("\ufffd")  # a character cut in half at the end
    return data
