"""The story list's choice lists stay short at any archive size, and show only published work.

Each list offers the subjects of the most published stories, alphabetically,
plus the reader's own choice; any subject with a published story is accepted
by address. The lists are counted once per content generation and read from
the cache until content changes.
"""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import filters
from articles.filters import OFFERED_CHOICES
from articles.models import Article
from tests.factories import make_article, make_author, make_category, make_official

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def choices(html, name):
    """The (value, label) pairs the select `name` offers, without its "Any ..." choice."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return [(value, label) for value, _, label in OPTION.findall(select.group(1)) if value]


def selected(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return [value for value, chosen, _ in OPTION.findall(select.group(1)) if chosen]


def story_count(html):
    return re.search(r'<h2 id="results-heading"[^>]*>([^<]*)</h2>', html).group(1)


def page(client, url="/articles/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def no_page_cache(settings):
    """Every request renders its page, as on a server with the page cache off."""
    settings.CACHE_MIDDLEWARE_SECONDS = 0


@pytest.fixture
def long_tail(db):
    """More tags, authors and officials than a list offers: OFFERED_CHOICES on two
    stories each, created out of alphabetical order, and one of each on a single story."""
    numbers = [(n * 7) % OFFERED_CHOICES for n in range(OFFERED_CHOICES)]  # a shuffle
    tags = [f"Topic {n:02d}" for n in numbers]
    authors = [make_author(f"Writer {n:02d}") for n in numbers]
    officials = [make_official(f"Speaker {n:02d}") for n in numbers]
    for number in range(2):
        make_article(
            f"Roundup {number}",
            tags=tags,
            authors=authors,
            quotes=[("We all agree.", officials)],
        )
    make_article(
        "Small story",
        tags=["Aardvarks"],
        authors=[make_author("Abe Rare")],
        quotes=[("Once.", [make_official("Ada Seldom")])],
    )


def test_each_list_offers_the_most_frequent_subjects_alphabetically(client, long_tail):
    html = page(client)
    expected = {
        "tag": [(f"topic-{n:02d}", f"Topic {n:02d}") for n in range(OFFERED_CHOICES)],
        "author": [(f"writer-{n:02d}", f"Writer {n:02d}") for n in range(OFFERED_CHOICES)],
        "official": [(f"speaker-{n:02d}", f"Speaker {n:02d}") for n in range(OFFERED_CHOICES)],
    }
    for name, offered in expected.items():
        assert choices(html, name) == offered, name


def test_a_subject_outside_the_lists_is_still_accepted_and_shown_chosen(client, long_tail):
    html = page(client, "/articles/?tag=aardvarks&author=abe-rare&official=ada-seldom")
    assert story_count(html) == "1 story"
    assert '<h3 class="teaser__headline"><a href="/articles/small-story/">' in html
    for name, value, label in [
        ("tag", "aardvarks", "Aardvarks"),
        ("author", "abe-rare", "Abe Rare"),
        ("official", "ada-seldom", "Ada Seldom"),
    ]:
        assert selected(html, name) == [value]
        # In its alphabetical place, ahead of the frequent ones, for this request only.
        assert choices(html, name)[0] == (value, label)
        assert len(choices(html, name)) == OFFERED_CHOICES + 1
    assert ("aardvarks", "Aardvarks") not in choices(page(client), "tag")


def test_lists_rank_subjects_by_published_stories_only(client, monkeypatch):
    """Drafts, stories in review, scheduled and withdrawn stories neither count nor show."""
    monkeypatch.setattr(filters, "OFFERED_CHOICES", 1)
    crowded, steady = make_category("Crowded"), make_category("Steady")
    drafter, regular = make_author("Dee Drafter"), make_author("Reg Ular")
    talkative, quoted = make_official("Tal Kative"), make_official("Quo Ted")
    make_article(
        "Once in print",
        category=crowded,
        tags=["Crowded topic"],
        authors=[drafter],
        quotes=[("One.", [talkative]), ("Two.", [talkative]), ("Three.", [talkative])],
    )
    for status, published_at in [
        (Article.Status.DRAFT, None),
        (Article.Status.IN_REVIEW, None),
        (Article.Status.UNPUBLISHED, "now"),
        (Article.Status.PUBLISHED, timezone.now() + timedelta(days=1)),
    ]:
        make_article(
            status=status,
            published_at=published_at,
            category=crowded,
            tags=["Crowded topic"],
            authors=[drafter],
            quotes=[("Unseen.", [talkative])],
        )
    for number in range(2):
        make_article(
            f"Steady {number}",
            category=steady,
            tags=["Steady topic"],
            authors=[regular],
            quotes=[("Again.", [quoted])],
        )

    html = page(client)

    assert choices(html, "category") == [("steady", "Steady")]
    assert choices(html, "tag") == [("steady-topic", "Steady topic")]
    assert choices(html, "author") == [("reg-ular", "Reg Ular")]
    # Three quotes in one story count as one story.
    assert choices(html, "official") == [("quo-ted", "Quo Ted")]


def in_an_hour():
    return timezone.now() + timedelta(hours=1)


# Stories readers do not see: their status, and when they are dated.
UNSEEN = {
    "draft": (Article.Status.DRAFT, lambda: None),
    "in review": (Article.Status.IN_REVIEW, lambda: None),
    "withdrawn": (Article.Status.UNPUBLISHED, lambda: "now"),
    "scheduled": (Article.Status.PUBLISHED, in_an_hour),
}


@pytest.mark.parametrize("state", UNSEEN)
def test_subjects_of_unseen_stories_are_neither_offered_nor_accepted(client, state):
    status, dated = UNSEEN[state]
    make_article("Visible", tags=["Open topic"], authors=[make_author("Open Writer")])
    make_article(
        "Not for readers",
        category=make_category("Hidden desk"),
        tags=["Hidden topic"],
        authors=[make_author("Hidden Writer")],
        quotes=[("Off the record.", [make_official("Hidden Source")])],
        status=status,
        published_at=dated(),
    )

    html = page(client)
    for name in ("category", "tag", "author", "official"):
        assert all("hidden" not in value for value, _ in choices(html, name)), name

    for name, slug in [
        ("category", "hidden-desk"),
        ("tag", "hidden-topic"),
        ("author", "hidden-writer"),
        ("official", "hidden-source"),
    ]:
        refused = page(client, f"/articles/?{name}={slug}")
        assert "Select a valid choice" in refused
        assert story_count(refused) == "No stories: check the filters above"
        assert selected(refused, name) == []
        assert "Hidden" not in refused


def test_the_form_says_the_lists_are_the_most_frequent(client, long_tail):
    html = page(client)
    assert (
        f'<p id="filters-hint" class="filters__hint">Topic, author and official lists show the '
        f"{OFFERED_CHOICES} with the most stories." in html
    )
    for name in ("tag", "author", "official"):
        assert re.search(
            rf'<select name="{name}" aria-describedby="filters-hint" id="id_{name}">', html
        )
    # Every control of the plain GET form has its label.
    for control in re.findall(r'<(?:select|input)[^>]* id="(id_\w+)"', html):
        assert f'<label for="{control}">' in html


def build_archive(size):
    """`size` published stories, each with a section, a tag, an author and a quoted official,
    and as many drafts; returns a query string choosing one subject of each kind."""
    sections = [make_category() for _ in range(3)]
    authors = [make_author() for _ in range(4)]
    officials = [make_official() for _ in range(5)]
    for number in range(size):
        make_article(
            category=sections[number % 3],
            tags=[f"Topic {number % 6}"],
            authors=[authors[number % 4]],
            quotes=[("Said.", [officials[number % 5]])],
        )
        make_article(status=Article.Status.DRAFT, published_at=None, tags=["Unseen"])
    return (
        f"category={sections[1].slug}&tag=topic-1&author={authors[1].slug}"
        f"&official={officials[1].slug}"
    )


@pytest.mark.parametrize("size", [3, 60])
def test_lists_are_counted_once_per_content_generation(
    client, no_page_cache, django_assert_num_queries, size
):
    every_filter = build_archive(size)
    # Story count, stories, bylines, and one aggregate per list.
    with django_assert_num_queries(7):
        page(client)
    # From then on the lists and the count come from the cache.
    with django_assert_num_queries(2):
        page(client)
    with django_assert_num_queries(4):  # + the chosen topic, looked up by slug
        html = page(client, "/articles/?tag=topic-1")
    assert story_count(html) == f"{len(range(1, size, 6))} stor{'y' if size < 7 else 'ies'}"
    with django_assert_num_queries(7):  # one lookup for each subject chosen
        html = page(client, f"/articles/?{every_filter}")
    assert "check the filters" not in html


def test_the_story_count_follows_content_changes_at_once(client, no_page_cache):
    make_article("First", tags=["Harbour"])
    make_article("Second", tags=["Harbour"])
    assert story_count(page(client)) == "2 stories"
    assert story_count(page(client, "/articles/?tag=harbour")) == "2 stories"

    third = make_article("Third", tags=["Harbour"])
    assert story_count(page(client)) == "3 stories"
    assert story_count(page(client, "/articles/?tag=harbour")) == "3 stories"

    third.status = Article.Status.UNPUBLISHED
    third.save()
    assert story_count(page(client)) == "2 stories"
    assert story_count(page(client, "/articles/?tag=harbour&page=1")) == "2 stories"


def test_lists_follow_content_changes_at_once(client, no_page_cache):
    make_article("First", tags=["Harbour"])
    assert choices(page(client), "tag") == [("harbour", "Harbour")]

    later = make_article("Second", tags=["Bridges"])
    assert choices(page(client), "tag") == [("bridges", "Bridges"), ("harbour", "Harbour")]

    later.status = Article.Status.UNPUBLISHED
    later.save()
    assert choices(page(client), "tag") == [("harbour", "Harbour")]


def test_a_scheduled_story_joins_the_lists_when_it_appears(client, no_page_cache):
    make_article("Now", tags=["Harbour"])
    soon = make_article(
        "Soon", tags=["Embargoed"], published_at=timezone.now() + timedelta(seconds=2)
    )
    assert choices(page(client), "tag") == [("harbour", "Harbour")]

    time.sleep(max(0.0, (soon.published_at - timezone.now()).total_seconds()) + 0.05)

    assert choices(page(client), "tag") == [("embargoed", "Embargoed"), ("harbour", "Harbour")]
