"""sitemap.xml: an index of sections for every page readers can reach, and a Google News sitemap.

Only published stories are listed, and only the sections, tags, authors and
officials that published stories lead to. Each section costs a fixed number of
queries: the page of items, its count, and one aggregate for the index's
last-modified date.
"""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Case, F, Max, Q, When
from django.urls import reverse
from django.utils import timezone

from .models import Article
from .queries import (
    authors_with_stories,
    officials_quoted,
    sections_with_stories,
    tags_with_stories,
)

# Sitemaps may list 50,000 addresses, but rendering that many takes seconds;
# smaller files keep each request quick and the index simply lists more.
STORIES_PER_SITEMAP = 2000

# Google News takes stories of the last two days, at most 1,000 a sitemap.
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL when it is set, otherwise on the requested host."""

    def get_urls(self, page=1, site=None, protocol=None):
        if settings.SITE_URL:
            protocol, _, domain = settings.SITE_URL.partition("://")
            return self._urls(page, protocol, domain)
        return super().get_urls(page=page, site=site, protocol=protocol)


class PageSitemap(SiteSitemap):
    """The pages that are not about one story or subject."""

    changefreq = "hourly"

    def items(self):
        return ["articles:home", "articles:list"]

    def location(self, name):
        return reverse(name)


class StorySitemap(SiteSitemap):
    """Every published story, dated by its last change."""

    limit = STORIES_PER_SITEMAP

    def items(self):
        return (
            Article.objects.published()
            .newest_first()
            .only("slug", "published_at", "created_at", "updated_at", "status")
        )

    def lastmod(self, story):
        return story.revised_at or story.published_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default walk over every story; it
        # mirrors Article.revised_at, falling back to the publication date.
        revised = Q(created_at__isnull=False, updated_at__gt=F("created_at")) & (
            Q(published_at__isnull=True) | Q(updated_at__gt=F("published_at"))
        )
        newest = Max(Case(When(revised, then=F("updated_at")), default=F("published_at")))
        return Article.objects.published().aggregate(newest=newest)["newest"]


class SectionSitemap(SiteSitemap):
    def items(self):
        return sections_with_stories().order_by("slug")


class TagSitemap(SiteSitemap):
    def items(self):
        return tags_with_stories().order_by("slug")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(SiteSitemap):
    def items(self):
        return authors_with_stories().order_by("slug")


class OfficialSitemap(SiteSitemap):
    def items(self):
        return officials_quoted().order_by("slug")


class NewsSitemap(SiteSitemap):
    """Stories of the last two days, for Google News; see templates/sitemaps/news.xml."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .newest_first()
            .only("slug", "headline", "published_at", "publication_time_known", "status")
        )


SITEMAPS = {
    "pages": PageSitemap,
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "officials": OfficialSitemap,
    "news": NewsSitemap,
}
