"""The preview: a story as readers will see it, before they can, for those allowed to look."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article
from tests.admin_helpers import change_url, logged_in, make_staff
from tests.factories import make_article, make_author, make_image, make_official

Status = Article.Status


def preview_url(story):
    return reverse("articles:preview", args=[story.pk])


@pytest.fixture
def draft(db):
    return make_article(
        "Unannounced deal",
        status=Status.DRAFT,
        published_at=None,
        subheadline="What the letter says",
        body="First paragraph.\n\nSecond paragraph.",
        featured_image=make_image(alt_text="The letter", cutline="The letter", credit="Staff"),
        authors=[make_author("Rita Reporter", job_title="Diplomatic Correspondent")],
        tags=["Sanctions"],
        quotes=[("We do not support it.", [make_official("Young Kim", party="R", state="CA")])],
    )


def test_an_editor_sees_the_draft_as_readers_will_with_a_banner(db, draft):
    editor = make_staff("edna", "Editor")
    response = logged_in(Client(), editor).get(preview_url(draft))
    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_preview.html"
    assert "articles/article_detail.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "Preview, not published." in page
    for printed in [
        '<h1 class="story__headline">Unannounced deal</h1>',
        "What the letter says",
        "<p>First paragraph.</p>",
        "Rita Reporter",
        "Diplomatic Correspondent",
        'alt="The letter"',
        "Sanctions",
        "Young Kim",
    ]:
        assert printed in page, printed
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_the_preview_is_never_cached_for_others(db, draft):
    response = logged_in(Client(), make_staff("edna", "Editor")).get(preview_url(draft))
    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives


def test_the_preview_names_the_public_address_as_canonical(db, draft):
    page = logged_in(Client(), make_staff("edna", "Editor")).get(preview_url(draft))
    assert f'<link rel="canonical" href="http://testserver{draft.get_absolute_url()}">' in (
        page.content.decode()
    )


def test_a_scheduled_story_preview_says_when_readers_see_it(db):
    story = make_article("Embargoed", published_at=timezone.now() + timedelta(days=2))
    response = logged_in(Client(), make_staff("edna", "Editor")).get(preview_url(story))
    page = response.content.decode()
    assert "Preview, not published." in page and "Readers see this story from" in page
    structured = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(structured)["headline"] == "Embargoed"


@pytest.mark.parametrize("who", ["anonymous", "intern", "other_reporter"])
def test_anyone_else_gets_the_readers_404(db, draft, who):
    owner = make_staff("rita", "Reporter")
    draft.created_by = owner
    draft.save()
    client = Client()
    if who == "intern":
        logged_in(client, make_staff("intern"))
    elif who == "other_reporter":
        logged_in(client, make_staff("otto", "Reporter"))
    response = client.get(preview_url(draft))
    assert response.status_code == 404
    assert escape(draft.headline) not in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_reporter_previews_their_own_story(db, draft):
    owner = make_staff("rita", "Reporter")
    draft.created_by = owner
    draft.save()
    response = logged_in(Client(), owner).get(preview_url(draft))
    assert response.status_code == 200
    assert "Preview, not published." in response.content.decode()


def test_a_preview_of_no_story_is_a_404(db):
    client = logged_in(Client(), make_staff("edna", "Editor"))
    assert client.get("/preview/999999/").status_code == 404


def test_the_change_form_links_to_the_preview_for_those_who_may_preview(db, draft):
    owner = make_staff("rita", "Reporter")
    draft.created_by = owner
    draft.save()
    editor_page = logged_in(Client(), make_staff("edna", "Editor")).get(change_url(draft))
    assert f'href="{preview_url(draft)}"' in editor_page.content.decode()
    owner_page = logged_in(Client(), owner).get(change_url(draft))
    assert f'href="{preview_url(draft)}"' in owner_page.content.decode()

    viewer = make_staff("viewer")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "publish_article"])
    )
    page = logged_in(Client(), viewer).get(change_url(draft))
    assert page.status_code == 200
    assert preview_url(draft) not in page.content.decode()
