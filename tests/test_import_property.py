"""Whatever text arrives, import_stories imports a whole story or nothing, and never crashes."""

from datetime import date
from io import StringIO

import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from articles.importing import FORMAT_NAMES, decode_source, parse_story
from articles.models import Article, Byline, Category, Image, RelatedLink, TaggedArticle
from people.models import Author

# Characters the formats give meaning to, mixed into ordinary text.
SIGNIFICANT = ["–", "—", "-", ":", "(", ")", "---", "People Also Read:", "Published under:", ","]
text_piece = st.one_of(
    st.sampled_from(SIGNIFICANT),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12),
)
line_text = st.lists(text_piece, max_size=5).map(" ".join)
paragraphs = st.lists(line_text, max_size=4)
day_line = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(
        lambda day: f"{day:%B} {day.day}, {day.year}"
    ),
    st.sampled_from(["February 30, 2023", "Julu 24, 2023", "2023-13-01"]),
)


@st.composite
def front_matter_stories(draw) -> str:
    fields = draw(
        st.fixed_dictionaries(
            {"title": line_text},
            optional={
                "subhed": line_text,
                "author": st.one_of(line_text, st.lists(line_text, max_size=3)),
                "author-title": line_text,
                "featured-image": st.one_of(
                    st.none(),
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "path": st.sampled_from(["https://example.com/a.jpg", "", "x.jpg"]),
                            "cutline": line_text,
                            "credit": line_text,
                            "alt": line_text,
                        },
                    ),
                ),
                "category": line_text,
                "tags": st.lists(line_text, max_size=4),
                "date": st.one_of(day_line, st.dates().map(str), line_text),
                "status": st.sampled_from(["draft", "published", "review", "live"]),
                "related": st.lists(
                    st.one_of(
                        line_text,
                        st.fixed_dictionaries(
                            {"headline": line_text}, optional={"slug": line_text}
                        ),
                    ),
                    max_size=3,
                ),
            },
        )
    )
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n" + "\n\n".join(draw(paragraphs))


@st.composite
def dated_text_stories(draw) -> str:
    caption = draw(st.lists(st.builds("{} ({})".format, line_text, line_text), max_size=1))
    tags = draw(st.lists(st.builds("Published under: {}".format, line_text), max_size=1))
    lines = [draw(line_text), *caption, draw(day_line), *draw(paragraphs), *tags]
    return "\n\n".join(lines)


@st.composite
def dash_lead_stories(draw) -> str:
    extra = st.one_of(line_text, st.builds("People Also Read: {}".format, line_text))
    lines = [f"{draw(line_text)} – {draw(line_text)}", *draw(st.lists(extra, max_size=5))]
    return "\n".join(lines)


any_source = st.one_of(
    st.one_of(front_matter_stories(), dated_text_stories(), dash_lead_stories()).map(str.encode),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)


def row_counts() -> dict[str, int]:
    models = (Article, Byline, Image, Category, Author, Tag, TaggedArticle, RelatedLink)
    return {model.__name__: model.objects.count() for model in models}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=any_source,
    status=st.sampled_from([None, "published"]),
    format_name=st.sampled_from([None, *FORMAT_NAMES]),
)
def test_import_makes_a_whole_story_or_nothing(db, tmp_path, content, status, format_name):
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    options = {"status": status or "", "format_name": format_name}
    errors = StringIO()
    # Each example starts from the same empty newsroom.
    with transaction.atomic():
        before = row_counts()
        try:
            call_command("import_stories", path, stdout=StringIO(), stderr=errors, **options)
        except CommandError:
            assert row_counts() == before
            reported = [
                line for line in errors.getvalue().splitlines() if ": warning: " not in line
            ]
            assert len(reported) == 1 and reported[0].startswith(f"{path}:")
        else:
            story = parse_story(decode_source(content), path.name, format_name)
            assert_story_is_whole(Article.objects.get(), story)
        transaction.set_rollback(True)


def assert_story_is_whole(article: Article, story) -> None:
    """Everything the file states is in the database."""
    assert article.headline == story.headline
    assert article.body == story.body
    if "bylines" in story.stated:
        assert {byline.author.slug for byline in article.bylines.all()} == {
            slugify(byline.name)[:200].strip("-") for byline in story.bylines
        }
    if "tags" in story.stated:
        assert {name.lower() for name in article.tags.names()} == {
            name.lower() for name in story.tags
        }
    if "related" in story.stated:
        # A link to a story by slug alone is left out while that story is missing.
        kept = [link for link in story.related if link.headline]
        assert article.related_links.count() == len(kept)
    if "image" in story.stated:
        assert (article.featured_image is None) == (story.image is None)
    if "category" in story.stated:
        assert (article.category is None) == (not story.category)
