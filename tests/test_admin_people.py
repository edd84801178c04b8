"""The people admins as an editor uses them: authors, officials and their organisations.

Every page renders, lists filter and search, and lists stay cheap as the newsroom grows.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape

from articles.models import Byline
from people.models import Author, Official, Organisation
from tests.admin_helpers import (
    add_url,
    change_url,
    changelist,
    get_counting_queries,
    listed,
    logged_in,
    make_staff,
    post_form,
)
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_image,
    make_official,
    make_organisation,
)

PEOPLE_MODELS = [Author, Official, Organisation]


# --- every page renders ------------------------------------------------------------------


def test_every_people_model_has_an_admin():
    for model in PEOPLE_MODELS:
        assert admin.site.is_registered(model), model


def one_of_each(model):
    """A saved row of ``model`` from the seed stories."""
    return model.objects.order_by("pk").first()


@pytest.mark.parametrize("model", PEOPLE_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_add_and_change_pages_render(admin_client, seed_stories, model):
    obj = one_of_each(model)
    assert obj is not None, f"the seed stories have no {model._meta.verbose_name}"
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(add_url(model)).status_code == 200
    response = admin_client.get(change_url(obj))
    assert response.status_code == 200
    assert escape(str(obj)) in response.content.decode()


@pytest.mark.parametrize("model", PEOPLE_MODELS, ids=str)
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


# --- lists and search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
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


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
@pytest.mark.parametrize(
    ("source", "field_name", "make"),
    [
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


@pytest.mark.parametrize("params", [{"state": "ZZ"}, {"organisation__id__exact": "x"}])
def test_nonsense_filter_values_are_not_an_error(admin_client, seed_stories, params):
    response = admin_client.get(changelist(Official), params)
    # The admin either lists nothing or starts over with an error flag; never a 500.
    if response.status_code == 302:
        assert response.url.endswith("?e=1")
    else:
        assert response.status_code == 200
        assert listed(response) == []


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


@pytest.mark.parametrize("model", [Author, Organisation])
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


# --- who may change what -----------------------------------------------------------------


def test_editors_edit_authors_but_only_login_managers_link_a_login(client, admin_client):
    editor = make_staff("edna", "Editor")
    login = User.objects.create_user("rita")
    author = make_author("Rita Reporter", user=login)
    client = logged_in(client, editor)
    page = client.get(change_url(author)).content.decode()
    assert 'name="user"' not in page and "rita" in page
    response = post_form(client, change_url(author), "author_form", job_title="Chief Reporter")
    assert response.status_code == 302
    author.refresh_from_db()
    assert (author.job_title, author.user) == ("Chief Reporter", login)
    assert 'name="user"' in admin_client.get(change_url(author)).content.decode()


def test_reporters_add_officials_but_do_not_edit_people(client, db):
    reporter = make_staff("rita", "Reporter")
    client = logged_in(client, reporter)
    official = make_official("Young Kim")
    author = make_author("Ann Author")
    assert client.get(add_url(Official)).status_code == 200
    assert client.post(change_url(official), {"name": "Renamed", "slug": "x"}).status_code == 403
    assert client.post(change_url(author), {"name": "Renamed", "slug": "x"}).status_code == 403
    assert Official.objects.get(pk=official.pk).name == "Young Kim"
