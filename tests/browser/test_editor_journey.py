"""An editor's way through the workflow in real Chromium: write a story in the admin, save
it as a draft, preview it, publish it, then edit it and restore its first revision; a
reader's browser checks at each step what the public can see."""

import re
from collections.abc import Iterator
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import Page, expect

from articles.models import Article, Correction

from .checkers import axe_violations, describe_violations, nu_html_errors
from .conftest import WatchedPage, open_watched_page

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-passphrase"
HEADLINE = "Senators press State Department on fentanyl talks"
SLUG = "senators-press-state-department-on-fentanyl-talks"
FIRST_BODY = "Senators wrote to the State Department on Monday.\n\nThey want answers by Friday."
PICTURE = "https://images.example.com/senators.jpg"
ROLES_MIGRATION = ("articles", "0003_newsroom_roles")


@pytest.fixture
def newsroom_roles(live_site) -> None:
    """The Reporter and Editor groups, as the roles migration creates them.

    Live-server tests empty the database after each test, groups included, and
    a serialised rollback cannot bring them back once Playwright runs on the
    thread; so the migration's own function recreates them.
    """
    if Group.objects.filter(name="Editor").exists():
        return
    app_label, migration_name = ROLES_MIGRATION
    roles = import_module(f"{app_label}.migrations.{migration_name}")
    state = MigrationExecutor(connection).loader.project_state(ROLES_MIGRATION)
    roles.create_roles(state.apps, None)


@pytest.fixture
def editor_user(newsroom_roles) -> User:
    user = User.objects.create_user(
        "edna", password=PASSWORD, is_staff=True, first_name="Edna", last_name="Editor"
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def editor(chromium, live_site, placeholder_png, editor_user) -> Iterator[WatchedPage]:
    """The editor's own browser, separate from the reader's: no shared cookies."""
    watched = open_watched_page(chromium, live_site.url, placeholder_png)
    yield watched
    watched.page.context.close()


@pytest.fixture
def editor_checker(chromium, live_site, placeholder_png, editor_user) -> Iterator[WatchedPage]:
    """The editor's browser for running axe-core, which page security policies must not block."""
    watched = open_watched_page(chromium, live_site.url, placeholder_png, bypass_csp=True)
    yield watched
    watched.page.context.close()


def choose(page: Page, select_id: str, search: str, option: str) -> None:
    """Pick an option in one of the admin's autocomplete boxes, as an editor does: type, click."""
    page.locator(f"#{select_id} + .select2").click()
    search_box = page.locator(".select2-container--open .select2-search__field")
    search_box.fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def expect_only_not_found_errors(watched: WatchedPage) -> None:
    """The browser logs each 404 the test asked for as an error; anything else fails the test."""
    unexpected = [error for error in watched.errors if "status of 404 (Not Found)" not in error]
    assert not unexpected, unexpected
    watched.errors.clear()


def log_in(page: Page) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Stories, people and pictures")).to_be_visible()


def add_featured_image(page: Page) -> None:
    """Add the picture through the story form's "+" button, in the admin's pop-up window."""
    with page.expect_popup() as popup_info:
        page.locator("#add_id_featured_image").click()
    popup = popup_info.value
    popup.locator("#id_external_url").fill(PICTURE)
    popup.locator("#id_alt_text").fill("Three senators at a committee table")
    popup.locator("#id_cutline").fill("Senators at Monday's hearing")
    popup.locator("#id_credit").fill("Staff photographer")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator("#id_featured_image option:checked")).to_have_text(
        "Senators at Monday's hearing"
    )


def write_story(page: Page) -> None:
    page.goto("/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially(HEADLINE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)  # filled in from the headline
    page.locator("#id_body").fill(FIRST_BODY)
    add_featured_image(page)
    choose(page, "id_category", "Polit", "Politics")
    page.locator("#id_tags").fill("Fentanyl, Congress")

    page.get_by_role("button", name="Add another Byline").click()
    choose(page, "id_bylines-0-author", "Charles", "Charles Standard")

    page.get_by_role("button", name="Add another Quote").click()
    page.locator("#id_quotes-0-text").fill("We expect answers by Friday.")
    choose(page, "id_quotes-0-speakers", "Kim", "Young Kim")
    page.locator("#id_quotes-0-context").fill("in a letter")

    expect(page.locator("#id_status")).to_have_value("draft")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def test_editor_writes_previews_publishes_edits_and_restores_a_story(editor, reader):
    page = editor.page
    log_in(page)
    write_story(page)

    story = Article.objects.get(slug=SLUG)
    assert story.status == Article.Status.DRAFT
    assert [byline.author.name for byline in story.bylines.all()] == ["Charles Standard"]
    assert sorted(story.tags.names()) == ["Congress", "Fentanyl"]
    assert story.featured_image.credit == "Staff photographer"
    assert [s.name for s in story.quotes.get().speakers.all()] == ["Young Kim"]
    assert story.category.name == "Politics"

    # The preview shows the draft on the public story template, with its banner.
    change_page = page.url
    page.get_by_role("link", name="Preview").click()
    expect(page).to_have_url(re.compile(rf"/preview/{story.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Preview, not published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.locator("figure figcaption")).to_contain_text("Staff photographer")
    expect(page.locator("figure img")).to_have_attribute(
        "alt", "Three senators at a committee table"
    )
    expect(page.get_by_role("region", name="Quoted in this story")).to_contain_text(
        "Rep. Young Kim (R-CA)"
    )
    page.goto(change_page)

    # Readers get nothing: not the story, not its preview.
    for address in [f"/articles/{SLUG}/", f"/preview/{story.pk}/"]:
        assert reader.page.goto(address).status == 404
    expect_only_not_found_errors(reader)
    reader.page.goto("/")
    expect(reader.page.get_by_role("link", name=HEADLINE)).to_have_count(0)

    # The editor publishes; readers find it on the front page.
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert story.is_published and story.published_at is not None
    reader.page.goto("/")
    reader.page.get_by_role("main").get_by_role("link", name=HEADLINE).first.click()
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(reader.page.locator(".story__body")).to_contain_text("They want answers by Friday.")

    # An edit, then the first revision restored from the history in one save.
    page.locator("#id_body").fill("A rewrite that loses the deadline.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("link", name="History").click()
    revisions = page.locator("#change-history tbody tr")
    expect(revisions).to_have_count(3)
    expect(revisions.first).to_contain_text("Changed Body.")
    revisions.last.get_by_role("link").click()
    expect(page.locator("#id_body")).to_have_value(FIRST_BODY)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the version saved")

    story.refresh_from_db()
    assert story.body == FIRST_BODY
    # The first revision was the draft: restoring it brings the whole story back as it was.
    assert story.status == Article.Status.DRAFT
    assert [byline.author.name for byline in story.bylines.all()] == ["Charles Standard"]
    assert sorted(story.tags.names()) == ["Congress", "Fentanyl"]
    assert reader.page.goto(f"/articles/{SLUG}/").status == 404
    expect_only_not_found_errors(reader)
    page.goto(f"/admin/articles/article/{story.pk}/history/")
    expect(page.locator("#change-history tbody tr")).to_have_count(4)

    editor.assert_no_errors()
    reader.assert_no_errors()


def test_workflow_pages_are_valid_and_accessible(editor_checker, checker_page):
    """The corrections page, a story with corrections, and the preview banner."""
    story = Article.objects.published().newest_first().first()
    Correction.objects.create(article=story, text="An earlier version gave the wrong date.")
    Correction.objects.create(
        article=story, kind=Correction.Kind.UPDATE, text="The committee replied on Friday."
    )
    log_in(editor_checker.page)
    draft = Article.objects.create(
        headline="A draft to preview", slug="a-draft-to-preview", body="Draft text."
    )
    pages = {
        "corrections": (checker_page, "/corrections/"),
        "story with corrections": (checker_page, story.get_absolute_url()),
        "preview": (editor_checker, f"/preview/{draft.pk}/"),
    }
    documents, violations = {}, {}
    for name, (watched, address) in pages.items():
        response = watched.page.goto(address)
        assert response.status == 200, name
        documents[name] = watched.page.content()
        violations[name] = axe_violations(watched.page)
    errors = nu_html_errors(documents)
    assert not any(errors.values()), errors
    assert not any(violations.values()), {
        name: describe_violations(found) for name, found in violations.items() if found
    }
    expect(checker_page.page.locator("#corrections")).to_contain_text("wrong date")
    assert re.search(r"Preview, not published", documents["preview"])
