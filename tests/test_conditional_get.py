"""Conditional GET: pages and feeds carry validators, and an unchanged page costs a 304."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from tests.factories import make_article

pytestmark = pytest.mark.django_db

STORY = "/articles/sanctions-lifted/"


@pytest.fixture
def story():
    return make_article(
        "Sanctions lifted",
        slug="sanctions-lifted",
        published_at=timezone.now() - timedelta(hours=1),
    )


@pytest.mark.parametrize("url", [STORY, "/", "/articles/", "/feed/", "/feed/atom/", "/sitemap.xml"])
def test_pages_and_feeds_carry_both_validators(client, story, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert parse_http_date(response["Last-Modified"]) <= timezone.now().timestamp()


def test_a_matching_etag_gets_304_with_its_validators(client, story):
    page = client.get(STORY)

    response = client.get(STORY, HTTP_IF_NONE_MATCH=page["ETag"])

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == page["ETag"]
    assert response["Last-Modified"] == page["Last-Modified"]
    assert response["Cache-Control"] == page["Cache-Control"]


def test_a_stored_page_answers_304_without_a_query(client, story, django_assert_num_queries):
    page = client.get(STORY)

    with django_assert_num_queries(0):
        response = client.get(STORY, HTTP_IF_NONE_MATCH=page["ETag"])

    assert response.status_code == 304


def test_an_unchanged_page_since_its_last_modified_gets_304(client, story):
    page = client.get(STORY)

    response = client.get(STORY, HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])

    assert response.status_code == 304


def test_an_older_copy_gets_the_whole_page(client, story):
    page = client.get(STORY)
    earlier = http_date(parse_http_date(page["Last-Modified"]) - 60)

    response = client.get(STORY, HTTP_IF_MODIFIED_SINCE=earlier)

    assert response.status_code == 200
    assert b"Sanctions lifted" in response.content


def test_a_changed_story_gets_a_new_etag(client, story):
    old = client.get(STORY)

    story.headline = "Sanctions eased"
    story.save()
    response = client.get(STORY, HTTP_IF_NONE_MATCH=old["ETag"])

    assert response.status_code == 200
    assert response["ETag"] != old["ETag"]
    assert b"Sanctions eased" in response.content


def test_an_unrelated_change_keeps_the_etag(client, story):
    """A page rendered again with the same content is still the reader's copy."""
    old = client.get(STORY)

    make_article("Storm warning", status="draft")
    response = client.get(STORY, HTTP_IF_NONE_MATCH=old["ETag"])

    assert response.status_code == 304


def test_the_feed_is_as_new_as_its_newest_story(client, story):
    feed = client.get("/feed/")
    assert parse_http_date(feed["Last-Modified"]) == int(story.published_at.timestamp())
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"]).status_code == 304

    make_article("Talks resume", published_at=timezone.now() - timedelta(minutes=1))
    response = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"])

    assert response.status_code == 200
    assert b"Talks resume" in response.content
    assert parse_http_date(response["Last-Modified"]) > parse_http_date(feed["Last-Modified"])


def test_staff_get_validators_too(admin_client, story):
    page = admin_client.get(STORY)

    assert admin_client.get(STORY, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
