"""The admin works under the site's Content-Security-Policy, in real Chromium.

Scripts may come only from the site's own files, everywhere; the admin alone
may use inline styles. An editor logs in, opens a story, uses the widgets that
need JavaScript (inline rows, autocompletes, collapsible fieldsets) and its
history, and the browser reports no blocked script, style or request.
"""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles.models import Article

from .conftest import WatchedPage, open_watched_page

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-passphrase"
STORY = "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation"
VIOLATION_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def editor(chromium, live_site, placeholder_png) -> Iterator[WatchedPage]:
    User.objects.create_superuser("edna", "edna@example.com", PASSWORD)
    watched = open_watched_page(chromium, live_site.url, placeholder_png)
    watched.page.add_init_script(VIOLATION_RECORDER)
    yield watched
    watched.page.context.close()


def violations(watched: WatchedPage) -> list[str]:
    # Violation events are queued as tasks: give them a moment to arrive.
    watched.page.wait_for_timeout(100)
    return watched.page.evaluate("window.__cspViolations")


def test_an_editor_works_in_the_admin_without_a_blocked_script_or_style(editor, live_site):
    page = editor.page
    story = Article.objects.get(slug=STORY)

    response = page.goto("/admin/login/")
    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    page.fill("#id_username", "edna")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert violations(editor) == []

    page.goto("/admin/articles/article/")
    expect(page.locator("#result_list")).to_contain_text("US Lifts Sanctions")
    assert violations(editor) == []

    page.goto(f"/admin/articles/article/{story.pk}/change/")
    expect(page.locator("#id_headline")).to_have_value(story.headline)
    # The slug is filled from the headline by the admin's own script on new stories;
    # here the inline formsets' script must add a row, and the autocomplete must search.
    bylines = page.locator("#bylines-group tr.form-row:not(.empty-form)")
    rows_before = bylines.count()
    page.locator("#bylines-group .add-row a").click()
    expect(bylines).to_have_count(rows_before + 1)
    page.locator("#id_category + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    expect(page.locator(".select2-results__option").first).to_contain_text("Politics")
    page.keyboard.press("Escape")
    collapsed = page.locator("fieldset.collapse summary, fieldset.collapse .collapse-toggle")
    if collapsed.count():
        collapsed.first.click()
    assert violations(editor) == []

    page.goto(f"/admin/articles/article/{story.pk}/history/")
    page.goto("/admin/articles/image/add/")
    expect(page.locator("#id_picture")).to_have_attribute(
        "accept", "image/jpeg,image/png,image/gif,image/webp"
    )
    assert violations(editor) == []
    editor.assert_no_errors()
