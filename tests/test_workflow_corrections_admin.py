"""Corrections appended to published stories, and old story addresses, in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, SlugRedirect
from tests.admin_helpers import (
    add_url,
    assert_saved,
    change_url,
    changelist,
    listed,
    logged_in,
    make_staff,
    post_form,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def inline_prefixes(response):
    return [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]


def test_corrections_are_offered_only_on_published_stories(admin_client):
    draft = make_article("Draft", status=Article.Status.DRAFT)
    published = make_article("Published")
    assert "corrections" not in inline_prefixes(admin_client.get(change_url(draft)))
    assert "corrections" not in inline_prefixes(admin_client.get(add_url(Article)))
    assert "corrections" in inline_prefixes(admin_client.get(change_url(published)))


def test_an_editor_appends_a_correction(client):
    editor = make_staff("edna", "Editor")
    story = make_article("Published")
    response = post_form(
        logged_in(client, editor),
        change_url(story),
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version misspelt the minister's name.",
            "corrections-0-published_at_0": "2026-01-02",
            "corrections-0-published_at_1": "10:00:00",
        },
    )
    assert_saved(response)
    correction = Correction.objects.get()
    assert (correction.article, correction.kind, correction.created_by) == (
        story,
        Correction.Kind.CORRECTION,
        editor,
    )
    assert timezone.localtime(correction.published_at).strftime("%Y-%m-%d %H:%M") == (
        "2026-01-02 10:00"
    )


def test_corrections_list_newest_first_on_the_form(admin_client):
    story = make_article("Published")
    now = timezone.now()
    Correction.objects.create(article=story, text="Older note.", published_at=now - timedelta(1))
    Correction.objects.create(article=story, text="Newer note.", published_at=now)
    page = admin_client.get(change_url(story)).content.decode()
    assert page.index("Newer note.") < page.index("Older note.")


def test_the_story_form_names_its_old_addresses(admin_client):
    story = make_article("Moving", slug="old-address")
    assert_saved(post_form(admin_client, change_url(story), slug="new-address"))
    page = admin_client.get(change_url(story)).content.decode()
    assert "<code>old-address</code>" in page


def test_old_addresses_list_per_story_and_cannot_be_edited(admin_client):
    story = make_article("Moving", slug="old-address")
    story.slug = "new-address"
    story.save()
    redirect = SlugRedirect.objects.get()
    response = admin_client.get(changelist(SlugRedirect), {"q": "Moving"})
    assert listed(response) == [redirect]
    page = response.content.decode()
    assert "old-address" in page and "<code>new-address</code>" in page
    assert change_url(story) in page

    assert admin_client.get(add_url(SlugRedirect)).status_code == 403
    response = admin_client.post(change_url(redirect), {"old_slug": "hijacked"})
    assert response.status_code == 403
    assert SlugRedirect.objects.get().old_slug == "old-address"


def test_an_editor_may_retire_an_old_address(client):
    editor = make_staff("edna", "Editor")
    story = make_article("Moving", slug="old-address")
    story.slug = "new-address"
    story.save()
    redirect = SlugRedirect.objects.get()
    url = reverse("admin:articles_slugredirect_delete", args=[redirect.pk])
    assert logged_in(client, editor).post(url, {"post": "yes"}).status_code == 302
    assert not SlugRedirect.objects.exists()


def test_old_addresses_are_the_editors_business(client):
    reporter = make_staff("rita", "Reporter")
    story = make_article("Moving", slug="old-address")
    story.slug = "new-address"
    story.save()
    redirect = SlugRedirect.objects.get()
    client = logged_in(client, reporter)
    assert client.get(changelist(SlugRedirect)).status_code == 403
    url = reverse("admin:articles_slugredirect_delete", args=[redirect.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert SlugRedirect.objects.exists()
