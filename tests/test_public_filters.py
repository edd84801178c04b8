"""The story list's filters, search, and what bad query strings get instead of a 500."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import make_article, make_author, make_category, make_official

pytestmark = pytest.mark.django_db


def headlines(client, url):
    """The story headlines a list page shows, in order."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return [strip_tags(h) for h in re.findall(r'<h3 class="teaser__headline">(.*?)</h3>', html)]


@pytest.fixture
def newsroom(db):
    """Four stories that differ in section, tag, author, quoted official and date."""
    politics, business = make_category("Politics"), make_category("Business")
    ana, ben = make_author("Ana Ruiz"), make_author("Ben Ode")
    mayor, chief = make_official("Sam Mayor"), make_official("Pat Chief")
    day = lambda d: datetime(2024, 5, d, 15, 0, tzinfo=UTC)  # noqa: E731
    make_article(
        "Council approves budget",
        category=politics,
        authors=[ana],
        tags=["Budget"],
        quotes=[("We balanced it", [mayor])],
        published_at=day(1),
        body="The council voted on the harbour budget.",
    )
    make_article(
        "Harbour tolls rise",
        category=business,
        authors=[ben],
        tags=["Harbour", "Budget"],
        quotes=[("Costs went up", [chief]), ("And again", [chief, mayor])],
        published_at=day(10),
    )
    make_article(
        "Mayor opens library",
        category=politics,
        authors=[ana, ben],
        tags=["Culture"],
        published_at=day(20),
        subheadline="A harbour view for readers",
    )
    make_article("Archive find", published_at=None, body="An undated story about the harbour.")


def test_unfiltered_list_is_newest_first_with_undated_last(client, newsroom):
    assert headlines(client, "/articles/") == [
        "Mayor opens library",
        "Harbour tolls rise",
        "Council approves budget",
        "Archive find",
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("category=politics", ["Mayor opens library", "Council approves budget"]),
        ("tag=budget", ["Harbour tolls rise", "Council approves budget"]),
        ("author=ben-ode", ["Mayor opens library", "Harbour tolls rise"]),
        ("official=sam-mayor", ["Harbour tolls rise", "Council approves budget"]),
        ("official=pat-chief", ["Harbour tolls rise"]),
        ("published_from=2024-05-10", ["Mayor opens library", "Harbour tolls rise"]),
        ("published_to=2024-05-10", ["Harbour tolls rise", "Council approves budget"]),
        ("published_from=2024-05-02&published_to=2024-05-19", ["Harbour tolls rise"]),
        (
            "q=harbour",
            [
                "Mayor opens library",
                "Harbour tolls rise",
                "Council approves budget",
                "Archive find",
            ],
        ),
        ("q=harbour+council", ["Council approves budget"]),
        ("category=politics&author=ana-ruiz&tag=culture", ["Mayor opens library"]),
        ("category=business&author=ana-ruiz", []),
    ],
)
def test_each_filter_narrows_the_list(client, newsroom, query, expected):
    assert headlines(client, f"/articles/?{query}") == expected


def test_a_story_quoting_an_official_twice_is_listed_once(client, newsroom):
    assert headlines(client, "/articles/?official=pat-chief") == ["Harbour tolls rise"]


def test_filter_form_is_a_plain_get_form_that_keeps_its_state(client, newsroom):
    html = client.get("/articles/?tag=budget&category=politics").content.decode()
    assert re.search(r'<form class="filters" method="get" action="/articles/"', html)
    assert '<option value="budget" selected>Budget</option>' in html
    assert '<option value="politics" selected>Politics</option>' in html
    assert (
        '<link rel="canonical" href="http://testserver/articles/?category=politics&amp;tag=budget">'
        in html
    )


def test_choice_lists_offer_what_published_stories_have(client, newsroom):
    html = client.get("/articles/").content.decode()
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', html))
    assert options == {
        "business": "Business",
        "politics": "Politics",
        "budget": "Budget",
        "culture": "Culture",
        "harbour": "Harbour",
        "ana-ruiz": "Ana Ruiz",
        "ben-ode": "Ben Ode",
        "pat-chief": "Pat Chief",
        "sam-mayor": "Sam Mayor",
    }


def test_page_links_keep_the_filters(client):
    section = make_category("Weather")
    now = timezone.now()
    for number in range(45):
        make_article(
            f"Storm {number:02d}", category=section, published_at=now - timedelta(hours=number)
        )
    make_article("Elsewhere entirely")
    html = client.get("/articles/?category=weather&q=storm").content.decode()
    assert '<a href="?category=weather&amp;q=storm&amp;page=2" rel="next">Next page</a>' in html
    assert "45 stories" in html
    second = client.get("/articles/?category=weather&q=storm&page=2").content.decode()
    assert '<a href="?category=weather&amp;q=storm&amp;page=1" rel="prev">' in second
    assert '<a href="?category=weather&amp;q=storm&amp;page=3" rel="next">' in second
    assert headlines(client, "/articles/?category=weather&q=storm&page=3") == [
        f"Storm {number}" for number in range(40, 45)
    ]


def test_search_finds_words_in_headline_dek_and_body(client, newsroom):
    assert headlines(client, "/search/?q=library") == ["Mayor opens library"]
    assert headlines(client, "/search/?q=readers") == ["Mayor opens library"]
    assert headlines(client, "/search/?q=voted") == ["Council approves budget"]
    assert headlines(client, "/search/?q=HARBOUR+undated") == ["Archive find"]


def test_search_page_reports_what_it_found(client, newsroom):
    html = client.get("/search/?q=library").content.decode()
    assert "1 story found for “library”" in html
    assert '<meta name="robots" content="noindex, follow">' in html
    nothing = client.get("/search/?q=zeppelin").content.decode()
    assert "0 stories found for “zeppelin”" in nothing
    assert "No published story contains all of these words." in nothing


def test_empty_search_lists_nothing(client, newsroom):
    for url in ("/search/", "/search/?q=", "/search/?q=+++", "/search/?q=%21%21"):
        assert headlines(client, url) == [], url


# --- Bad query strings give a normal page or a 404, never a 500 ---------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?page=abc",
        "/articles/?page=99999",
        "/articles/?page=0",
        "/articles/?page=-1",
        "/articles/?page=1.5",
        "/categories/politics/?page=abc",
        "/categories/politics/?page=99",
        "/tags/budget/?page=x",
        "/authors/ana-ruiz/?page=7",
        "/officials/sam-mayor/?page=zzz",
        "/search/?q=harbour&page=9",
        "/sitemap-stories.xml?p=abc",
        "/sitemap-stories.xml?p=50",
        "/sitemap-nothing.xml",
        "/tags/no-such-tag/feed/",
        "/categories/no-such-section/",
        "/authors/nobody/",
        "/officials/nobody/",
        "/articles/no-such-story/",
    ],
)
def test_impossible_pages_are_404(client, newsroom, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ("category=no-such-section", "Select a valid choice"),
        ("tag=%3Cscript%3E", "Select a valid choice"),
        ("author=nobody&tag=budget", "Select a valid choice"),
        ("official=" + "x" * 5000, "Select a valid choice"),
        ("published_from=yesterday", "Enter a valid date"),
        ("published_to=2024-02-30", "Enter a valid date"),
        ("published_from=0001-01-01", "greater than or equal to"),
        ("published_to=9999-12-31", "less than or equal to"),
        (
            "published_from=2024-05-20&published_to=2024-05-01",
            "The end date is before the start date.",
        ),
        ("q=" + "word+" * 1000, "Ensure this value has at most 200 characters"),
        ("q=nul%00byte", "Null characters are not allowed"),
    ],
)
def test_bad_filter_values_show_the_error_and_no_stories(client, newsroom, query, message):
    response = client.get(f"/articles/?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html or "errorlist nonfield" in html
    assert headlines(client, f"/articles/?{query}") == []


@pytest.mark.parametrize(
    "query",
    ["q=" + "long+" * 2000, "q=%00", "q=" + "%E2%80%99" * 300, "q=a&q=b&unknown=1", "page=&q=x"],
)
def test_bad_search_queries_give_a_normal_page(client, newsroom, query):
    assert client.get(f"/search/?{query}").status_code == 200


def test_unknown_parameters_are_ignored(client, newsroom):
    assert headlines(client, "/articles/?colour=blue&utm_source=x") == headlines(
        client, "/articles/"
    )
    html = client.get("/articles/?colour=blue").content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/">' in html


def test_latest_date_allowed_is_a_normal_page(client, newsroom):
    assert headlines(client, "/articles/?published_to=2999-12-31&published_from=1800-01-01") == [
        "Mayor opens library",
        "Harbour tolls rise",
        "Council approves budget",
    ]


def test_search_page_title_names_the_search(client, newsroom):
    html = client.get("/search/?q=library").content.decode()
    assert "<title>Search: library | Newsroom</title>" in html
    assert "<title>Search | Newsroom</title>" in client.get("/search/").content.decode()
