"""Related stories: the editor's picks first, then the stories that share the most, best first."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone
from django.utils.html import strip_tags

from articles.models import Article
from articles.related import related_stories
from tests.factories import make_article, make_category, make_official, make_related_link

pytestmark = pytest.mark.django_db

SEED = {
    "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation",
    "biden-admin-weighs-dropping-sanctions-on-china-in-exchange-for-fentanyl-cooperation",
    "biden-wants-to-ease-china-sanctions-in-exchange-for-fentanyl-cooperation-gop-threatens-to-block-deal",
}


def related_links(client, story):
    """(address, headline, note) for each entry of the page's "Related stories", in order.

    The address is None for a headline shown without a link; the note is what
    follows the headline (a date, or where an external story lives).
    """
    html = client.get(story.get_absolute_url()).content.decode()
    section = re.search(r'<section class="related".*?</section>', html, re.S)
    if not section:
        return []
    entries = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", section.group(0), re.S):
        headline = re.search(r'class="related__headline"[^>]*>(.*?)</(?:a|span)>', item, re.S)
        address = re.search(r'<a class="related__headline" href="([^"]+)"', item)
        note = item[headline.end() :]
        entries.append(
            (
                address and address.group(1),
                headline.group(1),
                " ".join(strip_tags(note).split()),
            )
        )
    return entries


def page_story(slug):
    return Article.objects.published().with_page_relations().get(slug=slug)


def automatic(story, count=10):
    return [item.story.headline for item in related_stories(page_story(story.slug), count)]


@pytest.mark.parametrize("slug", sorted(SEED))
def test_each_seed_story_links_to_the_other_two(client, seed_stories, slug):
    story = Article.objects.get(slug=slug)
    internal = {url for url, _, _ in related_links(client, story) if url}
    assert internal == {f"/articles/{other}/" for other in SEED - {slug}}


@pytest.fixture
def story_and_neighbours(db):
    """A story and others sharing more or less with it, at known distances in time."""
    now = timezone.now()
    politics, sport = make_category("Politics"), make_category("Sport")
    mayor, chief, clerk = (
        make_official("Sam Mayor"),
        make_official("Pat Chief"),
        make_official("Lou Clerk"),
    )

    def story(headline, days_ago, **fields):
        return make_article(headline, published_at=now - timedelta(days=days_ago), **fields)

    subject = story(
        "Subject",
        10,
        category=politics,
        tags=["Budget", "Harbour"],
        quotes=[("Joint words", [mayor, chief])],
    )
    story("Shares both officials", 300, category=sport, quotes=[("x", [mayor]), ("y", [chief])])
    story("Shares an official and a tag", 200, tags=["Budget"], quotes=[("x", [chief])])
    story("Shares both tags and the section", 100, category=politics, tags=["harbour", "budget"])
    story("Shares the section, far", 90, category=politics)
    story("Shares the section, near", 12, category=politics)
    story("Shares nothing, near", 9, category=sport, quotes=[("z", [clerk])])
    story("Shares nothing, far", 400)
    make_article("Shares nothing, undated", published_at=None)
    story(
        "Draft sharing everything",
        10,
        status=Article.Status.DRAFT,
        category=politics,
        tags=["Budget", "Harbour"],
        quotes=[("Joint words", [mayor, chief])],
    )
    return subject


def test_automatic_matches_rank_by_what_they_share_then_closeness(story_and_neighbours):
    assert automatic(story_and_neighbours) == [
        "Shares both officials",  # 2 officials
        "Shares an official and a tag",  # 1 official + 1 tag
        "Shares both tags and the section",  # 2 tags + section
        "Shares the section, near",  # section, 2 days away
        "Shares the section, far",  # section, 80 days away
        "Shares nothing, near",
        "Shares nothing, far",
        "Shares nothing, undated",  # no date: least close
    ]


def test_automatic_matches_never_include_the_story_or_anything_unpublished(story_and_neighbours):
    headlines = automatic(story_and_neighbours, count=50)
    assert "Subject" not in headlines
    assert "Draft sharing everything" not in headlines


def test_story_page_shows_four_automatic_matches_with_their_dates(client, story_and_neighbours):
    links = related_links(client, story_and_neighbours)
    assert [headline for _, headline, _ in links] == [
        "Shares both officials",
        "Shares an official and a tag",
        "Shares both tags and the section",
        "Shares the section, near",
    ]
    near = Article.objects.get(headline="Shares the section, near")
    assert links[3][0] == near.get_absolute_url()
    assert links[3][2] == dateformat.format(timezone.localtime(near.published_at), "N j, Y, P T")


def test_editors_picks_come_first_in_their_order(client, story_and_neighbours):
    subject = story_and_neighbours
    far = Article.objects.get(headline="Shares nothing, far")
    make_related_link(
        subject, headline="Elsewhere story", url="https://www.example.com/news/1", position=0
    )
    make_related_link(subject, target=far, position=1)
    draft = Article.objects.get(headline="Draft sharing everything")
    make_related_link(subject, target=draft, position=2)
    links = related_links(client, subject)
    assert links[0] == (
        "https://www.example.com/news/1",
        "Elsewhere story",
        "Elsewhere: example.com",
    )
    assert links[1][:2] == (far.get_absolute_url(), "Shares nothing, far")
    # Then the automatic matches, which do not repeat the pick; the draft never shows.
    assert [headline for _, headline, _ in links[2:]] == [
        "Shares both officials",
        "Shares an official and a tag",
        "Shares both tags and the section",
        "Shares the section, near",
    ]
    assert all(url != draft.get_absolute_url() for url, _, _ in links)


def test_external_pick_is_marked_and_opens_elsewhere(client, story_and_neighbours):
    make_related_link(
        story_and_neighbours, headline="Wire report", url="https://news.example.org/a"
    )
    html = client.get(story_and_neighbours.get_absolute_url()).content.decode()
    assert (
        '<a class="related__headline" href="https://news.example.org/a" rel="external noopener">'
        "Wire report</a>"
    ) in html
    assert '<span class="related__source">Elsewhere: news.example.org</span>' in html


def test_an_undated_story_gets_the_newest_as_neighbours(db):
    now = timezone.now()
    make_article("Old", published_at=now - timedelta(days=50))
    make_article("New", published_at=now - timedelta(days=1))
    make_article("Middle", published_at=now - timedelta(days=20))
    subject = make_article("Undated subject", published_at=None)
    assert automatic(subject) == ["New", "Middle", "Old"]


def test_a_story_with_nothing_else_published_has_no_related_section(client, db):
    story = make_article("Only story")
    make_article("Unpublished", status=Article.Status.DRAFT)
    assert related_links(client, story) == []
    assert "Related stories" not in client.get(story.get_absolute_url()).content.decode()


def test_related_stories_cost_four_queries_however_many_stories_share(
    story_and_neighbours, django_assert_num_queries
):
    official = story_and_neighbours.quotes.first().speakers.first()
    for number in range(60):
        make_article(f"Also quoting {number}", tags=["Budget"], quotes=[("q", [official])])
    subject = page_story(story_and_neighbours.slug)
    with django_assert_num_queries(4):  # picks, nominees, scoring, the matches by id
        related = related_stories(subject)
    headlines = [item.story.headline for item in related]
    # The newcomers share an official and a tag, as much as the second best did
    # before; being closer in time, they now come right after the best match.
    assert headlines[0] == "Shares both officials"
    assert all(headline.startswith("Also quoting") for headline in headlines[1:])
    assert len(headlines) == 4


def test_related_stories_are_chosen_once_until_content_changes(
    story_and_neighbours, django_assert_num_queries
):
    subject = page_story(story_and_neighbours.slug)
    first = [item.headline for item in related_stories(subject)]

    with django_assert_num_queries(2):  # picks, the matches by id
        again = [item.headline for item in related_stories(subject)]
    assert again == first

    official = story_and_neighbours.quotes.first().speakers.first()
    make_article("Newcomer quoting the same official", quotes=[("q", [official])], tags=["Budget"])
    assert "Newcomer quoting the same official" in [
        item.headline for item in related_stories(subject)
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_kept_related_stories_are_read_by_primary_key(story_and_neighbours):
    subject = page_story(story_and_neighbours.slug)
    related_stories(subject)
    with CaptureQueriesContext(connection) as queries:
        related_stories(subject)

    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plans += [row[-1] for row in cursor.fetchall()]
    story_reads = [step for step in plans if " articles_article " in f"{step} "]
    assert story_reads and all("rowid=?" in step for step in story_reads), "\n".join(plans)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_related_stories_query_reads_indexes_not_the_archive(story_and_neighbours):
    subject = page_story(story_and_neighbours.slug)
    query = Article.objects.published().related_to(subject, limit=4)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    full_scans = [step for step in plan if step.startswith("SCAN")]
    assert not full_scans, "\n".join(plan)
    # The nominees are read by primary key; a search of the stories by status
    # alone would walk every published story in the archive.
    stories_read = [step for step in plan if re.match(r"SEARCH articles_article\b", step)]
    assert stories_read, "\n".join(plan)
    assert all("rowid=?" in step for step in stories_read), "\n".join(plan)
