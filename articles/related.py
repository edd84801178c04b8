"""The "Related stories" list of a story page: the editor's picks, then automatic ones."""

from dataclasses import dataclass
from urllib.parse import urlsplit

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
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from newsroom.cache import once_per_generation

from .models import Article, TaggedArticle
from .models.querysets import QuoteSpeaker
from .queries import RowsInKeptOrder, officials_quoted_in

AUTOMATIC_COUNT = 4

# How many candidates each related-story signal may contribute. Bounded pools
# keep the scoring query's cost independent of the archive's size.
RELATED_POOL_SIZE = 20
RELATED_WEIGHTS = {"officials": 4, "tags": 2, "category": 1}


@dataclass(frozen=True)
class RelatedStory:
    """One entry of the list, whether one of our stories or a headline elsewhere."""

    headline: str
    url: str = ""
    story: Article | None = None

    @property
    def is_external(self) -> bool:
        return self.story is None

    @property
    def source(self) -> str:
        """Where an external story lives, e.g. “example.com”; empty when unknown."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


def related_stories(article, automatic_count=AUTOMATIC_COUNT) -> list[RelatedStory]:
    """The editor's picks in their order, then the best automatic matches.

    A pick pointing at one of our stories shows only while that story is
    published; picks of stories elsewhere always show. Automatic matches never
    repeat a pick. They are chosen once per content generation (three queries,
    whatever the size of the archive) and read by id after that: two queries
    in all on most requests, four on the first after a change.
    """
    picks = [
        RelatedStory(
            headline=link.target.headline if link.target else link.headline,
            url=link.target.get_absolute_url() if link.target else link.url,
            story=link.target,
        )
        for link in article.related_links.filter(
            Q(target__isnull=True)
            | Exists(Article.objects.published().filter(pk=OuterRef("target")))
        ).select_related("target")
    ]
    picked_stories = [pick.story.pk for pick in picks if pick.story]

    def best_matches() -> list[int]:
        matches = Article.objects.published().related_to(
            article, limit=automatic_count, exclude=picked_stories
        )
        return list(matches.values_list("pk", flat=True))

    match_ids = once_per_generation(
        "related-stories:v1", best_matches, article.pk, automatic_count, *picked_stories, share=True
    )
    # Read by primary key alone (see RowsInKeptOrder); is_published checks
    # again what the generation that chose them already ensures.
    automatic = [
        RelatedStory(headline=story.headline, url=story.get_absolute_url(), story=story)
        for story in RowsInKeptOrder(match_ids, Article.objects.all())
        if story.is_published
    ]
    return picks + automatic


def most_alike(stories, article, *, limit, exclude=()):
    """The `limit` stories of `stories` most like `article`, best first.

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
    query applies the rule of `stories` (readers get `published()`). Two
    queries: the nominees, then the scoring of them.

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
    nominated = _nominated_ids(pools)

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
        stories.filter(pk__in=nominated)
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


def _nominated_ids(pools) -> list[int]:
    """The stories the pools nominate, read in one query before any is scored.

    Scoring against the nominees' ids, not against the pools themselves, lets
    the scoring query read each nominee by its primary key; given the pools
    as OR-ed subqueries, SQLite instead walks every published story to test
    it against each of them.
    """
    members = [
        Article.objects.filter(pk__in=pool[:RELATED_POOL_SIZE])
        .order_by()
        .values_list("pk", flat=True)
        for pool in pools
    ]
    first, *others = members
    return sorted(first.union(*others))


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
