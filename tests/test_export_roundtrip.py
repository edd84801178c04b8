"""export_stories writes front-matter files that import back into the same stories."""

from datetime import UTC, datetime
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PillowImage
from taggit.models import Tag

from articles.models import Article, Category, Image
from people.models import Author, Official, Organisation
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_related_link,
)


def export(folder, *slugs) -> str:
    out = StringIO()
    options = [item for slug in slugs for item in ("--slug", slug)]
    call_command("export_stories", *options, str(folder), stdout=out)
    return out.getvalue()


def run_import(*args) -> str:
    out = StringIO()
    call_command("import_stories", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def story_facts(article: Article) -> dict:
    """Every field an export carries, by natural key rather than row id."""
    image = article.featured_image
    return {
        "headline": article.headline,
        "slug": article.slug,
        "subheadline": article.subheadline,
        "body": article.body,
        "excerpt": article.excerpt,
        "status": article.status,
        "published_at": article.published_at,
        "publication_time_known": article.publication_time_known,
        "source_reference": article.source_reference,
        "category": article.category.name if article.category else None,
        "image": image
        and {
            "picture": image.picture.name,
            "external_url": image.external_url,
            "cutline": image.cutline,
            "credit": image.credit,
            "alt_text": image.alt_text,
        },
        "bylines": [(byline.author.name, byline.title) for byline in article.bylines.all()],
        "tags": sorted(article.tags.names()),
        "related": [
            (link.target.slug if link.target else None, link.headline, link.url)
            for link in article.related_links.all()
        ],
    }


def all_story_facts() -> dict[str, dict]:
    return {article.slug: story_facts(article) for article in Article.objects.all()}


def remove_all_content():
    Article.objects.all().delete()
    for model in (Image, Category, Author, Tag, Official, Organisation):
        model.objects.all().delete()


def png_upload(name="photo.png") -> SimpleUploadedFile:
    data = BytesIO()
    PillowImage.new("RGB", (4, 3), "navy").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


@pytest.fixture
def newsroom(db, settings, tmp_path):
    """Stories using everything an export carries, including a cycle of related links."""
    settings.MEDIA_ROOT = tmp_path / "media"
    lead = make_article(
        "Trade Talks Resume: What “No” Means",
        subheadline="Officials meet again — quietly",
        body="First paragraph with **bold**.\n\n## A subheading\n\nLast line\nwith a soft break.",
        excerpt="Talks, again.",
        published_at=datetime(2024, 3, 5, 14, 30, 15, tzinfo=UTC),
        authors=[make_author("Ana Ruiz", job_title="Reporter"), make_author("Bo Li")],
        tags=["Trade", "China"],
        category=make_category("World"),
        featured_image=make_image(
            alt_text="Delegates at a table", cutline="Delegates", credit="AP"
        ),
    )
    lead.bylines.filter(author__name="Ana Ruiz").update(title="Trade Correspondent")
    follow_up = make_article(
        "Follow-up",
        status=Article.Status.DRAFT,
        published_at=datetime(2024, 3, 6, 12, tzinfo=UTC),
        publication_time_known=False,
        featured_image=Image.objects.create(picture=png_upload(), alt_text="A navy square"),
    )
    undated = make_article("Undated", status=Article.Status.IN_REVIEW, published_at=None)
    make_related_link(lead, follow_up)
    make_related_link(lead, headline="Elsewhere", url="https://example.com/story")
    make_related_link(follow_up, lead)
    make_related_link(undated, headline="A headline only")
    return lead, follow_up, undated


def test_export_then_import_into_an_empty_newsroom_gives_the_same_stories(newsroom, tmp_path):
    before = all_story_facts()
    export(tmp_path / "out")
    remove_all_content()

    output = run_import(tmp_path / "out")

    assert "3 created" in output
    assert all_story_facts() == before


def test_importing_an_export_over_its_stories_changes_nothing(newsroom, tmp_path):
    export(tmp_path / "out")

    output = run_import(tmp_path / "out")

    assert "0 created, 0 updated, 3 unchanged" in output


def test_importing_an_older_export_puts_edited_stories_back(newsroom, tmp_path):
    lead = newsroom[0]
    before = story_facts(lead)
    export(tmp_path / "out", lead.slug)
    lead.subheadline = ""
    lead.status = Article.Status.UNPUBLISHED
    lead.save()
    lead.tags.remove("China")
    lead.bylines.filter(position=1).delete()
    lead.related_links.filter(target__isnull=True).delete()

    output = run_import(tmp_path / "out")

    assert "updated (dek, status, bylines, tags, related links)" in output
    assert story_facts(Article.objects.get(pk=lead.pk)) == before


def test_the_seed_stories_survive_an_export_and_import(seed_stories, tmp_path):
    before = all_story_facts()
    export(tmp_path / "out")
    remove_all_content()

    run_import(tmp_path / "out")

    assert all_story_facts() == before
    assert set(Article.objects.values_list("source_reference", flat=True)) == {
        "000_b7cfcc7d5be673ce.txt",
        "001_e7d27163661e2dee.txt",
        "003_aac0f55aae8752bc.txt",
    }


def test_export_writes_one_readable_file_per_story(newsroom, tmp_path):
    lead = newsroom[0]

    output = export(tmp_path / "out", lead.slug)

    assert [path.name for path in (tmp_path / "out").iterdir()] == [f"{lead.slug}.md"]
    assert "1 story written" in output
    text = (tmp_path / "out" / f"{lead.slug}.md").read_text()
    assert text.startswith("---\ntitle: 'Trade Talks Resume: What “No” Means'\n")
    assert (
        "author:\n- Ana Ruiz\n- Bo Li\nauthor-title:\n- Trade Correspondent\n- Staff Writer\n"
        in text
    )
    assert "date: 2024-03-05 09:30:15-05:00\n" in text  # the newsroom's time zone
    assert text.endswith(
        "---\n\nFirst paragraph with **bold**.\n\n## A subheading\n\nLast line\nwith a soft break.\n"
    )


def test_a_story_whose_time_is_unknown_is_exported_with_its_date_only(newsroom, tmp_path):
    follow_up = newsroom[1]

    export(tmp_path, follow_up.slug)

    text = (tmp_path / f"{follow_up.slug}.md").read_text()
    assert "date: 2024-03-06\n" in text
    assert f"path: {follow_up.featured_image.picture.name}\n" in text


def test_exporting_an_unknown_slug_is_an_error(newsroom, tmp_path):
    with pytest.raises(CommandError, match="no story with the slug nope"):
        export(tmp_path / "out", "nope")

    assert not (tmp_path / "out").exists()
