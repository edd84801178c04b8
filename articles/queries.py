"""What readers may see, fetched in a fixed number of queries.

Every public page starts from `Article.objects.published()`, so the rule in
`ArticleQuerySet.published()` decides visibility everywhere: pages, filters'
choice lists, feeds, sitemaps, search and related stories. The same goes for
the people and topics around the stories: a section, tag, author or official
appears only through at least one published story.
"""

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
)
from taggit.models import Tag

from people.models import Author, Official

from .models import Article, Category, Quote

QuoteSpeaker = Quote.speakers.through


def sections_with_stories():
    """Categories that hold at least one published story."""
    stories = Article.objects.published().filter(category=OuterRef("pk"))
    return Category.objects.filter(Exists(stories))


def tags_with_stories():
    """Tags on at least one published story, alphabetically."""
    stories = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(stories)).order_by("name")


def authors_with_stories():
    """Authors with a byline on at least one published story."""
    stories = Article.objects.published().filter(bylines__author=OuterRef("pk"))
    return Author.objects.filter(Exists(stories))


def officials_quoted():
    """Officials quoted in at least one published story."""
    stories = Article.objects.published().filter(quotes__speakers=OuterRef("pk"))
    return Official.objects.filter(Exists(stories)).select_related("organisation")


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
