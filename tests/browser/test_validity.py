"""Every kind of page is valid HTML5 and meets WCAG 2.2 AA; every feed and sitemap is XML.

Each check prints what failed (page, message, element) so the template can be
fixed from the test output alone.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from .checkers import axe_violations, describe_violations, nu_html_errors
from .site_pages import PAGE_TYPES, expected_status, page_addresses

FEED_TYPES = {"application/rss+xml", "application/atom+xml"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
XML_ROOTS = {"rss", f"{ATOM}feed", f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"}


class FeedLinkParser(HTMLParser):
    """Collects the feeds a page advertises with <link rel="alternate"> in its head."""

    def __init__(self):
        super().__init__()
        self.feeds: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        attributes = dict(attrs)
        if (
            self.in_head
            and tag == "link"
            and "alternate" in (attributes.get("rel") or "").lower().split()
            and attributes.get("type") in FEED_TYPES
            and attributes.get("href")
        ):
            self.feeds.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def advertised_feeds(html: str) -> list[str]:
    """The addresses of the feeds named in a page's head, as written there."""
    parser = FeedLinkParser()
    parser.feed(html)
    return parser.feeds


def local_path(url: str) -> str:
    """The path and query of an address, absolute or not, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def every_page(client) -> dict[str, str]:
    """The HTML of every page of every type on the seed data, by a readable name."""
    pages = {}
    for page_type in PAGE_TYPES:
        addresses = page_addresses(page_type)
        assert addresses, f"The seed data has no {page_type} page to check."
        for address in addresses:
            response = client.get(address)
            assert response.status_code == expected_status(page_type), (
                f"{page_type} page {address} answered {response.status_code}"
            )
            pages[f"{page_type} page {address}"] = response.content.decode()
    return pages


def test_every_page_type_is_valid_html(client, seed_stories):
    errors = nu_html_errors(every_page(client))

    failures = {page: messages for page, messages in errors.items() if messages}
    assert not failures, "The Nu HTML Checker found errors:\n" + "\n".join(
        f"{page}:\n" + "\n".join(f"  - {message}" for message in messages)
        for page, messages in failures.items()
    )


@pytest.mark.browser
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_wcag_violations(checker_page, page_type):
    page = checker_page.page
    failures = {}
    for address in page_addresses(page_type):
        response = page.goto(address)
        assert response.status == expected_status(page_type), f"{address}: {response.status}"
        # Layout, contrast and target sizes change with the width: check both.
        for screen, size in SCREENS.items():
            page.set_viewport_size(size)
            violations = axe_violations(page)
            if violations:
                failures[f"{address} ({screen})"] = describe_violations(violations)

    assert not failures, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(
        f"{where}:\n{report}" for where, report in failures.items()
    )
    if page_type == "not-found":
        # Chromium logs the page's own 404 status as a failed resource; that is the point of it.
        checker_page.errors[:] = [e for e in checker_page.errors if "status of 404" not in e]
    checker_page.assert_no_errors()


def test_every_page_advertises_feeds_that_parse_as_xml(client, seed_stories):
    feeds: set[str] = set()
    pages_without_feeds = []
    for page, html in every_page(client).items():
        advertised = advertised_feeds(html)
        if not advertised:
            pages_without_feeds.append(page)
        feeds.update(local_path(url) for url in advertised)
    assert not pages_without_feeds, "No <link rel=alternate> feed in the head of:\n" + "\n".join(
        pages_without_feeds
    )

    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    sitemaps = [
        local_path(line.split(":", 1)[1].strip())
        for line in robots.content.decode().splitlines()
        if line.lower().startswith("sitemap:")
    ]
    assert sitemaps, "robots.txt names no sitemap"

    to_check = sorted(feeds) + sitemaps
    checked: set[str] = set()
    problems = []
    while to_check:
        path = to_check.pop(0)
        if path in checked:
            continue
        checked.add(path)
        response = client.get(path)
        if response.status_code != 200:
            problems.append(f"{path}: answered {response.status_code}")
            continue
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError as error:
            problems.append(f"{path}: not well-formed XML: {error}")
            continue
        if root.tag not in XML_ROOTS:
            problems.append(f"{path}: unexpected root element {root.tag}")
        # A sitemap index names further sitemaps (e.g. the news sitemap): check those too.
        to_check.extend(
            local_path(loc.text.strip())
            for loc in root.iter(f"{SITEMAP}loc")
            if root.tag == f"{SITEMAP}sitemapindex" and loc.text
        )
    assert not problems, "Feeds and sitemaps that failed:\n" + "\n".join(problems)
