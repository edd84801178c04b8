"""What the content model guarantees, whatever writes to the database."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import resolve
from django.utils import timezone

from articles.models import Article, Byline, Image, Quote, TaggedArticle
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
    make_organisation,
    make_related_link,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused():
    """The database refuses the write; the test transaction stays usable afterwards."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# Constraints


@pytest.mark.parametrize("missing", ["headline", "body"])
def test_published_story_without_headline_or_body_is_refused(missing):
    fields = {"headline": "Sanctions lifted", "body": "Washington said so.", missing: ""}

    with refused():
        Article.objects.create(slug="sanctions-lifted", status=Article.Status.PUBLISHED, **fields)


def test_story_cannot_be_emptied_after_publication():
    article = make_article("Sanctions lifted")

    with refused():
        Article.objects.filter(pk=article.pk).update(body="")


def test_draft_may_be_saved_before_it_has_a_headline_or_body():
    draft = Article.objects.create(slug="untitled", status=Article.Status.DRAFT)

    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_duplicate_slug_is_refused():
    make_article("First story", slug="same-address")

    with refused():
        make_article("Second story", slug="same-address")


def test_two_stories_from_the_same_source_are_refused():
    make_article("First import", source_reference="000_b7cfcc7d5be673ce.txt")

    with refused():
        make_article("Second import", source_reference="000_b7cfcc7d5be673ce.txt")


def test_stories_without_a_source_reference_do_not_clash():
    make_article("Written here")
    make_article("Also written here")

    assert Article.objects.filter(source_reference="").count() == 2


def test_related_link_to_our_story_and_a_headline_elsewhere_at_once_is_refused():
    article, other = make_article(), make_article()

    with refused():
        make_related_link(article, target=other, headline="A story elsewhere")


def test_related_link_with_neither_story_nor_headline_is_refused():
    with refused():
        make_related_link(make_article())


def test_story_cannot_be_related_to_itself():
    article = make_article()

    with refused():
        make_related_link(article, target=article)


def test_related_link_to_our_story_or_to_a_headline_elsewhere_is_accepted():
    article, other = make_article(), make_article()

    make_related_link(article, target=other, position=0)
    make_related_link(article, headline="Kildee Not Seeking Re-Election", position=1)

    assert [link.is_external for link in article.related_links.all()] == [False, True]


def test_image_with_both_an_upload_and_an_address_is_refused():
    image = make_image(external_url="https://images.example.com/xi.jpg")

    # A queryset update writes the column without opening a file that is not there.
    with refused():
        Image.objects.filter(pk=image.pk).update(picture="images/2023/11/xi.jpg")


# What readers may see

NOW = timezone.now()


@pytest.mark.parametrize(
    ("status", "published_at", "visible"),
    [
        (Article.Status.DRAFT, NOW - timedelta(days=1), False),
        (Article.Status.IN_REVIEW, NOW - timedelta(days=1), False),
        (Article.Status.UNPUBLISHED, NOW - timedelta(days=1), False),
        (Article.Status.PUBLISHED, NOW + timedelta(days=1), False),
        (Article.Status.PUBLISHED, NOW - timedelta(days=1), True),
        (Article.Status.PUBLISHED, None, True),
        (Article.Status.DRAFT, None, False),
    ],
    ids=[
        "draft",
        "in-review",
        "unpublished",
        "scheduled",
        "published",
        "published-undated",
        "draft-undated",
    ],
)
def test_published_shows_readers_only_published_stories_whose_time_has_come(
    status, published_at, visible
):
    article = make_article(status=status, published_at=published_at)

    assert (article in Article.objects.published()) is visible
    assert article.is_published is visible


def test_scheduled_story_appears_once_its_time_arrives():
    release = timezone.now() + timedelta(hours=1)
    article = make_article(published_at=release)

    assert article not in Article.objects.published()
    assert article in Article.objects.published(now=release)
    assert article.is_scheduled


def test_newest_first_puts_undated_stories_after_dated_ones():
    undated = make_article("Undated", published_at=None)
    older = make_article("Older", published_at=timezone.now() - timedelta(days=2))
    newer = make_article("Newer", published_at=timezone.now() - timedelta(hours=1))

    assert list(Article.objects.published().newest_first()) == [newer, older, undated]
    assert list(Article.objects.all()) == [newer, older, undated]


# Bylines


def test_byline_title_defaults_to_the_author_job_title_and_survives_a_promotion():
    author = make_author("Charles Standard", job_title="Political Correspondent")
    article = make_article(authors=[author])

    author.job_title = "Senior Political Correspondent"
    author.save()

    assert article.bylines.get().title == "Political Correspondent"


def test_byline_title_given_for_the_story_is_kept():
    author = make_author(job_title="Staff Writer")
    byline = Byline.objects.create(article=make_article(), author=author, title="Guest Editor")

    assert Byline.objects.get(pk=byline.pk).title == "Guest Editor"


# Officials


@pytest.mark.parametrize(
    ("fields", "printed"),
    [
        ({"name": "Young Kim", "party": "R", "chamber": "house", "state": "CA"}, "Rep. Young Kim (R-CA)"),
        ({"name": "Jane Doe", "party": "D", "chamber": "senate", "state": "NY"}, "Sen. Jane Doe (D-NY)"),
        ({"name": "Mike Gallagher", "party": "R", "state": "WI"}, "Mike Gallagher (R-WI)"),
        ({"name": "John Roe", "chamber": "house", "state": "TX"}, "Rep. John Roe"),
        ({"name": "Matt Miller", "title": "State Department spokesperson"}, "Matt Miller"),
    ],
    ids=["representative", "senator", "chamber-unknown", "party-unknown", "not-a-legislator"],
)  # fmt: skip
def test_official_display_name(fields, printed):
    official = make_official(**fields)

    assert official.display_name == printed
    assert str(official) == printed


# __str__


def test_people_and_sections_print_their_names():
    assert str(make_organisation("U.S. Department of State")) == "U.S. Department of State"
    assert str(make_author("Charles Standard")) == "Charles Standard"
    assert str(make_category("Politics")) == "Politics"


def test_story_prints_its_headline():
    assert str(make_article("Sanctions lifted")) == "Sanctions lifted"


@pytest.mark.parametrize(
    ("fields", "printed"),
    [
        ({"cutline": "Biden and Xi pose", "alt_text": "Two men", "credit": "Post"}, "Biden and Xi pose"),
        ({"cutline": "", "alt_text": "Two men", "credit": "Post"}, "Two men"),
        ({"cutline": "", "alt_text": "", "credit": "Getty Images"}, "Getty Images"),
    ],
    ids=["cutline", "alt-text", "credit"],
)  # fmt: skip
def test_image_prints_what_describes_it_best(fields, printed):
    assert str(make_image(**fields)) == printed


def test_image_with_no_description_prints_its_number():
    image = make_image(cutline="", alt_text="", credit="")

    assert str(image) == f"Image {image.pk}"


def test_byline_prints_name_and_title():
    article = make_article()
    titled = Byline.objects.create(
        article=article, author=make_author("Charles Standard", job_title="Correspondent")
    )
    untitled = Byline.objects.create(article=article, author=make_author("Ann Lee", job_title=""))

    assert str(titled) == "Charles Standard, Correspondent"
    assert str(untitled) == "Ann Lee"


def test_tagged_story_prints_story_and_tag():
    article = make_article("Sanctions lifted", tags=["China"])

    assert str(TaggedArticle.objects.get(content_object=article)) == (
        "Sanctions lifted tagged with China"
    )


def test_quote_prints_its_words_shortened_past_eighty_characters():
    article = make_article()
    short = Quote.objects.create(article=article, text="x" * 80)
    long = Quote.objects.create(article=article, text="y" * 81)

    assert str(short) == "x" * 80
    assert str(long) == "y" * 79 + "…"


def test_related_link_prints_the_headline_it_shows():
    article, other = make_article(), make_article("Kildee retires")

    assert str(make_related_link(article, target=other)) == "Kildee retires"
    assert str(make_related_link(article, headline="APEC on crypto")) == "APEC on crypto"


# Public addresses


@pytest.mark.parametrize(
    ("build", "path", "url_name"),
    [
        (lambda: make_article("Sanctions lifted"), "/articles/sanctions-lifted/", "articles:detail"),
        (lambda: make_category("Politics"), "/categories/politics/", "articles:category"),
        (lambda: make_author("Charles Standard"), "/authors/charles-standard/", "people:author"),
        (lambda: make_official("Young Kim"), "/officials/young-kim/", "people:official"),
    ],
    ids=["story", "category", "author", "official"],
)  # fmt: skip
def test_get_absolute_url_is_the_public_page(build, path, url_name):
    url = build().get_absolute_url()

    assert url == path
    assert resolve(url).view_name == url_name
