"""What readers may see, fetched in a fixed number of queries.

Every public page starts from `published_stories()`, so the rule in
`ArticleQuerySet.published()` decides visibility everywhere: pages, filters'
choice lists, feeds, sitemaps, search and related stories. The same goes for
the people and topics around the stories: a section, tag, author or official
appears only through at least one published story.
"""

import datetime
import re

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from people.models import Author, Official

from .models import Article, ArticleQuerySet, Byline, Category, Quote, TaggedArticle

QuoteSpeaker = Quote.speakers.through

# The longest text query worth running; longer input is refused by the forms.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 8

# How many candidates each related-story signal may contribute. Bounded pools
# keep the scoring query's cost independent of the archive's size.
RELATED_POOL_SIZE = 20
RELATED_WEIGHTS = {"officials": 4, "tags": 2, "category": 1}


class StoryQuerySet(ArticleQuerySet):
    """Reader-side queries over stories, chained after `published()`."""

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
            stories = stories.filter(published_at__gte=_start_of_day(first_day))
        if last_day:
            next_day = last_day + datetime.timedelta(days=1)
            stories = stories.filter(published_at__lt=_start_of_day(next_day))
        return stories

    def matching(self, text):
        """Stories whose headline, dek or body contain every word of `text`."""
        words = search_words(text)
        if not words:
            return self.none()
        stories = self
        for word in words:
            stories = stories.filter(
                Q(headline__icontains=word)
                | Q(subheadline__icontains=word)
                | Q(body__icontains=word)
            )
        return stories

    def related_to(self, article, *, limit, exclude=()):
        """The `limit` stories most like `article`, best first.

        A story scores for each quoted official it shares with `article`, for
        each shared tag, and for being in the same section; ties go to the story
        closest in time (the newest, for an undated story). The story itself and
        anything in `exclude` are left out.

        Only a small pool of nominees is scored, so the cost does not grow with
        the archive: for each of the story's officials and tags, the latest
        stories quoting or carrying them; the section's stories nearest in time;
        and the stories nearest in time whatever they share, so that a story
        sharing nothing still has neighbours. Each nomination reads one index
        range and stops at its LIMIT. Nominating is not showing: the scoring
        query applies this queryset's own rule (`published()`), and the whole
        selection is one query.

        The officials and tags come from `article`'s prefetched quotes and tags
        (see `with_page_relations`), which cost nothing more here.
        """
        left_out = [article.pk, *exclude]
        official_ids = [official.pk for official in officials_quoted_in(article)]
        tag_ids = [tag.pk for tag in article.tags.all()]
        when = article.published_at

        # Nominees are filtered on status alone, not the full published() rule,
        # so that each look-up is a single range of the (status, published_at)
        # index; the final query below applies the rule itself.
        nominees = Article.objects.filter(status=Article.Status.PUBLISHED).exclude(pk__in=left_out)
        pools = [
            *(
                # Row ids of the join tables grow with time: the newest first.
                QuoteSpeaker.objects.filter(official=official_id)
                .order_by("-pk")
                .values("quote__article_id")
                for official_id in official_ids
            ),
            *(
                TaggedArticle.objects.filter(tag=tag_id).order_by("-pk").values("content_object_id")
                for tag_id in tag_ids
            ),
            *_nearest_in_time(nominees, when),
        ]
        if article.category_id:
            in_section = nominees.filter(category=article.category_id)
            pools += _nearest_in_time(in_section, when, undated=False)
        nominated = Q()
        for pool in pools:
            nominated |= Q(pk__in=pool[:RELATED_POOL_SIZE])

        shared_officials = _count_subquery(
            QuoteSpeaker.objects.filter(
                quote__article=OuterRef("pk"), official__in=official_ids
            ).values("quote__article"),
            Count("official", distinct=True),
        )
        shared_tags = _count_subquery(
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids).values(
                "content_object"
            ),
            Count("tag"),
        )
        same_section = Case(
            When(category=article.category_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        weights = RELATED_WEIGHTS
        candidates = (
            self.filter(nominated)
            .exclude(pk__in=left_out)
            .select_related("category")
            .annotate(
                shared_officials=shared_officials,
                shared_tags=shared_tags,
                relatedness=weights["officials"] * F("shared_officials")
                + weights["tags"] * F("shared_tags")
                + weights["category"] * same_section,
            )
        )
        if when is None:
            closeness = [F("published_at").desc(nulls_last=True)]
        else:
            candidates = candidates.annotate(distance_in_time=_distance_from(when))
            closeness = [F("distance_in_time").asc(nulls_last=True)]
        return candidates.order_by("-relatedness", *closeness, "-pk")[:limit]


def published_stories(now=None) -> StoryQuerySet:
    """The stories readers may see, as of `now` (default: this moment)."""
    return StoryQuerySet(model=Article).published(now=now)


def search_words(text) -> list[str]:
    """The distinct words of a search, at most SEARCH_MAX_WORDS of them."""
    words = re.findall(r"\w[\w'’.-]*", text or "")
    return list(dict.fromkeys(word.lower() for word in words))[:SEARCH_MAX_WORDS]


def sections_with_stories():
    """Categories that hold at least one published story."""
    stories = published_stories().filter(category=OuterRef("pk"))
    return Category.objects.filter(Exists(stories))


def tags_with_stories():
    """Tags on at least one published story, alphabetically."""
    stories = published_stories().filter(tagged_items__tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(stories)).order_by("name")


def authors_with_stories():
    """Authors with a byline on at least one published story."""
    stories = published_stories().filter(bylines__author=OuterRef("pk"))
    return Author.objects.filter(Exists(stories))


def officials_quoted():
    """Officials quoted in at least one published story."""
    stories = published_stories().filter(quotes__speakers=OuterRef("pk"))
    return Official.objects.filter(Exists(stories)).select_related("organisation")


def quotes_by(official):
    """Everything `official` said in published stories, newest story first.

    Joint statements are included; their co-speakers come prefetched, and the
    story of each quote is fetched with it.
    """
    speakers = Official.objects.select_related("organisation")
    # EXISTS probes each quote's story by primary key; "article IN (published
    # stories)" would first list every published story in the archive.
    story_is_published = Exists(published_stories().filter(pk=OuterRef("article")))
    return (
        Quote.objects.filter(story_is_published, speakers=official)
        .select_related("article")
        .prefetch_related(Prefetch("speakers", queryset=speakers))
        .order_by(
            F("article__published_at").desc(nulls_last=True),
            "-article__pk",
            "position",
            "pk",
        )
    )


def officials_quoted_in(article) -> list[Official]:
    """The officials quoted in `article`, in the order they first speak.

    The speakers of one joint statement come alphabetically. Reads the story's prefetched quotes (see `with_page_relations`), so it
    costs no query of its own.
    """
    officials = {}
    for quote in article.quotes.all():
        for speaker in quote.speakers.all():
            officials.setdefault(speaker.pk, speaker)
    return list(officials.values())


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _nearest_in_time(stories, when, *, undated=True) -> list:
    """Primary keys of `stories` nearest `when`: before it, after it, and (if asked) undated.

    Each is read along the publication-date index, so a LIMIT stops it early.
    For an undated story the newest stand in for the nearest.
    """
    if when is None:
        pools = [stories.filter(published_at__isnull=False).order_by("-published_at")]
    else:
        pools = [
            stories.filter(published_at__lte=when).order_by("-published_at"),
            stories.filter(published_at__gt=when).order_by("published_at"),
        ]
    if undated:
        pools.append(stories.filter(published_at__isnull=True).order_by("-pk"))
    return [pool.values("pk") for pool in pools]


def _count_subquery(rows, count):
    """`count` over `rows` for the outer story, 0 when there are none."""
    counted = rows.order_by().annotate(n=count).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _distance_from(when):
    """How far a story's publication date is from `when`, either way; NULL if undated."""
    moment = Value(when, output_field=DateTimeField())
    return Case(
        When(
            published_at__gte=when,
            then=ExpressionWrapper(F("published_at") - moment, DurationField()),
        ),
        default=ExpressionWrapper(moment - F("published_at"), DurationField()),
        output_field=DurationField(),
    )
