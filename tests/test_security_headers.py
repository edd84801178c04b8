"""Every public page, feed and sitemap carries the protective headers, and no page relies on
inline scripts or styles the Content-Security-Policy would block."""

from html.parser import HTMLParser

import pytest

from tests.browser.site_pages import PAGE_TYPES, expected_status, page_addresses

pytestmark = pytest.mark.django_db

OTHER_ADDRESSES = [
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/robots.txt",
    "/healthz",
    "/corrections/",
]
# Data for machines, never run by the browser, and so outside the policy.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


class InlineCode(HTMLParser):
    """Finds what a strict policy would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script_is_inline = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script":
            self._script_is_inline = "src" not in attributes and (
                attributes.get("type") not in DATA_SCRIPT_TYPES
            )

    def handle_data(self, data):
        if self._script_is_inline and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_is_inline = False


def every_public_address():
    addresses = [
        (address, expected_status(kind)) for kind in PAGE_TYPES for address in page_addresses(kind)
    ]
    return addresses + [(address, 200) for address in OTHER_ADDRESSES]


def test_every_public_answer_carries_the_protective_headers(client, seed_stories):
    for address, status in every_public_address():
        response = client.get(address)
        assert response.status_code == status, address
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy, address
        assert "style-src 'self'" in policy, address
        assert "'unsafe-inline'" not in policy, address
        assert "'unsafe-eval'" not in policy, address
        assert "object-src 'none'" in policy, address
        assert "frame-ancestors 'none'" in policy, address
        assert headers["X-Content-Type-Options"] == "nosniff", address
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", address
        assert headers["X-Frame-Options"] == "DENY", address
        assert "microphone=()" in headers["Permissions-Policy"], address


def test_public_pages_need_no_inline_script_or_style(client, seed_stories):
    for address, _ in every_public_address():
        response = client.get(address)
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], f"{address} has {parser.found}"


def test_the_error_pages_need_no_inline_script_or_style(client):
    from django.template.loader import render_to_string

    for template in ("500.html", "503.html"):
        parser = InlineCode()
        parser.feed(render_to_string(template))
        assert parser.found == [], f"{template} has {parser.found}"
