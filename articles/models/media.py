"""Pictures and what is printed with them."""

from django.db import models
from django.db.models import Q


class Image(models.Model):
    """A picture with its cutline, credit and alt text.

    The picture is either an uploaded file or an address elsewhere. A story may
    carry a cutline and credit whose picture the newsroom does not have; the
    record keeps those facts and pages show them as text.
    """

    picture = models.ImageField(
        upload_to="images/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
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
