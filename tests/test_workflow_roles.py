"""Roles in the admin, seen by three people: a reporter with their own stories, another
reporter, and an editor.

Reporters write, edit their own stories until published and send them for
review; editors edit everything, publish, schedule and unpublish. Each refusal
is checked where it matters: the page answers 403 and the story in the
database is unchanged.
"""

from datetime import timedelta

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from people.models import Author
from tests.admin_helpers import (
    add_url,
    change_url,
    changelist,
    form_data,
    listed,
    logged_in,
    make_staff,
    post_form,
    story_snapshot,
)
from tests.factories import make_article, make_author, make_category

Status = Article.Status


@pytest.fixture
def owner(db):
    return make_staff("rita", "Reporter", first_name="Rita", last_name="Reporter")


@pytest.fixture
def other_reporter(db):
    return make_staff("otto", "Reporter", first_name="Otto", last_name="Other")


@pytest.fixture
def editor(db):
    return make_staff("edna", "Editor", first_name="Edna", last_name="Editor")


@pytest.fixture
def desk(owner, editor):
    """Stories in every state: the owner's, and the editor's."""
    return {
        "draft": make_article("Owner draft", status=Status.DRAFT, created_by=owner),
        "review": make_article("Owner in review", status=Status.IN_REVIEW, created_by=owner),
        "published": make_article("Owner published", created_by=owner),
        "withdrawn": make_article("Owner withdrawn", status=Status.UNPUBLISHED, created_by=owner),
        "editor_draft": make_article("Editor draft", status=Status.DRAFT, created_by=editor),
        "editor_published": make_article("Editor published", created_by=editor),
        "editor_scheduled": make_article(
            "Editor scheduled",
            created_by=editor,
            published_at=timezone.now() + timedelta(days=1),
        ),
    }


def headlines(response):
    return {story.headline for story in listed(response)}


# --- what each sees in the list ------------------------------------------------------------


def test_owner_lists_their_own_stories_and_what_readers_can_see(client, owner, desk):
    response = logged_in(client, owner).get(changelist(Article))
    assert response.status_code == 200
    assert headlines(response) == {
        "Owner draft",
        "Owner in review",
        "Owner published",
        "Owner withdrawn",
        "Editor published",
    }


def test_another_reporter_sees_no_one_elses_unpublished_work(client, other_reporter, desk):
    response = logged_in(client, other_reporter).get(changelist(Article))
    assert headlines(response) == {"Owner published", "Editor published"}


def test_editor_lists_every_story(client, editor, desk):
    response = logged_in(client, editor).get(changelist(Article))
    assert headlines(response) == {story.headline for story in desk.values()}


def test_search_and_autocomplete_keep_other_reporters_drafts_private(client, other_reporter, desk):
    client = logged_in(client, other_reporter)
    response = client.get(changelist(Article), {"q": "Owner"})
    assert headlines(response) == {"Owner published"}
    params = {
        "app_label": "articles",
        "model_name": "relatedlink",
        "field_name": "target",
        "term": "draft",
    }
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- opening a story -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "story", "status_code", "editable"),
    [
        ("owner", "draft", 200, True),
        ("owner", "review", 200, True),
        ("owner", "published", 200, False),
        ("owner", "withdrawn", 200, False),
        ("owner", "editor_draft", 403, False),
        ("owner", "editor_scheduled", 403, False),
        ("owner", "editor_published", 200, False),
        ("other_reporter", "draft", 403, False),
        ("other_reporter", "review", 403, False),
        ("other_reporter", "withdrawn", 403, False),
        ("other_reporter", "published", 200, False),
        ("editor", "draft", 200, True),
        ("editor", "published", 200, True),
        ("editor", "withdrawn", 200, True),
        ("editor", "editor_scheduled", 200, True),
    ],
)
def test_change_page(client, request, desk, persona, story, status_code, editable):
    user = request.getfixturevalue(persona)
    response = logged_in(client, user).get(change_url(desk[story]))
    assert response.status_code == status_code
    if status_code == 200:
        page = response.content.decode()
        assert ('name="_save"' in page) is editable
        assert ('name="headline"' in page) is editable


@pytest.mark.parametrize(
    ("persona", "story"),
    [
        ("other_reporter", "draft"),
        ("other_reporter", "published"),
        ("owner", "published"),
        ("owner", "withdrawn"),
        ("owner", "editor_draft"),
    ],
)
def test_saving_a_story_one_may_not_change_is_refused(
    client, request, admin_client, desk, persona, story
):
    story = desk[story]
    before = story_snapshot(story)
    data = form_data(admin_client.get(change_url(story)), "article_form")
    data.update({"headline": ["Rewritten by someone else"], "_save": ["Save"]})
    user = request.getfixturevalue(persona)
    response = logged_in(client, user).post(change_url(story), data)
    assert response.status_code == 403
    assert story_snapshot(story) == before


def test_history_and_differences_of_other_reporters_drafts_are_private(
    client, owner, other_reporter, desk
):
    story = desk["draft"]
    post_form(logged_in(client, owner), change_url(story), body="Second thoughts.")
    history = reverse("admin:articles_article_history", args=[story.pk])
    compare = reverse("admin:articles_article_compare", args=[story.pk])
    client = logged_in(client, other_reporter)
    assert client.get(history).status_code == 403
    assert client.get(compare, {"version_id1": 1, "version_id2": 2}).status_code == 403


def test_reporters_may_not_delete_stories_or_see_deleted_ones(client, owner, editor, desk):
    story = desk["draft"]
    url = reverse("admin:articles_article_delete", args=[story.pk])
    reporter = logged_in(client, owner)
    assert reporter.get(url).status_code == 403
    assert reporter.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=story.pk).exists()

    deleted = desk["editor_draft"]
    with reversion.create_revision():
        reversion.add_to_revision(deleted)
    deleted.delete()
    recover_list = reverse("admin:articles_article_recoverlist")
    assert reporter.get(recover_list).status_code == 403
    assert "recoverlink" not in reporter.get(changelist(Article)).content.decode()
    editor_client = logged_in(Client(), editor)
    assert "Editor draft" in editor_client.get(recover_list).content.decode()


# --- what a reporter may change ----------------------------------------------------------------


def test_reporter_is_offered_only_draft_and_review(client, owner, desk):
    response = logged_in(client, owner).get(change_url(desk["draft"]))
    status = response.context["adminform"].form.fields["status"]
    assert [value for value, _ in status.choices] == [Status.DRAFT, Status.IN_REVIEW]
    page = response.content.decode()
    assert 'value="published"' not in page
    # The publication date is set by whoever publishes or schedules.
    assert 'name="published_at_0"' not in page


def test_reporter_saves_their_draft_and_sends_it_for_review(client, owner, desk):
    story = desk["draft"]
    response = post_form(
        logged_in(client, owner), change_url(story), body="Rewritten.", status="review"
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.body, story.status) == ("Rewritten.", Status.IN_REVIEW)


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.UNPUBLISHED])
def test_reporter_cannot_publish_even_by_posting_the_status(client, owner, desk, status):
    story = desk["review"]
    before = story_snapshot(story)
    response = post_form(logged_in(client, owner), change_url(story), status=status)
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["status"])
    assert story_snapshot(story) == before


def test_reporter_cannot_schedule_by_posting_a_date(client, owner, desk):
    story = desk["draft"]
    data = form_data(logged_in(client, owner).get(change_url(story)), "article_form")
    data.update(
        {
            "published_at_0": ["2030-01-01"],
            "published_at_1": ["09:00:00"],
            "status": ["review"],
            "_save": ["Save"],
        }
    )
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW
    assert story.published_at < timezone.now()


def test_reporter_adds_a_story_of_their_own(client, owner):
    client = logged_in(client, owner)
    response = post_form(
        client,
        add_url(Article),
        headline="Scoop",
        slug="scoop",
        body="",
        status="draft",
    )
    assert response.status_code == 302
    story = Article.objects.get(slug="scoop")
    assert story.created_by == owner
    assert story.status == Status.DRAFT
    assert client.get(change_url(story)).status_code == 200


def test_reporter_cannot_add_a_published_story(client, owner):
    response = post_form(
        logged_in(client, owner),
        add_url(Article),
        headline="Straight to print",
        slug="straight-to-print",
        status="published",
    )
    assert response.status_code == 200
    assert not Article.objects.filter(slug="straight-to-print").exists()


def test_reporter_edits_bylines_only_on_stories_they_may_change(client, owner, desk):
    client = logged_in(client, owner)
    editable = client.get(change_url(desk["draft"])).context["inline_admin_formsets"]
    assert all(inline.has_add_permission for inline in editable)
    read_only = client.get(change_url(desk["published"])).context["inline_admin_formsets"]
    assert read_only
    assert not any(
        inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission
        for inline in read_only
    )


# --- what an editor may do ------------------------------------------------------------------


def test_editor_publishes_and_schedules(client, editor, desk):
    client = logged_in(client, editor)
    story = desk["review"]
    assert post_form(client, change_url(story), status="published").status_code == 302
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED

    draft = desk["draft"]
    response = post_form(
        client,
        change_url(draft),
        status="published",
        published_at_0="2030-01-01",
        published_at_1="09:00:00",
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled


def test_editor_unpublishes_a_colleagues_story(client, editor, desk):
    story = desk["published"]
    response = post_form(logged_in(client, editor), change_url(story), status="unpublished")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED


def test_editor_manages_people_and_sections(client, editor):
    client = logged_in(client, editor)
    response = client.post(
        add_url(Category), {"name": "Health", "slug": "health", "description": "", "_save": "Save"}
    )
    assert response.status_code == 302
    author = make_author("Ann Author")
    response = post_form(client, change_url(author), "author_form", job_title="Editor at large")
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.job_title == "Editor at large"


def test_reporter_may_not_manage_sections_or_authors(client, owner):
    client = logged_in(client, owner)
    section = make_category("World")
    author = make_author("Ann Author")
    assert client.get(add_url(Category)).status_code == 403
    assert client.post(change_url(section), {"name": "Renamed", "slug": "world"}).status_code == 403
    assert client.post(change_url(author), {"name": "Renamed", "slug": "x"}).status_code == 403
    assert Category.objects.get(pk=section.pk).name == "World"
    assert Author.objects.get(pk=author.pk).name == "Ann Author"


def test_a_reporters_list_costs_the_same_whatever_its_length(
    client, owner, django_assert_max_num_queries
):
    def add_stories(count, start):
        for number in range(start, start + count):
            make_article(f"Mine {number}", status=Status.DRAFT, created_by=owner)
            make_article(f"Public {number}", authors=[make_author()], tags=[f"topic {number}"])

    client = logged_in(client, owner)
    add_stories(2, 0)
    with django_assert_max_num_queries(100) as few:
        client.get(changelist(Article))
    add_stories(20, 2)
    with django_assert_max_num_queries(len(few)):
        response = client.get(changelist(Article))
    assert len(listed(response)) == 44
