"""Fixtures that drive Debian's Chromium through Playwright against a live server.

The browser runs headless and offline: every request a page makes to another
host is answered here, images with a small generated PNG, so no test reaches
the internet and a picture hosted elsewhere never turns into a console error.
"""

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright

# `make test` runs the SQLite and PostgreSQL suites side by side, and a page
# that renders in a tenth of a second alone may then take seconds: assertions
# wait up to 20 s (Playwright's default is 5) for what they expect to appear.
expect.set_options(timeout=20_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class WatchedPage:
    """A browser tab, with everything that went wrong in it and every request it sent away."""

    page: Page
    errors: list[str] = field(default_factory=list)
    external_requests: list[Request] = field(default_factory=list)

    def assert_no_errors(self) -> None:
        """Fail, listing them, if the page logged a console error or threw an exception."""
        assert not self.errors, "The browser reported errors:\n" + "\n".join(self.errors)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Headless Chromium, shared by the tests of one module."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-test-deps`.", pytrace=False)
    # Playwright's sync API keeps an event loop running on this thread, and
    # Django refuses database calls from a thread with a running loop. The
    # tests' own queries (fixtures, flushes) are plain synchronous code, so the
    # check is lifted exactly while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def placeholder_png() -> bytes:
    """A small grey PNG served in place of every picture hosted elsewhere."""
    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), (200, 200, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def live_site(live_server, transactional_db):
    """The live server with the seed stories loaded, as `make run` serves them.

    The server thread reads the database outside the test's transaction, so
    the data is committed (transactional_db) and flushed after each test.
    """
    call_command("loaddata", "stories", verbosity=0)
    return live_server


def open_watched_page(browser: Browser, base_url: str, png: bytes, **options) -> WatchedPage:
    """Open a tab on `base_url` that records errors and answers outside requests locally."""
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, **options)
    page = context.new_page()
    watched = WatchedPage(page)

    def answer_locally(route: Route, request: Request) -> None:
        watched.external_requests.append(request)
        if request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=png)
        else:
            route.fulfill(status=204, body="")

    context.route(lambda url: not url.startswith(base_url), answer_locally)
    page.on(
        "console",
        lambda message: (
            watched.errors.append(f"console error on {page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watched.errors.append(f"exception on {page.url}: {error}"))
    return watched


@pytest.fixture
def reader(chromium, live_site, placeholder_png) -> Iterator[WatchedPage]:
    """A reader's tab on the live site, as a desktop browser sees it."""
    watched = open_watched_page(chromium, live_site.url, placeholder_png)
    yield watched
    watched.page.context.close()


@pytest.fixture
def checker_page(chromium, live_site, placeholder_png) -> Iterator[WatchedPage]:
    """A tab for running axe-core: page security policies must not block the injected script."""
    watched = open_watched_page(chromium, live_site.url, placeholder_png, bypass_csp=True)
    yield watched
    watched.page.context.close()
