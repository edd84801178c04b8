"""Small pieces the newsroom admin pages print: thumbnails, dates, links to story lists."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join

ADMIN_CSS = {"all": ["admin-extra/newsroom-admin.css"]}


def image_thumbnail(image, *, size="thumbnail"):
    """An <img> of the picture, or the words "No picture" when there is none to show.

    A record may keep a cutline and credit for a picture the newsroom does not
    have; an <img> without a source would show as a broken image.
    """
    if not image.has_picture:
        return format_html('<span class="{}">No picture</span>', "newsroom-no-picture")
    return format_html(
        '<img src="{}" alt="{}" class="newsroom-{}" loading="lazy" referrerpolicy="no-referrer">',
        image.src,
        image.alt_text,
        size,
    )


def format_publication_date(article):
    """The publication date as readers see it: the day alone when the time is not known."""
    if article.published_at is None:
        return "Date unknown"
    published_at = timezone.localtime(article.published_at)
    if article.publication_time_known:
        return formats.date_format(published_at, "DATETIME_FORMAT")
    return formats.date_format(published_at.date(), "DATE_FORMAT")


def stories_filtered_by(lookup, value, count):
    """A link to the story list filtered to ``lookup=value``, reading "N stories"."""
    url = reverse("admin:articles_article_changelist") + "?" + urlencode({lookup: value})
    return format_html('<a href="{}">{} {}</a>', url, count, "story" if count == 1 else "stories")


def quoted_list(headlines):
    """Headlines in quotes, separated by commas, escaped."""
    return format_html_join(", ", "“{}”", ((headline,) for headline in headlines))
