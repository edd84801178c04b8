"""Stored pages answered in front of Django's request cycle (newsroom.cache_front).

The tests call the WSGI application as gunicorn does, with a WSGI environ.
Like Django's test client, they keep the request signals from closing the
test's database connection.
"""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from articles.models import Article
from newsroom.cache import content_changed
from newsroom.cache_front import PageCacheFront
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

STORY = "/articles/sanctions-lifted/"


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def story(db):
    return make_article(
        "Sanctions lifted",
        slug="sanctions-lifted",
        authors=[make_author("Ada Reporter", slug="ada-reporter")],
    )


class Site:
    """The WSGI application behind the front, counting the requests that reach Django."""

    def __init__(self):
        self.reached_django = 0
        django = WSGIHandler()

        def counted(environ, start_response):
            self.reached_django += 1
            return django(environ, start_response)

        self.application = PageCacheFront(counted)

    def get(self, path, query="", method="GET", scheme="http", **headers):
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            **headers,
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=dict(headers))

        body = self.application(environ, start_response)
        answer["body"] = b"".join(body).decode()
        if hasattr(body, "close"):
            body.close()
        return answer


@pytest.fixture
def site():
    return Site()


def test_a_page_served_once_is_answered_again_without_django(site, story):
    first = site.get(STORY)
    assert site.reached_django == 1

    again = site.get(STORY)

    assert site.reached_django == 1
    assert again == first
    assert again["status"] == "200 OK"
    assert "Sanctions lifted" in again["body"]


def test_the_answer_keeps_every_header_django_gave(site, story):
    first = site.get(STORY)
    again = site.get(STORY)

    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
        "ETag",
        "Cache-Control",
        "Content-Length",
    ):
        assert again["headers"][header] == first["headers"][header], header


def test_a_change_reaches_readers_at_once(site, story):
    site.get(STORY)
    site.get(STORY)

    story.headline = "Sanctions back on"
    story.save()
    page = site.get(STORY)

    assert site.reached_django == 2
    assert "Sanctions back on" in page["body"]
    assert "Sanctions back on" in site.get(STORY)["body"]
    assert site.reached_django == 2


def test_an_unpublished_story_is_gone_at_once(site, story):
    site.get(STORY)
    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert site.get(STORY)["status"] == "404 Not Found"
    assert site.get(STORY)["status"] == "404 Not Found"
    assert site.reached_django == 3


def test_a_due_schedule_sends_the_request_to_django(site, story):
    site.get(STORY)
    content_changed(schedule_unknown=True)  # a story may have been scheduled for now

    site.get(STORY)

    assert site.reached_django == 2


@pytest.mark.parametrize(
    "request_options",
    [
        {"method": "HEAD"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_IF_NONE_MATCH": '"x"'},
        {"HTTP_IF_MODIFIED_SINCE": "Mon, 07 Dec 2026 00:00:00 GMT"},
    ],
)
def test_some_requests_always_reach_django(site, story, request_options):
    site.get(STORY)
    site.get(STORY, **request_options)
    site.get(STORY, **request_options)

    assert site.reached_django == 3


def test_other_cookies_do_not_stop_the_front(site, story):
    site.get(STORY)
    site.get(STORY, HTTP_COOKIE="theme=dark")

    assert site.reached_django == 1


def test_a_conditional_request_gets_its_304_from_django(site, story):
    etag = site.get(STORY)["headers"]["ETag"]

    answer = site.get(STORY, HTTP_IF_NONE_MATCH=etag)

    assert answer["status"] == "304 Not Modified"
    assert answer["body"] == ""


@pytest.mark.parametrize(
    "variant",
    [
        {"query": "utm=1"},
        {"scheme": "https"},
        {"HTTP_HOST": "127.0.0.1"},
        {"HTTP_X_FORWARDED_PROTO": "https"},
    ],
)
def test_each_address_is_a_page_of_its_own(site, story, variant):
    site.get(STORY)
    site.get(STORY, **variant)

    assert site.reached_django == 2


def test_what_the_page_cache_does_not_store_is_not_kept(site, story):
    for _ in range(2):
        site.get("/no-such-page/")
        site.get("/admin/login/")
        site.get("/static/css/site.css")
        site.get("/healthz")

    assert site.reached_django == 8


def test_nothing_is_kept_with_the_page_cache_off(settings, story):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    site = Site()
    site.get(STORY)
    site.get(STORY)

    assert site.reached_django == 2
