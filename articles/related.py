"""The "Related stories" list of a story page: the editor's picks, then automatic ones."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef, Q

from .models import Article
from .queries import published_stories

AUTOMATIC_COUNT = 4


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
    repeat a pick. Two queries, whatever the size of the archive.
    """
    picks = [
        RelatedStory(
            headline=link.target.headline if link.target else link.headline,
            url=link.target.get_absolute_url() if link.target else link.url,
            story=link.target,
        )
        for link in article.related_links.filter(
            Q(target__isnull=True) | Exists(published_stories().filter(pk=OuterRef("target")))
        ).select_related("target")
    ]
    picked_stories = [pick.story.pk for pick in picks if pick.story]
    automatic = [
        RelatedStory(headline=story.headline, url=story.get_absolute_url(), story=story)
        for story in published_stories().related_to(
            article, limit=automatic_count, exclude=picked_stories
        )
    ]
    return picks + automatic
