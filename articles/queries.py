"""What readers may see, fetched in a fixed number of queries.

Every public page starts from `Article.objects.published()`, so the rule in
`ArticleQuerySet.published()` decides visibility everywhere: pages, filters'
choice lists, feeds, sitemaps, search and related stories. The same goes for
the people and topics around the stories: a section, tag, author or official
appears only through at least one published story.
"""

from collections.abc import Sequence

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import Lower
from taggit.models import Tag

from newsroom.cache import once_per_generation
from people.models import Author, Official

from .models import Article, Byline, Category, Quote, TaggedArticle

QuoteSpeaker = Quote.speakers.through


def sections_with_stories():
    """Categories that hold at least one published story."""
    stories = Article.objects.published().filter(category=OuterRef("pk"))
    return Category.objects.filter(Exists(stories))


# Tags, authors and officials are found through their own link rows (a tag's
# taggings, an author's bylines, an official's quotes), each story checked by
# primary key, so finding one costs about one index seek. Joining from the
# stories' side instead lets the database walk the published stories looking
# for a subject's few links.


def _is_published(story_field):
    """Whether the story that the outer row's `story_field` names is published."""
    return Exists(Article.objects.published().filter(pk=OuterRef(story_field)))


def tags_with_stories():
    """Tags on at least one published story, alphabetically."""
    taggings = TaggedArticle.objects.filter(_is_published("content_object"), tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(taggings)).order_by("name")


def authors_with_stories():
    """Authors with a byline on at least one published story."""
    bylines = Byline.objects.filter(_is_published("article"), author=OuterRef("pk"))
    return Author.objects.filter(Exists(bylines))


def officials_quoted():
    """Officials quoted in at least one published story."""
    quotes = QuoteSpeaker.objects.filter(_is_published("quote__article"), official=OuterRef("pk"))
    return Official.objects.filter(Exists(quotes)).select_related("organisation")


# The filter form offers the subjects of the most published stories. Each list
# is one aggregate query that reads indexes rather than story rows, and only the
# columns a label needs.


def _most_frequent_first(subjects, story_count):
    """`subjects` annotated with `published_stories`, most first, then alphabetically."""
    return subjects.annotate(published_stories=story_count).order_by(
        F("published_stories").desc(), Lower("name"), "pk"
    )


def sections_by_frequency():
    """Categories of published stories, those holding the most first."""
    # Counted section by section along the index of (section, status, date):
    # joining the stories instead would read every published story's row.
    counts = (
        Article.objects.published()
        .filter(category=OuterRef("pk"))
        .order_by()
        .values("category")
        .annotate(stories=Count("pk"))
        .values("stories")
    )
    sections = Category.objects.only("name", "slug")
    return _most_frequent_first(sections, Subquery(counts)).filter(published_stories__gt=0)


# Tags, authors and officials are counted over their link rows whose story is
# among the published ones: the link tables' indexes by story hold the subject
# too, so no story row is read.


def tags_by_frequency():
    """Tags of published stories, those on the most first."""
    published = Article.objects.published()
    tags = Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
    return _most_frequent_first(tags.only("name", "slug"), Count("articles_taggedarticle_items"))


def authors_by_frequency():
    """Authors with a byline on a published story, those on the most first."""
    published = Article.objects.published()
    authors = Author.objects.filter(bylines__article__in=published).only("name", "slug")
    # A story credits an author once (byline_author_once), so bylines count stories.
    return _most_frequent_first(authors, Count("bylines"))


def officials_by_frequency():
    """Officials quoted in published stories, those quoted in the most first.

    An official quoted several times in one story counts that story once.
    """
    published = Article.objects.published()
    officials = Official.objects.filter(quotes__article__in=published).only(
        "name", "slug", "chamber", "party", "state"
    )
    return _most_frequent_first(officials, Count("quotes__article", distinct=True))


def quotes_by(official):
    """Everything `official` said in published stories, newest story first.

    Joint statements are included; their co-speakers come prefetched, and the
    story of each quote is fetched with it.
    """
    speakers = Official.objects.select_related("organisation")
    # EXISTS probes each quote's story by primary key; "article IN (published
    # stories)" would first list every published story in the archive.
    story_is_published = Exists(Article.objects.published().filter(pk=OuterRef("article")))
    return (
        Quote.objects.filter(story_is_published, speakers=official)
        .select_related("article")
        # Every quote is sorted before a page is cut from them: the stories'
        # long texts, which the page does not print, would be sorted along.
        .defer("article__body", "article__excerpt", "article__editorial_note")
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


class RowsInKeptOrder(Sequence):
    """Rows of `rows` in the order of `ids`, for a paginator: a slice reads only its own rows.

    For lists whose order is dear to work out (every quote of an official sorted
    by their stories' dates, search matches ranked), worked out once per content
    generation as a list of ids (see `newsroom.cache.once_per_generation`); each
    page then reads its rows by primary key. `rows` is the queryset they are
    read from, with its related objects; the ids say which rows are listed.
    """

    def __init__(self, ids: list[int], rows):
        self.ids, self.rows = ids, rows

    @classmethod
    def once_per_generation(cls, name: str, ordered, *parts, rows=None) -> "RowsInKeptOrder":
        """The rows of `ordered` in its order, the order worked out once per generation.

        `name` and `parts` name the list (see `once_per_generation`); `rows`,
        `ordered` by default, is what each page reads its rows from by primary
        key. With published()'s conditions in that query SQLite would walk the
        publication index instead, so readers' lists pass `Article.objects`:
        the generation that listed the ids ends when any of them stops being
        published.
        """
        ids = once_per_generation(
            name,
            lambda: list(ordered.prefetch_related(None).values_list("pk", flat=True)),
            *parts,
        )
        return cls(ids, ordered if rows is None else rows)

    def __len__(self):
        return len(self.ids)

    def __iter__(self):
        # Sequence's own __iter__ would read the rows one query at a time.
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        wanted = self.ids[index]
        found = self.rows.in_bulk(wanted)
        return [found[pk] for pk in wanted if pk in found]
