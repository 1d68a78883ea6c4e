"""django-markdownx's preview and image upload, replaced: only authors and editors signed in
to the admin may use them, previews use the same sanitizer as published posts, and every
image is verified and re-encoded (random name, no EXIF) before it is stored."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from accounts import roles
from charcot.images import open_verified_image, reencode_image
from charcot.markdown import POST, render_markdown

from . import conf

UPLOAD_DIRECTORY = "markdownx/"


def may_write_posts(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.has_role(roles.AUTHORS) or user.has_role(roles.EDITORS))
    )


def _forbidden():
    return JsonResponse({"image": ["Only signed-in authors and editors may do this."]}, status=403)


@require_POST
def markdown_preview(request):
    if not may_write_posts(request.user):
        return _forbidden()
    # The preview explains what the page leaves out, such as an image from another site.
    return HttpResponse(render_markdown(request.POST.get("content", ""), POST, preview=True))


@require_POST
def image_upload(request):
    if not may_write_posts(request.user):
        return _forbidden()
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        image = reencode_image(open_verified_image(upload), max_side=conf.IMAGE_MAX_SIDE)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    name = default_storage.save(UPLOAD_DIRECTORY + image.name, image)
    # The alt text is a prompt the author replaces; an image without one fails WCAG.
    return JsonResponse({"image_code": f"![Describe this image]({default_storage.url(name)})"})
