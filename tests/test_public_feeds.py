"""RSS and Atom feeds, sitemap.xml with its Google News section, and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.sitemaps import StorySitemap
from tests.factories import make_article, make_author, make_category

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

SANCTIONS = "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation"
WEIGHS = "biden-admin-weighs-dropping-sanctions-on-china-in-exchange-for-fentanyl-cooperation"
EASE = "biden-wants-to-ease-china-sanctions-in-exchange-for-fentanyl-cooperation-gop-threatens-to-block-deal"


def xml(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(content_type)
    return ET.fromstring(response.content)


def rss_items(client, url):
    channel = xml(client, url, "application/rss+xml").find("channel")
    return channel, channel.findall("item")


def atom_entries(client, url):
    feed = xml(client, url, "application/atom+xml")
    return feed, feed.findall(f"{ATOM}entry")


# --- Feeds ---------------------------------------------------------------------------------


def test_latest_rss_lists_stories_newest_first(client, seed_stories):
    channel, items = rss_items(client, "/feed/")
    assert channel.findtext("title") == "Newsroom: latest stories"
    assert channel.findtext("link") == "http://testserver/"
    assert [item.findtext("link") for item in items] == [
        f"http://testserver/articles/{SANCTIONS}/",
        f"http://testserver/articles/{WEIGHS}/",
        f"http://testserver/articles/{EASE}/",
    ]
    sanctions, weighs, ease = items
    assert sanctions.findtext("title") == (
        "US Lifts Sanctions on Chinese Institute to Seek Fentanyl Cooperation"
    )
    assert sanctions.findtext("pubDate") == "Thu, 16 Nov 2023 12:00:00 +0000"
    assert sanctions.findtext("description").startswith("On Thursday, the United States took")
    assert [c.text for c in weighs.findall("category")] == ["China", "Fentanyl"]
    assert ease.findtext("description") == (
        "American lives aren’t a bargaining chip GOP lawmakers say"
    )
    assert ease.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Charles Standard"
    assert ease.find("pubDate") is None
    assert [c.text for c in ease.findall("category")] == ["Politics"]


def test_latest_atom_carries_the_same_stories(client, seed_stories):
    feed, entries = atom_entries(client, "/feed/atom/")
    assert feed.findtext(f"{ATOM}title") == "Newsroom: latest stories"
    assert feed.findtext(f"{ATOM}subtitle") == "The newest stories from Newsroom."
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        f"http://testserver/articles/{SANCTIONS}/",
        f"http://testserver/articles/{WEIGHS}/",
        f"http://testserver/articles/{EASE}/",
    ]
    assert entries[0].findtext(f"{ATOM}published") == "2023-11-16T12:00:00+00:00"
    assert entries[0].findtext(f"{ATOM}updated") == "2023-11-16T12:00:00+00:00"
    assert entries[2].findtext(f"{ATOM}author/{ATOM}name") == "Charles Standard"


def test_feed_text_is_escaped_once(client):
    make_article("Fish & chips <cheaper>", subheadline="Cod < haddock & more")
    _, items = rss_items(client, "/feed/")
    assert items[0].findtext("title") == "Fish & chips <cheaper>"
    # The description is HTML: the plain summary arrives as text, not markup.
    assert items[0].findtext("description") == "Cod &lt; haddock &amp; more"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/categories/politics/feed/", [EASE]),
        ("/tags/china/feed/", [WEIGHS]),
        ("/authors/charles-standard/feed/", [EASE]),
    ],
)
def test_subject_rss_feeds_list_only_their_stories(client, seed_stories, url, expected):
    _, items = rss_items(client, url)
    assert [item.findtext("link") for item in items] == [
        f"http://testserver/articles/{slug}/" for slug in expected
    ]


@pytest.mark.parametrize(
    "url, title, link",
    [
        ("/categories/politics/feed/atom/", "Newsroom: Politics", "/categories/politics/"),
        ("/tags/fentanyl/feed/atom/", "Newsroom: Fentanyl", "/tags/fentanyl/"),
        (
            "/authors/charles-standard/feed/atom/",
            "Newsroom: Charles Standard",
            "/authors/charles-standard/",
        ),
    ],
)
def test_subject_atom_feeds_name_and_link_their_subject(client, seed_stories, url, title, link):
    feed, entries = atom_entries(client, url)
    assert feed.findtext(f"{ATOM}title") == title
    alternate = [e for e in feed.findall(f"{ATOM}link") if e.get("rel") == "alternate"]
    assert alternate[0].get("href") == f"http://testserver{link}"
    assert len(entries) == 1


def test_feeds_hold_the_latest_twenty(client):
    section = make_category("Weather")
    writer = make_author("Ana Ruiz")
    now = timezone.now()
    for number in range(25):
        make_article(
            f"Storm {number:02d}",
            category=section,
            authors=[writer],
            published_at=now - timedelta(hours=number),
        )
    for url in ("/feed/", "/categories/weather/feed/", "/authors/ana-ruiz/feed/"):
        _, items = rss_items(client, url)
        assert [item.findtext("title") for item in items] == [
            f"Storm {number:02d}" for number in range(20)
        ]


def test_feeds_follow_the_site_address_when_one_is_set(client, seed_stories, settings):
    settings.SITE_URL = "https://news.example.com"
    channel, items = rss_items(client, "/feed/")
    assert channel.findtext("link") == "https://news.example.com/"
    assert items[0].findtext("link") == f"https://news.example.com/articles/{SANCTIONS}/"


# --- Sitemaps --------------------------------------------------------------------------------


def test_sitemap_index_lists_every_section(client, seed_stories):
    index = xml(client, "/sitemap.xml", "application/xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")] == [
        f"http://testserver/sitemap-{section}.xml"
        for section in ("pages", "stories", "sections", "tags", "authors", "officials", "news")
    ]


@pytest.mark.parametrize(
    "section, expected",
    [
        ("pages", ["/", "/articles/"]),
        ("stories", [f"/articles/{SANCTIONS}/", f"/articles/{WEIGHS}/", f"/articles/{EASE}/"]),
        ("sections", ["/categories/politics/"]),
        ("tags", ["/tags/china/", "/tags/fentanyl/"]),
        ("authors", ["/authors/charles-standard/"]),
        (
            "officials",
            [
                f"/officials/{slug}/"
                for slug in (
                    "janet-yellen",
                    "matt-miller",
                    "michael-mccaul",
                    "mike-gallagher",
                    "young-kim",
                )
            ],
        ),
    ],
)
def test_sitemap_sections_list_every_public_page(client, seed_stories, section, expected):
    urlset = xml(client, f"/sitemap-{section}.xml", "application/xml")
    locations = [u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")]
    assert locations == [f"http://testserver{path}" for path in expected]


def test_story_sitemap_gives_last_modified_dates_when_known(client, seed_stories):
    urlset = xml(client, "/sitemap-stories.xml", "application/xml")
    lastmods = [u.findtext(f"{SITEMAP}lastmod") for u in urlset.findall(f"{SITEMAP}url")]
    assert lastmods == ["2023-11-16", "2023-07-24", None]


def test_news_sitemap_lists_the_last_two_days_per_google_spec(client, seed_stories):
    now = timezone.now()
    make_article("Fresh story", published_at=now - timedelta(hours=3))
    make_article(
        "Yesterday's story", published_at=now - timedelta(hours=30), publication_time_known=False
    )
    make_article("Three days old", published_at=now - timedelta(days=3))
    urlset = xml(client, "/sitemap-news.xml", "application/xml")
    urls = urlset.findall(f"{SITEMAP}url")
    assert [u.findtext(f"{NEWS}news/{NEWS}title") for u in urls] == [
        "Fresh story",
        "Yesterday's story",
    ]
    fresh = urls[0]
    assert fresh.findtext(f"{SITEMAP}loc") == "http://testserver/articles/fresh-story/"
    assert fresh.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "Newsroom"
    assert fresh.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "en"
    local = timezone.localtime(now - timedelta(hours=3)).replace(microsecond=0)
    assert fresh.findtext(f"{NEWS}news/{NEWS}publication_date") == local.isoformat()
    day_only = urls[1].findtext(f"{NEWS}news/{NEWS}publication_date")
    assert day_only == timezone.localdate(now - timedelta(hours=30)).isoformat()


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_story_sitemap_is_split_into_pages_the_index_lists(client, seed_stories, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    index = xml(client, "/sitemap.xml", "application/xml")
    locations = [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")]
    assert "http://testserver/sitemap-stories.xml" in locations
    assert "http://testserver/sitemap-stories.xml?p=2" in locations
    second = xml(client, "/sitemap-stories.xml?p=2", "application/xml")
    assert [u.findtext(f"{SITEMAP}loc") for u in second.findall(f"{SITEMAP}url")] == [
        f"http://testserver/articles/{EASE}/"
    ]
