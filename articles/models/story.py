"""The story itself; what readers may see is decided in querysets.py."""

from django.conf import settings
from django.db import models
from django.db.models import F, OrderBy, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager

from people.models import Author

from ..rendering import render_markdown
from .corrections import SlugRedirect
from .media import Image
from .querysets import ArticleManager
from .sections import Category
from .timestamps import now_to_the_second


class NewestFirstIndex(models.Index):
    """An index whose order includes `published_at DESC NULLS LAST`, as `newest_first()` sorts.

    SQLite's index syntax has no NULLS clause, and needs none: its DESC already
    puts NULLs last. PostgreSQL needs it to read the index in that order.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor == "sqlite":
            index = self.clone()
            index.expressions = [
                OrderBy(expression.expression, descending=expression.descending)
                if isinstance(expression, OrderBy)
                else expression
                for expression in self.expressions
            ]
        return super(NewestFirstIndex, index).create_sql(model, schema_editor, using, **kwargs)


class Article(models.Model):
    """A news story."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = models.CharField(max_length=300, help_text="The story's title as readers see it.")
    slug = models.SlugField(
        max_length=255,
        unique=True,
        help_text="The story's address. Changing it on a published story breaks links.",
    )
    subheadline = models.CharField(
        "dek",
        max_length=500,
        blank=True,
        help_text="The line under the headline that sells the story.",
    )
    body = models.TextField(
        blank=True,
        help_text="The story in Markdown: a blank line between paragraphs, **bold**, "
        "*italic*, [links](https://example.com), “## ” for a subheading.",
    )
    excerpt = models.TextField(
        blank=True,
        help_text="Optional summary for lists, feeds and search engines; the dek is used "
        "when empty.",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        help_text="When readers may first see the story. A future time schedules it. Leave "
        "empty only when the date is unknown.",
    )
    publication_time_known = models.BooleanField(
        "time of day known",
        default=True,
        help_text="Untick when only the day is known; readers then see the date alone.",
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The section the story belongs to.",
    )
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The picture at the top of the story, with its cutline and credit.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = TaggableManager(
        through="TaggedArticle",
        blank=True,
        help_text="Topics, separated by commas.",
        # Alphabetical everywhere, so pages and feeds print a story's tags in
        # the same order on every database and after a backup is restored.
        ordering=["name"],
    )
    source_reference = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where the story came from when it was imported, e.g. a file name. "
        "Re-imports update the story with the same reference.",
    )
    editorial_note = models.TextField(
        blank=True,
        help_text="For the newsroom only, never shown to readers: sources, and how facts "
        "the story does not state were established.",
    )
    created_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the story entered the newsroom."
    )
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_stories",
        help_text="Whoever started the story; reporters may edit their own until it is published.",
    )
    edit_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save, so an editor saving a stale copy can be stopped.",
    )

    objects = ArticleManager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories"),
            ("preview_article", "Can preview unpublished stories"),
        ]
        indexes = [
            # Story lists read newest first along these, so a page stops after
            # its own stories; the section's pages and related stories use the
            # second. The search index is made apart (articles.search).
            NewestFirstIndex(
                F("status"),
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="article_newest_first",
            ),
            NewestFirstIndex(
                F("category"),
                F("status"),
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="article_section_newest_first",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | (~Q(headline="") & ~Q(body="") & ~Q(slug="")),
                name="article_published_needs_headline_body_slug",
                violation_error_message="A published story needs a headline, a body and a slug.",
            ),
            models.UniqueConstraint(
                fields=["source_reference"],
                condition=~Q(source_reference=""),
                name="article_unique_source_reference",
                violation_error_message="Another story was imported from this source.",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        now = now_to_the_second()
        if self.published_at is not None:
            self.published_at = self.published_at.replace(microsecond=0)
        if self._state.adding and self.created_at is None:
            self.created_at = now
        self.updated_at = now
        if self.pk is not None:
            self.edit_version = (self.edit_version or 0) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at", "created_at", "edit_version"}
        super().save(*args, **kwargs)
        self._keep_old_address_working()
        self._stored_slug, self._stored_status = self.slug, self.status

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # Remember the stored slug and status: a published story whose slug
        # changes must leave a redirect behind.
        # Read the instance dict: getattr on a field left out by .only() would
        # load it from the database, one query per row.
        article._stored_slug = article.__dict__.get("slug")
        article._stored_status = article.__dict__.get("status")
        return article

    def _keep_old_address_working(self):
        old_slug = getattr(self, "_stored_slug", None)
        if self.slug and self.slug != old_slug:
            # The current address must never redirect: that would loop.
            SlugRedirect.objects.filter(old_slug=self.slug).delete()
            if old_slug and getattr(self, "_stored_status", None) == self.Status.PUBLISHED:
                # Redirects point at the story, not at a slug, so every old
                # address reaches the current one in a single hop.
                SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)

    @property
    def summary(self) -> str:
        """One line for lists, feeds and meta descriptions."""
        return self.excerpt or self.subheadline

    @property
    def revised_at(self):
        """When the story was last changed after it first appeared, or None.

        A story loaded from elsewhere is recorded once and never revised, so
        its record time is not passed off as an editorial change.
        """
        first_seen = max(filter(None, [self.created_at, self.published_at]), default=None)
        if self.updated_at and first_seen and self.updated_at > first_seen:
            return self.updated_at
        return None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and (
            self.published_at is None or self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


@receiver(pre_save, sender=Article)
def keep_record_times_when_loading(sender, instance, raw, **kwargs):
    """Give stories loaded from a fixture the time they entered the newsroom.

    Fixtures carry no record times; a reload must not move them, so an
    existing story keeps the times it already has.
    """
    if not raw or instance.created_at is not None:
        return
    stored = (
        Article.objects.filter(pk=instance.pk).values("created_at", "updated_at").first()
        if instance.pk
        else None
    )
    if stored and stored["created_at"]:
        instance.created_at, instance.updated_at = stored["created_at"], stored["updated_at"]
    else:
        instance.created_at = instance.updated_at = now_to_the_second()
