"""Whatever a query string holds, public pages answer 200, a redirect, 400 or 404, never a 500.

Hypothesis writes the query strings: the parameters the pages read and
arbitrary ones, repeated, with long, Unicode, NUL and control characters,
broken %-escapes, huge, negative and non-numeric page numbers, and dates that
do not exist. Each group of addresses gets a bounded number of examples.
"""

import string
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ACCEPTED_STATUSES = {200, 301, 302, 400, 404}
EXAMPLES_PER_GROUP = 150

SANCTIONS = "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation"
# The parameters the site reads, so that examples reach the code behind them.
KNOWN_KEYS = [
    "page", "q", "category", "tag", "author", "official", "published_from", "published_to",
    "format", "o", "sort",
]  # fmt: skip

ADDRESS_GROUPS = {
    "lists": ["/", "/articles/", "/search/", "/corrections/"],
    "story": [f"/articles/{SANCTIONS}/", "/articles/no-such-story/"],
    "subjects": [
        "/categories/politics/",
        "/tags/china/",
        "/authors/charles-standard/",
        "/officials/matt-miller/",
        "/categories/no-such-section/",
    ],
    "feeds": [
        "/feed/",
        "/feed/atom/",
        "/categories/politics/feed/",
        "/tags/china/feed/atom/",
        "/authors/charles-standard/feed/",
    ],
    "machines": [
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
        "/sitemap-nowhere.xml",
        "/robots.txt",
        "/healthz",
    ],
}

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["0", "-1", "1.5", "1e309", "NaN", "inf", "0x10", "½", "٣", "99999999999999999999"]
    ),
)
dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        ["2024-02-30", "0000-00-00", "9999-12-31", "2024-13-01", "24/05/01", "-1", "2024-1-1T"]
    ),
)
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(alphabet="\x00\x01\x1f\x7f\u2028\u202e\ufeff\uff1c<>\"'&;=%+#/\\", max_size=30),
    st.integers(min_value=1000, max_value=5000).map(lambda n: "x" * n),
    numbers,
    dates,
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=20))
# %-escapes as they arrive on the wire: valid UTF-8, broken UTF-8, truncated, not hex.
raw_escapes = st.sampled_from(
    ["%", "%2", "%zz", "%00", "%ff%fe", "%ed%a0%80", "%c0%af", "%e2%80", "%%", "%25%32", "+", "&&"]
)


@st.composite
def query_strings(draw) -> str:
    """One query string, ASCII on the wire as HTTP carries it."""
    pairs = draw(st.lists(st.tuples(keys, texts), max_size=6))
    # Repeat some keys: ?page=1&page=2 must not confuse a page.
    pairs += draw(st.lists(st.tuples(st.sampled_from(KNOWN_KEYS), texts), max_size=3))
    parts = [f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs]
    parts += draw(
        st.lists(raw_escapes | st.text(string.ascii_letters + "=&;", max_size=5), max_size=3)
    )
    return "&".join(draw(st.permutations(parts)))


def fuzz(addresses):
    @settings(
        max_examples=EXAMPLES_PER_GROUP,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(address=st.sampled_from(addresses), query=query_strings())
    def run(client, address, query):
        response = client.get(address, QUERY_STRING=query)
        assert response.status_code in ACCEPTED_STATUSES, (
            f"{address}?{query} gave {response.status_code}"
        )

    return run


@pytest.fixture
def reader(seed_stories):
    # A real server turns an exception into a 500 page; so must the client here.
    return Client(raise_request_exception=False)


def test_the_addresses_exist(reader):
    for addresses in ADDRESS_GROUPS.values():
        for address in addresses:
            expected = 404 if "no-such" in address or "nowhere" in address else 200
            assert reader.get(address).status_code == expected, address
    assert reverse("articles:detail", kwargs={"slug": SANCTIONS}) in ADDRESS_GROUPS["story"]


@pytest.mark.parametrize("group", list(ADDRESS_GROUPS))
def test_no_query_string_gives_a_server_error(reader, group):
    fuzz(ADDRESS_GROUPS[group])(reader)


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999999",
        "page=-1",
        "page=0",
        "page=last",
        "page=1e3",
        "page=%00",
        "q=%00",
        "q=" + "x" * 5000,
        "published_from=2024-02-30",
        "published_from=9999-12-31&published_to=0001-01-01",
        "published_from=0001-01-01",
        "tag=%ff%fe",
        "category=..%2F..%2Fetc",
        "page=2&page=3&page=x",
    ],
)
def test_known_awkward_query_strings(reader, query):
    for address in ["/articles/", "/search/", "/corrections/", "/tags/china/", "/feed/"]:
        response = reader.get(address, QUERY_STRING=query)
        assert response.status_code in ACCEPTED_STATUSES, f"{address}?{query}"
