"""The synthetic archive: the promised mix of stories, the same archive for the same seed."""

from collections import Counter
from io import StringIO
from statistics import median

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Prefetch
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, Category, Image, Quote, RelatedLink
from people.models import Author, Official, Organisation
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def generate(**options) -> tuple[str, str]:
    """Run the command; return what it printed on stdout and stderr."""
    stdout, stderr = StringIO(), StringIO()
    call_command("generate_archive", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def archive(db):
    """200 stories ending today, so the scheduled ones are still in the future."""
    return generate(stories=200, seed=11)


def test_status_mix_is_mostly_published_with_every_other_state_present(archive):
    statuses = Counter(Article.objects.values_list("status", flat=True))

    assert sum(statuses.values()) == 200
    assert set(statuses) == set(Article.Status.values)
    assert 0.75 <= statuses[Article.Status.PUBLISHED] / 200 <= 0.92


def test_scheduled_stories_are_dated_in_the_future_and_hidden_from_readers(archive):
    scheduled = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )

    assert scheduled.exists()
    assert not Article.objects.published().filter(pk__in=scheduled).exists()


def test_dates_span_years_and_some_stories_have_no_date_or_only_a_day(archive):
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    years = {d.year for d in published.exclude(published_at=None).dates("published_at", "year")}

    assert max(years) - min(years) >= 6
    assert published.filter(published_at=None).exists()
    assert Article.objects.published().filter(published_at=None).exists()
    assert published.filter(publication_time_known=False).exists()


def test_every_story_records_when_it_was_written_and_some_were_revised(archive):
    stories = list(Article.objects.all())
    revised = [story for story in stories if story.revised_at]

    assert all(story.created_at for story in stories)
    assert all(story.updated_at <= timezone.now() for story in stories)
    assert 0 < len(revised) < len(stories) / 3


def test_every_story_has_one_to_three_bylines_with_the_authors_title(archive):
    byline_counts = Article.objects.annotate(n=Count("bylines")).values_list("n", flat=True)

    assert set(byline_counts) <= {1, 2, 3}
    assert 2 in byline_counts
    for byline in Byline.objects.select_related("author")[:50]:
        assert byline.title == byline.author.job_title != ""
    assert not Author.objects.filter(bio="").exists()


def test_quotes_include_joint_statements_and_documents_and_appear_in_the_body(archive):
    quote_counts = Article.objects.annotate(n=Count("quotes")).values_list("n", flat=True)
    speakers = Quote.objects.annotate(n=Count("speakers"))

    assert min(quote_counts) == 0
    assert max(quote_counts) <= 6
    assert speakers.filter(n__gte=2).exists(), "no joint quote"
    assert speakers.filter(n=0).exclude(attribution="").exists(), "no quote from a document"
    for quote in Quote.objects.select_related("article")[:100]:
        assert f"“{quote.text}”" in quote.article.body


def test_officials_include_legislators_and_spokespeople_of_organisations(archive):
    legislators = Official.objects.exclude(chamber="").exclude(party="").exclude(state="")
    legislator = legislators.first()

    assert legislator is not None
    assert legislator.display_name.endswith(f"({legislator.party}-{legislator.state})")
    assert (
        Official.objects.filter(chamber="", organisation__isnull=False).exclude(title="").exists()
    )
    assert Organisation.objects.count() >= 10


def test_tags_have_a_long_tail(archive):
    uses = sorted(
        Tag.objects.annotate(n=Count("articles_taggedarticle_items"))
        .filter(n__gt=0)
        .values_list("n", flat=True),
        reverse=True,
    )

    assert Article.objects.filter(tags__isnull=False).distinct().count() > 150
    assert uses[0] >= 4 * median(uses), "the most used tag should dominate the typical one"
    assert uses[0] >= 8 * uses[-1], "rare tags should be far rarer than the head"


def test_related_picks_point_to_earlier_visible_stories_or_give_a_headline(archive):
    per_story = Article.objects.annotate(n=Count("related_links")).values_list("n", flat=True)
    internal = RelatedLink.objects.exclude(target=None).select_related("article", "target")

    assert set(per_story) <= {0, 1, 2, 3}
    assert internal.exists()
    assert RelatedLink.objects.filter(target=None).exclude(headline="").exclude(url="").exists()
    for link in internal:
        assert link.target.pk < link.article.pk
        assert link.target.category_id == link.article.category_id
        assert link.target.is_published


def test_pictures_are_addresses_with_alt_text_cutline_and_credit(archive):
    images = Image.objects.all()

    assert images.count() > 100
    assert not images.exclude(picture="").exists()
    assert not images.exclude(external_url__startswith="http://localhost/").exists()
    assert not images.filter(alt_text="").exists()
    assert not images.filter(cutline="").exists()
    assert not images.filter(credit="").exists()


def test_bodies_are_markdown_of_realistic_length(archive):
    for article in Article.objects.all()[:50]:
        paragraphs = article.body.split("\n\n")
        assert len(paragraphs) >= 5
        assert article.body_html.count("<p>") >= 5
        assert 100 <= len(article.body.split()) <= 2000


def test_progress_goes_to_stderr_and_a_summary_to_stdout(archive):
    stdout, stderr = archive

    assert "Created 200 stories" in stdout
    assert "joint" in stdout
    assert "100%" in stderr
    assert "200/200" in stderr


def snapshot() -> list[tuple]:
    """The archive as readers and editors see it, without database ids."""
    stories = Article.objects.order_by("slug").select_related("category", "featured_image")
    stories = stories.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        Prefetch("quotes", queryset=Quote.objects.prefetch_related("speakers")),
        Prefetch("related_links", queryset=RelatedLink.objects.select_related("target")),
        "tags",
    )
    return [
        (
            story.slug,
            story.headline,
            story.body,
            story.status,
            story.published_at,
            story.category.slug,
            story.featured_image and story.featured_image.cutline,
            [(byline.author.slug, byline.title) for byline in story.bylines.all()],
            [
                (quote.text, quote.context, sorted(s.slug for s in quote.speakers.all()))
                for quote in story.quotes.all()
            ],
            sorted(tag.name for tag in story.tags.all()),
            [link.target.slug if link.target else link.url for link in story.related_links.all()],
        )
        for story in stories
    ]


def delete_archive():
    Article.objects.all().delete()
    for model in (Image, Category, Author, Official, Organisation, Tag):
        model.objects.all().delete()


def test_the_same_seed_gives_the_same_archive_and_another_seed_another():
    generate(stories=120, seed=5, until="2025-06-30")
    first = snapshot()
    delete_archive()
    generate(stories=120, seed=5, until="2025-06-30")
    second = snapshot()
    delete_archive()
    generate(stories=120, seed=6, until="2025-06-30")
    other = snapshot()

    assert len(first) == 120
    assert first == second
    assert [story[1] for story in first] != [story[1] for story in other]


def test_refuses_a_database_that_has_stories():
    make_article("A story the newsroom wrote")

    with pytest.raises(CommandError, match="already has 1 story.*--append"):
        generate(stories=10)

    assert Article.objects.count() == 1
    assert not Author.objects.exists()


def test_append_adds_to_existing_stories_and_reuses_people():
    story = make_article("A story the newsroom wrote")
    generate(stories=40, seed=3, append=True)
    authors, tags = Author.objects.count(), Tag.objects.count()

    generate(stories=40, seed=3, append=True)

    assert Article.objects.count() == 81
    assert Article.objects.get(pk=story.pk).headline == "A story the newsroom wrote"
    assert Author.objects.count() == authors
    assert Tag.objects.count() == tags


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"stories": 0}, "at least 1"),
        ({"stories": 5, "until": "last tuesday"}, "--until must be a date"),
    ],
)
def test_bad_options_get_a_clear_error(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)

    assert not Article.objects.exists()


def test_generated_stories_are_found_by_search_and_later_stories_too(client):
    generate(stories=60, seed=5)
    story = Article.objects.published().exclude(headline="").order_by("pk").last()
    word = max(story.headline.split(), key=len).strip(".,:;“”‘’'\"")

    found = Article.objects.published().matching(word)

    assert story in found
    later = make_article("Harbourmaster resigns over ferry delays")
    assert list(Article.objects.published().matching("harbourmaster")) == [later]
    response = client.get("/search/", {"q": story.headline})
    assert story.headline in response.content.decode()


def test_quotes_added_after_the_archive_get_numbers_of_their_own():
    """The generator numbers its quotes itself; the next quote saved must not reuse a number."""
    generate(stories=30, seed=4)
    generated = Quote.objects.count()
    official = Official.objects.first()

    later = make_article("Council approves ferry budget", quotes=[("We did it.", [official])])

    assert Quote.objects.count() == generated + 1
    assert later.quotes.get().speakers.get() == official
