"""Pictures and what is printed with them."""

import uuid
from pathlib import PurePath

from django import forms
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone

from ..validators import NOT_A_PICTURE, PICTURE_EXTENSIONS, picture_format, validate_picture


def picture_upload_path(instance, filename: str) -> str:
    """Where an uploaded picture is stored: images/YYYY/MM/<random>.<its real format>.

    The uploader's file name is never used: it may clash with another, carry
    characters unsafe in addresses, or claim a type the file is not. By the
    time this runs, PictureFile.save has replaced it with a name whose
    extension is the format Pillow reads in the file itself.
    """
    extension = PurePath(filename).suffix.lower()
    return f"images/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"


class PictureFile(ImageFieldFile):
    """A stored picture, named for the format it really is."""

    def save(self, name, content, save=True):
        extension = PICTURE_EXTENSIONS.get(picture_format(content) or "")
        if extension is None:
            # Only a file saved without validation gets here: keep no
            # extension a browser would act on.
            extension = "bin"
        super().save(f"picture.{extension}", content, save)


class PictureFormField(forms.ImageField):
    """An image upload that says plainly which formats it takes.

    The file's own extension is not checked: the stored file is named after
    the format Pillow finds in it (PictureFile).
    """

    default_validators = []
    default_error_messages = {"invalid_image": NOT_A_PICTURE}

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"
        return attrs


class PictureField(models.ImageField):
    """An uploaded picture: JPEG, PNG, GIF or WebP, within the size limits (validate_picture)."""

    attr_class = PictureFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})


class Image(models.Model):
    """A picture with its cutline, credit and alt text.

    The picture is either an uploaded file or an address elsewhere. A story may
    carry a cutline and credit whose picture the newsroom does not have; the
    record keeps those facts and pages show them as text.
    """

    picture = PictureField(
        upload_to=picture_upload_path,
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_picture],
        help_text="Upload a JPEG, PNG, GIF or WebP.",
    )
    external_url = models.URLField(
        "picture address",
        max_length=1000,
        blank=True,
        help_text="Use instead of an upload when the picture lives at another address.",
    )
    alt_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required to publish "
        "a story with a picture.",
    )
    cutline = models.TextField(blank=True, help_text="The caption printed under the picture.")
    credit = models.CharField(
        max_length=255, blank=True, help_text="Photographer or agency, e.g. “Getty Images”."
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"
        constraints = [
            models.CheckConstraint(
                condition=Q(picture="") | Q(external_url=""),
                name="image_upload_or_address_not_both",
                violation_error_message="Upload a picture or give its address, not both.",
            ),
        ]

    def __str__(self):
        return self.cutline or self.alt_text or self.credit or f"Image {self.pk}"

    @property
    def src(self) -> str:
        """Where a browser fetches the picture; empty when there is none."""
        if self.picture:
            return self.picture.url
        return self.external_url

    @property
    def has_picture(self) -> bool:
        return bool(self.picture or self.external_url)
