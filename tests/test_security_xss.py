"""Hostile text in every field an editor can fill never becomes live markup on a public page.

Payload stories (tests/security_payloads.py) carry script tags, event
handlers, javascript: addresses, SVG, broken markup and Unicode tricks in
every field, and again through the importer. Every page, feed and sitemap
that prints them is parsed: no script but the site's own, no event handler
attribute, no javascript: or data: address, no element that can carry script
(iframe, object, svg, math, base, style), and no payload printed verbatim.
The browser test (tests/browser/test_xss.py) runs the same pages in Chromium.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from articles.models import Article, Image, RelatedLink
from tests.factories import make_article
from tests.security_payloads import (
    PAYLOADS,
    URL_PAYLOADS,
    make_payload_newsroom,
    pages_showing,
    storable,
    write_import_files,
)

pytestmark = pytest.mark.django_db

FORBIDDEN_ELEMENTS = {
    "applet", "base", "embed", "frame", "frameset", "iframe", "math", "object", "style", "svg",
    "template", "noscript", "xmp", "plaintext", "textarea",
}  # fmt: skip
ADDRESS_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "cite"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
DATA_SCRIPT_TYPES = {"application/ld+json"}
# Feed elements whose text a feed reader shows as HTML.
HTML_FEED_ELEMENTS = {"description", "summary", "content"}


class LiveMarkup(HTMLParser):
    """Collects everything in a page that could run script or change where the page leads."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: dict | None = None
        self.script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv={attributes['http-equiv']!r}>")
        if tag == "form" and not (attributes.get("action") or "").startswith("/"):
            self.problems.append(f"<form action={attributes.get('action')!r}>")
        if tag == "script":
            source = attributes.get("src") or ""
            if source and not source.startswith("/static/"):
                self.problems.append(f"<script src={source!r}>")
            if not source and attributes.get("type") not in DATA_SCRIPT_TYPES:
                self.problems.append("inline <script>")
            self.script, self.script_text = attributes, []
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in ADDRESS_ATTRIBUTES and value:
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            if self.script.get("type") in DATA_SCRIPT_TYPES:
                text = "".join(self.script_text)
                try:
                    json.loads(text)
                except ValueError:
                    self.problems.append(f"JSON-LD that is not JSON: {text[:80]!r}")
            self.script = None


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.problems


def verbatim_payloads(text: str) -> list[str]:
    """Payloads that open markup and appear unescaped in `text`.

    Quotes alone are harmless in text; in an attribute they would show up as
    an attribute of their own, which live_markup reports.
    """
    return [payload for payload in map(storable, PAYLOADS) if "<" in payload and payload in text]


def feed_html(xml: bytes, *, channel: bool) -> list[tuple[str, str]]:
    """The HTML a feed hands to feed readers, as (element, text) pairs; the feed must be XML.

    `channel` picks the feed's own description rather than its stories'.
    """
    found = []
    for parent in ElementTree.fromstring(xml).iter():
        parent_name = parent.tag.rsplit("}", 1)[-1]
        if (parent_name in {"item", "entry"}) == channel:
            continue
        for element in parent:
            name = element.tag.rsplit("}", 1)[-1]
            if name in HTML_FEED_ELEMENTS and element.text:
                found.append((name, element.text))
    return found


def markup_problems(html: str) -> list[str]:
    return live_markup(html) + [f"verbatim {payload!r}" for payload in verbatim_payloads(html)]


def check_answer(client, address, *, feed_channel=False) -> list[str]:
    response = client.get(address)
    if response.status_code != 200:
        return [f"{address}: status {response.status_code}"]
    if response["Content-Type"].startswith("text/html"):
        problems = [] if feed_channel else markup_problems(response.content.decode())
    else:
        problems = [
            f"{name}: {problem}"
            for name, html in feed_html(response.content, channel=feed_channel)
            for problem in markup_problems(html)
        ]
    return [f"{address}: {problem}" for problem in problems]


def test_the_checks_catch_live_markup():
    # The checker itself must see what a careless template would let through.
    page = (
        '<p><script>window.__xss=1</script><img src=x onerror="alert(1)">'
        '<a href=" JaVaScRiPt:alert(2)">x</a><svg></svg><span style="x">y</span>'
        '<script type="application/ld+json">{"a": 1}</script>'
        '<script type="application/ld+json">{"a": "</script><script>alert(3)</script>'
    )

    problems = live_markup(page)

    assert len([problem for problem in problems if "inline <script>" in problem]) == 2
    assert any("onerror" in problem for problem in problems)
    assert any("JaVaScRiPt" in problem for problem in problems)
    assert any("<svg>" in problem for problem in problems)
    assert any("style=" in problem for problem in problems)
    assert any("not JSON" in problem for problem in problems)
    assert verbatim_payloads(f"<p>{PAYLOADS[0]}</p>") == [PAYLOADS[0]]


def test_payloads_typed_into_every_field_stay_text_on_every_page(client, seed_stories):
    stories = make_payload_newsroom()
    addresses = pages_showing(stories)
    assert len(addresses) > 10 * len(stories)

    problems = [problem for address in addresses for problem in check_answer(client, address)]

    assert problems == [], "\n".join(problems)


def test_feeds_describe_themselves_in_escaped_html(client):
    stories = make_payload_newsroom()

    problems = [
        problem
        for address in pages_showing(stories)
        if "/feed/" in address
        for problem in check_answer(client, address, feed_channel=True)
    ]

    assert problems == [], "\n".join(problems)


def test_payloads_reach_readers_as_text(client):
    # Escaped, not dropped: the reader sees exactly what the editor typed.
    story = make_payload_newsroom()[1]

    page = client.get(story.get_absolute_url()).content.decode()

    assert "&quot;&gt;&lt;script&gt;window.__xss=2&lt;/script&gt;" in page
    assert "&lt;/title&gt;&lt;script&gt;window.__xss=10" not in page  # another story's
    assert "End of story 1" in page


def test_payloads_arriving_through_the_importer_stay_text(client, tmp_path):
    paths = write_import_files(tmp_path)

    call_command("import_stories", *paths, verbosity=0)

    imported = list(Article.objects.filter(slug__startswith="imported-payload-"))
    assert len(imported) == len(PAYLOADS)
    assert all(story.is_published for story in imported)
    problems = [
        problem for address in pages_showing(imported) for problem in check_answer(client, address)
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("address", URL_PAYLOADS)
def test_the_hostile_addresses_are_ones_an_editor_can_give(address):
    story = make_article()

    Image(external_url=address, alt_text="x").full_clean()
    RelatedLink(article=story, headline="Elsewhere", url=address).full_clean()


@pytest.mark.parametrize(
    "address",
    [
        "javascript:window.__xss=1",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x.png",
    ],
)
def test_addresses_that_are_not_web_addresses_are_refused(address):
    story = make_article()
    image = Image(external_url=address, alt_text="x")
    link = RelatedLink(article=story, headline="Elsewhere", url=address)

    with pytest.raises(ValidationError) as image_error:
        image.full_clean()
    with pytest.raises(ValidationError) as link_error:
        link.full_clean()

    assert "external_url" in image_error.value.message_dict
    assert "url" in link_error.value.message_dict


def test_the_importer_refuses_a_javascript_picture_address(tmp_path):
    story = tmp_path / "story.md"
    story.write_text(
        "---\ntitle: Bridge\nfeatured-image:\n  path: javascript:alert(1)\n---\n\nText.\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="1 of 1 files could not be imported"):
        call_command("import_stories", story, verbosity=0)

    assert not Article.objects.exists()
