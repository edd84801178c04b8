"""Nothing unpublished reaches readers: not on a page, in a list, a filter, a feed or a sitemap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_official,
    make_related_link,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    "Draft headline",
    "Review headline",
    "Withdrawn headline",
    "Scheduled headline",
    "Secret Section",
    "secret-section",
    "Embargoed",
    "Hidden Writer",
    "hidden-writer",
    "Quiet Source",
    "quiet-source",
    "zanzibar",
]


@pytest.fixture
def newsroom(db):
    """Published stories next to drafts, a review copy, a withdrawn and a scheduled story.

    The unpublished stories share a section, tag, author and official with the
    published ones, and also have a section, tag, author and official of their own.
    """
    shared = {
        "category": make_category("Politics"),
        "authors": [make_author("Ana Ruiz")],
        "tags": ["Budget"],
    }
    speaker = make_official("Sam Mayor")
    visible = make_article(
        "Visible story", quotes=[("On the record", [speaker])], body="Public words.", **shared
    )
    make_article("Second visible story", quotes=[("Also public", [speaker])], **shared)
    secret = {
        "category": make_category("Secret Section"),
        "authors": [make_author("Hidden Writer"), *shared["authors"]],
        "tags": ["Embargoed", "Budget"],
        "body": "Body about zanzibar.",
    }
    quiet = make_official("Quiet Source")
    in_the_future = timezone.now() + timedelta(days=3)
    hidden = [
        make_article("Draft headline", status=Article.Status.DRAFT, **secret),
        make_article("Review headline", status=Article.Status.IN_REVIEW, **secret),
        make_article("Withdrawn headline", status=Article.Status.UNPUBLISHED, **secret),
        make_article("Scheduled headline", published_at=in_the_future, **secret),
    ]
    for story in hidden:
        quote = story.quotes.create(text="Off the record zanzibar")
        quote.speakers.set([quiet, speaker])
        make_related_link(visible, target=story)
    return {"visible": visible, "hidden": hidden}


def assert_no_secrets(client, url, echo=""):
    """Fetch `url` and check no secret shows, apart from the reader's own words `echo`."""
    response = client.get(url)
    assert response.status_code == 200, url
    content = response.content.decode()
    seen = content.lower().replace(echo.lower(), "") if echo else content.lower()
    leaked = [secret for secret in SECRETS if secret.lower() in seen]
    assert not leaked, f"{url} shows {leaked}"
    return content


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/visible-story/",
        "/articles/second-visible-story/",
        "/categories/politics/",
        "/tags/budget/",
        "/authors/ana-ruiz/",
        "/officials/sam-mayor/",
        "/search/?q=headline",
        "/articles/?q=headline",
        "/feed/",
        "/feed/atom/",
        "/categories/politics/feed/",
        "/tags/budget/feed/atom/",
        "/authors/ana-ruiz/feed/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-sections.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
        "/sitemap-officials.xml",
        "/sitemap-news.xml",
        "/sitemap-pages.xml",
    ],
)
def test_pages_feeds_and_sitemaps_show_only_published_stories(client, newsroom, url):
    assert_no_secrets(client, url)


def test_published_stories_are_shown_where_the_hidden_ones_are_not(client, newsroom):
    content = assert_no_secrets(client, "/articles/")
    assert "Visible story" in content and "Second visible story" in content
    official = assert_no_secrets(client, "/officials/sam-mayor/")
    assert "On the record" in official and "Also public" in official
    # The drafts' joint quotes name the other speaker; the page must not.
    assert "Off the record" not in official


@pytest.mark.parametrize("word", ["zanzibar", "Draft", "Scheduled", "Withdrawn", "Review"])
def test_search_never_finds_an_unpublished_story(client, newsroom, word):
    for url in (f"/search/?q={word}", f"/articles/?q={word}"):
        content = assert_no_secrets(client, url, echo=word)
        assert "0 stories" in content


@pytest.mark.parametrize(
    "url",
    [
        "/articles/draft-headline/",
        "/articles/review-headline/",
        "/articles/withdrawn-headline/",
        "/articles/scheduled-headline/",
        "/categories/secret-section/",
        "/categories/secret-section/feed/",
        "/tags/embargoed/",
        "/tags/embargoed/feed/atom/",
        "/authors/hidden-writer/",
        "/authors/hidden-writer/feed/",
        "/officials/quiet-source/",
    ],
)
def test_unpublished_stories_and_their_only_subjects_are_not_found(client, newsroom, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["category=secret-section", "tag=embargoed", "author=hidden-writer", "official=quiet-source"],
)
def test_filters_refuse_subjects_known_only_from_drafts(client, newsroom, query):
    content = assert_no_secrets(client, f"/articles/?{query}")
    assert "Select a valid choice" in content
    assert "Visible story" not in content


def test_a_scheduled_story_appears_once_its_time_comes(client, newsroom):
    scheduled = newsroom["hidden"][3]
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert "Scheduled headline" in client.get("/").content.decode()
    assert "Secret Section" in client.get("/articles/").content.decode()
