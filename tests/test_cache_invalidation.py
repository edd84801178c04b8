"""Exact invalidation: a change to anything a stored page shows is on the very next request.

Each test first makes sure the page is stored (the second request runs no
query), then changes one thing the way the newsroom does, and reads the page
once more.
"""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, Correction
from newsroom.cache import content_changed
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
    make_organisation,
    make_related_link,
)

pytestmark = pytest.mark.django_db

STORY = "/articles/sanctions-lifted/"


@pytest.fixture
def stored(client, django_assert_num_queries):
    """Read a page into the cache and check it is served from there; return its HTML."""

    def read(url):
        client.get(url)
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return read


@pytest.fixture
def official():
    return make_official(
        "Young Kim",
        slug="young-kim",
        title="Chair, Foreign Affairs Committee",
        organisation=make_organisation("House of Representatives"),
    )


@pytest.fixture
def story(official):
    return make_article(
        "Sanctions lifted",
        slug="sanctions-lifted",
        body="Washington removed the institute from its trade blacklist.",
        category=make_category("Politics", slug="politics"),
        featured_image=make_image(cutline="The institute in Beijing.", credit="Wire photo"),
        authors=[make_author("Ada Reporter", slug="ada-reporter", job_title="Correspondent")],
        tags=["Fentanyl"],
        quotes=[("We welcome the step.", [official])],
    )


def page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


# --- stories ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [STORY, "/", "/articles/", "/feed/", "/officials/young-kim/"])
def test_an_edited_headline_is_everywhere_at_once(client, stored, story, url):
    assert "Sanctions lifted" in stored(url)

    story.headline = "Sanctions eased"
    story.save()

    status, html = page(client, url)
    assert status == 200
    assert "Sanctions eased" in html and "Sanctions lifted" not in html


def test_a_published_draft_appears_at_once(client, stored, story):
    draft = make_article("Talks resume", slug="talks-resume", status=Article.Status.DRAFT)
    assert "Talks resume" not in stored("/")

    draft.status = Article.Status.PUBLISHED
    draft.save()

    assert "Talks resume" in page(client, "/")[1]
    assert page(client, "/articles/talks-resume/")[0] == 200


def test_an_unpublished_story_disappears_at_once(client, stored, story):
    stored(STORY)
    assert "Sanctions lifted" in stored("/")

    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert "Sanctions lifted" not in page(client, "/")[1]
    assert page(client, STORY)[0] == 404


def test_a_deleted_story_disappears_at_once(client, stored, story):
    stored(STORY)
    assert "Sanctions lifted" in stored("/tags/fentanyl/")

    story.delete()

    assert page(client, STORY)[0] == 404
    assert page(client, "/tags/fentanyl/")[0] == 404
    assert "Sanctions lifted" not in page(client, "/")[1]


def test_an_editors_publish_action_in_the_admin_reaches_readers(client, admin_client, stored):
    draft = make_article("Talks resume", slug="talks-resume", status=Article.Status.DRAFT)
    assert "Talks resume" not in stored("/")

    admin_client.post(
        "/admin/articles/article/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )

    assert Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED
    assert "Talks resume" in page(client, "/")[1]


# --- what a story shows -----------------------------------------------------------------------


def test_a_renamed_author_is_renamed_on_their_stories(client, stored, story):
    assert "Ada Reporter" in stored(STORY)
    assert "Ada Reporter" in stored("/authors/ada-reporter/")

    author = story.authors.get()
    author.name = "Ada Lovelace"
    author.save()

    assert "Ada Lovelace" in page(client, STORY)[1]
    assert "Ada Lovelace" in page(client, "/authors/ada-reporter/")[1]


def test_a_changed_byline_title_shows_at_once(client, stored, story):
    assert "Correspondent" in stored(STORY)

    byline = Byline.objects.get(article=story)
    byline.title = "Chief Correspondent"
    byline.save()

    assert "Chief Correspondent" in page(client, STORY)[1]


def test_a_new_byline_shows_at_once(client, stored, story):
    assert "Grace Hopper" not in stored(STORY)

    Byline.objects.create(article=story, author=make_author("Grace Hopper"), position=1)

    assert "Grace Hopper" in page(client, STORY)[1]


def test_an_officials_new_title_shows_on_every_story_quoting_them(client, stored, story, official):
    assert "Chair, Foreign Affairs Committee" in stored(STORY)
    assert "Chair, Foreign Affairs Committee" in stored("/officials/young-kim/")

    official.title = "Ranking Member, Foreign Affairs Committee"
    official.save()

    for url in (STORY, "/officials/young-kim/"):
        assert "Ranking Member, Foreign Affairs Committee" in page(client, url)[1], url


def test_a_renamed_organisation_shows_at_once(client, stored, story, official):
    assert "House of Representatives" in stored("/officials/young-kim/")

    official.organisation.name = "U.S. House of Representatives"
    official.organisation.save()

    assert "U.S. House of Representatives" in page(client, "/officials/young-kim/")[1]


def test_a_renamed_tag_is_renamed_everywhere(client, stored, story):
    assert "Fentanyl" in stored(STORY)
    assert "Fentanyl" in stored("/tags/fentanyl/")

    tag = Tag.objects.get(name="Fentanyl")
    tag.name = "Opioids"
    tag.save()

    for url in (STORY, "/tags/fentanyl/"):
        html = page(client, url)[1]
        assert "Opioids" in html and "Fentanyl" not in html, url


def test_a_tag_added_to_a_story_shows_at_once(client, stored, story):
    assert "China" not in stored(STORY)

    story.tags.add("China")

    assert "China" in page(client, STORY)[1]
    assert "Sanctions lifted" in page(client, "/tags/china/")[1]


def test_a_renamed_section_is_renamed_everywhere(client, stored, story):
    assert "Politics" in stored(STORY)
    assert "Politics" in stored("/categories/politics/")

    section = story.category
    section.name = "Government"
    section.save()

    for url in (STORY, "/categories/politics/"):
        html = page(client, url)[1]
        assert "Government" in html and "Politics" not in html, url


def test_a_changed_picture_credit_shows_at_once(client, stored, story):
    assert "Wire photo" in stored(STORY)

    image = story.featured_image
    image.credit = "Staff photographer"
    image.save()

    assert "Staff photographer" in page(client, STORY)[1]


def test_an_edited_quote_shows_at_once(client, stored, story):
    assert "We welcome the step." in stored("/officials/young-kim/")

    quote = story.quotes.get()
    quote.text = "We welcome this important step."
    quote.save()

    assert "We welcome this important step." in page(client, "/officials/young-kim/")[1]


def test_a_new_speaker_of_a_quote_shows_at_once(client, stored, story):
    stored("/officials/young-kim/")
    assert "Mike Lawler" not in stored(STORY)

    story.quotes.get().speakers.add(make_official("Mike Lawler", slug="mike-lawler"))

    assert "Mike Lawler" in page(client, STORY)[1]
    assert "Joint statement with" in page(client, "/officials/young-kim/")[1]


def test_a_new_related_link_shows_at_once(client, stored, story):
    assert "Beijing responds" not in stored(STORY)

    make_related_link(story, headline="Beijing responds", url="https://example.org/beijing")

    assert "Beijing responds" in page(client, STORY)[1]


def test_a_correction_shows_at_once(client, stored, story):
    assert "The institute is in Wuhan" not in stored(STORY)

    Correction.objects.create(article=story, text="The institute is in Wuhan, not Beijing.")

    assert "The institute is in Wuhan, not Beijing." in page(client, STORY)[1]


# --- how changes are committed ----------------------------------------------------------------


def test_pages_rendered_before_the_commit_are_dropped_after_it(
    client, stored, story, django_capture_on_commit_callbacks
):
    stored(STORY)

    with django_capture_on_commit_callbacks() as commit:
        story.headline = "Sanctions eased"
        story.save()
        # Rendered while the change is not yet committed: another process
        # could only have seen the old rows.
        assert "Sanctions eased" in stored(STORY)
    for callback in commit:
        callback()

    with CaptureQueriesContext(connection) as queries:
        client.get(STORY)
    assert len(queries) > 0, "the page was rendered afresh after the commit"


@pytest.mark.django_db(transaction=True)  # flush's TRUNCATE needs its own transaction
def test_an_emptied_database_serves_no_stored_page(client, stored, story):
    assert "Sanctions lifted" in stored("/")

    call_command("flush", interactive=False, verbosity=0)

    assert "Sanctions lifted" not in page(client, "/")[1]


def test_bulk_writes_reach_readers_once_announced(client, stored, story):
    assert "Sanctions lifted" in stored("/")

    Article.objects.filter(pk=story.pk).update(headline="Sanctions eased")  # sends no signal
    content_changed(schedule_unknown=True)

    assert "Sanctions eased" in page(client, "/")[1]


# --- scheduled stories ------------------------------------------------------------------------


def wait_until(moment):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.05)


def test_a_scheduled_story_appears_at_its_time_without_a_save(client, stored, story):
    soon = make_article("Talks resume", published_at=timezone.now() + timedelta(seconds=2))
    assert soon.is_scheduled
    assert "Talks resume" not in stored("/")

    wait_until(soon.published_at)

    assert "Talks resume" in page(client, "/")[1]


def test_a_story_scheduled_before_the_cache_started_appears_at_its_time(client, stored, story):
    cache.clear()  # a restarted server: nothing stored, not even the schedule
    Article.objects.filter(pk=story.pk).update(
        published_at=(timezone.now() + timedelta(seconds=2)).replace(microsecond=0)
    )
    story.refresh_from_db()
    assert "Sanctions lifted" not in stored("/")

    wait_until(story.published_at)

    assert "Sanctions lifted" in page(client, "/")[1]
