"""Hostile text in every field, in real Chromium: no script runs, no dialog opens.

The payload stories (tests/security_payloads.py) would set ``window.__xss`` or
call ``alert()`` if any of them ever became live markup. Every public page
that prints them is loaded twice: once under the site's Content-Security-Policy,
where nothing may even be blocked (a blocked script would be one that escaped
its context), and once with the policy switched off, so that escaping alone
is what keeps the payloads inert. The admin pages that show them are checked
the same way from an editor's browser.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Browser, Dialog

from tests.security_payloads import PAYLOADS, make_payload_newsroom, pages_showing

from .conftest import WatchedPage, open_watched_page

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-passphrase"
# Installed before any of the page's own scripts: records what the policy blocks.
VIOLATION_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline code"} ` +
    `(${(event.sample || "").slice(0, 60)})`
  );
});
"""
MACHINE_READABLE = ("/feed/", "/sitemap")


@dataclass
class Trap:
    """A tab that notices any payload that runs: a dialog, window.__xss, a blocked script."""

    watched: WatchedPage
    dialogs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def assert_only_harmless_errors(self) -> None:
        """Fail on any console error but the 404s of sanitised <img src=x> leftovers."""
        not_found = "the server responded with a status of 404"
        unexpected = [error for error in self.watched.errors if not_found not in error]
        assert unexpected == [], "\n".join(unexpected)
        assert all(address.endswith("/x") for address in self.missing), self.missing

    def visit(self, address: str) -> list[str]:
        """Load `address`; everything that shows a payload ran or tried to, as readable lines."""
        page = self.watched.page
        response = page.goto(address, wait_until="load")
        problems = [] if response.ok else [f"status {response.status}"]
        # Handlers such as ontoggle fire, and violation events arrive, just after load.
        page.wait_for_timeout(50)
        xss, violations = page.evaluate("[window.__xss, window.__cspViolations]")
        if xss is not None:
            problems.append(f"window.__xss was set to {xss!r}")
        problems += [f"CSP: {violation}" for violation in violations or []]
        problems += [f"dialog: {message}" for message in self.dialogs]
        self.dialogs.clear()
        return [f"{address}: {problem}" for problem in problems]


def open_trap(browser: Browser, base_url: str, png: bytes, **options) -> Trap:
    watched = open_watched_page(browser, base_url, png, **options)
    watched.page.add_init_script(VIOLATION_RECORDER)
    trap = Trap(watched)

    def record(dialog: Dialog) -> None:
        trap.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    watched.page.on("dialog", record)
    watched.page.on(
        "response",
        lambda response: trap.missing.append(response.url) if response.status == 404 else None,
    )
    return trap


@pytest.fixture
def payload_pages(live_site) -> list[str]:
    """The public pages of the payload stories that a browser renders as HTML."""
    stories = make_payload_newsroom()
    return [address for address in pages_showing(stories) if MACHINE_READABLE[0] not in address]


@pytest.fixture(params=["policy enforced", "policy off"])
def reader_trap(request, chromium, live_site, placeholder_png) -> Iterator[Trap]:
    trap = open_trap(
        chromium, live_site.url, placeholder_png, bypass_csp=request.param == "policy off"
    )
    yield trap
    trap.watched.page.context.close()


# Two hundred page loads in each policy mode, the longest test of the suite. The
# HTML they load is checked on both databases by tests/test_security_xss.py;
# what Chromium does with it does not depend on the database, so it is
# watched once, on SQLite, to keep `make test` short.
@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="browser behaviour on the same HTML; the HTML itself is checked on PostgreSQL",
)
def test_no_payload_runs_on_any_public_page(reader_trap, payload_pages):
    html_pages = [address for address in payload_pages if not address.startswith("/sitemap")]
    assert len(html_pages) > 6 * len(PAYLOADS)

    problems = [problem for address in html_pages for problem in reader_trap.visit(address)]

    assert problems == [], "\n".join(problems)
    # Markup the sanitiser keeps, with its handlers gone, may ask for a missing picture.
    reader_trap.assert_only_harmless_errors()


def test_the_trap_springs_on_a_live_payload(reader_trap, live_site):
    # The trap must see a payload that does run: a page of the site's own
    # static files cannot carry one, so a data page stands in for a broken template.
    page = reader_trap.watched.page
    page.set_content("<p>x</p><img src=x onerror=\"window.__xss=1\"><script>alert('2')</script>")
    page.wait_for_timeout(50)

    assert page.evaluate("window.__xss") == 1
    assert reader_trap.dialogs == ["alert: 2"]


@pytest.fixture(params=["policy enforced", "policy off"])
def editor_trap(request, chromium, live_site, placeholder_png) -> Iterator[Trap]:
    User.objects.create_superuser("edna", "edna@example.com", PASSWORD)
    trap = open_trap(
        chromium, live_site.url, placeholder_png, bypass_csp=request.param == "policy off"
    )
    page = trap.watched.page
    page.goto("/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield trap
    trap.watched.page.context.close()


def test_no_payload_runs_in_the_admin(editor_trap, payload_pages):
    from articles.models import Article, Image
    from people.models import Author, Official

    story = Article.objects.get(slug="payload-story-3")
    addresses = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:articles_category_changelist"),
        reverse("admin:people_author_changelist"),
        reverse("admin:people_official_changelist"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:articles_image_change", args=[story.featured_image_id]),
        reverse(
            "admin:people_author_change", args=[Author.objects.get(slug="payload-author-3").pk]
        ),
        reverse(
            "admin:people_official_change",
            args=[Official.objects.get(slug="payload-official-3").pk],
        ),
        f"{reverse('admin:articles_article_changelist')}?q=window",
    ]
    # Stories whose payloads aim at the contexts a form prints into: an attribute,
    # the title, a text area, a script, foreign content, a JavaScript line break, a handler.
    addresses += [
        reverse("admin:articles_article_change", args=[pk])
        for pk in Article.objects.filter(
            slug__in=[f"payload-story-{number}" for number in (1, 9, 10, 11, 15, 16, 29)]
        ).values_list("pk", flat=True)
    ]
    assert Image.objects.count() >= len(PAYLOADS)

    problems = [problem for address in addresses for problem in editor_trap.visit(address)]

    assert problems == [], "\n".join(problems)
    editor_trap.assert_only_harmless_errors()
