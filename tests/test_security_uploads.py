"""Pictures uploaded through the admin: real pictures only, within limits, under safe names."""

import io
import os
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Image

pytestmark = pytest.mark.django_db

ADD_IMAGE = "/admin/articles/image/add/"
STORED_NAME = re.compile(r"^images/(\d{4})/(\d{2})/[0-9a-f]{32}\.(jpg|png|gif|webp)$")
NOT_A_PICTURE = "This file is not a picture the site can show"


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", None))
    return client


def picture(image_format="PNG", size=(64, 48), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new(mode, size, (30, 120, 200) if mode == "RGB" else 1).save(
        buffer, format=image_format
    )
    return buffer.getvalue()


def upload(editor, name, content, content_type="application/octet-stream"):
    """Post the admin's add form as a browser does, with the file and a description."""
    return editor.post(
        ADD_IMAGE,
        {
            "picture": SimpleUploadedFile(name, content, content_type=content_type),
            "external_url": "",
            "alt_text": "The harbour bridge at dusk",
            "cutline": "The bridge reopened on Monday.",
            "credit": "Staff photographer",
        },
    )


def form_errors(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    return " ".join(str(error) for error in response.context["adminform"].form.errors.values())


def stored_files(media_folder) -> list[str]:
    return [
        os.path.relpath(os.path.join(folder, name), media_folder)
        for folder, _, names in os.walk(media_folder)
        for name in names
    ]


@pytest.mark.parametrize(
    ("image_format", "extension"),
    [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")],
)
def test_a_real_picture_is_stored_under_a_generated_name(
    editor, media_folder, image_format, extension
):
    content = picture(image_format, size=(64, 48))

    response = upload(editor, "Bridge at dusk (final) ünï.png", content, "image/png")

    assert response.status_code == 302
    image = Image.objects.get()
    match = STORED_NAME.match(image.picture.name)
    assert match, image.picture.name
    today = timezone.localdate()
    assert match.groups() == (f"{today:%Y}", f"{today:%m}", extension)
    assert (image.width, image.height) == (64, 48)
    assert (media_folder / image.picture.name).read_bytes() == content
    assert image.src == f"/media/{image.picture.name}"


def test_the_name_given_by_the_uploader_is_never_used(editor, media_folder):
    response = upload(editor, "../../../etc/evil.html.png", picture("PNG"), "text/html")

    assert response.status_code == 302
    assert STORED_NAME.match(Image.objects.get().picture.name)
    assert all(STORED_NAME.match(name) for name in stored_files(media_folder))


def test_a_picture_that_claims_another_type_is_named_for_what_it_is(editor):
    upload(editor, "photo.jpg", picture("PNG"), "image/jpeg")

    assert Image.objects.get().picture.name.endswith(".png")


def test_an_svg_is_refused_with_a_clear_error(editor, media_folder):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    )

    response = upload(editor, "logo.svg", svg, "image/svg+xml")

    assert NOT_A_PICTURE in form_errors(response)
    assert "JPEG, PNG, GIF or WebP" in form_errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_folder) == []


def test_an_html_file_named_like_a_jpeg_is_refused(editor, media_folder):
    page = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

    response = upload(editor, "holiday.jpg", page, "image/jpeg")

    assert NOT_A_PICTURE in form_errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_folder) == []


def test_a_picture_format_browsers_do_not_all_show_is_refused(editor):
    response = upload(editor, "scan.bmp", picture("BMP"), "image/bmp")

    assert "This is a BMP file; upload a JPEG, PNG, GIF or WebP picture" in form_errors(response)
    assert not Image.objects.exists()


def test_a_file_over_the_size_limit_is_refused(editor, media_folder):
    # Random pixels do not compress: a 1900 × 1900 PNG weighs over 10 MB.
    noise = PillowImage.frombytes("RGB", (1900, 1900), os.urandom(1900 * 1900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > 10 * 1024 * 1024

    response = upload(editor, "huge.png", buffer.getvalue(), "image/png")

    errors = form_errors(response)
    assert "pictures may be at most 10.0\xa0MB" in errors
    assert not Image.objects.exists()
    assert stored_files(media_folder) == []


def test_a_picture_with_too_many_pixels_is_refused(editor):
    # 8000 × 8000 one-bit pixels: a small file that would take 192 MB to show.
    response = upload(editor, "bomb.png", picture("PNG", size=(8000, 8000), mode="1"))

    errors = form_errors(response)
    assert "This picture is 8000 × 8000 pixels; pictures may have at most 50 million" in errors
    assert not Image.objects.exists()


def test_a_truncated_picture_is_refused(editor):
    response = upload(editor, "cut.jpg", picture("JPEG", size=(400, 300))[:200], "image/jpeg")

    assert NOT_A_PICTURE in form_errors(response)


def test_editing_the_words_of_a_stored_picture_keeps_the_file(editor):
    upload(editor, "bridge.png", picture("PNG"), "image/png")
    image = Image.objects.get()

    response = editor.post(
        f"/admin/articles/image/{image.pk}/change/",
        {
            "external_url": "",
            "alt_text": "The bridge, lit",
            "cutline": "Reopened.",
            "credit": "Staff",
        },
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "The bridge, lit"
    assert STORED_NAME.match(image.picture.name)
