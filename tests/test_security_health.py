"""/healthz, and what readers get while the database is out of reach.

The outage is real: the site's connection is swapped for one whose database
cannot be opened (a SQLite file in a folder that does not exist, or a
PostgreSQL port nobody listens on), so every query fails the way it would in
production.
"""

import copy
import json
import socket
from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client

from newsroom.cache import reset_for_empty_database
from tests.factories import make_article, make_author, make_category, make_official

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_out_of_reach(tmp_path):
    """Make every query of the site fail as if its database server were down."""
    working = connections["default"]
    unreachable = copy.deepcopy(working.settings_dict)
    if working.vendor == "sqlite":
        unreachable["NAME"] = str(tmp_path / "no-such-folder" / "newsroom.sqlite3")
    else:
        unreachable.update(HOST="127.0.0.1", PORT=str(closed_port()))
        unreachable["OPTIONS"] = {**unreachable.get("OPTIONS", {}), "connect_timeout": 2}
    broken = load_backend(unreachable["ENGINE"]).DatabaseWrapper(unreachable, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = working


@pytest.fixture
def reader():
    """A browser whose requests end in the site's error pages, as a real server sends them."""
    return Client(raise_request_exception=False)


@pytest.fixture
def site_pages():
    """One address of every kind of public page, on a small newsroom."""
    author, official, section = make_author("Ana Reyes"), make_official("Sam Lee"), make_category()
    story = make_article(
        "Harbour bridge reopens",
        authors=[author],
        category=section,
        tags=["transport"],
        quotes=[("It is open.", [official])],
    )
    return [
        "/",
        "/articles/",
        "/articles/?tag=transport",
        story.get_absolute_url(),
        section.get_absolute_url(),
        "/tags/transport/",
        author.get_absolute_url(),
        official.get_absolute_url(),
        "/search/?q=bridge",
        "/corrections/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]


def test_healthz_answers_ok_when_the_database_answers(reader):
    response = reader.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_is_asked_afresh_every_time(reader, tmp_path):
    assert reader.get("/healthz").status_code == 200

    with database_out_of_reach(tmp_path):
        response = reader.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "unreachable"}
    assert response["Retry-After"].isdigit()
    assert reader.get("/healthz").status_code == 200


def test_every_page_answers_a_plain_503_while_the_database_is_down(reader, site_pages, tmp_path):
    for address in site_pages:
        assert reader.get(address).status_code in (200, 302), address
    # Stored copies would still be served; every page must need the database here.
    reset_for_empty_database()

    with database_out_of_reach(tmp_path):
        responses = {address: reader.get(address) for address in site_pages}

    for address, response in responses.items():
        page = response.content.decode()
        assert response.status_code == 503, f"{address} gave {response.status_code}"
        assert "Temporarily unavailable" in page, address
        assert int(response["Retry-After"]) > 0
        assert "no-store" in response["Cache-Control"]
        for internals in ("Traceback", "OperationalError", "sqlite", "psycopg", 'File "'):
            assert internals not in page, f"{address} shows {internals}"


def test_an_editor_in_the_admin_gets_the_503_page(admin_user, tmp_path):
    editor = Client(raise_request_exception=False)
    editor.force_login(admin_user)
    assert editor.get("/admin/articles/article/").status_code == 200

    with database_out_of_reach(tmp_path):
        response = editor.get("/admin/articles/article/")

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_a_login_attempt_while_the_database_is_down_gets_the_503_page(reader, tmp_path):
    with database_out_of_reach(tmp_path):
        response = reader.post("/admin/login/", {"username": "editor", "password": "secret"})

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_pages_come_back_when_the_database_does(reader, site_pages, tmp_path):
    with database_out_of_reach(tmp_path):
        assert reader.get(site_pages[3]).status_code == 503

    response = reader.get(site_pages[3])

    assert response.status_code == 200
    assert "Harbour bridge reopens" in response.content.decode()


def test_other_errors_still_get_the_500_page(reader, monkeypatch):
    from articles import views

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    # A fault in the site's own code, not the database: the page must say so.
    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    response = reader.get("/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "a bug, not an outage" not in response.content.decode()
