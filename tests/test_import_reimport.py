"""Importing again updates instead of duplicating, keeps editors' work, and --dry-run writes nothing."""

import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, Byline, Category, Image, Quote, RelatedLink, TaggedArticle
from people.models import Author, Official
from tests.factories import make_official

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
DATED_TEXT = "001_e7d27163661e2dee.txt"


def run_import(*args) -> str:
    out = StringIO()
    call_command("import_stories", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (
        Article,
        Byline,
        Image,
        Category,
        Author,
        Tag,
        TaggedArticle,
        RelatedLink,
        Quote,
        Version,
    )
    return {model.__name__: model.objects.count() for model in models}


def copy_of_sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


def test_second_import_reports_every_story_unchanged_and_touches_nothing(db):
    run_import(SOURCES)
    counts = row_counts()
    updated_at = dict(Article.objects.values_list("slug", "updated_at"))

    output = run_import(SOURCES)

    assert "3 files: 0 created, 0 updated, 3 unchanged, 0 failed" in output
    assert row_counts() == counts
    assert dict(Article.objects.values_list("slug", "updated_at")) == updated_at


def test_re_import_updates_what_changed_and_keeps_quotes(db, tmp_path):
    sources = copy_of_sources(tmp_path)
    run_import(sources)
    article = Article.objects.get(source_reference=DATED_TEXT)
    yellen = make_official("Janet Yellen")
    quote = Quote.objects.create(article=article, text="diversifying critical supply chains")
    quote.speakers.add(yellen)
    counts = row_counts()
    source = sources / DATED_TEXT
    source.write_text(
        source.read_text()
        .replace("Published under: China , Fentanyl", "Published under: China , Trade")
        .replace("sources told the Wall Street Journal", "sources told the Journal")
    )

    output = run_import(sources)

    assert f"{source}: updated (body, tags): {article.slug}" in output
    assert "0 created, 1 updated, 2 unchanged, 0 failed" in output
    article.refresh_from_db()
    assert "sources told the Journal." in article.body
    assert sorted(article.tags.names()) == ["China", "Trade"]
    assert list(article.quotes.all()) == [quote]
    assert list(quote.speakers.all()) == [yellen]
    assert Article.objects.count() == counts["Article"]
    assert Official.objects.count() == 1


def test_re_import_leaves_alone_what_the_format_cannot_say(db, tmp_path):
    """A dated-text file has no dek or picture address: an editor's stay."""
    sources = copy_of_sources(tmp_path)
    run_import(sources / DATED_TEXT)
    article = Article.objects.get()
    article.subheadline = "A dek the editor wrote"
    article.editorial_note = "Checked with the desk."
    article.status = Article.Status.PUBLISHED
    article.save()
    Image.objects.filter(pk=article.featured_image_id).update(
        external_url="https://images.example.com/dea.jpg", alt_text="Pills on a table"
    )

    output = run_import(sources / DATED_TEXT)

    assert "1 unchanged" in output
    article.refresh_from_db()
    assert article.subheadline == "A dek the editor wrote"
    assert article.editorial_note == "Checked with the desk."
    assert article.status == Article.Status.PUBLISHED
    assert article.featured_image.external_url == "https://images.example.com/dea.jpg"
    assert article.featured_image.alt_text == "Pills on a table"


def test_status_option_overrides_and_otherwise_the_story_keeps_its_status(db):
    run_import(SOURCES / DATED_TEXT)
    assert Article.objects.get().status == Article.Status.DRAFT

    output = run_import(SOURCES / DATED_TEXT, "--status", "published")

    assert "updated (status)" in output
    assert Article.objects.get().status == Article.Status.PUBLISHED
    assert "1 unchanged" in run_import(SOURCES / DATED_TEXT)
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_a_story_made_in_the_admin_is_adopted_by_slug(db, tmp_path):
    (tmp_path / "story.txt").write_text("Same Headline – From the file.\n")
    article = Article.objects.create(headline="Same Headline", slug="same-headline", body="Typed.")

    output = run_import(tmp_path / "story.txt")

    assert "updated (body, source reference)" in output
    article.refresh_from_db()
    assert (article.body, article.source_reference) == ("From the file.", "story.txt")
    assert Article.objects.count() == 1


def test_dry_run_writes_nothing_and_says_what_would_happen(db, tmp_path):
    output = run_import(SOURCES, "--dry-run")

    assert row_counts() == dict.fromkeys(row_counts(), 0)
    assert "would be created: “Biden Admin Weighs Dropping Sanctions" in output
    assert "new author “Charles Standard”" in output
    assert (
        "Dry run, nothing written. 3 files: 3 created, 0 updated, 0 unchanged, 0 failed" in output
    )


def test_dry_run_of_a_changed_file_shows_the_change_and_keeps_the_story(db, tmp_path):
    sources = copy_of_sources(tmp_path)
    run_import(sources)
    counts = row_counts()
    source = sources / DATED_TEXT
    source.write_text(source.read_text().replace("July 24, 2023", "July 25, 2023"))

    output = run_import(sources, "--dry-run")

    assert f"{source}: would be updated (publication date)" in output
    assert row_counts() == counts
    assert Article.objects.get(source_reference=DATED_TEXT).published_at.day == 24


def test_each_import_is_recorded_in_the_story_history(db, tmp_path):
    sources = copy_of_sources(tmp_path)
    run_import(sources / DATED_TEXT)
    run_import(sources / DATED_TEXT)  # unchanged: no new version
    source = sources / DATED_TEXT
    source.write_text(source.read_text().replace("Fentanyl Cooperation", "Fentanyl Help", 1))
    run_import(sources / DATED_TEXT)

    versions = Version.objects.get_for_object(Article.objects.get())
    assert [version.revision.comment for version in versions] == [f"Imported from {DATED_TEXT}"] * 2
    assert versions[0].field_dict["headline"].endswith("Fentanyl Help")
