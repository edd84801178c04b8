"""A reader's way through the site in real Chromium, from the front page to a quoted official."""

import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from taggit.models import Tag

from articles.models import Article
from people.models import Official

pytestmark = pytest.mark.browser


def save_screenshot(page: Page, path) -> None:
    """Save the whole page as a PNG, and check that a picture of the page was really written."""
    page.screenshot(path=path, full_page=True)
    with Image.open(path) as screenshot:
        assert screenshot.format == "PNG"
        assert screenshot.width == page.viewport_size["width"]
        assert screenshot.height >= page.viewport_size["height"]


def as_listed(official: Official) -> str:
    """How the "Quoted in this story" list names an official: name, then office."""
    return f"{official.display_name}, {official.title}" if official.title else official.display_name


def address_pattern(path: str) -> re.Pattern:
    return re.compile(rf"^[^?#]*{re.escape(path)}$")


def test_reader_goes_from_the_front_page_through_a_topic_to_a_quoted_official(reader, tmp_path):
    page = reader.page
    stories = list(Article.objects.published().newest_first())
    topic = Tag.objects.get(name="Fentanyl")
    topic_stories = list(Article.objects.published().filter(tags=topic).newest_first())
    # The story the reader opens from the topic has a credited image and quotes officials;
    # its related stories lead to one with a picture, which quotes the official visited last.
    story = next(s for s in topic_stories if s.featured_image and s.featured_image.credit)
    story_officials = sorted(Official.objects.filter(quotes__article=story).distinct(), key=str)
    assert story_officials, "the seed story chosen quotes no official"
    pictured_story = next(s for s in stories if s.featured_image and s.featured_image.has_picture)
    official = Official.objects.get(slug="young-kim")
    assert pictured_story.quotes.filter(speakers=official).exists()

    # The front page lists every published story.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The latest news")
    main = page.get_by_role("main")
    for listed in stories:
        expect(main.get_by_role("link", name=listed.headline, exact=True)).to_be_visible()
    save_screenshot(page, tmp_path / "front-page.png")

    # The reader narrows the list to one topic with the filter form, as anyone would.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All stories").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All stories")
    page.get_by_label("Topic").select_option(label=topic.name)
    page.get_by_role("button", name="Show stories").click()
    expect(page).to_have_url(re.compile(rf"/articles/\?(.*&)?tag={topic.slug}(&|$)"))
    count = len(topic_stories)
    results = page.get_by_role("region", name=f"{count} stor{'y' if count == 1 else 'ies'}")
    expect(results.get_by_role("heading", level=3)).to_have_text(
        [s.headline for s in topic_stories]
    )

    # The story shows its image's cutline and credit (as text, when the newsroom
    # has no copy of the picture) and lists who is quoted in it.
    results.get_by_role("link", name=story.headline).click()
    expect(page).to_have_url(address_pattern(story.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    caption = page.locator("figure figcaption")
    expect(caption).to_contain_text(story.featured_image.cutline)
    expect(caption).to_contain_text(story.featured_image.credit)
    quoted = page.get_by_role("region", name="Quoted in this story").get_by_role("listitem")
    expect(quoted).to_have_count(len(story_officials))
    for quoted_official in story_officials:
        expect(quoted.filter(has_text=as_listed(quoted_official))).to_have_count(1)

    # A related story leads to the story with the picture; never back to this one.
    related = page.get_by_role("region", name="Related stories")
    expect(related.get_by_role("link", name=story.headline)).to_have_count(0)
    related.get_by_role("link", name=pictured_story.headline).click()
    expect(page).to_have_url(address_pattern(pictured_story.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text(pictured_story.headline)
    image = pictured_story.featured_image
    figure = page.locator("figure").filter(has=page.get_by_role("img", name=image.alt_text))
    picture = figure.get_by_role("img", name=image.alt_text)
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), "picture not shown"
    expect(figure.locator("figcaption")).to_contain_text(image.credit)
    quoted = page.get_by_role("region", name="Quoted in this story")
    expect(quoted.get_by_role("link", name=official.display_name)).to_be_visible()
    save_screenshot(page, tmp_path / "article-page.png")

    # The official's page gives who they are and everything they said, each quote
    # linked to its story.
    quoted.get_by_role("link", name=official.display_name).click()
    expect(page).to_have_url(address_pattern(official.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text(official.display_name)
    facts = page.get_by_role("definition")
    expect(facts).to_contain_text([official.get_party_display(), official.get_state_display()])
    said = [quote.text for quote in official.quotes.all()]
    quotes = page.locator("blockquote")
    expect(quotes).to_have_count(len(said))
    assert sorted(quotes.all_inner_texts()) == sorted(said)
    story_links = page.get_by_role("link", name=pictured_story.headline)
    expect(story_links).to_have_count(len(said))
    expect(story_links.first).to_have_attribute("href", pictured_story.get_absolute_url())

    # Nothing left the machine but the picture hosted elsewhere, answered locally.
    assert {request.url for request in reader.external_requests} == {image.external_url}
    assert {request.resource_type for request in reader.external_requests} == {"image"}
    reader.assert_no_errors()
