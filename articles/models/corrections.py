"""What happens to a story after publication: corrections and changed addresses."""

from django.conf import settings
from django.db import models

from .timestamps import now_to_the_second


class Correction(models.Model):
    """A dated note appended to a published story: a correction of fact, or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what is right now, as readers will see it."
    )
    published_at = models.DateTimeField(
        "date", default=now_to_the_second, help_text="When the note was added; shown to readers."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"
        indexes = [models.Index(fields=["-published_at"], name="correction_newest")]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”, {self.published_at:%Y-%m-%d}"


class SlugRedirect(models.Model):
    """An address a published story used to have; readers who follow it are sent on."""

    old_slug = models.SlugField(max_length=255, unique=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField(default=now_to_the_second, editable=False)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "old story address"
        verbose_name_plural = "old story addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
