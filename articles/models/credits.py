"""What a story credits and cites: bylines, quotes, related links and tags."""

from django.db import models
from django.db.models import F, Q
from taggit.models import TaggedItemBase

from people.models import Author, Official


class TaggedArticleManager(models.Manager):
    def get_by_natural_key(self, article_slug, tag_name):
        return self.get(content_object__slug=article_slug, tag__name=tag_name)


class TaggedArticle(TaggedItemBase):
    """Links a story to a tag with a real foreign key, so tag queries can join and index."""

    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = TaggedArticleManager()

    class Meta:
        verbose_name = "tagged story"
        verbose_name_plural = "tagged stories"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")
        ]
        # A tag's stories straight from the index, without reading the rows.
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_article_by_tag")]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["articles.article", "taggit.tag"]


class BylineManager(models.Manager):
    def get_by_natural_key(self, article_slug, author_slug):
        return self.get(article__slug=article_slug, author__slug=author_slug)


class Byline(models.Model):
    """One author's credit on one story, with the title printed for that story."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
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
        # An author's stories straight from the index, without reading the rows.
        indexes = [models.Index(fields=["author", "article"], name="byline_by_author")]

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

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
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

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_links"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lowest first.")
    target = models.ForeignKey(
        "articles.Article",
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
