"""Corrections and updates as readers see them: at the end of the story, in its JSON-LD,
and on the /corrections/ page, newest first, only for published stories."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CORRECTIONS_URL = "/corrections/"


def add_note(story, text, *, days_ago, kind=Correction.Kind.CORRECTION):
    return Correction.objects.create(
        article=story,
        text=text,
        kind=kind,
        published_at=timezone.now().replace(microsecond=0) - timedelta(days=days_ago),
    )


def structured_data(response):
    page = response.content.decode()
    return json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_the_corrections_page_has_its_name():
    assert reverse("articles:corrections") == CORRECTIONS_URL


def test_story_page_ends_with_its_corrections_newest_first(client):
    story = make_article("Corrected story")
    add_note(story, "The minister's name was misspelt.", days_ago=3)
    add_note(story, "The vote was moved to Friday.", days_ago=1, kind=Correction.Kind.UPDATE)
    page = client.get(story.get_absolute_url()).content.decode()
    section = page[
        page.index('id="corrections"') : page.index("</section>", page.index('id="corrections"'))
    ]
    assert section.index("The vote was moved to Friday.") < section.index("misspelt")
    assert '<strong class="correction__kind">Update</strong>' in section
    assert '<strong class="correction__kind">Correction</strong>' in section
    one_day_ago = timezone.localtime(timezone.now() - timedelta(days=1))
    assert f'<time datetime="{one_day_ago.date().isoformat()}' in section
    assert page.index("Corrections and updates") > page.index('class="story__body"')


def test_story_without_corrections_has_no_corrections_section(client):
    story = make_article("Accurate story")
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'id="corrections"' not in page
    assert "correction" not in structured_data(client.get(story.get_absolute_url()))


def test_json_ld_lists_corrections_newest_first(client):
    story = make_article("Corrected story")
    older = add_note(story, "Older correction.", days_ago=3)
    newer = add_note(story, "Newer update.", days_ago=1, kind=Correction.Kind.UPDATE)
    data = structured_data(client.get(story.get_absolute_url()))
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "name": "Update",
            "text": "Newer update.",
            "datePublished": timezone.localtime(newer.published_at).isoformat(),
        },
        {
            "@type": "CorrectionComment",
            "name": "Correction",
            "text": "Older correction.",
            "datePublished": timezone.localtime(older.published_at).isoformat(),
        },
    ]


def test_corrections_page_lists_published_stories_notes_newest_first(client):
    first, second = make_article("First story"), make_article("Second story")
    add_note(first, "Oldest note.", days_ago=5)
    add_note(second, "Middle note.", days_ago=3)
    add_note(first, "Newest note.", days_ago=1)
    response = client.get(CORRECTIONS_URL)
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(text) for text in ["Newest note.", "Middle note.", "Oldest note."]]
    assert positions == sorted(positions)
    assert f'href="{first.get_absolute_url()}#corrections"' in page
    assert '<h1 class="page-title">Corrections and updates</h1>' in page


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (Article.Status.DRAFT, "now"),
        (Article.Status.UNPUBLISHED, "now"),
        (Article.Status.PUBLISHED, "future"),
    ],
)
def test_notes_on_stories_readers_cannot_see_stay_hidden(client, status, published_at):
    when = timezone.now() + timedelta(days=1) if published_at == "future" else "now"
    hidden = make_article("Hidden story", status=status, published_at=when)
    add_note(hidden, "Note on a hidden story.", days_ago=1)
    page = client.get(CORRECTIONS_URL).content.decode()
    assert "Hidden story" not in page and "Note on a hidden story." not in page
    assert "No corrections or updates yet." in page


def test_corrections_page_paginates(client):
    story = make_article("Much corrected")
    for number in range(25):
        add_note(story, f"Note {number:02d}.", days_ago=number)
    first_page = client.get(CORRECTIONS_URL).content.decode()
    assert "Note 00." in first_page and "Note 19." in first_page and "Note 20." not in first_page
    second_page = client.get(CORRECTIONS_URL, {"page": "2"}).content.decode()
    assert "Note 20." in second_page and "Note 24." in second_page
    assert client.get(CORRECTIONS_URL, {"page": "99"}).status_code == 404
    assert client.get(CORRECTIONS_URL, {"page": "abc"}).status_code == 404


def test_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def add_stories(count, start):
        for number in range(start, start + count):
            story = make_article(f"Story {number}")
            add_note(story, f"Note {number}.", days_ago=1)
            add_note(story, f"Update {number}.", days_ago=2, kind=Correction.Kind.UPDATE)

    add_stories(2, 0)
    story = Article.objects.get(headline="Story 0")
    with django_assert_max_num_queries(50) as few:
        client.get(CORRECTIONS_URL)
    with django_assert_max_num_queries(50) as few_on_story:
        client.get(story.get_absolute_url())
    add_stories(30, 2)
    for number in range(20):
        add_note(story, f"More {number}.", days_ago=3)
    with django_assert_max_num_queries(len(few)):
        client.get(CORRECTIONS_URL)
    with django_assert_max_num_queries(len(few_on_story)):
        client.get(story.get_absolute_url())
