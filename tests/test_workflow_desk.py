"""The admin home: what needs a newsroom member's attention, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from articles.models import Article
from tests.admin_helpers import get_counting_queries, logged_in, make_staff
from tests.factories import make_article

Status = Article.Status


def desk_section(response, section_id):
    """The HTML of one list on the admin home."""
    page = response.content.decode()
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</table>", start)]


def fill_desk(owner, editor, count=1, start=0):
    for number in range(start, start + count):
        make_article(f"Review {number}", status=Status.IN_REVIEW, created_by=owner)
        make_article(
            f"Scheduled {number}",
            created_by=editor,
            published_at=timezone.now() + timedelta(days=1 + number),
        )
        make_article(f"Published {number}", created_by=editor)
        make_article(f"Owner draft {number}", status=Status.DRAFT, created_by=owner)
        make_article(f"Editor draft {number}", status=Status.DRAFT, created_by=editor)


def test_editor_home_shows_review_scheduled_published_and_own_drafts(db):
    owner = make_staff("rita", "Reporter", first_name="Rita", last_name="Reporter")
    editor = make_staff("edna", "Editor")
    fill_desk(owner, editor)
    goes_live = Article.objects.get(headline="Scheduled 0").published_at

    response = logged_in(Client(), editor).get(reverse("admin:index"))

    in_review = desk_section(response, "desk-in-review")
    assert "Review 0" in in_review and "Rita Reporter" in in_review
    scheduled = desk_section(response, "desk-scheduled")
    assert "Scheduled 0" in scheduled
    assert formats.date_format(timezone.localtime(goes_live), "DATETIME_FORMAT") in scheduled
    assert "Published 0" in desk_section(response, "desk-recently-published")
    assert "Scheduled 0" not in desk_section(response, "desk-recently-published")
    own_drafts = desk_section(response, "desk-own-drafts")
    assert "Editor draft 0" in own_drafts and "Owner draft 0" not in own_drafts
    story = Article.objects.get(headline="Review 0")
    assert reverse("admin:articles_article_change", args=[story.pk]) in in_review


def test_reporter_home_shows_only_what_they_may_open(db):
    owner = make_staff("rita", "Reporter")
    other = make_staff("otto", "Reporter")
    editor = make_staff("edna", "Editor")
    fill_desk(owner, editor)
    make_article("Otto in review", status=Status.IN_REVIEW, created_by=other)

    response = logged_in(Client(), owner).get(reverse("admin:index"))

    assert "Review 0" in desk_section(response, "desk-in-review")
    assert "Otto in review" not in response.content.decode()
    assert "Nothing is scheduled." in desk_section(response, "desk-scheduled")
    assert "Owner draft 0" in desk_section(response, "desk-own-drafts")
    assert "Editor draft 0" not in response.content.decode()


@pytest.mark.parametrize("persona", ["rita", "edna"])
def test_the_home_page_query_count_does_not_grow(db, django_assert_max_num_queries, persona):
    owner, editor = make_staff("rita", "Reporter"), make_staff("edna", "Editor")
    client = logged_in(Client(), owner if persona == "rita" else editor)
    fill_desk(owner, editor, count=2)
    _, queries_for_few = get_counting_queries(client, reverse("admin:index"))
    fill_desk(owner, editor, count=12, start=2)
    with django_assert_max_num_queries(queries_for_few):
        response = client.get(reverse("admin:index"))
    assert desk_section(response, "desk-own-drafts").count("<tr>") == 10 + 1  # and a header


def test_staff_without_stories_see_no_desk(db):
    intern = make_staff("intern")
    response = logged_in(Client(), intern).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "desk-in-review" not in response.content.decode()
