"""The admin for what stories are filed under and illustrated with: images, sections, tags,
and the old addresses of stories.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils.html import escape
from PIL import Image as PillowImage
from taggit.models import Tag

from articles.models import Article, Category, Image
from tests.admin_helpers import (
    add_url,
    assert_saved,
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
    make_organisation,
)

MODELS = [Image, Category, Tag]


def one_of_each(model):
    """A saved row of ``model`` from the seed stories."""
    return model.objects.order_by("pk").first()


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


# --- every page renders ------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_render(admin_client, seed_stories, model):
    assert admin.site.is_registered(model)
    obj = one_of_each(model)
    assert obj is not None, f"the seed stories have no {model._meta.verbose_name}"
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(add_url(model)).status_code == 200
    response = admin_client.get(change_url(obj))
    assert response.status_code == 200
    assert escape(str(obj)) in response.content.decode()


@pytest.mark.parametrize("model", [Image, Category], ids=str)
def test_add_form_shows_model_help_text(admin_client, model):
    page = admin_client.get(add_url(model)).content.decode()
    help_texts = [
        field.help_text for field in model._meta.get_fields() if getattr(field, "help_text", "")
    ]
    assert help_texts
    for help_text in help_texts:
        assert help_text in page or escape(help_text) in page, help_text


# --- images -----------------------------------------------------------------------------------------


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


# --- sections and tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        (Category, "polit", "Politics"),
        (Tag, "fent", "Fentanyl"),
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


@pytest.mark.parametrize("model", [Image, Category, Tag])
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
