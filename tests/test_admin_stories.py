"""The story admin as an editor uses it: pages render, the list filters and searches and
stays cheap as the newsroom grows, links lead where they should.

Saving the form is tested in test_admin_story_form.py; the workflow on top
(roles, publishing, history, concurrent editing) in tests/test_workflow_*.py.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Article, Byline, Category, Correction, Quote, RelatedLink
from people.models import Author
from tests.admin_helpers import (
    SEED_SLUGS,
    add_url,
    change_url,
    changelist,
    get_counting_queries,
    listed,
    seed_story,
)
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
)

# --- every page renders ------------------------------------------------------------------


def make_listed_story(number, officials):
    """A story with everything the changelist prints: section, picture, two bylines, tags."""
    return make_article(
        f"Listed story {number}",
        category=make_category(),
        featured_image=make_image(cutline=f"Picture {number}"),
        authors=[make_author(), make_author()],
        tags=[f"topic {number}", "shared"],
        quotes=[("Words.", officials)],
    )


def test_stories_have_an_admin_and_their_parts_are_edited_inside_them():
    assert admin.site.is_registered(Article)
    for model in [Byline, Quote, RelatedLink, Correction]:
        assert not admin.site.is_registered(model), model


def test_story_list_and_add_page_render(admin_client, seed_stories):
    assert admin_client.get(changelist(Article)).status_code == 200
    assert admin_client.get(add_url(Article)).status_code == 200


@pytest.mark.parametrize("key", SEED_SLUGS)
def test_each_seed_story_change_page_renders(admin_client, seed_stories, key):
    story = seed_story(key)
    response = admin_client.get(change_url(story))
    assert response.status_code == 200
    assert escape(story.headline) in response.content.decode()


def test_add_form_shows_model_help_text(admin_client):
    model = Article
    response = admin_client.get(add_url(model))
    page = response.content.decode()
    forms = [(model, response.context["adminform"].form)] + [
        (inline.formset.model, inline.formset.empty_form)
        for inline in response.context["inline_admin_formsets"]
    ]
    help_texts = [
        field.help_text
        for form_model, form in forms
        for field in form_model._meta.get_fields()
        if field.name in form.fields
        and not form.fields[field.name].widget.is_hidden
        and getattr(field, "help_text", "")
    ]
    assert help_texts
    for help_text in help_texts:
        # Stacked fields print help text as written; table headers escape it.
        assert help_text in page or escape(help_text) in page, help_text


def test_story_form_reads_like_a_newsroom(admin_client):
    page = admin_client.get(add_url(Article)).content.decode()
    assert "Add story" in page
    assert "Newsroom admin" in page
    for legend in ["Content", "Media", "Taxonomy", "Publishing", "Internal"]:
        assert f">{legend}<" in page
    assert ">Dek:<" in page
    assert "Title on this story" in page
    assert ">How it was said:<" in page


def test_story_form_offers_autocomplete_for_every_relation(admin_client):
    page = admin_client.get(add_url(Article)).content.decode()
    for field_name in [
        "category",
        "featured_image",
        "bylines-__prefix__-author",
        "quotes-__prefix__-speakers",
        "related_links-__prefix__-target",
    ]:
        start = page.index(f'name="{field_name}"')
        select = page[page.rindex("<select", 0, start) : page.index(">", start)]
        assert "admin-autocomplete" in select, field_name


# --- the story list ---------------------------------------------------------------------------------


def test_story_list_shows_status_date_section_bylines_and_picture(admin_client, seed_stories):
    scheduled = make_article("Coming soon", published_at=timezone.now() + timedelta(days=2))
    response = admin_client.get(changelist(Article))
    page = response.content.decode()
    rows = {story.slug: story for story in listed(response)}
    assert set(SEED_SLUGS.values()) <= set(rows)
    assert "Date unknown" in page  # 003 states no date
    assert "Nov. 16, 2023" in page  # 000: the day alone, its time is not known
    assert "Nov. 16, 2023, 7" not in page
    assert "Politics" in page
    assert "Charles Standard" in page
    assert "No picture" in page  # 001 keeps a cutline and credit but has no picture
    image = seed_story("003").featured_image
    assert f'<img src="{escape(image.external_url)}"' in page
    assert "Scheduled for" in page and escape(scheduled.headline) in page


def test_story_list_prints_bylines_in_order(admin_client):
    first, second = make_author("Zoe Zimmer"), make_author("Adam Abbott")
    make_article("Two reporters", authors=[first, second])
    page = admin_client.get(changelist(Article)).content.decode()
    assert "Zoe Zimmer, Adam Abbott" in page


@pytest.mark.parametrize(
    ("term", "key"),
    [
        ('"Lifts Sanctions"', "000"),  # headline
        ("bargaining chip GOP", "003"),  # dek
        ("decoupling", "001"),  # body
    ],
)
def test_story_search_covers_headline_dek_and_body(admin_client, seed_stories, term, key):
    response = admin_client.get(changelist(Article), {"q": term})
    assert [story.slug for story in listed(response)] == [SEED_SLUGS[key]]


def test_story_filters(admin_client, seed_stories):
    draft = make_article("Still a draft", status=Article.Status.DRAFT)
    politics = Category.objects.get(slug="politics")
    china = Tag.objects.get(name="China")
    charles = Author.objects.get(slug="charles-standard")
    cases = [
        ({"status__exact": "draft"}, {draft.slug}),
        ({"category__id__exact": politics.pk}, {SEED_SLUGS["003"]}),
        ({"tags__id__exact": china.pk}, {SEED_SLUGS["001"]}),
        ({"authors__id__exact": charles.pk}, {SEED_SLUGS["003"]}),
        ({"published_at__isnull": "True"}, {SEED_SLUGS["003"]}),
        ({"published_at__isnull": "False"}, {SEED_SLUGS["000"], SEED_SLUGS["001"], draft.slug}),
        ({"published_at__year": "2023", "published_at__month": "7"}, {SEED_SLUGS["001"]}),
        ({"published_at__year": "2023"}, {SEED_SLUGS["000"], SEED_SLUGS["001"]}),
    ]
    for params, expected in cases:
        response = admin_client.get(changelist(Article), params)
        assert response.status_code == 200, params
        assert {story.slug for story in listed(response)} == expected, params


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Article, {"tags__id__exact": "not-a-number"}),
        (Article, {"published_at__year": "twenty"}),
        (Article, {"authors__id__exact": "999999"}),
        (Article, {"status__exact": "gone"}),
    ],
)
def test_nonsense_filter_values_are_not_an_error(admin_client, seed_stories, model, params):
    response = admin_client.get(changelist(model), params)
    # The admin either lists nothing or starts over with an error flag; never a 500.
    if response.status_code == 302:
        assert response.url.endswith("?e=1")
    else:
        assert response.status_code == 200
        assert listed(response) == []


def test_story_list_filter_offers_only_tags_and_authors_in_use(admin_client, seed_stories):
    make_author("Never Wrote")
    Tag.objects.create(name="Unused topic", slug="unused-topic")
    page = admin_client.get(changelist(Article)).content.decode()
    assert "Charles Standard" in page and "Fentanyl" in page
    assert "Never Wrote" not in page and "Unused topic" not in page


def test_story_list_query_count_does_not_grow_with_stories(
    admin_client, django_assert_max_num_queries
):
    officials = [make_official(), make_official()]
    for number in range(3):
        make_listed_story(number, officials)
    response, queries_for_three = get_counting_queries(admin_client, changelist(Article))
    assert len(listed(response)) == 3

    for number in range(3, 30):
        make_listed_story(number, officials)
    with django_assert_max_num_queries(queries_for_three):
        response = admin_client.get(changelist(Article))
    assert len(listed(response)) == 30


def test_story_form_previews_its_featured_image(admin_client, seed_stories):
    page = admin_client.get(change_url(seed_story("003"))).content.decode()
    assert 'class="newsroom-preview"' in page
    page = admin_client.get(change_url(seed_story("001"))).content.decode()
    assert "No picture" in page


# --- view on site, tag suggestions ------------------------------------------------------------------


def test_view_on_site_opens_the_published_story(admin_client, seed_stories):
    story = seed_story("003")
    page = admin_client.get(change_url(story)).content.decode()
    assert "View on site" in page
    assert f'href="{story.get_absolute_url()}"' in page
    match = resolve(story.get_absolute_url())
    assert (match.view_name, match.kwargs) == ("articles:detail", {"slug": story.slug})


def test_no_view_on_site_for_a_draft(admin_client):
    draft = make_article("Unfinished", status=Article.Status.DRAFT)
    page = admin_client.get(change_url(draft)).content.decode()
    assert "View on site" not in page


def test_tag_box_suggests_existing_tags(admin_client, seed_stories):
    page = admin_client.get(change_url(seed_story("001"))).content.decode()
    assert 'value="China, Fentanyl"' in page  # comma-separated entry as before
    assert 'list="id_tags_suggestions"' in page
    assert '<datalist id="id_tags_suggestions"></datalist>' in page
    assert "admin-extra/tag-suggestions.js" in page

    params = {"app_label": "articles", "model_name": "article", "field_name": "tags"}
    response = admin_client.get(reverse("admin:autocomplete"), {**params, "term": "fent"})
    assert [result["text"] for result in response.json()["results"]] == ["Fentanyl"]


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
@pytest.mark.parametrize(
    ("source", "field_name", "make"),
    [
        (Article, "category", make_category),
    ],
)
def test_autocomplete_lists_choices_alphabetically(admin_client, source, field_name, make):
    for name in ["Zeta", "alpha", "Beta"]:
        make(name)
    params = {
        "app_label": source._meta.app_label,
        "model_name": source._meta.model_name,
        "field_name": field_name,
        "term": "",
    }
    response = admin_client.get(reverse("admin:autocomplete"), params)
    assert [result["text"] for result in response.json()["results"]] == ["alpha", "Beta", "Zeta"]


def test_tag_suggestions_need_permission_to_view_tags(client, seed_stories):
    staff = User.objects.create_user("intern", password="pw", is_staff=True)
    client.force_login(staff)
    params = {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "c"}
    assert client.get(reverse("admin:autocomplete"), params).status_code == 403
