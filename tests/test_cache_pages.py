"""The page cache: readers without a session get stored pages; staff, the admin and previews never.

Every test starts with an empty cache (tests/conftest.py).
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.test import Client, RequestFactory, override_settings

from articles.models import Article
from newsroom.cache import (
    DERIVED_KEY_PREFIX,
    PAGE_KEY_PREFIX,
    PageCacheMiddleware,
    check_page_cache_is_shared,
)
from newsroom.kept import KeptInMemory
from tests.factories import (
    make_article,
    make_author,
    make_category,
    make_official,
    make_organisation,
)

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture
def site(db):
    """A published story with everything public pages link to, and a draft."""
    author = make_author("Ada Reporter", slug="ada-reporter")
    official = make_official(
        "Young Kim", slug="young-kim", organisation=make_organisation("State Department")
    )
    story = make_article(
        "Sanctions lifted",
        slug="sanctions-lifted",
        category=make_category("Politics", slug="politics"),
        authors=[author],
        tags=["Fentanyl"],
        quotes=[("We welcome the step.", [official])],
    )
    draft = make_article("Secret draft", slug="secret-draft", status=Article.Status.DRAFT)
    return {"story": story, "draft": draft}


@pytest.fixture
def staff_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    return client


PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/articles/?category=politics",
    "/articles/sanctions-lifted/",
    "/categories/politics/",
    "/tags/fentanyl/",
    "/authors/ada-reporter/",
    "/officials/young-kim/",
    "/search/?q=sanctions",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_stored_page_is_served_without_a_query(client, site, django_assert_num_queries, url):
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        again = client.get(url)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_head_request_is_answered_from_the_stored_page(client, site, django_assert_num_queries):
    page = client.get("/articles/sanctions-lifted/")

    with django_assert_num_queries(0):
        head = client.head("/articles/sanctions-lifted/")

    assert head.status_code == 200
    assert head["Content-Length"] == page["Content-Length"]
    assert head["ETag"] == page["ETag"]


def test_each_query_string_is_a_page_of_its_own(client, db):
    make_article("Budget passes", body="The budget passed.")
    make_article("Storm warning", body="A storm is coming.")

    budget = client.get("/search/?q=budget").content.decode()
    storm = client.get("/search/?q=storm").content.decode()

    assert "Budget passes" in budget and "Storm warning" not in budget
    assert "Storm warning" in storm and "Budget passes" not in storm


def test_a_process_serves_its_pages_from_memory(client, site, django_assert_num_queries):
    """Once a process has served a page it no longer needs the shared copy."""
    first = client.get("/articles/sanctions-lifted/")
    for key in shared_keys(PAGE_KEY_PREFIX):
        caches["default"].delete(key)

    with django_assert_num_queries(0):
        again = client.get("/articles/sanctions-lifted/")

    assert again.content == first.content


def test_another_process_serves_the_shared_copy(client, site, django_assert_num_queries):
    first = client.get("/articles/sanctions-lifted/")
    other_process = Client()

    with django_assert_num_queries(0):
        again = other_process.get("/articles/sanctions-lifted/")

    assert again.content == first.content


def test_long_lists_of_ids_are_never_written_to_the_shared_cache(client, site):
    """A ranking would be unpickled on every rendering: each process keeps its own."""
    for url in PUBLIC_PAGES:
        client.get(url)

    derived = {key.split(":")[2] for key in shared_keys(DERIVED_KEY_PREFIX)}
    assert derived == {"story-filters", "list-count", "related-stories"}
    assert len(shared_keys(PAGE_KEY_PREFIX)) == len(PUBLIC_PAGES)


def shared_keys(prefix=""):
    """The keys in the tests' local-memory cache, without Django's prefix and version."""
    keys = [key.split(":", 2)[2] for key in caches["default"]._cache]
    return [key for key in keys if key.startswith(prefix)]


def test_a_change_retires_the_copies_in_every_process(client, site, django_assert_num_queries):
    other_process = Client()
    for reader in (client, other_process):
        reader.get("/articles/sanctions-lifted/")
        with django_assert_num_queries(0):
            assert "Sanctions lifted" in reader.get("/articles/sanctions-lifted/").content.decode()

    site["story"].headline = "Sanctions back on"
    site["story"].save()

    for reader in (client, other_process):
        assert "Sanctions back on" in reader.get("/articles/sanctions-lifted/").content.decode()


def test_pages_in_memory_are_bounded_and_expire():
    pages = KeptInMemory(capacity=2)
    assert pages.get("/a", "gen1", now=0) is None
    for address in ("/a", "/b", "/c"):
        pages.keep(address, ("gen1", address.encode(), []), expires=100)

    assert pages.get("/a", "gen1", now=1) is None  # the oldest made way for /c
    assert pages.get("/c", "gen1", now=1) == ("gen1", b"/c", [])
    assert pages.get("/c", "gen1", now=100) is None  # its time is over
    assert pages.get("/b", "gen2", now=1) is None  # a new generation drops them all
    assert pages.get("/b", "gen1", now=1) is None


def test_a_page_of_another_generation_is_never_served_from_memory():
    """With threads, a copy of the last generation may be kept just as the next one begins."""
    pages = KeptInMemory(capacity=10)
    pages.get("/a", "gen2", now=0)
    pages.items["/a"] = (("gen1", b"old", []), 100)  # what the race leaves behind

    assert pages.get("/a", "gen2", now=1) is None


def test_stored_pages_carry_the_security_headers(client, site, django_assert_num_queries):
    first = client.get("/articles/sanctions-lifted/")
    with django_assert_num_queries(0):
        again = client.get("/articles/sanctions-lifted/")

    for header in SECURITY_HEADERS:
        assert again[header] == first[header], header
    assert "default-src 'self'" in again["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"


def test_readers_may_keep_public_pages_briefly(client, site, settings):
    response = client.get("/articles/sanctions-lifted/")

    directives = set(re.split(r"\s*,\s*", response["Cache-Control"]))
    assert directives == {"public", f"max-age={settings.PUBLIC_PAGE_MAX_AGE}"}


# --- staff ------------------------------------------------------------------------------------


def test_staff_never_get_a_stored_page(client, staff_client, site):
    assert "Sanctions lifted" in client.get("/").content.decode()
    # A write that sends no signal: only a freshly rendered page can show it.
    Article.objects.filter(pk=site["story"].pk).update(headline="Sanctions back on")

    page = staff_client.get("/").content.decode()

    assert "Sanctions back on" in page
    assert "Sanctions lifted" in client.get("/").content.decode()  # readers: still stored


def test_staff_pages_never_reach_readers(client, staff_client, site):
    staff_client.get("/")
    Article.objects.filter(pk=site["story"].pk).update(headline="Sanctions back on")

    page = client.get("/")

    assert "Sanctions back on" in page.content.decode()
    assert "Sanctions lifted" not in page.content.decode()


def test_staff_pages_are_private(staff_client, site):
    response = staff_client.get("/articles/sanctions-lifted/")

    directives = set(re.split(r"\s*,\s*", response["Cache-Control"]))
    assert {"private", "no-cache"} <= directives
    assert "public" not in directives


def test_previews_are_private_and_never_stored(django_user_model, site, client):
    editor = django_user_model.objects.create_user("desk", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_article", "change_article", "publish_article", "preview_article"]
        )
    )
    editor_client = Client()
    editor_client.force_login(editor)
    url = f"/preview/{site['draft'].pk}/"

    preview = editor_client.get(url)

    assert preview.status_code == 200
    assert "Secret draft" in preview.content.decode()
    assert {"private", "no-cache"} <= set(re.split(r"\s*,\s*", preview["Cache-Control"]))
    assert client.get(url).status_code == 404  # nothing the editor saw was stored


def test_admin_pages_are_private(client):
    response = client.get("/admin/login/")

    assert "private" in response["Cache-Control"]


# --- what may be stored -----------------------------------------------------------------------


def public(**headers):
    return lambda: HttpResponse("A page", headers=headers)


def with_cookie():
    response = HttpResponse("A page")
    response.set_cookie("seen", "yes")
    return response


@pytest.mark.parametrize(
    "method, path, make_response, stored",
    [
        ("GET", "/articles/", public(), True),
        ("GET", "/articles/", public(Vary="Accept-Encoding"), True),
        ("GET", "/articles/", with_cookie, False),
        ("GET", "/articles/", public(**{"Cache-Control": "private"}), False),
        ("GET", "/articles/", public(**{"Cache-Control": "no-store"}), False),
        ("GET", "/articles/", public(**{"Cache-Control": "no-cache"}), False),
        ("GET", "/articles/", public(Vary="Cookie"), False),
        ("GET", "/articles/", public(Vary="Accept-Encoding, Accept-Language"), False),
        (
            "GET",
            "/articles/",
            public(Vary="Accept-Encoding", **{"Content-Encoding": "gzip"}),
            False,
        ),
        ("GET", "/articles/", lambda: HttpResponse("Gone", status=404), False),
        ("GET", "/articles/", lambda: HttpResponseRedirect("/"), False),
        ("GET", "/articles/", lambda: StreamingHttpResponse(iter([b"A page"])), False),
        ("POST", "/articles/", public(), False),
        ("GET", "/admin/", public(), False),
        ("GET", "/preview/1/", public(), False),
    ],
)
def test_only_shareable_answers_to_readers_are_stored(db, method, path, make_response, stored):
    rendered = []

    def view(request):
        rendered.append(request)
        return make_response()

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().generic(method, path))

    assert len(rendered) == (1 if stored else 2)


def test_the_page_cache_can_be_turned_off(client, site, settings, django_assert_max_num_queries):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    client.get("/")

    with django_assert_max_num_queries(10) as queries:
        response = client.get("/")

    assert len(queries) > 0
    assert "public" in response["Cache-Control"]


def test_a_bulk_change_made_in_the_admin_reaches_readers(client, staff_client, site, settings):
    """Admin actions may update stories without signals; readers still see the change."""
    assert "Sanctions lifted" in client.get("/").content.decode()

    def bulk_action(request):
        Article.objects.filter(pk=site["story"].pk).update(headline="Sanctions back on")
        return HttpResponseRedirect("/admin/articles/article/")

    session = f"{settings.SESSION_COOKIE_NAME}={staff_client.session.session_key}"
    PageCacheMiddleware(bulk_action)(
        RequestFactory().post("/admin/articles/article/", HTTP_COOKIE=session)
    )

    assert "Sanctions back on" in client.get("/").content.decode()


# --- static files and deployment ----------------------------------------------------------------


def test_static_files_with_hashed_names_are_immutable_in_production(tmp_path, settings, client):
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STORAGES = {
        **settings.STORAGES,
        # What settings.py uses with DEBUG off.
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    make_article("Sanctions lifted")

    page = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links its stylesheet by hashed name"
    hashed = client.get(stylesheet.group(1))
    plain = client.get("/static/css/site.css")

    assert hashed.status_code == 200
    assert set(re.split(r"\s*,\s*", hashed["Cache-Control"])) == {
        "max-age=315360000",
        "public",
        "immutable",
    }
    assert "immutable" not in plain["Cache-Control"]


def test_deployment_check_asks_for_a_shared_cache_with_several_processes(settings):
    assert [warning.id for warning in check_page_cache_is_shared(None)] == ["newsroom.W001"]

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert check_page_cache_is_shared(None) == []


@override_settings(CACHE_MIDDLEWARE_SECONDS=0)
def test_no_warning_when_pages_are_not_cached():
    assert check_page_cache_is_shared(None) == []
