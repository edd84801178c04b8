"""Stable addresses: a published story whose slug changes keeps its old address working
with a permanent redirect, in one hop, without loops, and only while readers may see it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, SlugRedirect
from tests.admin_helpers import assert_saved, change_url, post_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def address(slug):
    return f"/articles/{slug}/"


def move(story, new_slug):
    story.slug = new_slug
    story.save()


def test_an_old_address_redirects_permanently_to_the_current_one(client):
    story = make_article("Moving", slug="first")
    move(story, "second")
    response = client.get(address("first"))
    assert response.status_code == 301
    assert response["Location"] == address("second")
    assert client.get(address("second")).status_code == 200


def test_the_redirect_keeps_the_query_string(client):
    story = make_article("Moving", slug="first")
    move(story, "second")
    response = client.get(address("first"), {"utm_source": "newsletter"})
    assert response["Location"] == address("second") + "?utm_source=newsletter"


def test_a_rename_in_the_admin_leaves_a_redirect(admin_client, client):
    story = make_article("Moving", slug="first")
    assert_saved(post_form(admin_client, change_url(story), slug="second"))
    assert client.get(address("first"))["Location"] == address("second")


def test_chains_collapse_to_one_hop(client):
    story = make_article("Moving", slug="first")
    move(story, "second")
    move(story, "third")
    for old in ["first", "second"]:
        response = client.get(address(old))
        assert (response.status_code, response["Location"]) == (301, address("third"))


def test_moving_back_to_an_old_address_makes_no_loop(client):
    story = make_article("Moving", slug="first")
    move(story, "second")
    move(story, "first")
    assert client.get(address("first")).status_code == 200
    response = client.get(address("second"))
    assert (response.status_code, response["Location"]) == (301, address("first"))
    assert not SlugRedirect.objects.filter(old_slug="first").exists()


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (Article.Status.UNPUBLISHED, "now"),
        (Article.Status.DRAFT, "now"),
        (Article.Status.PUBLISHED, "future"),
    ],
)
def test_no_redirect_to_a_story_readers_may_not_see(client, status, published_at):
    story = make_article("Moving", slug="first")
    move(story, "second")
    story.status = status
    if published_at == "future":
        story.published_at = timezone.now() + timedelta(days=1)
    story.save()
    assert client.get(address("first")).status_code == 404


def test_a_draft_renamed_before_publication_leaves_no_redirect(client):
    story = make_article("Not yet", slug="working-title", status=Article.Status.DRAFT)
    move(story, "final-title")
    story.status = Article.Status.PUBLISHED
    story.save()
    assert not SlugRedirect.objects.exists()
    assert client.get(address("working-title")).status_code == 404


def test_an_unknown_address_is_still_a_404(client):
    assert client.get(address("never-existed")).status_code == 404


def test_a_redirect_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    story = make_article("Moving", slug="first")
    move(story, "second")
    with django_assert_max_num_queries(2):
        assert client.get(address("first")).status_code == 301
