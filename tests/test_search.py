"""Search reads the database's full-text index, on SQLite (FTS5) and PostgreSQL alike.

The suite runs on both databases; every test here says what readers get from
either. Ranking is asked of ArticleQuerySet.best_first(), which /search/ uses.
"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.html import strip_tags

from articles import search
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def found(text):
    """Headlines of the published stories matching `text`, best first."""
    stories = Article.objects.published().matching(text).best_first()
    return [story.headline for story in stories]


def headlines(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return [strip_tags(h) for h in re.findall(r'<h3 class="teaser__headline">(.*?)</h3>', html)]


@pytest.fixture
def newsroom(db):
    day = timezone.now() - timedelta(days=30)
    make_article(
        "Harbour tolls rise",
        subheadline="Shipping firms protest",
        body="The port authority voted for higher fees.",
        published_at=day,
    )
    make_article(
        "Council budget passes",
        subheadline="Harbour dredging is funded",
        body="Councillors approved the spending plan.",
        published_at=day + timedelta(days=1),
    )
    make_article(
        "Library reopens",
        subheadline="Readers return",
        body="The harbour view reading room is open again after COVID-19 repairs.",
        published_at=day + timedelta(days=2),
    )
    make_article(
        "Sanctions eased on chip makers",
        body="O'Brien said the U.S. would review the rules.",
        published_at=day + timedelta(days=3),
    )
    make_article("Harbour secret plan", status=Article.Status.DRAFT, body="Not yet.")
    make_article(
        "Harbour scheduled story",
        body="Tomorrow's harbour news.",
        published_at=timezone.now() + timedelta(days=1),
    )


def test_every_word_must_appear(newsroom):
    assert found("harbour tolls") == ["Harbour tolls rise"]
    assert found("harbour budget") == ["Council budget passes"]
    assert found("harbour zeppelin") == []


def test_the_last_word_may_be_the_start_of_a_word(newsroom):
    assert found("sanct") == ["Sanctions eased on chip makers"]
    assert found("chip mak") == ["Sanctions eased on chip makers"]
    # Only the last word: an earlier one must be whole.
    assert found("sanct chip") == []


def test_words_match_their_other_forms(newsroom):
    assert found("votes") == ["Harbour tolls rise"]
    assert found("approve spending") == ["Council budget passes"]


def test_case_does_not_matter(newsroom):
    assert found("HARBOUR TOLLS") == found("harbour tolls") == ["Harbour tolls rise"]


def test_headline_matches_rank_above_dek_matches_above_body_matches(newsroom):
    assert found("harbour") == ["Harbour tolls rise", "Council budget passes", "Library reopens"]


def test_equal_matches_come_newest_first(db):
    now = timezone.now()
    for days in (3, 1, 2):
        make_article(f"Storm day {days}", body="Rain.", published_at=now - timedelta(days=days))
    assert found("storm") == ["Storm day 1", "Storm day 2", "Storm day 3"]


def test_drafts_and_scheduled_stories_are_never_found(newsroom):
    assert "Harbour secret plan" not in found("harbour")
    assert "Harbour scheduled story" not in found("harbour")
    assert found("secret") == found("tomorrow") == []


def test_words_with_punctuation_are_found(newsroom):
    assert found("covid-19") == ["Library reopens"]
    assert found("o'brien") == ["Sanctions eased on chip makers"]
    assert found("u.s.") == ["Sanctions eased on chip makers"]


HARBOUR = ["Harbour tolls rise", "Council budget passes", "Library reopens"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"harbour', HARBOUR),
        ('"harbour tolls"', ["Harbour tolls rise"]),
        ("harbour AND tolls", ["Harbour tolls rise"]),  # "and" is too common to look for
        ("NOT harbour", HARBOUR),
        ("harbour NEAR tolls", []),  # "near" is a word like any other
        ("NEAR(harbour tolls)", []),
        ("(harbour", HARBOUR),
        ("harbour)", HARBOUR),
        ("harbour*", HARBOUR),
        ("*", []),
        ("^harbour", HARBOUR),
        ("headline:harbour", []),
        ("harbour:*", HARBOUR),
        ("harbour & tolls | !fees", ["Harbour tolls rise"]),
        ("harbour <-> tolls", ["Harbour tolls rise"]),
        ("-harbour", HARBOUR),
        ("+harbour", HARBOUR),
        ("harbour's", HARBOUR),
        ("\\harbour", HARBOUR),
        ("'", []),
        ("''harbour''", HARBOUR),
        ("_", []),
        ("harbour --", HARBOUR),
        ("the harbour", HARBOUR),
        ("the", []),
        ("é", []),
    ],
)
def test_operators_and_quotes_are_searched_as_words_never_as_syntax(
    client, newsroom, text, expected
):
    assert found(text) == expected
    for url in ("/search/", "/articles/"):
        assert client.get(url, {"q": text}).status_code == 200, url


def test_search_and_the_list_filter_agree_on_what_matches(client, newsroom):
    assert sorted(headlines(client, "/search/?q=harbour")) == sorted(found("harbour"))
    assert sorted(headlines(client, "/articles/?q=harbour")) == sorted(found("harbour"))


def test_the_filtered_list_stays_newest_first(client, newsroom):
    assert headlines(client, "/articles/?q=harbour") == [
        "Library reopens",
        "Council budget passes",
        "Harbour tolls rise",
    ]


# --- The index follows every change -------------------------------------------------------


def test_an_edited_story_is_found_by_its_new_words_only(newsroom):
    story = Article.objects.get(headline="Harbour tolls rise")
    story.headline = "Port fees climb"
    story.save()
    assert "Port fees climb" in found("climb")
    assert found("tolls") == []


def test_a_deleted_story_leaves_the_index(newsroom):
    Article.objects.get(headline="Library reopens").delete()
    assert found("reading room") == []
    assert found("harbour") == ["Harbour tolls rise", "Council budget passes"]


def test_bulk_writes_are_indexed_too(newsroom):
    Article.objects.bulk_create(
        [Article(headline="Bulk zebra", slug="bulk-zebra", body="Stripes.", status="published")]
    )
    assert found("zebra") == ["Bulk zebra"]
    Article.objects.filter(slug="bulk-zebra").update(body="Now about giraffes.")
    assert found("giraffes") == ["Bulk zebra"]
    assert found("stripes") == []


def test_a_story_unpublished_leaves_the_results(newsroom):
    Article.objects.filter(headline="Harbour tolls rise").update(status=Article.Status.UNPUBLISHED)
    assert "Harbour tolls rise" not in found("harbour")


def test_stories_loaded_from_a_fixture_are_found(seed_stories):
    assert found("fentanyl")
    assert all(story.is_published for story in Article.objects.matching("fentanyl"))


def test_a_dump_holds_no_search_index(seed_stories, tmp_path):
    """The index is the database's own business: backups and fixtures carry stories only."""
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "articles.article", output=str(dump), verbosity=0)
    assert "search" not in dump.read_text(encoding="utf-8").replace("research", "")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_triggers_dropped_by_a_table_rebuild_come_back_after_migrate(newsroom):
    """Django rebuilds a SQLite table to change a field, which drops its triggers."""
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    make_article("Written without triggers", body="Walrus one.")
    assert found("walrus") == []
    search.restore_after_migrate(
        sender=type("AppConfig", (), {"label": "articles"}), using=connection.alias
    )
    assert found("walrus") == ["Written without triggers"]
    make_article("Written with triggers", body="Walrus two.")
    assert found("walrus") == ["Written with triggers", "Written without triggers"]


def test_search_results_follow_content_changes_at_once(client, settings, newsroom):
    settings.CACHE_MIDDLEWARE_SECONDS = 0  # every request renders; the ranking is kept
    assert headlines(client, "/search/?q=harbour") == [
        "Harbour tolls rise",
        "Council budget passes",
        "Library reopens",
    ]

    latest = make_article("Harbour master retires", body="After forty years.")
    assert headlines(client, "/search/?q=harbour")[0] == "Harbour master retires"

    latest.status = Article.Status.UNPUBLISHED
    latest.save()
    assert "Harbour master retires" not in headlines(client, "/search/?q=harbour")
    assert headlines(client, "/search/?q=library") == ["Library reopens"]


def test_search_results_page_through_every_match(client, settings, db):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    for number in range(25):
        make_article(
            f"Ferry notice {number}", published_at=timezone.now() - timedelta(hours=number)
        )

    first = headlines(client, "/search/?q=ferry")
    second = headlines(client, "/search/?q=ferry&page=2")

    assert len(first) == 20 and len(second) == 5
    assert first + second == [f"Ferry notice {number}" for number in range(25)]
    assert "25 stories found" in client.get("/search/?q=ferry&page=2").content.decode()
