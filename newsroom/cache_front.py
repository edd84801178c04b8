"""Stored pages answered in front of Django, at the WSGI level (gunicorn newsroom.wsgi).

PageCacheMiddleware (newsroom.cache) finds a stored page before the session,
the database or any view is touched, yet every hit still goes through Django's
request cycle: a request object, the request_started and request_finished
signals, a response built from the stored headers, the middleware around it.
On a page a reader is served in a few hundred microseconds, that cycle is most
of the cost. PageCacheFront answers the pages a process has already served,
before that cycle begins, with the status, headers and body Django sent for
them, middleware headers included.

What it keeps and serves
------------------------
- Only what PageCacheMiddleware itself stored or served from the page cache,
  which it marks in the WSGI environ (SERVED_UNDER): 200 answers to GET from
  readers without a session, for public addresses, whose answer sets no cookie.
- Only under the content generation they were rendered in, read from the
  shared cache on every hit, so a change made in any process reaches readers
  at once. When no generation is stored, or a scheduled story is due, the
  request goes to Django, which starts or renews the generation.
- By the exact request: scheme, forwarded-protocol and host headers, host,
  script name, path and query, as the server received them. Two requests that
  differ in any of these are different pages, as they are to Django.
- Everything else goes to Django unchanged: other methods, HEAD, conditional
  requests (If-None-Match and friends, answered there with 304 or 412),
  requests with a session cookie, the admin and previews, static files.

Each process keeps at most PAGE_CACHE_MEMORY_ENTRIES pages, each for at most
CACHE_MIDDLEWARE_SECONDS; the front is off when that is 0.
"""

import time

from django.conf import settings
from django.http import parse_cookie

from .cache import (
    GENERATION_KEY,
    PRIVATE_PATH_PREFIXES,
    SERVED_UNDER,
    page_cache,
)
from .kept import KeptInMemory

# The parts of a request a public page may depend on; the header named by
# SECURE_PROXY_SSL_HEADER is added in PageCacheFront.__init__.
REQUEST_KEY_FIELDS = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)
# Conditional requests are answered by Django (304 or 412).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class PageCacheFront:
    """WSGI middleware: answer GETs for pages this process served before, without Django."""

    def __init__(self, application):
        self.application = application
        self.seconds = settings.CACHE_MIDDLEWARE_SECONDS
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.pages = KeptInMemory(settings.PAGE_CACHE_MEMORY_ENTRIES if self.seconds else 0)
        self.key_fields = REQUEST_KEY_FIELDS
        proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if proxy_header and proxy_header[0] not in self.key_fields:
            self.key_fields = (*self.key_fields, proxy_header[0])
        self.cache = page_cache()

    def __call__(self, environ, start_response):
        if not self.may_answer(environ):
            return self.application(environ, start_response)
        key = tuple(environ.get(field, "") for field in self.key_fields)
        now = time.time()
        if key in self.pages:
            # One read of the shared cache, as for any hit: the current generation.
            generation = self.cache.get(GENERATION_KEY)
            if generation is not None and not generation.is_due(now):
                page = self.pages.get(key, generation.token, now)
                if page is not None:
                    _, status, headers, body = page
                    start_response(status, list(headers))
                    return [body]
        return self.answer_and_keep(environ, start_response, key, now)

    def may_answer(self, environ) -> bool:
        if environ.get("REQUEST_METHOD") != "GET" or not self.seconds:
            return False
        if any(header in environ for header in CONDITIONAL_HEADERS):
            return False
        if environ.get("PATH_INFO", "").startswith(PRIVATE_PATH_PREFIXES):
            return False
        cookies = environ.get("HTTP_COOKIE")
        return not cookies or self.session_cookie not in parse_cookie(cookies)

    def answer_and_keep(self, environ, start_response, key, now):
        """Let Django answer; keep its answer if the page cache stored or served it."""
        sent = {}

        def remember_start(status, headers, exc_info=None):
            sent.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        response = self.application(environ, remember_start)
        token = environ.get(SERVED_UNDER)
        headers = sent.get("headers", ())
        keep = (
            token is not None
            and sent.get("status", "").startswith("200 ")
            and not any(name.lower() == "set-cookie" for name, _ in headers)
        )
        if not keep:
            return response
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()  # sends request_finished, as the server would
        self.pages.keep(key, (token, sent["status"], tuple(headers), body), now + self.seconds)
        return [body]
