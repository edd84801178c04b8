"""A backup with natural keys restores the site exactly: `dumpdata`, flush, `loaddata`.

Every public page is rendered before the dump and after the load, and the
responses must be identical byte for byte. The pages are found from the URL
names in articles/urls.py and people/urls.py, each filled in with every row it
can take (drafts and scheduled stories included, whose pages must stay 404),
so a page added to those files is covered without touching this test.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.urls import URLPattern, reverse
from django.utils import timezone
from taggit.models import Tag

from articles import urls as article_urls
from articles.models import Article, Category, Correction, SlugRedirect
from articles.sitemaps import SITEMAPS
from people import urls as people_urls
from people.models import Author, Official
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
    make_organisation,
    make_related_link,
)

CONTENT_APPS = ["articles", "people", "taggit"]

# The rows whose slug fills each URL, by the first word of the URL's name:
# "category_feed_atom" takes a category's slug.
SLUG_SOURCES = {
    "detail": Article,
    "category": Category,
    "tag": Tag,
    "author": Author,
    "official": Official,
}


@pytest.fixture
def newsroom(seed_stories):
    """The seed stories and a few more carrying everything a story can carry."""
    seed = Article.objects.get(source_reference="000_b7cfcc7d5be673ce.txt")
    miller = Official.objects.get(slug="matt-miller")
    politics = Category.objects.get(slug="politics")
    charles_standard = Author.objects.get(slug="charles-standard")
    trade = make_category("Trade", description="Tariffs, deals and the people who make them.")
    desk = make_author("Dana Reyes", job_title="Trade Correspondent", bio="Covers the WTO.")
    stringer = make_author("Sam Okafor", job_title="Contributor")
    minister = make_official(
        "Ana Ruiz",
        title="Trade Minister",
        organisation=make_organisation("Ministry of Trade"),
    )
    senator = make_official("Lee Park", party="D", chamber="senate", state="OR")

    talks = make_article(
        "Trade talks resume after a year",
        subheadline="Both sides call the first day “constructive”",
        excerpt="Negotiators met in Geneva.",
        body="Negotiators met **in Geneva**.\n\n## What is next\n\nA second round in May.",
        published_at=datetime(2024, 3, 5, 14, 30, tzinfo=UTC),
        category=trade,
        featured_image=make_image(cutline="The delegations", credit="Reuters"),
        authors=[desk, stringer],
        tags=["Trade", "China"],
        quotes=[
            ("We are back at the table", [minister]),
            ("A joint statement on precursor chemicals", [minister, miller, senator]),
        ],
    )
    make_related_link(talks, target=seed, position=0)
    make_related_link(
        talks, headline="Tariffs explained", url="https://example.com/tariffs", position=1
    )
    Correction.objects.create(
        article=talks,
        text="An earlier version misstated the city of the talks.",
        published_at=datetime(2024, 3, 6, 9, 0, tzinfo=UTC),
    )
    # A story whose address changed after publication leaves its old one behind.
    talks.slug = "trade-talks-resume"
    talks.save()

    make_article(
        "Tariff deadline extended",
        published_at=timezone.now() - timedelta(hours=3),  # in the news sitemap's window
        authors=[desk],
        tags=["Trade"],
        category=trade,
    )
    # The seed's only Politics story, by its only author, is undated; a feed with
    # no dated story is stamped with the time of the request, so give those
    # feeds a dated one and the pages depend on the data alone.
    make_article(
        "Congress returns to the fentanyl deal",
        published_at=datetime(2024, 1, 9, 16, 0, tzinfo=UTC),
        authors=[charles_standard],
        category=politics,
        tags=["Fentanyl"],
        quotes=[("We will not trade lives for sanctions relief", [senator])],
    )
    make_article(
        "Undated analysis of the talks",
        published_at=None,
        authors=[stringer],
        quotes=[("Nothing is agreed until everything is agreed", [minister])],
    )
    make_article(
        "Draft: secret talks",
        status=Article.Status.DRAFT,
        authors=[make_author("Unpublished Writer")],
        tags=["Embargoed"],
        quotes=[("Off the record", [make_official("Hidden Source")])],
        category=make_category("Embargoed Section"),
    )
    make_article("Scheduled for tomorrow", published_at=timezone.now() + timedelta(days=1))


def slug_rows(url_name: str) -> list:
    model = SLUG_SOURCES[url_name.split("_")[0]]
    return list(model._default_manager.order_by("pk"))


def public_urls() -> list[str]:
    """Every address a reader can ask for, on today's rows."""
    urls = []
    for urlconf in (article_urls, people_urls):
        for pattern in urlconf.urlpatterns:
            assert isinstance(pattern, URLPattern)
            if pattern.name == "preview":
                continue  # staff only: readers get 404 there
            name = f"{urlconf.app_name}:{pattern.name}"
            if "slug" not in pattern.pattern.converters:
                urls.append(reverse(name))
                continue
            assert pattern.name.split("_")[0] in SLUG_SOURCES, (
                f"add the rows for {name} to SLUG_SOURCES"
            )
            urls += [reverse(name, kwargs={"slug": row.slug}) for row in slug_rows(pattern.name)]
    # Each model's own idea of its page, in case it differs from the URL names'.
    for model in apps.get_models():
        if model._meta.app_label in CONTENT_APPS and hasattr(model, "get_absolute_url"):
            urls += [row.get_absolute_url() for row in model._default_manager.all()]
    old_addresses = SlugRedirect.objects.values_list("old_slug", flat=True)
    urls += [reverse("articles:detail", kwargs={"slug": slug}) for slug in old_addresses]

    stories = reverse("articles:list")
    filters = [
        {"category": "trade"},
        {"tag": "china"},
        {"author": "dana-reyes"},
        {"official": "matt-miller"},
        {"published_from": "2023-11-01", "published_to": "2024-12-31"},
        {"q": "sanctions"},
    ]
    urls += [f"{stories}?{urlencode(query)}" for query in filters]
    search = reverse("articles:search")
    urls += [f"{search}?q=fentanyl", f"{search}?q=talks", f"{search}?q=secret"]

    urls += [reverse("robots"), reverse("sitemap"), reverse("sitemap-news")]
    urls += [reverse("sitemap-section", kwargs={"section": section}) for section in SITEMAPS]
    return list(dict.fromkeys(urls))


def render(client, urls: list[str]) -> dict[str, tuple]:
    # Nothing rendered the first time may be served from a cache the second.
    cache.clear()
    rendered = {}
    for url in urls:
        response = client.get(url)
        rendered[url] = (response.status_code, response.get("Location"), response.content)
    return rendered


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in CONTENT_APPS
    }


# `flush` empties every table with TRUNCATE, which PostgreSQL refuses inside
# the transaction other tests run in; this test commits for real.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backup_format", ["json", "xml"])
def test_dump_flush_load_gives_every_public_page_back_unchanged(
    client, newsroom, tmp_path, backup_format
):
    urls = public_urls()
    before = render(client, urls)
    assert render(client, urls) == before, "a page changes by itself; it cannot be compared"
    counts_before = row_counts()
    # The pages compared are real ones: every published story's page is there,
    # and drafts and scheduled stories stay hidden.
    for article in Article.objects.all():
        status = before[article.get_absolute_url()][0]
        assert status == (200 if article.is_published else 404), article.headline
    assert b"Trade talks resume after a year" in before[reverse("articles:home")][2]
    backup = tmp_path / f"backup.{backup_format}"

    call_command(
        "dumpdata",
        *CONTENT_APPS,
        format=backup_format,
        natural_foreign=True,
        natural_primary=True,
        output=str(backup),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert not Article.objects.exists() and not Official.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)

    assert row_counts() == counts_before
    after = render(client, urls)
    assert after.keys() == before.keys()
    changed = [url for url in urls if after[url] != before[url]]
    assert changed == [], f"pages that differ after the round trip: {changed}"
