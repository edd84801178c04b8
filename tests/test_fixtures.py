"""The seed-story fixture against the seed texts it was made from.

Expected values are read from fixtures/sources/ here, not pasted in, so the
fixture is checked against what the seeds actually say.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from people.models import Official

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
STORY_000 = "000_b7cfcc7d5be673ce.txt"
STORY_001 = "001_e7d27163661e2dee.txt"
STORY_003 = "003_aac0f55aae8752bc.txt"

PEOPLE_ALSO_READ = "People Also Read: "
PUBLISHED_UNDER = "Published under:"
# A quotation in the seeds: “curly” in 000, "straight" in 001 and 003.
QUOTATION = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
# 001's picture line: “A DEA agent checks pills containing fentanyl (Getty Images)”.
CUTLINE_WITH_CREDIT = re.compile(r"^(?P<cutline>.+) \((?P<credit>[^()]+)\)$")


@dataclass
class Seed:
    """What a seed text says, in the fixture's terms."""

    text: str
    headline: str
    paragraphs: list[str]
    dek: str = ""
    author: str = ""
    author_title: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    image_url: str = ""
    cutline: str = ""
    credit: str = ""
    dateline: date | None = None
    related_headlines: list[str] = field(default_factory=list)


def read_source(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def non_blank(lines) -> list[str]:
    return [line for line in lines if line.strip()]


def parse_one_line_per_paragraph(text: str) -> Seed:
    """000: “Headline – first paragraph”, then a paragraph or a “People Also Read” per line."""
    first_line, *lines = text.splitlines()
    headline, lead = first_line.split(" – ", 1)
    return Seed(
        text=text,
        headline=headline,
        paragraphs=[lead, *non_blank(ln for ln in lines if not ln.startswith(PEOPLE_ALSO_READ))],
        related_headlines=[
            ln.removeprefix(PEOPLE_ALSO_READ) for ln in lines if ln.startswith(PEOPLE_ALSO_READ)
        ],
    )


def parse_dateline_story(text: str) -> Seed:
    """001: headline, picture line, dateline, paragraphs, then “Published under: tags”."""
    headline, picture_line, dateline, *lines = non_blank(text.splitlines())
    *paragraphs, published_under = lines
    picture = CUTLINE_WITH_CREDIT.match(picture_line)
    return Seed(
        text=text,
        headline=headline,
        paragraphs=paragraphs,
        cutline=picture["cutline"],
        credit=picture["credit"],
        dateline=datetime.strptime(dateline, "%B %d, %Y").date(),
        tags=[tag.strip() for tag in published_under.removeprefix(PUBLISHED_UNDER).split(",")],
    )


def parse_front_matter_story(text: str) -> Seed:
    """003: YAML front matter between “---” lines, then Markdown."""
    _, front_matter, body = text.split("---\n", 2)
    meta = yaml.safe_load(front_matter)
    return Seed(
        text=text,
        headline=meta["title"],
        paragraphs=re.split(r"\n[ \t]*\n", body.strip("\n")),
        dek=meta["subhed"],
        author=meta["author"],
        author_title=meta["author-title"],
        category=meta["category"],
        image_url=meta["featured-image"]["path"],
        cutline=meta["featured-image"]["cutline"],
        credit=meta["featured-image"]["credit"],
    )


SEEDS = {
    STORY_000: parse_one_line_per_paragraph(read_source(STORY_000)),
    STORY_001: parse_dateline_story(read_source(STORY_001)),
    STORY_003: parse_front_matter_story(read_source(STORY_003)),
}

# Who said each quotation, in story order, and how: (speakers, context, attribution).
LETTER_SIGNERS = ["michael-mccaul", "mike-gallagher", "young-kim"]
TO_BLINKEN_AND_RAIMONDO = (
    "in a letter to Secretary of State Antony Blinken and Commerce Secretary Gina Raimondo"
)
EXPECTED_ATTRIBUTIONS = {
    STORY_000: [
        (["matt-miller"], "during a briefing on Thursday", ""),
        (["matt-miller"], "told reporters", ""),
        (["matt-miller"], "in a statement", ""),
        (
            [],
            "adding China’s Institute of Forensic Science on its entity list in 2020",
            "U.S. Commerce Department",
        ),
    ],
    STORY_001: [
        (["janet-yellen"], "during her visit to the country earlier this month", ""),
    ],
    STORY_003: [
        (LETTER_SIGNERS, "in a letter to the Biden administration", ""),
        (LETTER_SIGNERS, TO_BLINKEN_AND_RAIMONDO, ""),
        (LETTER_SIGNERS, TO_BLINKEN_AND_RAIMONDO, ""),
        (LETTER_SIGNERS, "in the letter", ""),
        (LETTER_SIGNERS, "in the letter", ""),
        ([], "", "government documents"),
        (LETTER_SIGNERS, "in the letter", ""),
        (LETTER_SIGNERS, "accusing the Biden State Department in the letter", ""),
        (LETTER_SIGNERS, "in the letter", ""),
        (LETTER_SIGNERS, "in the letter", ""),
    ],
}

# The people quoted, and the words in the seed that establish each fact about them.
EXPECTED_OFFICIALS = {
    "matt-miller": {
        "fields": {"name": "Matt Miller", "title": "State Department spokesperson"},
        "organisation": "U.S. Department of State",
        "seed_says": (STORY_000, "U.S. State Department spokesperson Matt Miller"),
    },
    "janet-yellen": {
        "fields": {"name": "Janet Yellen", "title": "Treasury Secretary"},
        "organisation": None,
        "seed_says": (STORY_001, "Treasury Secretary Janet Yellen"),
    },
    "young-kim": {
        "fields": {"name": "Young Kim", "title": "", "party": "R", "chamber": "house"},
        "organisation": None,
        "seed_says": (STORY_003, "Rep. Young Kim (R-CA)"),
    },
    "michael-mccaul": {
        "fields": {
            "name": "Michael McCaul",
            "title": "Chair, House Foreign Affairs Committee",
            "party": "R",
            "chamber": "house",
            "state": "TX",
        },
        "organisation": "House Foreign Affairs Committee",
        "seed_says": (STORY_003, "House Foreign Affairs Committee Chair Michael McCaul (R-TX)"),
    },
    "mike-gallagher": {
        # The seed names his committee but not his chamber, so none is recorded.
        "fields": {
            "name": "Mike Gallagher",
            "title": "Chair, China select committee",
            "party": "R",
            "chamber": "",
            "state": "WI",
        },
        "organisation": "China select committee",
        "seed_says": (STORY_003, "China select committee Chair Mike Gallagher (R-WI)"),
    },
}


def quotations_in(text: str) -> list[str]:
    """Every quotation of more than one word, without the comma that leads into its attribution.

    Single scare-quoted words such as "decoupling" are not quotations of anyone.
    """
    passages = (curly or straight for curly, straight in QUOTATION.findall(text))
    return [passage.removesuffix(",") for passage in passages if " " in passage.strip()]


def story(source_reference: str) -> Article:
    return Article.objects.get(source_reference=source_reference)


def test_every_seed_file_has_a_story():
    assert sorted(path.name for path in SOURCES.glob("*.txt")) == sorted(SEEDS)


@pytest.mark.parametrize("source_reference", SEEDS)
def test_headline_dek_and_body_are_the_seed_text(seed_stories, source_reference):
    seed, article = SEEDS[source_reference], story(source_reference)

    assert article.headline == seed.headline
    assert article.subheadline == seed.dek
    assert article.body.split("\n\n") == seed.paragraphs
    assert article.slug
    assert article.status == Article.Status.PUBLISHED


def test_single_line_break_in_003_is_kept_as_in_the_seed(seed_stories):
    body = story(STORY_003).body

    assert "the letter states.\nThey accused the Biden State Department" in body


@pytest.mark.parametrize("source_reference", SEEDS)
def test_no_seed_furniture_is_left_in_a_body(seed_stories, source_reference):
    body = story(source_reference).body

    assert PEOPLE_ALSO_READ.strip() not in body
    assert PUBLISHED_UNDER not in body
    assert "July 24, 2023" not in body
    assert "---" not in body


@pytest.mark.parametrize("source_reference", SEEDS)
def test_byline_category_and_tags_are_those_of_the_seed(seed_stories, source_reference):
    seed, article = SEEDS[source_reference], story(source_reference)

    bylines = [(byline.author.name, byline.title) for byline in article.bylines.all()]
    assert bylines == ([(seed.author, seed.author_title)] if seed.author else [])
    assert (article.category.name if article.category else "") == seed.category
    assert sorted(article.tags.names()) == sorted(seed.tags)


def test_author_job_title_is_the_title_printed_in_003(seed_stories):
    seed, byline = SEEDS[STORY_003], story(STORY_003).bylines.get()

    assert byline.author.job_title == seed.author_title
    assert byline.position == 0


@pytest.mark.parametrize("source_reference", SEEDS)
def test_featured_image_is_the_seed_picture_cutline_and_credit(seed_stories, source_reference):
    seed, image = SEEDS[source_reference], story(source_reference).featured_image

    if not seed.cutline:
        assert image is None
        return
    assert image.external_url == seed.image_url
    assert not image.picture
    assert image.src == seed.image_url
    assert image.cutline == seed.cutline
    assert image.credit == seed.credit


def test_001_keeps_cutline_and_credit_without_a_picture(seed_stories):
    image = story(STORY_001).featured_image

    assert not image.has_picture
    assert image.src == ""
    assert image.alt_text == ""


def test_003_alt_text_is_the_cutline_and_the_note_says_so(seed_stories):
    article = story(STORY_003)

    assert article.featured_image.alt_text == SEEDS[STORY_003].cutline
    assert "alt text" in article.editorial_note.lower()


@pytest.mark.parametrize("source_reference", SEEDS)
def test_related_headlines_are_the_people_also_read_lines_in_order(seed_stories, source_reference):
    links = story(source_reference).related_links.order_by("position")

    assert [link.headline for link in links] == SEEDS[source_reference].related_headlines
    assert all(link.target is None and link.url == "" for link in links)


@pytest.mark.parametrize("source_reference", SEEDS)
def test_quotes_are_every_quotation_in_the_seed_verbatim_and_in_order(
    seed_stories, source_reference
):
    seed = SEEDS[source_reference]
    quotes = list(story(source_reference).quotes.order_by("position"))

    assert [quote.text for quote in quotes] == quotations_in(seed.text)
    assert [quote.position for quote in quotes] == list(range(len(quotes)))
    for quote in quotes:
        assert quote.text in seed.text


@pytest.mark.parametrize("source_reference", SEEDS)
def test_quotes_have_their_speakers_and_how_they_were_said(seed_stories, source_reference):
    quotes = story(source_reference).quotes.order_by("position").prefetch_related("speakers")

    attributions = [
        (
            sorted(speaker.slug for speaker in quote.speakers.all()),
            quote.context,
            quote.attribution,
        )
        for quote in quotes
    ]
    assert attributions == EXPECTED_ATTRIBUTIONS[source_reference]


def test_001_scare_quote_is_not_a_quote(seed_stories):
    assert '"decoupling"' in SEEDS[STORY_001].text
    assert not story(STORY_001).quotes.filter(text__contains="decoupling").exists()


@pytest.mark.parametrize("slug", EXPECTED_OFFICIALS)
def test_officials_are_as_the_seed_names_them(seed_stories, slug):
    expected = EXPECTED_OFFICIALS[slug]
    official = Official.objects.select_related("organisation").get(slug=slug)
    source_reference, words = expected["seed_says"]

    assert words in SEEDS[source_reference].text
    assert official.name in words
    for name, value in expected["fields"].items():
        assert getattr(official, name) == value, name
    if official.party_and_state:
        assert f"{official.name} ({official.party_and_state})" in words
    if official.organisation:
        assert official.organisation.name == expected["organisation"]
    else:
        assert expected["organisation"] is None


def test_young_kim_prints_as_the_seed_prints_him(seed_stories):
    young_kim = Official.objects.get(slug="young-kim")

    assert young_kim.display_name in SEEDS[STORY_003].text
    assert young_kim.display_name == "Rep. Young Kim (R-CA)"


def test_only_the_people_quoted_are_officials(seed_stories):
    assert set(Official.objects.values_list("slug", flat=True)) == set(EXPECTED_OFFICIALS)


def test_001_is_dated_by_its_dateline_without_a_time(seed_stories):
    article = story(STORY_001)

    assert timezone.localtime(article.published_at).date() == SEEDS[STORY_001].dateline
    assert timezone.localtime(article.published_at).date() == date(2023, 7, 24)
    assert article.publication_time_known is False


def test_000_is_dated_the_thursday_after_the_woodside_meeting(seed_stories):
    seed, article = SEEDS[STORY_000], story(STORY_000)
    day = timezone.localtime(article.published_at).date()

    assert "On Thursday" in seed.text
    assert "Woodside, California, on Wednesday" in seed.text
    assert day == date(2023, 11, 16)
    assert day.strftime("%A") == "Thursday"
    assert article.publication_time_known is False
    # The date is inferred, so the newsroom must be able to see how.
    assert "15 November 2023" in article.editorial_note
    assert "Woodside" in article.editorial_note


def test_003_has_no_date_because_the_seed_states_none(seed_stories):
    assert story(STORY_003).published_at is None


def test_all_three_stories_are_visible_to_readers(seed_stories):
    published = Article.objects.published().values_list("source_reference", flat=True)

    assert sorted(published) == sorted(SEEDS)


def snapshot_of_content() -> dict[str, list[dict]]:
    """Every row of every content table, including many-to-many link tables."""
    content_apps = {"articles", "people", "taggit"}
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in content_apps
    }


def test_loading_the_fixture_again_changes_nothing(seed_stories):
    before = snapshot_of_content()

    call_command("loaddata", "stories", verbosity=0)

    assert snapshot_of_content() == before
    assert len(before["articles.Article"]) == 3
    assert len(before["articles.Quote_speakers"]) > 0


def test_seed_command_loads_an_empty_newsroom_and_leaves_edits_alone(db):
    call_command("seed_stories", verbosity=0)
    assert Article.objects.count() == 3
    story = Article.objects.get(source_reference="001_e7d27163661e2dee.txt")
    story.headline = "Edited by the desk"
    story.save()

    call_command("seed_stories", verbosity=0)

    story.refresh_from_db()
    assert story.headline == "Edited by the desk"
    assert Article.objects.count() == 3


def test_loaded_stories_record_when_they_entered_the_newsroom_but_no_revision(seed_stories):
    stories = list(Article.objects.all())
    assert all(story.created_at and story.updated_at for story in stories)
    assert [story.revised_at for story in stories] == [None, None, None]
