"""fixtures/stories.json is the seed texts imported, plus what an editor curated.

build_seed_fixture imports fixtures/sources/ and applies fixtures/curation.json
in a scratch database. That the importer alone agrees with the fixture on
every field a source carries is proved in tests/test_import_formats.py
(test_importer_agrees_with_the_fixture_on_everything_the_sources_say); the
tests here cover the rest.

The build is compared with the committed file byte for byte, not as parsed
JSON: the file is the command's output committed as it is, and `--check`
compares bytes, so a hand edit that only reorders or reformats it would still
fail the check and must fail here first.
"""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.management.commands.build_seed_fixture import (
    CURATION_FILE,
    FIXTURE_FILE,
    SOURCES_DIR,
)
from articles.models import Article, Quote
from people.models import Official, Organisation
from tests.factories import make_article

CURATION = json.loads(CURATION_FILE.read_text(encoding="utf-8"))


def build(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("build_seed_fixture", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def rebuilt_fixture(tmp_path_factory):
    """A build written over an out-of-date copy of the fixture."""
    path = tmp_path_factory.mktemp("build") / "stories.json"
    path.write_text("[]\n", encoding="utf-8")
    output, _ = build("--output", path)
    assert f"{path} written" in output
    return path


def test_building_gives_the_committed_fixture_byte_for_byte(rebuilt_fixture):
    assert rebuilt_fixture.read_bytes() == FIXTURE_FILE.read_bytes()


def test_the_fixture_is_formatted_for_review(rebuilt_fixture):
    text = rebuilt_fixture.read_text(encoding="utf-8")

    assert text.endswith("]\n")
    assert '\n  {\n    "model": "taggit.tag",' in text  # indented by two
    assert "aren’t a bargaining chip" in text  # not escaped as \u2019


def test_check_passes_on_the_committed_fixture_and_leaves_file_and_database_alone(db):
    before = FIXTURE_FILE.read_bytes()
    make_article("A story of this newsroom's own")

    output, _ = build("--check")

    assert "is up to date" in output
    assert FIXTURE_FILE.read_bytes() == before
    # The build ran in its own scratch database, not in the one it was started from.
    assert list(Article.objects.values_list("headline", flat=True)) == [
        "A story of this newsroom's own"
    ]
    assert not Official.objects.exists()


def test_check_fails_on_a_stale_fixture_says_how_to_fix_it_and_writes_nothing(tmp_path):
    stale = tmp_path / "stories.json"
    shutil.copy(FIXTURE_FILE, stale)
    edited = stale.read_text(encoding="utf-8").replace(
        '"title": "Treasury Secretary"', '"title": "Secretary of the Treasury"'
    )
    stale.write_text(edited, encoding="utf-8")

    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("build_seed_fixture", "--check", f"--output={stale}", stderr=err)

    message = str(refused.value)
    assert str(stale) in message and "python manage.py build_seed_fixture" in message
    assert stale.read_text(encoding="utf-8") == edited
    # The difference is shown, so whoever runs the check sees what a rebuild changes.
    assert '-      "title": "Secretary of the Treasury",' in err.getvalue()
    assert '+      "title": "Treasury Secretary",' in err.getvalue()


def test_the_curation_holds_only_what_the_sources_do_not_say(db):
    call_command("import_stories", str(SOURCES_DIR), stdout=StringIO(), stderr=StringIO())

    # Nobody quoted, and nobody to quote, comes from the sources.
    assert not Quote.objects.exists()
    assert not Official.objects.exists() and not Organisation.objects.exists()
    assert CURATION["officials"] and CURATION["organisations"]
    # Imported without --status, the stories are drafts: publishing them is the editor's call.
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}
    assert CURATION["status"] == Article.Status.PUBLISHED
    for story in CURATION["stories"]:
        article = Article.objects.get(source_reference=story["source"])
        assert story["quotes"]
        if "published_at" in story:
            assert article.published_at is None, story["source"]
        if "editorial_note" in story:
            assert article.editorial_note == "", story["source"]
        if "featured_image" in story:
            assert article.featured_image.alt_text == "", story["source"]
            assert story["featured_image"]["alt_text"]


@pytest.mark.parametrize(
    ("curation", "error"),
    [
        ('{"status": "published",\n "stories": [}', "curation.json:2:14: not JSON"),
        ('["published"]', "curation.json: the file: expected an object"),
        ('{"stories": []}', "curation.json: status: missing"),
        ('{"status": "live"}', "curation.json: status: “live” is not one of draft"),
        (
            '{"status": "published", "stories": [{"sorce": "000.txt"}]}',
            "curation.json: stories[0].sorce: unknown key; expected one of source,",
        ),
        (
            '{"status": "published", "stories": [{"source": "a.txt", "quotes": [{"text": "Hi", '
            '"position": "first"}]}]}',
            "curation.json: stories[0].quotes[0].position: expected a whole number",
        ),
    ],
)
def test_a_malformed_curation_file_is_refused_by_place_and_nothing_is_written(
    tmp_path, curation, error
):
    (tmp_path / "curation.json").write_text(curation, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        build("--curation", tmp_path / "curation.json", "--output", tmp_path / "stories.json")

    assert error in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert not (tmp_path / "stories.json").exists()


def test_a_curated_quote_by_someone_not_listed_is_refused_by_place(tmp_path):
    (tmp_path / "curation.json").write_text(
        json.dumps(
            {
                "status": "published",
                "stories": [
                    {
                        "source": "000_b7cfcc7d5be673ce.txt",
                        "quotes": [{"position": 0, "text": "Hi", "speakers": ["nobody"]}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as refused:
        build("--curation", tmp_path / "curation.json", "--output", tmp_path / "stories.json")

    assert "curation.json: stories[0].quotes[0].speakers[0]: no official “nobody”" in str(
        refused.value
    )
    assert "Traceback" not in str(refused.value)
    assert not (tmp_path / "stories.json").exists()
