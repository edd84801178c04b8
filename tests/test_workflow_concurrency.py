"""Two editors on one story: the second to save is stopped, told who saved and when, shown
the difference, and loses nothing they typed."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from reversion.models import Version

from articles.models import Article
from tests.admin_helpers import (
    assert_saved,
    change_url,
    changelist,
    form_data,
    logged_in,
    make_staff,
)
from tests.factories import make_article


@pytest.fixture
def first_editor(db):
    return make_staff("edna", "Editor", first_name="Edna", last_name="First")


@pytest.fixture
def second_editor(db):
    return make_staff("sam", "Editor", first_name="Sam", last_name="Second")


@pytest.fixture
def story(db):
    return make_article("Shared story", body="The original text.")


def open_form(user, story):
    """Log ``user`` in on a browser of their own and open the story's form."""
    client = logged_in(Client(), user)
    return client, form_data(client.get(change_url(story)), "article_form")


def save(client, story, data, **changes):
    data = {**data, **{name: [value] for name, value in changes.items()}, "_save": ["Save"]}
    return client.post(change_url(story), data)


def test_the_form_carries_the_version_it_was_opened_on(admin_client, story):
    data = form_data(admin_client.get(change_url(story)), "article_form")
    assert data["edit_version"] == [str(story.edit_version)]


def test_the_second_save_is_refused_and_the_first_editors_text_kept(
    first_editor, second_editor, story
):
    first, first_data = open_form(first_editor, story)
    second, second_data = open_form(second_editor, story)

    assert_saved(save(first, story, first_data, body="The first editor's text."))
    response = save(second, story, second_data, body="The second editor's text.")

    assert response.status_code == 200
    assert Article.objects.get(pk=story.pk).body == "The first editor's text."
    page = response.content.decode()
    latest = Version.objects.get_for_object(story).select_related("revision").first()
    saved_at = formats.date_format(
        timezone.localtime(latest.revision.date_created), "DATETIME_FORMAT"
    )
    assert f"Edna First saved this story at {saved_at}, after you opened it" in page
    # Nothing the second editor typed is lost: the form still holds it.
    assert "The second editor&#x27;s text." in page
    assert response.context["adminform"].form["body"].value() == "The second editor's text."


def test_the_refusal_links_to_what_the_other_editor_changed(first_editor, second_editor, story):
    first, first_data = open_form(first_editor, story)
    second, second_data = open_form(second_editor, story)
    assert_saved(save(first, story, first_data, body="The first editor's text."))
    response = save(second, story, second_data, body="The second editor's text.")

    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    compare = reverse("admin:articles_article_compare", args=[story.pk])
    start = errors[0].index(compare)
    link = errors[0][start : errors[0].index('"', start)].replace("&amp;", "&")
    diff = second.get(link)
    assert diff.status_code == 200
    diff_page = diff.content.decode()
    assert "The <del>original</del><ins>first editor&#x27;s</ins> text." in diff_page


def test_saving_again_after_seeing_the_refusal_replaces_the_other_text(
    first_editor, second_editor, story
):
    first, first_data = open_form(first_editor, story)
    second, second_data = open_form(second_editor, story)
    assert_saved(save(first, story, first_data, body="The first editor's text."))
    refused = save(second, story, second_data, body="The second editor's text.")

    # The refused page carries the current version: a second save is deliberate.
    assert_saved(
        second.post(change_url(story), {**form_data(refused, "article_form"), "_save": ["Save"]})
    )
    assert Article.objects.get(pk=story.pk).body == "The second editor's text."


def test_a_status_change_from_the_list_also_stops_a_stale_save(first_editor, second_editor, story):
    second, second_data = open_form(second_editor, story)
    first = logged_in(Client(), first_editor)
    first.post(changelist(Article), {"action": "unpublish", "_selected_action": [story.pk]})
    assert Article.objects.get(pk=story.pk).status == Article.Status.UNPUBLISHED

    response = save(second, story, second_data, headline="Retitled")

    assert response.status_code == 200
    assert "Edna First saved this story at" in response.content.decode()
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Shared story", Article.Status.UNPUBLISHED)


@pytest.mark.parametrize("opened_on", [None, "not-a-number"])
def test_a_save_without_the_version_it_was_opened_on_is_refused(admin_client, story, opened_on):
    data = form_data(admin_client.get(change_url(story)), "article_form")
    if opened_on is None:
        del data["edit_version"]
    else:
        data["edit_version"] = [opened_on]
    response = save(admin_client, story, data, body="Blind overwrite.")
    assert response.status_code == 200
    assert "does not say which version of the story it was opened on" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert Article.objects.get(pk=story.pk).body == "The original text."


def test_a_restore_from_a_page_opened_before_another_save_is_refused(
    first_editor, second_editor, story
):
    first, first_data = open_form(first_editor, story)
    assert_saved(save(first, story, first_data, body="Second text."))
    oldest = Version.objects.get_for_object(story).last()
    restore_url = reverse("admin:articles_article_revision", args=[story.pk, oldest.pk])
    second = logged_in(Client(), second_editor)
    restore_data = form_data(second.get(restore_url), "article_form")

    first, first_data = open_form(first_editor, story)
    assert_saved(save(first, story, first_data, body="Third text."))
    response = second.post(restore_url, {**restore_data, "_save": ["Save"]})

    assert response.status_code == 200
    assert "Edna First saved this story at" in response.content.decode()
    assert Article.objects.get(pk=story.pk).body == "Third text."
