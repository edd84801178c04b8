"""What readers may see, and the ways stories are looked up, ordered and paged."""

import datetime
import re

from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from people.models import Official

from .. import search
from .credits import Byline, Quote, TaggedArticle

# The longest text query worth running; longer input is refused by the forms.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 8

QuoteSpeaker = Quote.speakers.through


def search_words(text) -> list[str]:
    """The distinct words of a search, at most SEARCH_MAX_WORDS of them."""
    words = re.findall(r"\w[\w'’.-]*", text or "")
    return list(dict.fromkeys(word.lower() for word in words))[:SEARCH_MAX_WORDS]


# The reverse of newest_first(), in the form that reads the newest-first
# indexes backwards (PostgreSQL matches the NULLS clause too).
OLDEST_FIRST = (F("published_at").asc(nulls_first=True), "pk")


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Stories readers may see: published, and not scheduled for later.

        A published story whose date is unknown (imported without one) is
        visible; a future date keeps it hidden until that moment arrives.
        """
        now = now or timezone.now()
        return self.filter(
            Q(published_at__isnull=True) | Q(published_at__lte=now),
            status=self.model.Status.PUBLISHED,
        )

    def newest_first(self):
        """Newest first; stories of unknown date after all dated ones."""
        return self.order_by(F("published_at").desc(nulls_last=True), "-pk")

    def with_listing_relations(self):
        """Everything a story teaser prints, fetched in a fixed number of queries."""
        return self.select_related("category", "featured_image").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        )

    def with_page_relations(self):
        """Everything the story page prints, in a fixed number of queries."""
        speakers = Official.objects.select_related("organisation")
        return self.with_listing_relations().prefetch_related(
            "tags",
            Prefetch(
                "quotes",
                queryset=Quote.objects.prefetch_related(Prefetch("speakers", queryset=speakers)),
            ),
        )

    # Each subject narrows the stories through its own index (a section's
    # stories, a tag's taggings, an author's bylines, an official's quotes), so
    # the work follows the subject's size rather than the archive's. The join
    # tables never list a story twice for one subject, so there is no DISTINCT.

    def in_category(self, category):
        return self.filter(category=category)

    def tagged(self, tag):
        return self.filter(pk__in=TaggedArticle.objects.filter(tag=tag).values("content_object"))

    def by_author(self, author):
        return self.filter(pk__in=Byline.objects.filter(author=author).values("article"))

    def quoting(self, official):
        """Stories quoting `official`, alone or in a joint statement, each once."""
        return self.filter(
            pk__in=QuoteSpeaker.objects.filter(official=official).values("quote__article")
        )

    def published_between(self, first_day=None, last_day=None):
        """Stories published on or after `first_day` and on or before `last_day`.

        Days are the newsroom's calendar days. Comparing with the bounds of each
        day, rather than with the date of every row, lets the database use the
        publication-date index. Undated stories never match a date range.
        """
        stories = self
        if first_day:
            stories = stories.filter(published_at__gte=start_of_day(first_day))
        if last_day:
            next_day = last_day + datetime.timedelta(days=1)
            stories = stories.filter(published_at__lt=start_of_day(next_day))
        return stories

    def matching(self, text):
        """Stories whose headline, dek or body contain every word of `text`.

        The order is kept, so a filtered list stays newest first; `best_first()`
        puts the best matches first. The database's own full-text index does
        the work (see articles.search), so the cost follows the number of
        matches, not the size of the archive.
        """
        return search.matching(self, search_words(text))

    def best_first(self):
        """The best matches of `matching()` first, newer before older among equals."""
        if "search_rank" not in self.query.annotations:
            return self.newest_first()
        return self.order_by(
            F("search_rank").desc(), F("published_at").desc(nulls_last=True), "-pk"
        )

    # Keyset pagination: the stories next to one story in newest-first order,
    # found by seeking to that story along the newest-first indexes instead of
    # counting past every story before it, so a page costs the same at any
    # depth. Dated and undated stories are read apart, each along its own
    # range of the index: only the page where the dated ones run out and the
    # undated ones begin takes a second read.

    def next_to(self, published_at, pk, *, older, size):
        """Up to `size` stories just older (or newer) than the one at (`published_at`, `pk`).

        Returns them newest first, and whether more lie beyond them in that
        direction. Evaluates the queryset.
        """
        wanted = size + 1  # one more tells whether there is another page
        if older:
            stories = list(self._older_than(published_at, pk)[:wanted])
            if published_at is not None and len(stories) < wanted:
                undated = self.filter(published_at__isnull=True).order_by("-pk")
                stories += undated[: wanted - len(stories)]
        else:
            stories = list(self._newer_than(published_at, pk)[:wanted])
            if published_at is None and len(stories) < wanted:
                dated = self.filter(published_at__isnull=False).order_by(*OLDEST_FIRST)
                stories += dated[: wanted - len(stories)]
            stories.reverse()
            return stories[-size:], len(stories) > size
        return stories[:size], len(stories) > size

    def _older_than(self, published_at, pk):
        if published_at is None:
            return self.filter(published_at__isnull=True, pk__lt=pk).order_by("-pk")
        return (
            self.filter(published_at__lte=published_at)
            .exclude(published_at=published_at, pk__gte=pk)
            .newest_first()
        )

    def _newer_than(self, published_at, pk):
        if published_at is None:
            return self.filter(published_at__isnull=True, pk__gt=pk).order_by("pk")
        return (
            self.filter(published_at__gte=published_at)
            .exclude(published_at=published_at, pk__lte=pk)
            .order_by(*OLDEST_FIRST)
        )

    def related_to(self, article, *, limit, exclude=()):
        """The `limit` stories in this queryset most like `article`, best first.

        Scored by shared officials, tags and section, then closeness in time;
        see `articles.related.most_alike` for how the cost stays independent of
        the archive's size.
        """
        from ..related import most_alike  # the scoring reads this module's models

        return most_alike(self, article, limit=limit, exclude=exclude)


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)
