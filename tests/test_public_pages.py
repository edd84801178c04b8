"""The public pages as a reader sees them: the seed stories and small built examples."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.views import defaults

from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
    make_organisation,
)

pytestmark = pytest.mark.django_db

SANCTIONS = "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation"
WEIGHS = "biden-admin-weighs-dropping-sanctions-on-china-in-exchange-for-fentanyl-cooperation"
EASE = "biden-wants-to-ease-china-sanctions-in-exchange-for-fentanyl-cooperation-gop-threatens-to-block-deal"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url} gave {response.status_code}"
    return response.content.decode()


def visible_text(html: str) -> str:
    """The page's text as a reader reads it: tags, scripts and extra spaces gone."""
    body = html.split("<body>", 1)[-1]
    return " ".join(strip_tags(body).split())


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def story_url(slug):
    return reverse("articles:detail", kwargs={"slug": slug})


# --- Every page shares the site's frame ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/?tag=china",
        f"/articles/{SANCTIONS}/",
        f"/articles/{WEIGHS}/",
        f"/articles/{EASE}/",
        "/categories/politics/",
        "/tags/china/",
        "/authors/charles-standard/",
        "/officials/young-kim/",
        "/search/?q=fentanyl",
    ],
)
def test_every_page_has_the_site_frame(client, seed_stories, url):
    html = page(client, url)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    assert re.search(r'<link rel="canonical" href="http://testserver/[^"]*">', html)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert 'type="application/rss+xml"' in html and 'href="/feed/"' in html
    assert 'type="application/atom+xml"' in html and 'href="/feed/atom/"' in html
    # The strict content security policy to come: no inline styles or scripts.
    assert " style=" not in html
    assert re.findall(r"<script[^>]*>", html) in ([], ['<script type="application/ld+json">'])


def test_form_controls_all_have_labels(client, seed_stories):
    html = page(client, "/articles/")
    control_ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html)
    assert len(control_ids) == 8  # the header's search box and the seven filters
    for control_id in control_ids:
        assert re.search(rf'<label[^>]* for="{control_id}"', html), control_id


# --- Front page ------------------------------------------------------------------------


def test_front_page_leads_with_the_newest_story_then_the_rest(client, seed_stories):
    html = page(client, "/")
    text = visible_text(html)
    lead, more = text.split("More stories", 1)
    assert "US Lifts Sanctions on Chinese Institute to Seek Fentanyl Cooperation" in lead
    # Dated stories newest first, the undated story last.
    assert more.index("Biden Admin Weighs") < more.index("Biden wants to ease")
    assert "By Charles Standard, Senior Political Correspondent" in more
    assert "American lives aren’t a bargaining chip GOP lawmakers say" in more
    assert '<time class="story-date" datetime="2023-11-16">Nov. 16, 2023</time>' in html
    assert f'href="{story_url(EASE)}"' in html


def test_front_page_shows_a_picture_with_its_alt_text(client):
    image = make_image(external_url="https://images.example.com/x.jpg", alt_text="A harbour")
    make_article("Harbour reopens", featured_image=image, subheadline="Ships return")
    html = page(client, "/")
    assert (
        '<img class="teaser__image" src="https://images.example.com/x.jpg" alt="A harbour"' in html
    )
    assert "Ships return" in visible_text(html)


def test_front_page_without_stories_says_so(client):
    assert "No stories have been published yet." in visible_text(page(client, "/"))


# --- Story page --------------------------------------------------------------------------


def test_story_page_prints_headline_dek_byline_section_and_image(client, seed_stories):
    html = page(client, story_url(EASE))
    text = visible_text(html)
    assert re.search(r"<h1[^>]*>Biden wants to ease China sanctions", html)
    assert (
        '<p class="story__dek">American lives aren’t a bargaining chip GOP lawmakers say</p>'
        in html
    )
    assert (
        '<a href="/authors/charles-standard/" rel="author">Charles Standard</a>, '
        '<span class="byline__title">Senior Political Correspondent</span>'
    ) in html
    assert '<p class="kicker"><a href="/categories/politics/">Politics</a></p>' in html
    assert re.search(
        r'<figure class="story-figure">\s*<img class="story-figure__image" '
        r'src="https://www\.washingtonpost\.com/resizer/[^"]+\.jpg" '
        r'alt="Biden and Xi Jinping pose for the camera"',
        html,
    )
    figcaption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert "Biden and Xi Jinping pose for the camera" in figcaption
    assert "Washington Post" in figcaption
    assert "Beijing is trying to reduce those penalties" in text
    # The seed states no date, so the page shows none.
    assert "<time" not in html.split('<section class="related"')[0]


def test_story_page_shows_cutline_and_credit_without_a_picture(client, seed_stories):
    html = page(client, story_url(WEIGHS))
    figure = re.search(r'<figure class="story-figure">(.*?)</figure>', html, re.S).group(1)
    assert "<img" not in figure
    assert "A DEA agent checks pills containing fentanyl" in figure
    assert "Getty Images" in figure
    assert "<figcaption>" in figure


def test_story_page_dates_a_day_only_story_by_the_day(client, seed_stories):
    html = page(client, story_url(SANCTIONS))
    header = html.split("</header>", 2)[1]
    assert '<time class="story-date" datetime="2023-11-16">Nov. 16, 2023</time>' in header


def test_story_page_gives_the_time_when_it_is_known(client):
    moment = datetime(2024, 3, 5, 14, 30, 15, 123456, tzinfo=UTC)
    make_article("Budget passes", published_at=moment)
    html = page(client, story_url("budget-passes"))
    # New York time, whole seconds: HTML allows no more than milliseconds.
    assert '<time class="story-date" datetime="2024-03-05T09:30:15-05:00">' in html
    assert "March 5, 2024, 9:30 a.m. EST" in visible_text(html)


def test_story_page_lists_tags_and_quoted_officials(client, seed_stories):
    html = page(client, story_url(WEIGHS))
    assert '<a href="/tags/china/" rel="tag">China</a>' in html
    assert '<a href="/tags/fentanyl/" rel="tag">Fentanyl</a>' in html
    quoted = re.search(r'<section class="story__quoted".*?</section>', html, re.S).group(0)
    assert "Quoted in this story" in quoted
    assert '<a href="/officials/janet-yellen/">Janet Yellen</a>' in quoted
    assert "Treasury Secretary" in quoted


def test_story_page_lists_each_lawmaker_of_a_joint_letter_once(client, seed_stories):
    html = page(client, story_url(EASE))
    quoted = re.search(r'<section class="story__quoted".*?</section>', html, re.S).group(0)
    for name, slug in [
        ("Rep. Young Kim (R-CA)", "young-kim"),
        ("Rep. Michael McCaul (R-TX)", "michael-mccaul"),
        ("Mike Gallagher (R-WI)", "mike-gallagher"),
    ]:
        assert quoted.count(f'<a href="/officials/{slug}/">{name}</a>') == 1
    assert "Chair, House Foreign Affairs Committee" in quoted
    # "government documents" are cited, not an official: no link for them.
    assert "government documents" not in quoted


def test_story_page_lists_related_stories_picks_first(client, seed_stories):
    html = page(client, story_url(SANCTIONS))
    related = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    items = re.findall(r"<li[^>]*>(.*?)</li>", related, re.S)
    texts = [" ".join(strip_tags(item).split()) for item in items]
    assert texts[0] == "Kildee Not Seeking Re-Election to Michigan House Seat Elsewhere"
    assert texts[1].startswith("APEC Finance Ministers to Share Perspectives on Crypto")
    assert "Elsewhere" in texts[1]
    # No address is known for those two: they are not links.
    assert "<a" not in items[0] and "<a" not in items[1]
    assert f'href="{story_url(WEIGHS)}"' in items[2]
    assert f'href="{story_url(EASE)}"' in items[3]
    assert len(items) == 4


def test_story_page_has_open_graph_and_twitter_tags(client, seed_stories):
    html = page(client, story_url(EASE))
    canonical = f"http://testserver{story_url(EASE)}"
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert re.search(r'<meta property="og:title" content="Biden wants to ease China', html)
    assert re.search(r'<meta property="og:image" content="https://www\.washingtonpost\.com/', html)
    assert '<meta property="article:section" content="Politics">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert (
        '<meta name="twitter:description" content="American lives aren’t a bargaining chip '
        'GOP lawmakers say">'
    ) in html


def test_story_page_json_ld_describes_the_news_article(client, seed_stories):
    data = json_ld(page(client, story_url(EASE)))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Biden wants to ease China sanctions")
    assert data["description"] == "American lives aren’t a bargaining chip GOP lawmakers say"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Charles Standard",
            "jobTitle": "Senior Political Correspondent",
            "url": "http://testserver/authors/charles-standard/",
        }
    ]
    assert data["articleSection"] == "Politics"
    assert data["image"][0]["url"].startswith("https://www.washingtonpost.com/resizer/")
    assert data["image"][0]["creditText"] == "Washington Post"
    assert data["publisher"]["name"] == "Newsroom"
    # The seed gives no date: none is claimed.
    assert "datePublished" not in data and "dateModified" not in data


def test_json_ld_gives_a_day_only_date_as_the_day_and_lists_keywords(client, seed_stories):
    data = json_ld(page(client, story_url(WEIGHS)))
    assert data["datePublished"] == "2023-07-24"
    assert data["keywords"] == ["China", "Fentanyl"]
    # The credit names a photo the newsroom does not have: no image is claimed.
    assert "image" not in data
    assert data["description"].startswith("The Biden administration may drop sanctions")


def test_json_ld_cannot_be_broken_out_of_by_story_text(client):
    make_article("Tags </script><script>alert(1)</script> & more", slug="tricky")
    html = page(client, story_url("tricky"))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == "Tags </script><script>alert(1)</script> & more"


def test_json_ld_author_carries_the_title_printed_on_that_story(client):
    author = make_author("Ana Ruiz", job_title="Reporter")
    story = make_article("Port strike ends", authors=[author])
    author.job_title = "Bureau Chief"
    author.save()
    data = json_ld(page(client, story.get_absolute_url()))
    assert data["author"][0]["jobTitle"] == "Reporter"
    assert data["datePublished"].endswith(("-05:00", "-04:00"))


# --- Section, topic, author and official pages -----------------------------------------


def test_category_page_lists_its_stories(client, seed_stories):
    html = page(client, "/categories/politics/")
    text = visible_text(html)
    assert re.search(r"<h1[^>]*>Politics</h1>", html)
    assert "Biden wants to ease China sanctions" in text
    assert "US Lifts Sanctions" not in text
    assert 'href="/categories/politics/feed/"' in html
    assert 'href="/categories/politics/feed/atom/"' in html


def test_tag_page_lists_its_stories(client, seed_stories):
    html = page(client, "/tags/fentanyl/")
    text = visible_text(html)
    assert re.search(r"<h1[^>]*>Fentanyl</h1>", html)
    assert "Biden Admin Weighs Dropping Sanctions" in text
    assert "Biden wants to ease" not in text
    assert 'href="/tags/fentanyl/feed/"' in html


def test_author_page_shows_name_title_bio_and_stories(client, seed_stories):
    html = page(client, "/authors/charles-standard/")
    text = visible_text(html)
    assert re.search(r"<h1[^>]*>Charles Standard</h1>", html)
    assert "Senior Political Correspondent" in text
    assert "Biden wants to ease China sanctions" in text
    assert 'href="/authors/charles-standard/feed/"' in html


def test_author_bio_is_shown(client):
    author = make_author("Lee Park", job_title="Courts Reporter", bio="Covers the courts.")
    make_article("Judge rules", authors=[author])
    text = visible_text(page(client, author.get_absolute_url()))
    assert "Courts Reporter" in text and "Covers the courts." in text


def test_official_page_shows_who_they_are_and_every_quote(client, seed_stories):
    html = page(client, "/officials/michael-mccaul/")
    assert re.search(r"<h1[^>]*>Rep\. Michael McCaul \(R-TX\)</h1>", html)
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert facts == {
        "Office": "Chair, House Foreign Affairs Committee",
        "Organisation": "House Foreign Affairs Committee",
        "Chamber": "House of Representatives",
        "Party": "Republican",
        "State": "Texas",
    }
    quotes = re.findall(r'<li class="quote-entry">(.*?)</li>', html, re.S)
    assert len(quotes) == 9
    first = quotes[0]
    assert "The [Chinese Communist Party] is using American lives" in first
    assert "In a letter to the Biden administration." in visible_text(first)
    assert "Joint statement with" in first
    assert '<a href="/officials/young-kim/">Rep. Young Kim (R-CA)</a>' in first
    assert '<a href="/officials/mike-gallagher/">Mike Gallagher (R-WI)</a>' in first
    assert "/officials/michael-mccaul/" not in first
    assert f'<a href="{story_url(EASE)}"><cite>' in first


def test_official_page_lists_quotes_newest_story_first(client):
    speaker = make_official("Dana Lee", title="Spokesperson")
    now = timezone.now()
    for days, headline in [(30, "Old story"), (1, "New story"), (10, "Middle story")]:
        make_article(
            headline,
            published_at=now - timedelta(days=days),
            quotes=[(f"Said in {headline}", [speaker])],
        )
    make_article("Undated story", published_at=None, quotes=[("Said undated", [speaker])])
    html = page(client, speaker.get_absolute_url())
    said = re.findall(r"<blockquote[^>]*><p>(.*?)</p>", html)
    assert said == [
        "Said in New story",
        "Said in Middle story",
        "Said in Old story",
        "Said undated",
    ]


def test_official_page_follows_content_changes_at_once(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0  # every request renders; the quotes' order is kept
    speaker = make_official("Dana Lee", title="Spokesperson")
    now = timezone.now()
    make_article("Old story", published_at=now - timedelta(days=3), quotes=[("First.", [speaker])])
    assert said_on(client, speaker) == ["First."]

    newer = make_article("New story", published_at=now, quotes=[("Second.", [speaker])])
    assert said_on(client, speaker) == ["Second.", "First."]

    newer.status = Article.Status.UNPUBLISHED
    newer.save()
    assert said_on(client, speaker) == ["First."]


def test_official_page_pages_through_every_quote(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    speaker = make_official("Dana Lee", title="Spokesperson")
    now = timezone.now()
    for number in range(55):
        make_article(
            f"Story {number}",
            published_at=now - timedelta(hours=number),
            quotes=[(f"Said {number}.", [speaker])],
        )

    first = said_on(client, speaker)
    second = said_on(client, speaker, "?page=2")

    assert first + second == [f"Said {number}." for number in range(55)]
    assert len(second) == 5


def said_on(client, official, query=""):
    html = page(client, official.get_absolute_url() + query)
    return re.findall(r"<blockquote[^>]*><p>(.*?)</p>", html)


def test_official_page_shows_an_organisation_site(client):
    agency = make_organisation("Port Authority", url="https://port.example.org/")
    speaker = make_official("Kim Ode", organisation=agency)
    make_article("Cranes idle", quotes=[("Quiet day", [speaker])])
    html = page(client, speaker.get_absolute_url())
    assert '<a href="https://port.example.org/" rel="external noopener">Port Authority</a>' in html


def test_subject_pages_are_paginated_keeping_order(client):
    section = make_category("Weather")
    now = timezone.now()
    for number in range(25):
        make_article(
            f"Storm {number:02d}", category=section, published_at=now - timedelta(hours=number)
        )
    first = visible_text(page(client, section.get_absolute_url()))
    second = visible_text(page(client, section.get_absolute_url() + "?page=2"))
    assert "Storm 00" in first and "Storm 19" in first and "Storm 20" not in first
    assert "Storm 20" in second and "Storm 24" in second
    assert "Page 2 of 2" in second


# --- Errors --------------------------------------------------------------------------------


def test_missing_page_is_a_404_in_the_site_design(client, seed_stories):
    html = page(client, "/no-such-page/", status=404)
    assert "Page not found" in visible_text(html)
    assert '<header class="site-header">' in html
    assert '<meta name="robots" content="noindex">' in html


def test_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert 'href="/static/css/site.css"' in html
