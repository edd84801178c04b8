"""Revision history: every save is recorded with who and why, two revisions compare
readably, and any revision comes back in one step, bylines, quotes and tags included."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, Byline, Quote, RelatedLink, SlugRedirect, TaggedArticle
from tests.admin_helpers import (
    add_url,
    assert_saved,
    change_url,
    form_data,
    logged_in,
    make_staff,
    post_form,
    seed_story,
    story_snapshot,
)
from tests.factories import make_article, make_author, make_official

Status = Article.Status


def history_url(story):
    return reverse("admin:articles_article_history", args=[story.pk])


def revision_url(story, version):
    return reverse("admin:articles_article_revision", args=[story.pk, version.pk])


def compare_url(story):
    return reverse("admin:articles_article_compare", args=[story.pk])


def versions_of(story):
    """The story's revisions, newest first."""
    return list(Version.objects.get_for_object(story).select_related("revision__user"))


def restore(client, story, version):
    """Open an old revision and save it, as an editor restoring it does."""
    url = revision_url(story, version)
    response = client.get(url)
    assert response.status_code == 200
    return client.post(url, {**form_data(response, "article_form"), "_save": ["Save"]})


@pytest.fixture
def written_story(admin_client):
    """A story added in the admin with a byline, two quotes, a related link and tags."""
    author = make_author("Rita Reporter", job_title="Diplomatic Correspondent")
    kim, mccaul = make_official("Young Kim"), make_official("Michael McCaul")
    other = make_article("Earlier story")
    response = post_form(
        admin_client,
        add_url(Article),
        headline="Lawmakers write to State",
        slug="lawmakers-write-to-state",
        body="First version.",
        status="draft",
        tags="Fentanyl, China",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-position": "0",
            "bylines-0-author": str(author.pk),
            "bylines-0-title": "",
            "quotes-TOTAL_FORMS": "2",
            "quotes-0-position": "0",
            "quotes-0-text": "We do not support it.",
            "quotes-0-speakers": [str(kim.pk), str(mccaul.pk)],
            "quotes-0-context": "in a letter",
            "quotes-0-attribution": "",
            "quotes-1-position": "1",
            "quotes-1-text": "A campaign of repression.",
            "quotes-1-context": "",
            "quotes-1-attribution": "government documents",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "0",
            "related_links-0-target": str(other.pk),
        },
    )
    assert_saved(response)
    return Article.objects.get(slug="lawmakers-write-to-state")


def rewrite(client, story):
    """A second editor's pass: new text, another byline, changed quotes, other tags, no link."""
    editor = make_author("Edna Editor", job_title="Managing Editor")
    speaker = make_official("Mike Gallagher")
    page = client.get(change_url(story))
    data = form_data(page, "article_form")
    data.update(
        {
            "body": ["Second version."],
            "tags": ["Sanctions"],
            "bylines-0-DELETE": ["on"],
            "bylines-TOTAL_FORMS": ["2"],
            "bylines-1-position": ["1"],
            "bylines-1-author": [str(editor.pk)],
            "bylines-1-title": [""],
            "quotes-0-text": ["We strongly oppose it."],
            "quotes-0-speakers": [str(speaker.pk)],
            "quotes-1-DELETE": ["on"],
            "related_links-0-DELETE": ["on"],
            "_save": ["Save"],
        }
    )
    assert_saved(client.post(change_url(story), data))


# --- recording ---------------------------------------------------------------------------------


def test_adding_a_story_records_it_with_its_parts_user_and_comment(admin_client, written_story):
    (version,) = versions_of(written_story)
    revision = version.revision
    assert revision.user.username == "admin"
    assert revision.comment.startswith(
        "Added. Added byline “Rita Reporter, Diplomatic Correspondent”."
    )
    recorded = {
        model: revision.version_set.get_for_model(model).count()
        for model in [Article, Byline, Quote, RelatedLink, TaggedArticle]
    }
    assert recorded == {Article: 1, Byline: 1, Quote: 2, RelatedLink: 1, TaggedArticle: 2}


def test_each_save_records_a_revision_naming_what_changed(admin_client, written_story):
    rewrite(admin_client, written_story)
    latest, first = versions_of(written_story)
    assert latest.revision.user.username == "admin"
    assert latest.revision.comment.startswith("Changed Body and Tags.")
    assert "Added byline “Edna Editor, Managing Editor”." in latest.revision.comment
    assert latest.field_dict["body"] == "Second version."
    assert first.field_dict["body"] == "First version."


def test_a_story_from_the_fixtures_keeps_its_first_state_restorable(admin_client, seed_stories):
    story = seed_story("001")
    assert versions_of(story) == []
    assert_saved(post_form(admin_client, change_url(story), headline="Retitled"))
    latest, stored = versions_of(story)
    assert stored.revision.comment == "As stored before its first change in the admin."
    assert stored.field_dict["headline"].startswith("Biden Admin Weighs")
    assert latest.field_dict["headline"] == "Retitled"


# --- reading the history -------------------------------------------------------------------------


def test_history_page_lists_revisions_with_who_when_and_why(admin_client, written_story):
    rewrite(admin_client, written_story)
    response = admin_client.get(history_url(written_story))
    assert response.status_code == 200
    page = response.content.decode()
    for version in versions_of(written_story):
        assert revision_url(written_story, version) in page
    assert "Added." in page and "Changed Body and Tags." in page


def test_compare_shows_a_readable_difference(admin_client, written_story):
    rewrite(admin_client, written_story)
    latest, first = versions_of(written_story)
    response = admin_client.get(
        compare_url(written_story), {"version_id1": first.pk, "version_id2": latest.pk}
    )
    assert response.status_code == 200
    labels = [difference.label for difference in response.context["compare_data"]]
    assert labels == ["body", "bylines", "quotes", "related links", "tags"]
    page = response.content.decode()
    for removed in [
        "First version.",
        "Rita Reporter, Diplomatic Correspondent",
        "“We do not support it.” — Michael McCaul, Young Kim — in a letter",
        "“A campaign of repression.” — government documents",
        "Our story: Earlier story",
        "China",
        "Fentanyl",
    ]:
        assert f"<del>- {escape(removed)}</del>" in page, removed
    for added in [
        "Second version.",
        "Edna Editor, Managing Editor",
        "“We strongly oppose it.” — Mike Gallagher — in a letter",
        "Sanctions",
    ]:
        assert f"<ins>+ {escape(added)}</ins>" in page, added
    # Bookkeeping that changes on every save is not shown as a change.
    assert "edit version" not in page.lower()


def test_compare_with_nonsense_versions_is_not_found(admin_client, written_story):
    response = admin_client.get(
        compare_url(written_story), {"version_id1": "x", "version_id2": "999999"}
    )
    assert response.status_code == 404


# --- restoring -----------------------------------------------------------------------------------


def test_restore_brings_back_bylines_quotes_links_and_tags_exactly(admin_client, written_story):
    before = story_snapshot(written_story)
    rewrite(admin_client, written_story)
    assert story_snapshot(written_story) != before
    first = versions_of(written_story)[-1]

    response = restore(admin_client, written_story, first)

    assert_saved(response)
    assert story_snapshot(written_story) == before
    assert sorted(written_story.tags.names()) == ["China", "Fentanyl"]
    # The tag only the rewrite used is still a tag, just no longer on this story.
    assert Tag.objects.filter(name="Sanctions").exists()


def test_a_restore_is_itself_a_new_revision(admin_client, written_story):
    rewrite(admin_client, written_story)
    edit_version_before = Article.objects.get(pk=written_story.pk).edit_version
    first = versions_of(written_story)[-1]
    assert_saved(restore(admin_client, written_story, first))

    versions = versions_of(written_story)
    assert len(versions) == 3
    assert versions[0].revision.comment.startswith("Reverted to previous version, saved on")
    assert versions[0].revision.user.username == "admin"
    assert versions[0].field_dict["body"] == "First version."
    # The edit counter keeps counting up through a restore, so a form opened
    # before it is still recognised as stale.
    assert Article.objects.get(pk=written_story.pk).edit_version == edit_version_before + 1
    # And the restore can itself be undone.
    assert_saved(restore(admin_client, written_story, versions[1]))
    assert Article.objects.get(pk=written_story.pk).body == "Second version."


def test_the_restore_page_shows_the_old_revision_without_changing_anything(
    admin_client, written_story
):
    rewrite(admin_client, written_story)
    after_rewrite = story_snapshot(written_story)
    first = versions_of(written_story)[-1]
    response = admin_client.get(revision_url(written_story, first))
    assert "First version." in response.content.decode()
    assert story_snapshot(written_story) == after_rewrite
    assert len(versions_of(written_story)) == 2


def test_restoring_an_old_address_keeps_the_current_one_working(admin_client):
    story = make_article("Moving story", slug="first-address")
    assert_saved(post_form(admin_client, change_url(story), slug="second-address"))
    assert SlugRedirect.objects.get(old_slug="first-address").article == story
    stored = versions_of(story)[-1]
    assert stored.field_dict["slug"] == "first-address"

    assert_saved(restore(admin_client, story, stored))

    story.refresh_from_db()
    assert story.slug == "first-address"
    assert SlugRedirect.objects.get(old_slug="second-address").article == story
    # The current address never redirects.
    assert not SlugRedirect.objects.filter(old_slug="first-address").exists()


def test_a_reporter_cannot_restore_a_draft_over_their_published_story(client, admin_client):
    reporter = make_staff("rita", "Reporter")
    client = logged_in(client, reporter)
    assert_saved(
        post_form(client, add_url(Article), headline="Mine", slug="mine", body="Draft text.")
    )
    story = Article.objects.get(slug="mine")
    assert_saved(post_form(admin_client, change_url(story), status="published"))
    draft_revision = versions_of(story)[-1]
    before = story_snapshot(story)

    url = revision_url(story, draft_revision)
    assert client.get(url).status_code == 403
    data = form_data(admin_client.get(url), "article_form")
    assert client.post(url, {**data, "_save": ["Save"]}).status_code == 403
    assert story_snapshot(story) == before


def test_a_revision_of_another_story_cannot_be_restored_through_this_one(admin_client):
    other = make_article("Other story")
    Byline.objects.create(pk=9999, article=other, author=make_author("Ann Author"))
    assert_saved(post_form(admin_client, change_url(other), body="Other text, revised."))
    # Story 9999 shares its id with the other story's byline, whose versions
    # are in the other story's revisions.
    target = make_article("Target story", pk=9999)
    byline_version = Version.objects.get_for_object_reference(Byline, 9999).first()
    before = story_snapshot(other)
    url = revision_url(target, byline_version)
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"_save": "Save"}).status_code == 404
    assert story_snapshot(other) == before
