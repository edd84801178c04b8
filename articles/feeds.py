"""RSS and Atom feeds: the latest stories, and the latest in a section, a tag or by an author.

Every feed exists in both formats: `LatestStoriesFeed()` is RSS 2.0 and
`LatestStoriesFeed(Atom1Feed)` the same stories as Atom 1.0.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import get_text_list

from .models import Article
from .queries import (
    authors_with_stories,
    sections_with_stories,
    tags_with_stories,
)
from .seo import describe

FEED_SIZE = 20


def _on_site(path: str) -> str:
    """`path` on SITE_URL when it is set; otherwise the feed framework adds the request's host."""
    return settings.SITE_URL + path if settings.SITE_URL else path


class StoryFeed(Feed):
    """Published stories, newest first, each with its summary, bylines and topics.

    Subclasses say which stories in `stories()`, and give the feed's title,
    description and link.
    """

    def __init__(self, feed_type=Rss201rev2Feed):
        self.feed_type = feed_type

    def subtitle(self, obj):
        # Atom's name for the feed's description; RSS ignores it.
        return self._get_dynamic_attr("description", obj)

    def stories(self, obj):
        """The stories this feed is about; the latest FEED_SIZE of them are shown."""
        raise NotImplementedError

    def items(self, obj):
        stories = self.stories(obj).newest_first().with_listing_relations()
        return stories.prefetch_related("tags")[:FEED_SIZE]

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        # Both formats carry the description as HTML; the summary is plain text.
        return escape(describe(story))

    def item_link(self, story):
        return _on_site(story.get_absolute_url())

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        # Atom requires a time for every entry: a story of unknown date gives
        # the time it entered the newsroom.
        return story.revised_at or story.published_at or story.updated_at

    def item_author_name(self, story):
        names = [byline.author.name for byline in story.bylines.all()]
        return get_text_list(names, "and") or None

    def item_categories(self, story):
        section = [story.category.name] if story.category else []
        # A tag named like the section would repeat it.
        return list(dict.fromkeys(section + [tag.name for tag in story.tags.all()]))


class LatestStoriesFeed(StoryFeed):
    """Everything published, newest first."""

    def title(self):
        return f"{settings.SITE_NAME}: latest stories"

    def description(self):
        return f"The newest stories from {settings.SITE_NAME}."

    def link(self):
        return _on_site(reverse("articles:home"))

    def stories(self, obj):
        return Article.objects.published()


class SubjectFeed(StoryFeed):
    """The latest stories about one subject, found by the slug in the address.

    A subject with no published story has no feed (404).
    """

    def subjects(self):
        raise NotImplementedError

    def get_object(self, request, slug):
        return get_object_or_404(self.subjects(), slug=slug)

    def title(self, subject):
        return f"{settings.SITE_NAME}: {subject}"

    def description(self, subject):
        # Feed readers show a channel's description as HTML.
        return f"The newest stories from {settings.SITE_NAME} in “{escape(str(subject))}”."

    def link(self, subject):
        return _on_site(subject.get_absolute_url())


class CategoryFeed(SubjectFeed):
    def subjects(self):
        return sections_with_stories()

    def stories(self, category):
        return Article.objects.published().in_category(category)


class TagFeed(SubjectFeed):
    def subjects(self):
        return tags_with_stories()

    def link(self, tag):
        return _on_site(reverse("articles:tag", kwargs={"slug": tag.slug}))

    def stories(self, tag):
        return Article.objects.published().tagged(tag)


class AuthorFeed(SubjectFeed):
    def subjects(self):
        return authors_with_stories()

    def description(self, author):
        return f"The newest stories by {escape(author.name)} for {settings.SITE_NAME}."

    def stories(self, author):
        return Article.objects.published().by_author(author)
