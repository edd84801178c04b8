"""Questions the load and kill scripts ask the database, answered as JSON on stdout.

Runs inside Django on the site under test (its DATABASE_URL comes from the
environment the scripts set):

    load_state.py prepare-editors N PASSWORD   editors, the story each edits, pages to read
    load_state.py snapshot PK                  a story as readers would get it, with its parts
    load_state.py saves                        reads {story pk: [markers]} on stdin: which
                                               saves are in the story and in its history
    load_state.py integrity                    the database's own consistency check
"""

import json
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402
from reversion.models import Version  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Category  # noqa: E402
from people.models import Author, Official  # noqa: E402

SAMPLE = 40  # pages of each kind the readers cycle through


def prepare_editors(count: str, password: str) -> dict:
    """`count` editors (the Editor role), each given a published story with bylines and quotes."""
    editors_group = Group.objects.get(name="Editor")
    stories = list(
        Article.objects.published()
        .annotate(byline_count=Count("bylines", distinct=True), quote_count=Count("quotes"))
        .filter(byline_count__gte=1, quote_count__gte=1)
        .order_by("pk")
        .values_list("pk", "slug")[: int(count)]
    )
    if len(stories) < int(count):
        raise SystemExit(f"only {len(stories)} stories have bylines and quotes")
    editors = []
    for number, (pk, slug) in enumerate(stories, start=1):
        user = User.objects.create_user(f"editor-{number}", password=password, is_staff=True)
        user.groups.add(editors_group)
        editors.append({"username": user.username, "story": pk, "slug": slug})
    return {"editors": editors, "pages": reader_pages()}


def reader_pages() -> list[dict]:
    """Addresses of every kind of public page, sampled from the archive."""
    rng = random.Random(7)

    def sample(queryset, size=SAMPLE):
        items = list(queryset[: size * 5])
        return rng.sample(items, min(size, len(items)))

    published = Article.objects.published()
    stories = sample(published.newest_first())
    categories = sample(Category.objects.filter(articles__in=published).distinct())
    tags = sample(
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=published).distinct()
    )
    authors = sample(Author.objects.filter(bylines__article__in=published).distinct())
    officials = sample(Official.objects.filter(quotes__article__in=published).distinct())
    listing, search = reverse("articles:list"), reverse("articles:search")
    pages = [
        ("front", reverse("articles:home")),
        ("list", listing),
        ("list", f"{listing}?page=3"),
        ("list", f"{listing}?{urlencode({'published_from': '2024-01-01'})}"),
        ("corrections", reverse("articles:corrections")),
        ("feed", reverse("articles:feed")),
        ("feed", reverse("articles:feed_atom")),
        ("sitemap", reverse("sitemap")),
        ("sitemap", reverse("sitemap-news")),
        ("robots", "/robots.txt"),
        ("healthz", "/healthz"),
    ]
    pages += [
        ("search", f"{search}?{urlencode({'q': word})}")
        for word in ["fentanyl", "senate budget", "china", "election", "harbour"]
    ]
    pages += [("story", story.get_absolute_url()) for story in stories]
    pages += [("section", category.get_absolute_url()) for category in categories]
    pages += [("list", f"{listing}?{urlencode({'category': c.slug})}") for c in categories[:5]]
    pages += [("tag", reverse("articles:tag", kwargs={"slug": tag.slug})) for tag in tags]
    pages += [("list", f"{listing}?{urlencode({'tag': tag.slug})}") for tag in tags[:5]]
    pages += [("author", author.get_absolute_url()) for author in authors]
    pages += [("official", official.get_absolute_url()) for official in officials]
    pages += [
        ("feed", reverse("articles:category_feed", kwargs={"slug": c.slug})) for c in categories[:5]
    ]
    return [{"kind": kind, "path": path} for kind, path in pages]


def snapshot(pk: str) -> dict:
    """Everything an admin save of the story can change, as plain data."""
    story = Article.objects.get(pk=pk)
    return {
        "headline": story.headline,
        "subheadline": story.subheadline,
        "body": story.body,
        "excerpt": story.excerpt,
        "status": story.status,
        "slug": story.slug,
        "edit_version": story.edit_version,
        "bylines": [
            [byline.position, byline.author.slug, byline.title]
            for byline in story.bylines.select_related("author").order_by("position", "pk")
        ],
        "quotes": [
            [
                quote.position,
                quote.text,
                quote.context,
                quote.attribution,
                sorted(quote.speakers.values_list("slug", flat=True)),
            ]
            for quote in story.quotes.order_by("position", "pk")
        ],
        "tags": sorted(story.tags.values_list("name", flat=True)),
        "related": [
            [link.position, link.target.slug if link.target else None, link.headline, link.url]
            for link in story.related_links.select_related("target").order_by("position", "pk")
        ],
        "revisions": Version.objects.get_for_object(story).count(),
    }


def saves() -> dict:
    """For {story pk: [markers of acknowledged saves, in order]} on stdin: what was kept."""
    report = {}
    for pk, markers in json.load(sys.stdin).items():
        story = Article.objects.get(pk=pk)
        history = [version.serialized_data for version in Version.objects.get_for_object(story)]
        in_history = [marker for marker in markers if any(marker in data for data in history)]
        report[pk] = {
            "acknowledged": len(markers),
            "last_in_story": bool(markers) and markers[-1] in story.body,
            "in_history": len(in_history),
            "missing_from_history": [m for m in markers if m not in in_history],
            "revisions": len(history),
        }
    return report


def integrity() -> dict:
    if connection.vendor != "sqlite":
        return {"vendor": connection.vendor, "integrity_check": "n/a"}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        result = [row[0] for row in cursor.fetchall()]
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    return {"vendor": "sqlite", "integrity_check": result, "journal_mode": mode}


COMMANDS = {
    "prepare-editors": prepare_editors,
    "snapshot": snapshot,
    "saves": saves,
    "integrity": integrity,
}

if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    print(json.dumps(COMMANDS[command](*arguments)))
