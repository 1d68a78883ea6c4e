import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import roles
from tests.factories import UserFactory


@pytest.fixture
def role_group(db):
    """The role group by name, created if a flushed database lost it."""

    def get(name: str) -> Group:
        roles.sync_role_groups()
        return Group.objects.get(name=name)

    return get


@pytest.fixture
def author_role(role_group):
    return UserFactory(
        username="writer", display_name="Prof G", groups=[role_group(roles.AUTHORS)], is_staff=True
    )


@pytest.fixture
def editor(role_group):
    return UserFactory(
        username="editor", display_name="Eddie", groups=[role_group(roles.EDITORS)], is_staff=True
    )


@pytest.fixture
def moderator_role(role_group):
    return UserFactory(
        username="mod", display_name="Mo", groups=[role_group(roles.MODERATORS)], is_staff=True
    )


def image_upload(
    name="photo.jpg", size=(300, 200), fmt="JPEG", exif=None, colour=(200, 40, 40)
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)
