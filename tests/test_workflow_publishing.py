"""Status and scheduling in the admin: what blocks publishing, the publication date a
published story gets, scheduled stories, and the list actions that move stories along."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone
from reversion.models import Version

from articles.models import Article
from tests.admin_helpers import (
    add_url,
    change_url,
    changelist,
    logged_in,
    make_staff,
    post_form,
    seed_story,
    story_snapshot,
)
from tests.factories import make_article, make_image

Status = Article.Status


def form_errors_of(response):
    assert response.status_code == 200, "the form was saved"
    return response.context["adminform"].form.errors


# --- publish-blocking checks -------------------------------------------------------------------


def test_publishing_without_a_body_is_a_form_error(admin_client):
    response = post_form(
        admin_client, add_url(Article), headline="Empty", slug="empty", body="", status="published"
    )
    assert form_errors_of(response)["body"] == ["A published story needs a body."]
    assert "A published story needs a body." in response.content.decode()
    assert not Article.objects.exists()


def test_publishing_without_a_headline_or_slug_is_a_form_error(admin_client):
    response = post_form(
        admin_client, add_url(Article), headline="", slug="", body="Text.", status="published"
    )
    errors = form_errors_of(response)
    assert errors["headline"] == ["This field is required."]
    assert errors["slug"] == ["This field is required."]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("image_fields", "missing"),
    [
        ({"alt_text": ""}, "alt text"),
        ({"credit": ""}, "a credit"),
        ({"alt_text": "", "credit": " "}, "alt text and a credit"),
    ],
)
def test_a_picture_needs_alt_text_and_credit_to_publish(admin_client, image_fields, missing):
    image = make_image(**image_fields)
    story = make_article("With a picture", status=Status.DRAFT, featured_image=image)
    before = story_snapshot(story)
    response = post_form(admin_client, change_url(story), status="published")
    assert form_errors_of(response)["featured_image"] == [
        f"The featured image needs {missing} before the story is published."
    ]
    assert story_snapshot(story) == before


def test_an_image_record_without_a_picture_needs_no_alt_text(admin_client):
    # A cutline and credit kept for a picture the newsroom does not have (seed 001).
    image = make_image(external_url="", alt_text="", credit="Getty Images")
    story = make_article("Credit only", status=Status.DRAFT, featured_image=image)
    assert post_form(admin_client, change_url(story), status="published").status_code == 302
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED


def test_editing_a_published_story_keeps_it_publishable(admin_client):
    story = make_article("Live")
    response = post_form(admin_client, change_url(story), body="")
    assert form_errors_of(response)["body"] == ["A published story needs a body."]
    story.refresh_from_db()
    assert story.body == "Body of Live."


def test_drafts_save_with_anything(admin_client):
    image = make_image(alt_text="", credit="")
    response = post_form(
        admin_client,
        add_url(Article),
        headline="Notes",
        slug="notes",
        body="",
        status="review",
        featured_image=str(image.pk),
    )
    assert response.status_code == 302
    story = Article.objects.get(slug="notes")
    assert (story.body, story.status, story.featured_image) == ("", Status.IN_REVIEW, image)


# --- the publication date ----------------------------------------------------------------------


def test_publishing_an_undated_story_dates_it_now(admin_client):
    story = make_article("Ready", status=Status.IN_REVIEW, published_at=None)
    before = timezone.now().replace(microsecond=0)  # stored to the second
    assert post_form(admin_client, change_url(story), status="published").status_code == 302
    story.refresh_from_db()
    assert before <= story.published_at <= timezone.now()
    assert story.publication_time_known
    assert story.is_published


def test_a_published_story_of_unknown_date_stays_undated(admin_client, seed_stories):
    story = seed_story("003")
    assert story.published_at is None
    assert post_form(admin_client, change_url(story), body="Corrected text.").status_code == 302
    story.refresh_from_db()
    assert story.published_at is None
    assert story.body == "Corrected text."


def test_publishing_with_a_date_keeps_that_date(admin_client):
    story = make_article("Backdated", status=Status.DRAFT, published_at=None)
    response = post_form(
        admin_client,
        change_url(story),
        status="published",
        published_at_0="2024-03-01",
        published_at_1="08:30:00",
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert timezone.localtime(story.published_at).strftime("%Y-%m-%d %H:%M") == "2024-03-01 08:30"


# --- scheduled stories --------------------------------------------------------------------------


def test_scheduled_story_shows_its_time_in_list_and_form(admin_client):
    goes_live = timezone.now() + timedelta(days=3)
    story = make_article("Embargoed", published_at=goes_live)
    expected = (
        f"Scheduled for {formats.date_format(timezone.localtime(goes_live), 'DATETIME_FORMAT')}"
    )
    assert expected in admin_client.get(changelist(Article)).content.decode()
    assert expected in admin_client.get(change_url(story)).content.decode()


def test_scheduled_story_becomes_visible_by_itself(db):
    story = make_article("Embargoed", published_at=timezone.now() + timedelta(hours=1))
    assert not Article.objects.published().filter(pk=story.pk).exists()
    later = timezone.now() + timedelta(hours=2)
    assert Article.objects.published(now=later).filter(pk=story.pk).exists()


# --- list actions ------------------------------------------------------------------------------


def run_action(client, action, stories):
    response = client.post(
        changelist(Article),
        {"action": action, "_selected_action": [story.pk for story in stories]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def status_of(story):
    return Article.objects.get(pk=story.pk).status


def test_publish_now_publishes_and_dates_ready_stories(admin_client):
    ready = make_article("Ready", status=Status.IN_REVIEW, published_at=None)
    scheduled = make_article("Later", published_at=timezone.now() + timedelta(days=1))
    before = timezone.now().replace(microsecond=0)  # stored to the second
    messages = run_action(admin_client, "publish_now", [ready, scheduled])
    assert messages == ["Published 2 stories: “Ready”, “Later”."]
    for story in [ready, scheduled]:
        story.refresh_from_db()
        assert story.is_published
        assert before <= story.published_at <= timezone.now()


def test_publish_now_refuses_what_is_not_ready_and_says_why(admin_client):
    empty = make_article("No text", status=Status.DRAFT, body="")
    no_alt = make_article("No alt", status=Status.DRAFT, featured_image=make_image(alt_text=""))
    live = make_article("Already live")
    before = [story_snapshot(story) for story in [empty, no_alt, live]]
    messages = run_action(admin_client, "publish_now", [empty, no_alt, live])
    assert messages == [
        "Not published: “No text” (A published story needs a body.); "
        "“No alt” (The featured image needs alt text before the story is published.); "
        "“Already live” (it is already published)."
    ]
    assert [story_snapshot(story) for story in [empty, no_alt, live]] == before


def test_unpublish_withdraws_published_and_scheduled_stories(admin_client):
    live = make_article("Live")
    scheduled = make_article("Later", published_at=timezone.now() + timedelta(days=1))
    draft = make_article("Draft", status=Status.DRAFT)
    messages = run_action(admin_client, "unpublish", [live, scheduled, draft])
    assert messages == [
        "Unpublished 2 stories: “Live”, “Later”.",
        "Not unpublished: “Draft” (it is not published).",
    ]
    assert [status_of(s) for s in [live, scheduled, draft]] == [
        Status.UNPUBLISHED,
        Status.UNPUBLISHED,
        Status.DRAFT,
    ]


def test_submit_for_review(client, db):
    reporter = make_staff("rita", "Reporter")
    own_draft = make_article("Own draft", status=Status.DRAFT, created_by=reporter)
    own_review = make_article("Own review", status=Status.IN_REVIEW, created_by=reporter)
    messages = run_action(logged_in(client, reporter), "submit_for_review", [own_draft, own_review])
    assert messages == [
        "Sent 1 story for review: “Own draft”.",
        "Not sent for review: “Own review” (it is already in review).",
    ]
    assert status_of(own_draft) == Status.IN_REVIEW


def test_reporters_are_not_offered_publish_or_unpublish(client, db):
    reporter = make_staff("rita", "Reporter")
    make_article("Own draft", status=Status.DRAFT, created_by=reporter)
    response = logged_in(client, reporter).get(changelist(Article))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish_now" not in actions and "unpublish" not in actions


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_a_forged_publish_action_changes_nothing(client, db, action):
    reporter = make_staff("rita", "Reporter")
    draft = make_article("Own draft", status=Status.IN_REVIEW, created_by=reporter)
    live = make_article("Own live", created_by=reporter)
    before = [story_snapshot(draft), story_snapshot(live)]
    run_action(logged_in(client, reporter), action, [draft, live])
    assert [story_snapshot(draft), story_snapshot(live)] == before


def test_a_forged_action_on_another_reporters_draft_changes_nothing(client, db):
    reporter, other = make_staff("rita", "Reporter"), make_staff("otto", "Reporter")
    theirs = make_article("Their draft", status=Status.DRAFT, created_by=other)
    messages = run_action(logged_in(client, reporter), "submit_for_review", [theirs])
    assert status_of(theirs) == Status.DRAFT
    assert not any("Sent" in message for message in messages)


def test_each_action_records_a_revision_per_story_with_user_and_comment(admin_client):
    first, second = make_article("First"), make_article("Second")
    run_action(admin_client, "unpublish", [first, second])
    for story in [first, second]:
        latest = Version.objects.get_for_object(story).select_related("revision__user").first()
        assert latest.revision.comment == "Unpublished from the story list."
        assert latest.revision.user.username == "admin"
        assert latest.field_dict["status"] == Status.UNPUBLISHED
        # One story per revision: restoring it never restores the other.
        assert latest.revision.version_set.get_for_model(Article).count() == 1
