"""The admin as an editor uses it: every page renders, lists filter and search,
forms save exactly what was entered, and lists stay cheap as the newsroom grows."""

import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PillowImage
from taggit.models import Tag

from articles.models import Article, Byline, Category, Image, Quote, RelatedLink
from people.models import Author, Official, Organisation
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
    make_organisation,
    make_related_link,
)

ADMIN_MODELS = [Article, Image, Category, Tag, Author, Official, Organisation]

# Bookkeeping the model updates on every save, whatever the form says.
MAINTAINED_BY_SAVE = {"created_at", "updated_at", "edit_version"}

SEED_SLUGS = {
    "000": "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation",
    "001": "biden-admin-weighs-dropping-sanctions-on-china-in-exchange-for-fentanyl-cooperation",
    "003": "biden-wants-to-ease-china-sanctions-in-exchange-for-fentanyl-cooperation-gop-threatens-to-block-deal",
}


# --- helpers -------------------------------------------------------------------------------


class BrowserFormData(HTMLParser):
    """What a browser submits from one <form>: its successful controls, in order.

    Text areas are submitted with CRLF line breaks, as browsers do.
    """

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields = []
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in self.SKIPPED_INPUTS:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and not self.select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self.select["name"], value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            # HTML drops one line break straight after <textarea>; html.parser keeps it.
            text = text.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
            self.fields.append((self.textarea["name"], text))
            self.textarea = None


def form_data(response, form_id):
    """The data a browser would post back from the page's form, as {name: [values]}."""
    parser = BrowserFormData(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    assert data, f"no form #{form_id} on the page"
    return data


def form_errors(response):
    """Every error of an admin form page, main form and inlines, for assertion messages."""
    context = response.context
    if context is None or "adminform" not in context:
        return {}
    errors = {"form": context["adminform"].form.errors}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        errors[formset.prefix] = [formset.non_form_errors(), *formset.errors]
    return errors


def assert_saved(response):
    assert response.status_code == 302, form_errors(response)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def listed(response):
    return list(response.context["cl"].result_list)


def story_snapshot(article):
    """Everything an editor can change on a story, as plain values."""
    article = Article.objects.get(pk=article.pk)
    return {
        "fields": {
            field.attname: getattr(article, field.attname)
            for field in Article._meta.concrete_fields
            if field.name not in MAINTAINED_BY_SAVE
        },
        "bylines": list(article.bylines.values_list("pk", "author__slug", "position", "title")),
        "quotes": [
            (
                q.pk,
                q.position,
                q.text,
                q.context,
                q.attribution,
                sorted(s.slug for s in q.speakers.all()),
            )
            for q in article.quotes.all()
        ],
        "related_links": list(
            article.related_links.values_list("pk", "position", "target_id", "headline", "url")
        ),
        "tags": sorted(article.tags.names()),
    }


def seed_story(key):
    return Article.objects.get(slug=SEED_SLUGS[key])


def one_of_each(model):
    """A saved row of ``model`` from the seed stories."""
    return model.objects.order_by("pk").first()


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


def get_counting_queries(client, url):
    """GET ``url``; return the response and how many database queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


# --- every page renders ------------------------------------------------------------------


def test_every_content_model_has_an_admin():
    for model in ADMIN_MODELS:
        assert admin.site.is_registered(model), model
    # Bylines, quotes and related links are edited inside their story.
    for model in [Byline, Quote, RelatedLink]:
        assert not admin.site.is_registered(model), model


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_render(admin_client, seed_stories, model):
    obj = one_of_each(model)
    assert obj is not None, f"the seed stories have no {model._meta.verbose_name}"
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(add_url(model)).status_code == 200
    response = admin_client.get(change_url(obj))
    assert response.status_code == 200
    assert escape(str(obj)) in response.content.decode()


@pytest.mark.parametrize("key", SEED_SLUGS)
def test_each_seed_story_change_page_renders(admin_client, seed_stories, key):
    story = seed_story(key)
    response = admin_client.get(change_url(story))
    assert response.status_code == 200
    assert escape(story.headline) in response.content.decode()


@pytest.mark.parametrize(
    "model", [Article, Image, Category, Author, Official, Organisation], ids=str
)
def test_add_form_shows_model_help_text(admin_client, model):
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
        if field.name in form.fields and getattr(field, "help_text", "")
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


# --- the story list --------------------------------------------------------------------------


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
        (Official, {"state": "ZZ"}),
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


# --- saving the story form ---------------------------------------------------------------


@pytest.mark.parametrize("key", SEED_SLUGS)
def test_saving_a_seed_story_unchanged_changes_nothing(admin_client, seed_stories, key):
    story = seed_story(key)
    before = story_snapshot(story)
    url = change_url(story)
    data = form_data(admin_client.get(url), "article_form")
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert_saved(response)
    assert story_snapshot(story) == before


def test_adding_a_story_creates_exactly_what_was_entered(admin_client):
    reporter = make_author("Rita Reporter", job_title="Diplomatic Correspondent")
    kim = make_official("Young Kim", party="R", chamber="house", state="CA")
    mccaul = make_official("Michael McCaul", party="R", chamber="house", state="TX")
    Tag.objects.create(name="Fentanyl", slug="fentanyl")
    data = form_data(admin_client.get(add_url(Article)), "article_form")
    data.update(
        {
            "headline": ["Lawmakers write to the State Department"],
            "slug": ["lawmakers-write-to-the-state-department"],
            "body": ["First paragraph.\r\n\r\nSecond paragraph."],
            "status": ["draft"],
            "tags": ["Fentanyl, Export controls"],
            "bylines-TOTAL_FORMS": ["1"],
            "bylines-0-position": ["0"],
            "bylines-0-author": [str(reporter.pk)],
            "bylines-0-title": [""],
            "quotes-TOTAL_FORMS": ["1"],
            "quotes-0-position": ["0"],
            "quotes-0-text": ["We do not support it."],
            "quotes-0-speakers": [str(kim.pk), str(mccaul.pk)],
            "quotes-0-context": ["in a letter"],
            "quotes-0-attribution": [""],
            "_save": ["Save"],
        }
    )
    assert_saved(admin_client.post(add_url(Article), data))

    story = Article.objects.get()
    assert story.created_by == User.objects.get(username="admin")
    assert story.headline == "Lawmakers write to the State Department"
    assert story.body == "First paragraph.\n\nSecond paragraph."
    assert story.status == Article.Status.DRAFT
    assert sorted(story.tags.names()) == ["Export controls", "Fentanyl"]
    assert Tag.objects.count() == 2
    assert list(story.bylines.values_list("author", "title")) == [
        (reporter.pk, "Diplomatic Correspondent")
    ]
    quote = Quote.objects.get()
    assert (quote.article, quote.text, quote.context) == (
        story,
        "We do not support it.",
        "in a letter",
    )
    assert set(quote.speakers.all()) == {kim, mccaul}
    assert not RelatedLink.objects.exists()


def add_story_data(admin_client, **changes):
    data = form_data(admin_client.get(add_url(Article)), "article_form")
    data.update(
        {"headline": ["A story"], "slug": ["a-story"], "body": ["Text."], "_save": ["Save"]}
    )
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return data


def test_publishing_without_a_body_is_a_form_error(admin_client):
    data = add_story_data(admin_client, body="", status="published")
    response = admin_client.post(add_url(Article), data)
    assert response.status_code == 200
    assert "A published story needs a headline, a body and a slug." in response.content.decode()
    assert not Article.objects.exists()


def test_the_same_author_twice_is_a_form_error(admin_client):
    author = make_author()
    data = add_story_data(
        admin_client,
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": str(author.pk),
            "bylines-0-position": "0",
            "bylines-1-author": str(author.pk),
            "bylines-1-position": "1",
        },
    )
    response = admin_client.post(add_url(Article), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for author" in response.content.decode()
    assert not Article.objects.exists()


def test_related_link_to_the_story_itself_is_a_form_error(admin_client):
    story = make_article("Linked to itself")
    url = change_url(story)
    data = form_data(admin_client.get(url), "article_form")
    data.update(
        {
            "related_links-TOTAL_FORMS": ["1"],
            "related_links-0-position": ["0"],
            "related_links-0-target": [str(story.pk)],
            "_save": ["Save"],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A story cannot be related to itself." in response.content.decode()
    assert not RelatedLink.objects.exists()


def test_related_link_needs_a_story_or_a_headline_not_both(admin_client):
    story, other = make_article("Story"), make_article("Other story")
    url = change_url(story)
    data = form_data(admin_client.get(url), "article_form")
    data.update(
        {
            "related_links-TOTAL_FORMS": ["1"],
            "related_links-0-position": ["0"],
            "related_links-0-target": [str(other.pk)],
            "related_links-0-headline": ["A headline from elsewhere"],
            "_save": ["Save"],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Choose one of our stories, or give a headline from elsewhere" in (
        response.content.decode()
    )
    assert not RelatedLink.objects.exists()


def test_related_links_list_in_editor_order(admin_client):
    story, target = make_article("Story"), make_article("Our other story")
    make_related_link(story, headline="Second elsewhere", url="https://example.com/2", position=2)
    make_related_link(story, target=target, position=1)
    page = admin_client.get(change_url(story)).content.decode()
    assert page.index("Our other story") < page.index("Second elsewhere")


# --- view on site, tag suggestions -------------------------------------------------------


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
        (Byline, "author", make_author),
        (Official, "organisation", make_organisation),
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


# --- images ------------------------------------------------------------------------------


def test_image_list_shows_thumbnails_and_no_broken_pictures(admin_client, seed_stories):
    page = admin_client.get(changelist(Image)).content.decode()
    assert "No picture" in page
    assert f'<img src="{escape(seed_story("003").featured_image.external_url)}"' in page
    assert '<img src=""' not in page


def test_image_form_previews_the_picture(admin_client, seed_stories):
    without_picture = seed_story("001").featured_image
    page = admin_client.get(change_url(without_picture)).content.decode()
    assert "No picture" in page and "Getty Images" in page
    with_picture = seed_story("003").featured_image
    page = admin_client.get(change_url(with_picture)).content.decode()
    assert f'<img src="{escape(with_picture.external_url)}"' in page


def test_story_form_previews_its_featured_image(admin_client, seed_stories):
    page = admin_client.get(change_url(seed_story("003"))).content.decode()
    assert 'class="newsroom-preview"' in page
    page = admin_client.get(change_url(seed_story("001"))).content.decode()
    assert "No picture" in page


@pytest.mark.parametrize(("term", "cutline_start"), [("Getty", "A DEA"), ("pose for", "Biden")])
def test_image_search(admin_client, seed_stories, term, cutline_start):
    response = admin_client.get(changelist(Image), {"q": term})
    assert [image.cutline[: len(cutline_start)] for image in listed(response)] == [cutline_start]


def test_uploading_an_image(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = {"alt_text": "A navy square", "cutline": "Navy", "credit": "Staff", "_save": "Save"}
    response = admin_client.post(add_url(Image), {**data, "picture": png_upload()})
    assert_saved(response)
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    page = admin_client.get(changelist(Image)).content.decode()
    assert f'<img src="{image.picture.url}"' in page


def test_image_with_upload_and_address_is_a_form_error(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = {"picture": png_upload(), "external_url": "https://example.com/a.jpg", "_save": "Save"}
    response = admin_client.post(add_url(Image), data)
    assert response.status_code == 200
    assert "Upload a picture or give its address, not both." in response.content.decode()
    assert not Image.objects.exists()


# --- sections, tags, people --------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        (Category, "polit", "Politics"),
        (Tag, "fent", "Fentanyl"),
        (Organisation, "select", "China select committee"),
        (Author, "Political Correspondent", "Charles Standard"),
        (Official, "spokesperson", "Matt Miller"),
        (Official, "Gallagher", "Mike Gallagher (R-WI)"),
    ],
)
def test_search(admin_client, seed_stories, model, term, expected):
    response = admin_client.get(changelist(model), {"q": term})
    assert [str(obj) for obj in listed(response)] == [expected]


@pytest.mark.parametrize(
    ("model", "slug_source"),
    [
        (Article, "headline"),
        (Category, "name"),
        (Tag, "name"),
        (Author, "name"),
        (Official, "name"),
        (Organisation, "name"),
    ],
)
def test_slug_is_filled_in_from_the_name(admin_client, model, slug_source):
    adminform = admin_client.get(add_url(model)).context["adminform"]
    prepopulated = {
        entry["field"].name: [dependency.name for dependency in entry["dependencies"]]
        for entry in adminform.prepopulated_fields
    }
    assert prepopulated == {"slug": [slug_source]}


def test_section_and_tag_lists_link_to_their_stories(admin_client, seed_stories):
    page = admin_client.get(changelist(Category)).content.decode()
    politics = Category.objects.get(slug="politics")
    assert f"?category__id__exact={politics.pk}" in page and "1 story" in page
    page = admin_client.get(changelist(Tag)).content.decode()
    assert f"?tags__id__exact={Tag.objects.get(name='China').pk}" in page


def test_author_list_shows_the_linked_login(admin_client, seed_stories):
    user = User.objects.create_user("cstandard")
    Author.objects.filter(slug="charles-standard").update(user=user)
    page = admin_client.get(changelist(Author)).content.decode()
    assert reverse("admin:auth_user_change", args=[user.pk]) in page
    assert ">cstandard<" in page


def test_official_list_columns(admin_client, seed_stories):
    page = admin_client.get(changelist(Official)).content.decode()
    for text in [
        "Rep. Young Kim (R-CA)",
        "Chair, House Foreign Affairs Committee",
        "House Foreign Affairs Committee",
        "Republican",
        "Texas",
    ]:
        assert text in page


def test_official_filters(admin_client, seed_stories):
    state_department = Organisation.objects.get(slug="u-s-department-of-state")
    cases = [
        ({"party__exact": "R"}, {"young-kim", "michael-mccaul", "mike-gallagher"}),
        ({"chamber__exact": "house"}, {"young-kim", "michael-mccaul"}),
        ({"state": "WI"}, {"mike-gallagher"}),
        ({"organisation__id__exact": state_department.pk}, {"matt-miller"}),
    ]
    for params, expected in cases:
        response = admin_client.get(changelist(Official), params)
        assert {official.slug for official in listed(response)} == expected, params


def test_state_filter_lists_only_states_in_use(admin_client, seed_stories):
    page = admin_client.get(changelist(Official)).content.decode()
    assert "?state=CA" in page and "California" in page
    assert "Alabama" not in page


def test_official_list_query_count_does_not_grow(admin_client, django_assert_max_num_queries):
    def make_officials(count):
        for _ in range(count):
            make_official(organisation=make_organisation(), party="D", state="NY", chamber="senate")

    make_officials(3)
    _, queries_for_three = get_counting_queries(admin_client, changelist(Official))
    make_officials(27)
    with django_assert_max_num_queries(queries_for_three):
        response = admin_client.get(changelist(Official))
    assert len(listed(response)) == 30
    assert "Sen. " in response.content.decode()


@pytest.mark.parametrize("model", [Image, Category, Tag, Author, Organisation])
def test_other_lists_query_count_does_not_grow(
    admin_client, seed_stories, django_assert_max_num_queries, model
):
    _, queries_before = get_counting_queries(admin_client, changelist(model))
    for number in range(10):
        make_article(
            f"More {number}",
            category=make_category(),
            featured_image=make_image(),
            authors=[make_author(user=User.objects.create_user(f"login{number}"))],
            tags=[f"more {number}"],
        )
        make_official(organisation=make_organisation())
    with django_assert_max_num_queries(queries_before):
        response = admin_client.get(changelist(model))
    assert response.context["cl"].result_count > 10
