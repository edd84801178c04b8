"""Stories and everything printed with them: bylines, images, quotes, related links."""

import reversion
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from people.models import Author, Official

from .rendering import render_markdown


def now_to_the_second():
    """The current time without microseconds.

    Stored times are whole seconds so that a JSON backup, which keeps only
    milliseconds, restores them exactly.
    """
    return timezone.now().replace(microsecond=0)


class CategoryManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Category(models.Model):
    """A section of the site, e.g. Politics."""

    name = models.CharField(max_length=100, unique=True, help_text="Section name, e.g. “Politics”.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the section's address.")
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")

    objects = CategoryManager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name = "category"
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


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


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Stories readers may see: published, and not scheduled for later.

        A published story whose date is unknown (imported without one) is
        visible; a future date keeps it hidden until that moment arrives.
        """
        now = now or timezone.now()
        return self.filter(
            Q(published_at__isnull=True) | Q(published_at__lte=now),
            status=Article.Status.PUBLISHED,
        )

    def newest_first(self):
        """Newest first; stories of unknown date after all dated ones."""
        return self.order_by(F("published_at").desc(nulls_last=True), "-pk")

    def with_listing_relations(self):
        """Everything a story teaser prints, fetched in a fixed number of queries."""
        return self.select_related("category", "featured_image").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


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
            models.Index(fields=["status", "published_at"], name="article_status_published"),
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
        article._stored_slug = getattr(article, "slug", None)
        article._stored_status = getattr(article, "status", None)
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


class TaggedArticleManager(models.Manager):
    def get_by_natural_key(self, article_slug, tag_name):
        return self.get(content_object__slug=article_slug, tag__name=tag_name)


class TaggedArticle(TaggedItemBase):
    """Links a story to a tag with a real foreign key, so tag queries can join and index."""

    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = TaggedArticleManager()

    class Meta:
        verbose_name = "tagged story"
        verbose_name_plural = "tagged stories"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")
        ]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["articles.article", "taggit.tag"]


class BylineManager(models.Manager):
    def get_by_natural_key(self, article_slug, author_slug):
        return self.get(article__slug=article_slug, author__slug=author_slug)


class Byline(models.Model):
    """One author's credit on one story, with the title printed for that story."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Bylines print in this order, lowest first."
    )
    title = models.CharField(
        "title on this story",
        max_length=200,
        blank=True,
        help_text="Printed with the name on this story; the author's job title when empty.",
    )

    objects = BylineManager()

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = "byline"
        verbose_name_plural = "bylines"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once")
        ]

    def __str__(self):
        return f"{self.author.name}, {self.title}" if self.title else self.author.name

    def save(self, *args, **kwargs):
        # Freeze the title at the time of writing: a later promotion must not
        # rewrite what was printed on old stories.
        if not self.title and self.author_id:
            self.title = self.author.job_title
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.article.slug, self.author.slug)

    natural_key.dependencies = ["articles.article", "people.author"]


class Quote(models.Model):
    """Words quoted in a story, verbatim, with who said them and how."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Quotes are listed in the order they appear in the story."
    )
    text = models.TextField(help_text="The words exactly as the story prints them.")
    speakers = models.ManyToManyField(
        Official,
        related_name="quotes",
        blank=True,
        help_text="Who said it. Several for a joint statement or letter.",
    )
    context = models.CharField(
        "how it was said",
        max_length=500,
        blank=True,
        help_text="e.g. “during a briefing”, “in a statement”, “in a letter to …”.",
    )
    attribution = models.CharField(
        max_length=255,
        blank=True,
        help_text="For words from a document or an institution rather than a person, e.g. "
        "“government documents”.",
    )

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = "quote"
        verbose_name_plural = "quotes"

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"


class RelatedLink(models.Model):
    """An editor's pick of further reading: one of our stories, or a headline elsewhere."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lowest first.")
    target = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="linked_from",
        help_text="One of our stories. Leave empty to give a headline from elsewhere.",
    )
    headline = models.CharField(
        max_length=300, blank=True, help_text="For a story elsewhere: its headline."
    )
    url = models.URLField(
        "address", max_length=1000, blank=True, help_text="For a story elsewhere: its address."
    )

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = "related link"
        verbose_name_plural = "related links"
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False) & Q(headline="") & Q(url=""))
                | (Q(target__isnull=True) & ~Q(headline="")),
                name="related_link_story_or_headline",
                violation_error_message="Choose one of our stories, or give a headline from "
                "elsewhere, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(target=F("article")),
                name="related_link_not_to_itself",
                violation_error_message="A story cannot be related to itself.",
            ),
        ]

    def __str__(self):
        return self.target.headline if self.target_id else self.headline

    @property
    def is_external(self) -> bool:
        return self.target_id is None


class Correction(models.Model):
    """A dated note appended to a published story: a correction of fact, or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
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
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(default=now_to_the_second, editable=False)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "old story address"
        verbose_name_plural = "old story addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


# A revision is the story as readers would see it: its own fields with the
# bylines, quotes, related links and tags saved alongside.
reversion.register(Byline)
reversion.register(Quote)
reversion.register(RelatedLink)
reversion.register(TaggedArticle)
reversion.register(Article, follow=["bylines", "quotes", "related_links", "tagged_items"])
