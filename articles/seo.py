"""How pages describe themselves to search engines, feed readers and link previews."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

DESCRIPTION_WORDS = 40


def absolute_url(request, path: str) -> str:
    """`path` as a full address: on SITE_URL when it is set, else on the request's host.

    Addresses that are already absolute (a picture elsewhere) are returned as they are.
    """
    if path.startswith(("http://", "https://")):
        return path
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def describe(article) -> str:
    """One line about a story for meta descriptions and feeds.

    The story's own summary when it has one; otherwise the opening words of
    its body, so that no page goes without a description.
    """
    if article.summary:
        return article.summary
    return Truncator(strip_tags(article.body_html)).words(DESCRIPTION_WORDS)


def publication_date(article) -> str:
    """The story's publication date in ISO 8601, the day alone when the time is unknown.

    Empty when the date is unknown.
    """
    if article.published_at is None:
        return ""
    if article.publication_time_known:
        # Whole seconds: HTML's datetime attribute allows at most three decimals.
        return timezone.localtime(article.published_at).replace(microsecond=0).isoformat()
    return timezone.localdate(article.published_at).isoformat()


def news_article(article, request) -> dict:
    """Schema.org NewsArticle data for `article`, ready for JSON-LD.

    Reads only what `ArticleQuerySet.with_page_relations()` prefetches.
    """
    url = absolute_url(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": describe(article),
        "url": url,
        "mainEntityOfPage": url,
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "jobTitle": byline.title,
                "url": absolute_url(request, byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": absolute_url(request, reverse("articles:home")),
        },
    }
    published = publication_date(article)
    if published:
        data["datePublished"] = published
    if article.published_at and article.revised_at:
        data["dateModified"] = timezone.localtime(article.revised_at).isoformat()
    image = article.featured_image
    if image and image.has_picture:
        picture = {"@type": "ImageObject", "url": absolute_url(request, image.src)}
        if image.cutline:
            picture["caption"] = image.cutline
        if image.credit:
            picture["creditText"] = image.credit
        data["image"] = [picture]
    if article.category:
        data["articleSection"] = article.category.name
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    return data
