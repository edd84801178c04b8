"""The story form saves exactly what an editor entered, and refuses what the database would."""

import pytest
from django.contrib.auth.models import User
from taggit.models import Tag

from articles.models import Article, Quote, RelatedLink
from tests.admin_helpers import (
    SEED_SLUGS,
    add_url,
    assert_saved,
    change_url,
    form_data,
    seed_story,
    story_snapshot,
)
from tests.factories import make_article, make_author, make_official, make_related_link


@pytest.mark.parametrize("key", SEED_SLUGS)
def test_saving_a_seed_story_unchanged_changes_nothing(admin_client, seed_stories, key):
    story = seed_story(key)
    before = story_snapshot(story)
    url = change_url(story)
    data = form_data(admin_client.get(url), "article_form")
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert_saved(response)
    assert story_snapshot(story) == before


def test_adding_a_story_creates_exactly_what_was_entered(admin_client):
    reporter = make_author("Rita Reporter", job_title="Diplomatic Correspondent")
    kim = make_official("Young Kim", party="R", chamber="house", state="CA")
    mccaul = make_official("Michael McCaul", party="R", chamber="house", state="TX")
    Tag.objects.create(name="Fentanyl", slug="fentanyl")
    data = form_data(admin_client.get(add_url(Article)), "article_form")
    data.update(
        {
            "headline": ["Lawmakers write to the State Department"],
            "slug": ["lawmakers-write-to-the-state-department"],
            "body": ["First paragraph.\r\n\r\nSecond paragraph."],
            "status": ["draft"],
            "tags": ["Fentanyl, Export controls"],
            "bylines-TOTAL_FORMS": ["1"],
            "bylines-0-position": ["0"],
            "bylines-0-author": [str(reporter.pk)],
            "bylines-0-title": [""],
            "quotes-TOTAL_FORMS": ["1"],
            "quotes-0-position": ["0"],
            "quotes-0-text": ["We do not support it."],
            "quotes-0-speakers": [str(kim.pk), str(mccaul.pk)],
            "quotes-0-context": ["in a letter"],
            "quotes-0-attribution": [""],
            "_save": ["Save"],
        }
    )
    assert_saved(admin_client.post(add_url(Article), data))

    story = Article.objects.get()
    assert story.created_by == User.objects.get(username="admin")
    assert story.headline == "Lawmakers write to the State Department"
    assert story.body == "First paragraph.\n\nSecond paragraph."
    assert story.status == Article.Status.DRAFT
    assert sorted(story.tags.names()) == ["Export controls", "Fentanyl"]
    assert Tag.objects.count() == 2
    assert list(story.bylines.values_list("author", "title")) == [
        (reporter.pk, "Diplomatic Correspondent")
    ]
    quote = Quote.objects.get()
    assert (quote.article, quote.text, quote.context) == (
        story,
        "We do not support it.",
        "in a letter",
    )
    assert set(quote.speakers.all()) == {kim, mccaul}
    assert not RelatedLink.objects.exists()


def add_story_data(admin_client, **changes):
    data = form_data(admin_client.get(add_url(Article)), "article_form")
    data.update(
        {"headline": ["A story"], "slug": ["a-story"], "body": ["Text."], "_save": ["Save"]}
    )
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return data


def test_the_same_author_twice_is_a_form_error(admin_client):
    author = make_author()
    data = add_story_data(
        admin_client,
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": str(author.pk),
            "bylines-0-position": "0",
            "bylines-1-author": str(author.pk),
            "bylines-1-position": "1",
        },
    )
    response = admin_client.post(add_url(Article), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for author" in response.content.decode()
    assert not Article.objects.exists()


def test_related_link_to_the_story_itself_is_a_form_error(admin_client):
    story = make_article("Linked to itself")
    url = change_url(story)
    data = form_data(admin_client.get(url), "article_form")
    data.update(
        {
            "related_links-TOTAL_FORMS": ["1"],
            "related_links-0-position": ["0"],
            "related_links-0-target": [str(story.pk)],
            "_save": ["Save"],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A story cannot be related to itself." in response.content.decode()
    assert not RelatedLink.objects.exists()


def test_related_link_needs_a_story_or_a_headline_not_both(admin_client):
    story, other = make_article("Story"), make_article("Other story")
    url = change_url(story)
    data = form_data(admin_client.get(url), "article_form")
    data.update(
        {
            "related_links-TOTAL_FORMS": ["1"],
            "related_links-0-position": ["0"],
            "related_links-0-target": [str(other.pk)],
            "related_links-0-headline": ["A headline from elsewhere"],
            "_save": ["Save"],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Choose one of our stories, or give a headline from elsewhere" in (
        response.content.decode()
    )
    assert not RelatedLink.objects.exists()


def test_related_links_list_in_editor_order(admin_client):
    story, target = make_article("Story"), make_article("Our other story")
    make_related_link(story, headline="Second elsewhere", url="https://example.com/2", position=2)
    make_related_link(story, target=target, position=1)
    page = admin_client.get(change_url(story)).content.decode()
    assert page.index("Our other story") < page.index("Second elsewhere")
