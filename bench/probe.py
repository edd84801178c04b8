"""Inside Django, against the benchmark database: choose the pages and count their queries.

Run by bench/harness.py with the same environment as the server it is about to
measure (DATABASE_URL, DEBUG=0, the cache mode...). Prints one JSON object:

    {"pages": [{"name", "label", "url", "status", "bytes", "queries", "queries_again",
                "seconds"}, ...],
     "article_html": "<the article page as served>", "django": "5.2.x"}

Queries are counted on a one-off request through Django's test Client inside
CaptureQueriesContext. With --repeat the page is requested twice and the
second request is counted: what a reader costs once the page is cached.
"""

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Category  # noqa: E402
from people.models import Official  # noqa: E402

# The list's page size; the deep page sits at 90% of the way to the last one.
STORIES_PER_PAGE = 20
DEEP_PAGE_SHARE = 0.9
SEARCH_WORDS = "fentanyl"


def choose_pages(host: str) -> list[dict]:
    """The pages the benchmark measures, picked from what the archive holds.

    The story and the official are the heaviest of their kind a reader is
    likely to open: a recent story with the most quotes, tags and bylines, and
    the most quoted official.
    """
    published = Article.objects.published()
    last_page = max(1, math.ceil(published.count() / STORIES_PER_PAGE))
    deep_page = max(2, int(last_page * DEEP_PAGE_SHARE))
    section = (
        Category.objects.annotate(n=Count("articles", filter=Q(articles__in=published)))
        .order_by("-n")
        .first()
    )
    newest = published.newest_first().exclude(published_at=None).values_list("pk", flat=True)
    story = (
        Article.objects.filter(pk__in=list(newest[:50]))
        .annotate(
            weight=Count("quotes", distinct=True)
            + Count("tagged_items", distinct=True)
            + Count("related_links", distinct=True)
        )
        .order_by("-weight", "-pk")
        .first()
    )
    official = (
        Official.objects.annotate(n=Count("quotes", filter=Q(quotes__article__in=published)))
        .order_by("-n")
        .first()
    )
    if not (section and story and official):
        raise SystemExit("The benchmark database has no published stories to measure.")
    stories = reverse("articles:list")
    # Pages past the numbered ones move to a "before this story" address; the
    # benchmark measures that address, where readers following links arrive.
    deep_url = f"{stories}?page={deep_page}"
    moved = Client(raise_request_exception=False, HTTP_HOST=host).get(deep_url)
    if moved.status_code in (301, 302):
        deep_url = moved["Location"]
    return [
        {"name": "front", "label": "Front page", "url": reverse("articles:home")},
        {"name": "list", "label": "List, page 1", "url": stories},
        {
            "name": "deep",
            "label": f"List, page {deep_page:,}",
            "url": deep_url,
        },
        {
            "name": "filtered",
            "label": f"List, section “{section.name}”",
            "url": f"{stories}?category={section.slug}",
        },
        {"name": "article", "label": "Story page", "url": story.get_absolute_url()},
        {"name": "official", "label": "Official page", "url": official.get_absolute_url()},
        {
            "name": "search",
            "label": f"Search “{SEARCH_WORDS}”",
            "url": f"{reverse('articles:search')}?q={SEARCH_WORDS}",
        },
        {"name": "feed", "label": "RSS feed", "url": reverse("articles:feed")},
    ]


def measure(pages: list[dict], *, host: str, repeat: bool) -> str:
    """Fill in status, size and query count of each page; return the story page's HTML."""
    # A broken page is measured as its 500, not raised: the table should still come out.
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    article_html = ""
    for page in pages:
        if repeat:
            client.get(page["url"])
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["url"])
        body = b"".join(response) if response.streaming else response.content
        page.update(
            status=response.status_code,
            bytes=len(body),
            queries=len(queries),
            seconds=round(time.perf_counter() - started, 3),
        )
        if not repeat:
            # Rendered again: what the page derived from the content (counts,
            # related stories, filter choices) is now kept for the generation.
            with CaptureQueriesContext(connection) as queries:
                client.get(page["url"])
            page["queries_again"] = len(queries)
        if page["name"] == "article":
            article_html = body.decode("utf-8", errors="replace")
    return article_html


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", action="store_true", help="Count the queries of a repeated request."
    )
    parser.add_argument("--pages", help="JSON file of pages to measure instead of choosing them.")
    parser.add_argument(
        "--host", default="127.0.0.1", help="Host header, as the server will be addressed."
    )
    options = parser.parse_args()
    pages = (
        json.loads(Path(options.pages).read_text()) if options.pages else choose_pages(options.host)
    )
    article_html = measure(pages, host=options.host, repeat=options.repeat)
    print(json.dumps({"pages": pages, "article_html": article_html, "django": django.__version__}))


if __name__ == "__main__":
    main()
