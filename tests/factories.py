"""Small builders for test data: real rows in the test database, no mocks.

Each builder fills in what a valid row needs and lets the test say only what
it cares about.
"""

import itertools
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Byline, Category, Image, Quote, RelatedLink
from people.models import Author, Official, Organisation

_sequence = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_sequence)}"


def make_category(name=None, **fields) -> Category:
    name = name or _unique("Section")
    return Category.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)


def make_organisation(name=None, **fields) -> Organisation:
    name = name or _unique("Agency")
    return Organisation.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)


def make_author(name=None, **fields) -> Author:
    name = name or _unique("Reporter")
    fields.setdefault("job_title", "Staff Writer")
    return Author.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)


def make_official(name=None, **fields) -> Official:
    name = name or _unique("Official")
    return Official.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)


def make_image(**fields) -> Image:
    fields.setdefault("external_url", "https://images.example.com/photo.jpg")
    fields.setdefault("alt_text", "A photograph")
    fields.setdefault("credit", "Staff photographer")
    return Image.objects.create(**fields)


def make_article(
    headline=None,
    *,
    status=Article.Status.PUBLISHED,
    published_at="now",
    authors=(),
    tags=(),
    quotes=(),
    **fields,
) -> Article:
    """Create a story. published_at="now" means a minute ago; pass None for unknown.

    quotes is a sequence of (text, [officials]) pairs.
    """
    headline = headline or _unique("Headline")
    if published_at == "now":
        published_at = timezone.now() - timedelta(minutes=1)
    fields.setdefault("body", f"Body of {headline}.")
    article = Article.objects.create(
        headline=headline,
        slug=fields.pop("slug", slugify(headline)),
        status=status,
        published_at=published_at,
        **fields,
    )
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    for position, (text, speakers) in enumerate(quotes):
        quote = Quote.objects.create(article=article, position=position, text=text)
        quote.speakers.set(speakers)
    return article


def make_related_link(article, target=None, **fields) -> RelatedLink:
    return RelatedLink.objects.create(article=article, target=target, **fields)
