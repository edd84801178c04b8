"""Bad input: one line naming file and line, the file skipped whole, a failing exit."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Category, Image, RelatedLink, TaggedArticle
from people.models import Author

GOOD_STORY = "A good story – Its first paragraph.\n"

BAD_INPUTS = {
    "missing headline (front matter)": (
        b"---\nsubhed: A dek\n---\n\nBody.\n",
        1,
        "missing headline",
    ),
    "missing headline (dash lead)": (
        b"\n \xe2\x80\x93 Lead with no headline\nMore.\n",
        2,
        "missing headline",
    ),
    "missing headline (dated text)": (
        b"July 24, 2023\n\nBody.\n\nPublished under: A\n",
        1,
        "missing headline",
    ),
    "broken YAML": (
        b"---\ntitle: Fine\nsubhed: [never closed\n---\nBody.\n",
        3,
        "broken front matter",
    ),
    "front matter never closed": (b"\n---\ntitle: Fine\n\nBody.\n", 2, "never closed"),
    "front matter not key-value": (b"---\n- a list\n---\nBody.\n", 2, "broken front matter"),
    "wrong type in front matter": (
        b"---\ntitle: Fine\ncategory: [A, B]\n---\nB.\n",
        3,
        "must be text",
    ),
    "unreadable date (dated text)": (
        b"Headline\n\nFebruary 30, 2023\n\nBody.\n",
        3,
        "unreadable date",
    ),
    "unreadable date (front matter)": (
        b"---\ntitle: T\ndate: last week\n---\nB.\n",
        3,
        "unreadable date",
    ),
    "unknown status": (b"---\ntitle: T\nstatus: live\n---\nB.\n", 3, "“status” must be one of"),
    "not UTF-8": (b"Headline \xe2\x80\x93 Lead.\nCaf\xe9 society.\n", 2, "not UTF-8"),
    "empty file": (b"", 1, "the file is empty"),
    "only blank lines": (b"\n  \n\t\n", 1, "the file is empty"),
    "binary file": (b"Looks like text\n\nthen\x00\x00\x01", 3, "NUL character"),
    "unknown format": (b"\nJust a line.\nAnd another.\n", 2, "unknown format"),
    "People Also Read without a headline": (
        b"H \xe2\x80\x93 Lead.\nPeople Also Read:\n",
        2,
        "without a headline",
    ),
    "headline too long": (
        b"---\ntitle: " + b"x" * 301 + b"\n---\nB.\n",
        2,
        "at most 300 characters",
    ),
    "picture neither address nor upload": (
        b"---\ntitle: T\nfeatured-image:\n  path: ../../etc/passwd\n---\nB.\n",
        3,
        "neither an http(s) address nor a file in media storage",
    ),
    "related address not a URL": (
        b"---\ntitle: T\nrelated:\n- headline: Elsewhere\n  url: not a url\n---\nB.\n",
        3,
        "Enter a valid URL",
    ),
}


def row_counts() -> dict[str, int]:
    models = (
        Article,
        Byline,
        Image,
        Category,
        Author,
        Tag,
        TaggedArticle,
        TaggedItem,
        RelatedLink,
        Version,
    )
    return {model.__name__: model.objects.count() for model in models}


def import_files(*paths, options=()):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_stories", *map(str, paths), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)


@pytest.mark.parametrize(("content", "line", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_file_is_reported_by_file_and_line_and_skipped(db, tmp_path, content, line, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(GOOD_STORY)

    out, err, failure = import_files(bad, good)

    error_lines = [text for text in err.splitlines() if "warning" not in text]
    assert len(error_lines) == 1
    assert error_lines[0].startswith(f"{bad}:{line}: ")
    assert message in error_lines[0]
    assert "Traceback" not in err
    assert failure == "1 of 2 files could not be imported"
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out
    assert list(Article.objects.values_list("source_reference", flat=True)) == ["good.txt"]


def test_a_failure_after_rows_were_written_leaves_none_of_them(db, tmp_path):
    # The story, its new author, category, tag and picture are written before
    # the related headline is found too long.
    (tmp_path / "story.md").write_text(
        "---\ntitle: Whole or nothing\nauthor: New Person\ncategory: New Section\ntags: [New]\n"
        f"featured-image: https://example.com/a.jpg\nrelated:\n- {'x' * 301}\n---\nBody.\n"
    )
    before = row_counts()

    import_files(tmp_path / "story.md")

    assert row_counts() == before


def test_a_failed_re_import_leaves_the_story_as_it_was(db, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Headline – Lead.\nPeople Also Read: Elsewhere\n")
    call_command("import_stories", str(story), stdout=StringIO())
    article = Article.objects.get()
    before = (row_counts(), article.body, article.updated_at)

    story.write_text(
        "Headline – A new lead.\nPeople Also Read: Fine\nPeople Also Read: " + "x" * 301 + "\n"
    )
    _, err, _ = import_files(story)

    article.refresh_from_db()
    assert (row_counts(), article.body, article.updated_at) == before
    assert re.search(r"story.txt:3: related link headline: .*at most 300 characters", err)


def test_published_story_without_a_body_is_refused(db, tmp_path):
    (tmp_path / "story.txt").write_text("Headline Only – \n")

    _, err, _ = import_files(tmp_path / "story.txt", options=["--status", "published"])

    assert "story.txt:1: A published story needs a headline, a body and a slug." in err
    assert not Article.objects.exists()


def test_a_story_whose_address_belongs_to_another_import_is_refused(db, tmp_path):
    (tmp_path / "one.txt").write_text("Same Headline – First.\n")
    (tmp_path / "two.txt").write_text("Same Headline – Second.\n")

    _, err, _ = import_files(tmp_path / "one.txt", tmp_path / "two.txt")

    assert (
        "two.txt:1: the address “same-headline” belongs to another story, imported from “one.txt”"
        in err
    )
    assert Article.objects.get().body == "First."


def test_two_files_with_the_same_name_cannot_both_be_imported(db, tmp_path):
    for folder, headline in [("a", "One"), ("b", "Two")]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"{headline} – Lead.\n")

    _, err, _ = import_files(tmp_path)

    assert f"{tmp_path / 'b' / 'story.txt'}:1: {tmp_path / 'a' / 'story.txt'} in this import" in err
    assert list(Article.objects.values_list("headline", flat=True)) == ["One"]


def test_a_path_that_does_not_exist_stops_the_import_before_it_starts(db, tmp_path):
    (tmp_path / "good.txt").write_text(GOOD_STORY)

    with pytest.raises(CommandError, match="missing.txt: no such file or folder"):
        call_command("import_stories", str(tmp_path / "good.txt"), str(tmp_path / "missing.txt"))

    assert not Article.objects.exists()


def test_unknown_front_matter_keys_are_warned_about_not_fatal(db, tmp_path):
    (tmp_path / "story.md").write_text("---\ntitle: T\nlayout: post\nwordcount: 12\n---\nB.\n")
    err = StringIO()

    call_command("import_stories", str(tmp_path / "story.md"), stdout=StringIO(), stderr=err)

    assert (
        err.getvalue().strip()
        == f"{tmp_path / 'story.md'}:4: warning: front-matter key “wordcount” is not used"
    )
    assert Article.objects.get().headline == "T"
