"""Writing a parsed story to the database: create it, or bring it up to date.

Only what the file states is written. A re-import leaves alone what the source
format cannot carry and an editor may have added (quotes and the officials
who said them, a worked-out date, an uploaded picture, an editorial note).
"""

from dataclasses import dataclass, field
from functools import cached_property

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Byline, Category, Image, RelatedLink
from people.models import Author

from .story import ParsedByline, ParsedImage, ParsedRelated, ParsedStory, StoryImportError

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

_IMAGE_ATTRIBUTES = ("picture", "external_url", "alt_text", "cutline", "credit")
# Room for the "_1" taggit appends when two tag names make the same slug.
_TAG_SLUG_LENGTH = Tag._meta.get_field("slug").max_length - 5


@dataclass
class SavedStory:
    """What importing one file did."""

    article: Article
    action: str  # CREATED, UPDATED or UNCHANGED
    changes: list[str] = field(default_factory=list)  # what an update changed
    notes: list[str] = field(default_factory=list)  # new authors, how links were resolved
    # A related story the file names is not in the database (yet); importing
    # the file again after that story arrives links it.
    has_unresolved_links: bool = False


def save_story(story: ParsedStory, *, status: str = "") -> SavedStory:
    """Create the story `story` describes, or update the one imported before.

    The earlier import is found by source reference, or by slug when that
    story has no source of its own (or the file names none). `status` overrides the file's; without
    either, a new story is a draft and an existing one keeps its status.

    Run it inside transaction.atomic(): on StoryImportError some rows may
    already be written, and only a rollback keeps the database whole.
    """
    return _StoryWriter(story, status).save()


class _StoryWriter:
    def __init__(self, story: ParsedStory, status: str):
        self.story = story
        self.status = status
        self.changes: list[str] = []
        self.notes: list[str] = []
        self.has_unresolved_links = False

    def save(self) -> SavedStory:
        # One revision per import, recorded once the story is whole, so the
        # history shows it with the bylines, tags and links it arrived with.
        with reversion.create_revision(manage_manually=True):
            article = self._existing_story()
            created = article is None
            if created:
                article = Article(slug=self._slug_for_new_story)
            self._set_fields(article)
            self._set_category(article)
            self._set_image(article)
            self._validate(article, self._article_field_line)
            if created:
                article.save()
            self._sync_bylines(article)
            self._sync_tags(article)
            self._sync_related_links(article)
            if self.changes and not created:
                article.save()
            if created or self.changes:
                reversion.set_comment(f"Imported from {self.story.file_name}")
                reversion.add_to_revision(article)
        return SavedStory(
            article=article,
            action=CREATED if created else UPDATED if self.changes else UNCHANGED,
            changes=[] if created else self.changes,
            notes=self.notes,
            has_unresolved_links=self.has_unresolved_links,
        )

    # --- the story itself -------------------------------------------------

    def _existing_story(self) -> Article | None:
        story = self.story
        if story.source_reference:
            article = Article.objects.filter(source_reference=story.source_reference).first()
            if article is not None:
                return article
        slug = self._slug_for_new_story
        article = Article.objects.filter(slug=slug).first()
        if article is not None and article.source_reference and story.source_reference:
            raise StoryImportError(
                f"the address “{slug}” belongs to another story, imported from "
                f"“{article.source_reference}”",
                story.line_of("slug"),
            )
        return article

    @cached_property
    def _slug_for_new_story(self) -> str:
        story = self.story
        if story.slug:
            return story.slug
        max_length = Article._meta.get_field("slug").max_length
        slug = slugify(story.headline)[:max_length].strip("-")
        if not slug:
            # A headline in a script slugify cannot spell: the file's name will do.
            slug = slugify(story.file_name.rsplit(".", 1)[0])[:max_length].strip("-")
            self.notes.append(f"the headline gives no address; using “{slug}”")
        if not slug:
            raise StoryImportError(
                "the headline has no letters or digits to make the story's address from",
                story.headline_line,
            )
        return slug

    def _set_fields(self, article: Article) -> None:
        story = self.story
        values = {
            "headline": story.headline,
            "body": story.body,
            "source_reference": story.source_reference,
        }
        for name in ("subheadline", "excerpt", "slug"):
            if name in story.stated:
                values[name] = getattr(story, name)
        if "published_at" in story.stated:
            values["published_at"] = story.published_at
            # An undated story has no time of day to hide.
            values["publication_time_known"] = (
                story.publication_time_known if story.published_at else True
            )
        status = self.status or (story.status if "status" in story.stated else "")
        if status:
            values["status"] = status
        for name, value in values.items():
            self._assign(article, name, value)

    def _assign(self, instance: models.Model, name: str, value) -> None:
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            self._changed(instance._meta.get_field(name).verbose_name)

    def _changed(self, what: str) -> None:
        if what not in self.changes:
            self.changes.append(what)

    def _article_field_line(self, field_name: str) -> int:
        return self.story.line_of("image" if field_name == "featured_image" else field_name)

    # --- category and picture ---------------------------------------------

    def _set_category(self, article: Article) -> None:
        if "category" not in self.story.stated:
            return
        category = self._category(self.story.category) if self.story.category else None
        if article.category_id != (category.pk if category else None):
            article.category = category
            self._changed("category")

    def _category(self, name: str) -> Category:
        slug = slugify(name)[: Category._meta.get_field("slug").max_length].strip("-")
        category = Category.objects.filter(name__iexact=name).order_by("pk").first()
        if category is None and slug:
            category = Category.objects.filter(slug=slug).first()
        if category is not None:
            return category
        line = self.story.line_of("category")
        if not slug:
            raise StoryImportError(
                f"category “{name}” has no letters or digits to make its address from", line
            )
        category = Category(name=name, slug=slug)
        self._validate(category, lambda _: line)
        category.save()
        self.notes.append(f"new category “{name}”")
        return category

    def _set_image(self, article: Article) -> None:
        if "image" not in self.story.stated:
            return
        wanted = self.story.image
        current = article.featured_image
        if wanted is None:
            if current is not None:
                article.featured_image = None
                self._changed("featured image")
            return
        values = self._image_values(wanted)
        if current is not None and all(
            _image_value(current, name) == value for name, value in values.items()
        ):
            return
        shared = (
            current is not None
            and Article.objects.filter(featured_image=current).exclude(pk=article.pk).exists()
        )
        if current is None or shared:
            # Never change a picture other stories print: give this one its own.
            copied = (
                {name: _image_value(current, name) for name in _IMAGE_ATTRIBUTES} if current else {}
            )
            image = Image(**copied)
        else:
            image = current
        for name, value in values.items():
            setattr(image, name, value)
        self._validate(image, lambda _: self.story.line_of("image"))
        image.save()
        article.featured_image = image
        self._changed("featured image")

    def _image_values(self, wanted: ParsedImage) -> dict[str, str]:
        values = {}
        path = wanted.path
        if path is not None:
            if path.lower().startswith(("http://", "https://")):
                values.update(external_url=path, picture="")
            elif not path:
                values.update(external_url="", picture="")
            elif _in_media_storage(path):
                values.update(external_url="", picture=path)
            else:
                raise StoryImportError(
                    f"featured-image path “{path}” is neither an http(s) address nor a file "
                    "in media storage",
                    self.story.line_of("image"),
                )
        for name in ("cutline", "credit", "alt_text"):
            if getattr(wanted, name) is not None:
                values[name] = getattr(wanted, name)
        return values

    # --- bylines, tags, related links -------------------------------------

    def _sync_bylines(self, article: Article) -> None:
        if "bylines" not in self.story.stated:
            return
        wanted: list[tuple[Author, str]] = []
        for parsed in self.story.bylines:
            author = self._author(parsed)
            if all(author.pk != credited.pk for credited, _ in wanted):
                wanted.append((author, parsed.title or author.job_title))
        current = list(article.bylines.order_by("position", "pk").values_list("author", "title"))
        if current == [(author.pk, title) for author, title in wanted]:
            return
        article.bylines.all().delete()
        for position, (author, title) in enumerate(wanted):
            byline = Byline(article=article, author=author, position=position, title=title)
            self._validate(byline, lambda _: self.story.line_of("bylines"))
            byline.save()
        self._changed("bylines")

    def _author(self, parsed: ParsedByline) -> Author:
        name = parsed.name
        slug = slugify(name)[: Author._meta.get_field("slug").max_length].strip("-")
        author = (
            Author.objects.filter(name=name).order_by("pk").first()
            or Author.objects.filter(name__iexact=name).order_by("pk").first()
            or (Author.objects.filter(slug=slug).first() if slug else None)
        )
        if author is not None:
            return author
        line = self.story.line_of("bylines")
        if not slug:
            raise StoryImportError(
                f"author “{name}” has no letters or digits to make an address from", line
            )
        author = Author(name=name, slug=slug, job_title=parsed.title)
        self._validate(author, lambda _: line)
        author.save()
        self.notes.append(f"new author “{name}”")
        return author

    def _sync_tags(self, article: Article) -> None:
        if "tags" not in self.story.stated:
            return
        line = self.story.line_of("tags")
        names: dict[str, str] = {}  # by lower case: tags are matched case-insensitively
        for name in self.story.tags:
            if not slugify(name, allow_unicode=True):
                raise StoryImportError(f"tag “{name}” has no letters or digits", line)
            if len(slugify(name, allow_unicode=True)) > _TAG_SLUG_LENGTH:
                raise StoryImportError(f"tag “{name[:40]}…” is too long", line)
            names.setdefault(name.lower(), name)
        current = {name.lower() for name in article.tags.names()}
        if current == names.keys():
            return
        for key, name in names.items():
            if key not in current and not Tag.objects.filter(name__iexact=name).exists():
                self.notes.append(f"new tag “{name}”")
        article.tags.set(list(names.values()))
        self._changed("tags")

    def _sync_related_links(self, article: Article) -> None:
        if "related" not in self.story.stated:
            return
        wanted = [
            (link, parsed.line or self.story.line_of("related"))
            for parsed in self.story.related
            if (link := self._related_link(article, parsed)) is not None
        ]
        current = list(
            article.related_links.order_by("position", "pk").values_list(
                "target", "headline", "url"
            )
        )
        if current == [(link.target_id, link.headline, link.url) for link, _ in wanted]:
            return
        article.related_links.all().delete()
        for position, (link, line) in enumerate(wanted):
            link.article, link.position = article, position
            self._validate(link, lambda _, line=line: line)
            link.save()
        self._changed("related links")

    def _related_link(self, article: Article, parsed: ParsedRelated) -> RelatedLink | None:
        others = Article.objects.exclude(pk=article.pk)
        if parsed.slug:
            target = others.filter(slug=parsed.slug).first()
            if target is not None:
                return RelatedLink(target=target)
            self.has_unresolved_links = True
            if not parsed.headline:
                self.notes.append(f"related story “{parsed.slug}” is not here; left out")
                return None
            self.notes.append(
                f"related story “{parsed.slug}” is not here; kept as the headline "
                f"“{parsed.headline}”"
            )
        elif parsed.match_headline:
            namesakes = others.filter(headline=parsed.headline).newest_first()
            target = namesakes.published().first() or namesakes.first()
            if target is not None:
                state = "published" if target.is_published else "not published yet"
                self.notes.append(
                    f"related “{parsed.headline}”: links to our story “{target.slug}”, {state}"
                )
                return RelatedLink(target=target)
            self.has_unresolved_links = True
            self.notes.append(
                f"related “{parsed.headline}”: no story of ours has this headline; kept as a "
                "headline from elsewhere"
            )
        return RelatedLink(headline=parsed.headline, url=parsed.url)

    # --- validation ---------------------------------------------------------

    def _validate(self, instance: models.Model, line_of_field) -> None:
        """Model validation, reported at the source line the refused value came from."""
        try:
            instance.full_clean()
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            message = " ".join(messages[0].split())
            if field_name != NON_FIELD_ERRORS:
                label = instance._meta.get_field(field_name).verbose_name
                message = f"{instance._meta.verbose_name} {label}: {message}"
            raise StoryImportError(message, line_of_field(field_name)) from None


def _image_value(image: Image, name: str) -> str:
    value = getattr(image, name)
    return value.name or "" if name == "picture" else value


def _in_media_storage(path: str) -> bool:
    try:
        return default_storage.exists(path)
    except (SuspiciousFileOperation, OSError, ValueError):
        return False
