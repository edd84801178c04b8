"""Every public page runs a fixed number of SQL queries, whether there are 3 stories or 500.

Each story of the built archive carries everything a page may print: a section,
two bylines, two tags, a picture, two quotes of two officials each, and an
editor's pick of the story before it plus a headline from elsewhere.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    Byline,
    Category,
    Image,
    Quote,
    RelatedLink,
    TaggedArticle,
)
from people.models import Author, Official, Organisation

pytestmark = pytest.mark.django_db


def build_archive(size):
    """`size` published stories and as many drafts, written in bulk."""
    now = timezone.now()
    sections = Category.objects.bulk_create(
        Category(name=f"Section {n}", slug=f"section-{n}") for n in range(3)
    )
    authors = Author.objects.bulk_create(
        Author(name=f"Author {n}", slug=f"author-{n}", job_title="Reporter") for n in range(4)
    )
    agency = Organisation.objects.create(name="Agency", slug="agency")
    officials = Official.objects.bulk_create(
        Official(name=f"Official {n}", slug=f"official-{n}", organisation=agency, title="Chief")
        for n in range(5)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(6))
    images = Image.objects.bulk_create(
        Image(
            external_url=f"https://images.example.com/{n}.jpg", alt_text="A photo", credit="Staff"
        )
        for n in range(size)
    )
    stories = Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            subheadline=f"Dek {n}",
            body=f"Body of story {n}.",
            status=Article.Status.PUBLISHED if n < size else Article.Status.DRAFT,
            published_at=now - timedelta(hours=n + 1),
            category=sections[n % 3],
            featured_image=images[n] if n < size else None,
        )
        for n in range(2 * size)
    )
    Byline.objects.bulk_create(
        Byline(article=story, author=authors[(n + k) % 4], position=k, title="Reporter")
        for n, story in enumerate(stories)
        for k in range(2)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=story, tag=tags[(n + k) % 6])
        for n, story in enumerate(stories)
        for k in range(2)
    )
    quotes = Quote.objects.bulk_create(
        Quote(article=story, position=k, text=f"Words {n}.{k}")
        for n, story in enumerate(stories)
        for k in range(2)
    )
    Quote.speakers.through.objects.bulk_create(
        Quote.speakers.through(quote=quote, official=officials[(n + k) % 5])
        for n, quote in enumerate(quotes)
        for k in range(2)
    )
    RelatedLink.objects.bulk_create(
        [
            *(
                RelatedLink(article=story, target=stories[n - 1], position=0)
                for n, story in enumerate(stories)
                if n
            ),
            *(
                RelatedLink(
                    article=story, headline="Elsewhere", url="https://example.org/", position=1
                )
                for story in stories
            ),
        ]
    )
    if connection.vendor == "postgresql":
        # PostgreSQL plans from statistics that autovacuum gathers when it
        # passes, in a test database often while its tables are empty between
        # tests; plans made for empty tables read every row of the next table
        # for each row of the first. Databases in use have statistics of their
        # contents, and so does this one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# Page: the number of queries it runs. Counts include validating the filter
# values given in the address and filling each choice list of the filter form.
PAGES = {
    "/": 2,  # stories, bylines
    "/articles/": 7,  # count, stories, bylines, 4 choice lists
    "/articles/?tag=topic-1": 8,  # + the tag looked up
    "/articles/?category=section-1&tag=topic-1&author=author-1&official=official-2"
    "&published_from=2000-01-01&q=story": 11,
    # story, bylines, tags, quotes, speakers, picks, nominees, scoring, matches by id
    "/articles/story-1/": 10,
    "/categories/section-1/": 4,  # section, count, stories, bylines
    "/tags/topic-1/": 4,
    "/authors/author-1/": 4,
    "/officials/official-1/": 4,  # official, count, quotes with stories, co-speakers
    "/search/?q=story": 3,  # count, stories, bylines
    "/feed/": 3,  # stories, bylines, tags
    "/feed/atom/": 3,
    "/categories/section-1/feed/": 4,  # + the section
    "/tags/topic-1/feed/atom/": 4,
    "/authors/author-1/feed/": 4,
    "/sitemap.xml": 7,  # a count per section but the fixed one, the stories' newest date
    "/sitemap-stories.xml": 2,  # count, page
    "/sitemap-officials.xml": 2,
    "/sitemap-news.xml": 2,
    "/robots.txt": 0,
}


@pytest.mark.parametrize("size", [3, 500])
@pytest.mark.parametrize("url", PAGES)
def test_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size, url):
    build_archive(size)
    with django_assert_num_queries(PAGES[url]):
        response = client.get(url)
    assert response.status_code == 200


# Page: the queries it runs once what it derives from the content (counts,
# choice lists, related stories) is kept for the content generation.
PAGES_RENDERED_AGAIN = {
    "/articles/": 2,  # stories, bylines
    "/articles/?tag=topic-1": 3,  # + the tag looked up
    "/articles/story-1/": 8,  # story, bylines, tags, quotes, speakers, picks, matches by id
    "/categories/section-1/": 3,  # section, stories, bylines
    "/officials/official-1/": 3,  # official, quotes with stories, co-speakers
    "/search/?q=story": 2,  # stories, bylines
}


@pytest.mark.parametrize("size", [3, 500])
@pytest.mark.parametrize("url", PAGES_RENDERED_AGAIN)
def test_a_page_rendered_again_reuses_what_it_derived(
    client, settings, django_assert_num_queries, size, url
):
    settings.CACHE_MIDDLEWARE_SECONDS = 0  # every request renders its page
    build_archive(size)
    first = client.get(url).content

    with django_assert_num_queries(PAGES_RENDERED_AGAIN[url]):
        again = client.get(url)

    assert again.content == first


# Deep pages of a 500-story archive: numbered pages, and the stories older
# than story 400, where "Older stories" links lead. Each runs the queries of
# its first page, and shows the story it should begin with.
DEEP_PAGES = {
    "/articles/?page=20": (7, "Story 380"),
    "/articles/?before={position}": (7, "Story 401"),
    "/articles/?tag=topic-1&before={position}": (8, "Story 402"),
    "/categories/section-1/?page=5": (4, "Story 241"),
    "/authors/author-1/?before={position}": (3, "Story 401"),  # no count needed
}


@pytest.mark.parametrize("url", DEEP_PAGES)
def test_a_deep_page_costs_what_the_first_costs(client, django_assert_num_queries, url):
    build_archive(500)
    story = Article.objects.get(slug="story-400")
    position = f"{story.published_at:%Y%m%dT%H%M%S.%f}Z~{story.pk}"
    queries, first_story = DEEP_PAGES[url]

    with django_assert_num_queries(queries):
        response = client.get(url.format(position=position))

    assert response.status_code == 200
    assert response.context["page_obj"][0].headline == first_story


def test_the_archive_pages_show_what_they_count(client):
    """The bulk archive is realistic: the pages above really print its relations."""
    build_archive(3)
    html = client.get("/articles/story-1/").content.decode()
    assert "Author 1" in html and "Author 2" in html
    assert "Topic 1" in html and "Official 2" in html
    assert 'href="/articles/story-0/"' in html  # the editor's pick
    assert "Story 4" not in html  # a draft
