"""Every public page runs the same number of queries with 3 stories as with 500, and none
of them reads the whole story table: the database plans each one along an index.

The archive is the one of tests/test_public_queries.py. Plans are read with
EXPLAIN QUERY PLAN on SQLite and with EXPLAIN (FORMAT JSON) on PostgreSQL, where
sequential scans are switched off for the question so that any plan left with
one has no index to use instead.
"""

import json
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.views import StoryPosition
from tests.test_public_queries import PAGES, build_archive

pytestmark = pytest.mark.django_db

# Pages past the first: keyset pages continue from a story deep in the list
# ({older} lists the stories after it, {newer} those before it). In both
# archives {older} is near the end, so that each of these lists runs out of
# dated stories on the page and reads on among the undated ones.
DEEP_PAGES = [
    "/articles/?before={older}",
    "/articles/?after={newer}",
    "/articles/?q=story&before={older}",
    "/tags/topic-1/?before={older}",
    "/authors/author-1/?before={older}",
]

# Pages that need more than three stories to exist; planned at 500 only.
LARGE_ARCHIVE_PAGES = [
    "/articles/?page=20",
    "/categories/section-0/?page=5",
    "/categories/section-0/?before={older}",
    "/tags/topic-1/?page=3",
    "/search/?q=story&page=3",
    "/search/?q=body+story",
    "/officials/official-1/?page=2",
]


def deep_pages(size, older="story-492", newer="story-396"):
    """DEEP_PAGES around stories that are in topic-1 and by author-1 (see build_archive)."""
    if size < 400:
        older, newer = "story-0", f"story-{size - 1}"
    return [url.format(older=position_of(older), newer=position_of(newer)) for url in DEEP_PAGES]


def position_of(slug):
    return StoryPosition.of(Article.objects.get(slug=slug))


@pytest.fixture
def uncached(settings):
    """Pages come from the database, not the page cache, whatever was asked before."""
    settings.CACHE_MIDDLEWARE_SECONDS = 0


def queries_of_each_page(client, urls):
    pages = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), url
        pages[url] = [query["sql"] for query in queries.captured_queries]
    return pages


def page_query_counts(client, size):
    """How many queries each page runs over an archive of `size` stories, left behind after."""
    with transaction.atomic():
        build_archive(size)
        urls = list(PAGES) + deep_pages(size)
        counts = {
            re.sub(r"=[^&]*~\d+", "=POSITION", url): len(sql)
            for url, sql in queries_of_each_page(client, urls).items()
        }
        transaction.set_rollback(True)
    return counts


def test_every_page_runs_as_many_queries_for_3_stories_as_for_500(client, uncached):
    small, large = page_query_counts(client, 3), page_query_counts(client, 500)
    assert small == large


def test_a_page_deep_in_the_archive_runs_as_many_queries_as_the_second(client, uncached):
    """Only the page where the dated stories run out reads on among the undated ones."""
    build_archive(500)
    middle, end = position_of("story-240"), position_of("story-492")
    urls = ["/articles/", "/articles/?page=2", f"/articles/?before={middle}"]
    counts = queries_of_each_page(client, [*urls, f"/articles/?before={end}"])
    _, second, deep, last = (len(queries) for queries in counts.values())
    assert deep == second
    assert last == deep + 1


def test_no_page_reads_the_whole_story_table(client, uncached):
    build_archive(500)
    urls = list(PAGES) + deep_pages(500, older="story-396") + LARGE_ARCHIVE_PAGES
    urls = [url.format(older=position_of("story-396")) for url in urls]
    problems = []
    for url, queries in queries_of_each_page(client, urls).items():
        for sql in queries:
            if sql.lstrip().upper().startswith("SELECT") and "articles_article" in sql:
                problems += [f"{url}: {problem}\n  {sql}" for problem in whole_table_reads(sql)]
    assert not problems, "\n\n".join(problems)


def whole_table_reads(sql) -> list[str]:
    """The steps of `sql`'s plan that read every story (or every published one) rather
    than an index range that the query narrows."""
    if connection.vendor == "postgresql":
        return postgres_whole_table_reads(sql)
    return sqlite_whole_table_reads(sql)


def sqlite_whole_table_reads(sql) -> list[str]:
    # The story table under each name the query gives it.
    names = {"articles_article", *re.findall(r'"articles_article" (\w+)', sql)}
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        steps = {step_id: (parent, detail) for step_id, parent, _, detail in cursor.fetchall()}

    def inside_correlated_subquery(step_id):
        while step_id in steps:
            step_id, detail = steps[step_id]
            if detail.startswith("CORRELATED"):
                return True
        return False

    problems = []
    for step_id, (_, detail) in steps.items():
        words = detail.split()
        if len(words) < 2 or words[1] not in names:
            continue
        if words[0] == "SCAN" and "INDEX" not in detail:
            problems.append(detail)
        # Once per row of the outer query, every published story: a scan in all but name.
        elif inside_correlated_subquery(step_id) and detail.endswith("(status=?)"):
            problems.append(f"{detail}, for each row of the outer query")
    return problems


def postgres_whole_table_reads(sql) -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    problems = []

    def walk(node):
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == "articles_article":
            problems.append(f"Seq Scan on articles_article {node.get('Alias', '')}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return problems


# --- Deep pages: "Older stories" and "Newer stories" ---------------------------------------


def pagination_links(html):
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    links = re.findall(r'<a href="([^"]+)" rel="(prev|next)">', nav.group(0)) if nav else []
    return {rel: href.replace("&amp;", "&") for href, rel in links}


def walk(client, path, first_query, rel):
    """Headlines page after page, following `rel` links from `path` + `first_query`."""
    seen, query = [], first_query
    while query is not None:
        response = client.get(f"{path}{query}")
        assert response.status_code == 200, query
        html = response.content.decode()
        seen.append(re.findall(r'<h3 class="teaser__headline">\s*<a [^>]*>(.*?)</a>', html, re.S))
        query = pagination_links(html).get(rel)
    return seen


@pytest.fixture
def long_list(db, monkeypatch, uncached):
    """47 dated stories (two sharing one time) and 8 undated, two numbered pages of 20."""
    from datetime import timedelta

    from django.utils import timezone

    from articles import views

    monkeypatch.setattr(views, "NUMBERED_PAGES", 2)
    now = timezone.now().replace(microsecond=0)
    stories = [
        Article(
            headline=f"Dated {n:02d}",
            slug=f"dated-{n}",
            body="Body.",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n if n != 31 else 30),
        )
        for n in range(47)
    ]
    stories += [
        Article(headline=f"Undated {n}", slug=f"undated-{n}", body="Body.", status="published")
        for n in range(8)
    ]
    Article.objects.bulk_create(stories)
    return [story.headline for story in Article.objects.published().newest_first()]


def test_older_stories_links_go_through_every_story_once_in_order(client, long_list):
    pages = walk(client, "/articles/", "", "next")
    assert [len(page) for page in pages] == [20, 20, 15]
    assert sum(pages, []) == long_list


def test_newer_stories_links_go_back_the_same_way(client, long_list):
    last_page = walk(client, "/articles/", "", "next")[-1]
    oldest = Article.objects.get(headline=last_page[-1])
    pages = walk(client, "/articles/", f"?after={StoryPosition.of(oldest)}", "prev")
    assert sum(reversed(pages), []) == long_list[:-1]


def test_the_deepest_numbered_page_leads_on_to_older_stories(client, long_list):
    html = client.get("/articles/?page=2").content.decode()
    links = pagination_links(html)
    assert links["prev"] == "?page=1"
    last = Article.objects.get(headline=long_list[39])
    assert links["next"] == f"?before={StoryPosition.of(last)}"
    assert "Older stories" in html and "Page 2 of 3" in html


def test_an_old_address_past_the_numbered_pages_is_sent_on(client, long_list):
    response = client.get("/articles/?page=3&tag=")
    last = Article.objects.get(headline=long_list[39])
    assert response.status_code == 302
    assert response["Location"] == f"/articles/?tag=&before={StoryPosition.of(last)}"
    assert client.get("/articles/?page=4").status_code == 404


def test_older_stories_links_keep_the_filters(client, long_list):
    html = client.get("/articles/?q=dated&page=2").content.decode()
    next_page = pagination_links(html)["next"]
    assert next_page.startswith("?q=dated&before=")
    html = client.get(f"/articles/{next_page}").content.decode()
    assert pagination_links(html)["prev"].startswith("?q=dated&after=")
    assert '<link rel="canonical" href="http://testserver/articles/?q=dated&amp;before=' in html


@pytest.mark.parametrize(
    "query",
    [
        "before=nonsense",
        "before=20240231T120000Z~1",  # no 31 February
        "before=20240101T120000Z~1234567890123456789012",
        "after=undated~-1",
        "before=20240101T120000Z",
        "before=undated~1",  # nothing older than the first story
        "after=29990101T000000Z~1",  # nothing newer than the future
    ],
)
def test_a_position_that_leads_nowhere_is_not_found(client, long_list, query):
    assert client.get(f"/articles/?{query}").status_code == 404


def test_the_plan_check_sees_a_whole_table_read(db):
    """The check above can fail: a search through every body is a read of the whole table."""
    sql = 'SELECT "articles_article"."id" FROM "articles_article" WHERE "body" LIKE \'%x%\''
    assert whole_table_reads(sql)
