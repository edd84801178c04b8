"""What the site answers when it cannot do what was asked: the database is out of reach,
something broke, or a login is locked out after too many wrong passwords."""

import sys

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as plain_server_error

# How long browsers and monitors are asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

# Errors that mean "the database cannot be reached or cannot answer right now"
# (down, refusing connections, a lost connection, SQLite's lock timeout), as
# opposed to a fault in the site's own queries.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is the database's."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    """The handler for unexpected errors (handler500).

    When the error is the database being out of reach, readers get a plain
    “temporarily unavailable” page (503, Retry-After) that needs no database;
    anything else gets the usual 500 page. Neither shows a traceback.
    """
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return plain_server_error(request, template_name)


def service_unavailable(request, template_name="503.html"):
    """A 503 page rendered without the request or any context, so nothing can touch the database."""
    response = HttpResponse(loader.get_template(template_name).render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def login_locked_out(request, original_response=None, credentials=None):
    """The page shown instead of the admin when a login is locked out (AXES_LOCKOUT_CALLABLE).

    Answers 429 Too Many Requests, with Retry-After set to the lockout's length.
    """
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response
