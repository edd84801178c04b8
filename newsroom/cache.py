"""The page cache: readers without a session get stored copies of public pages, never stale ones.

Pages are kept in Django's cache framework (files under CACHE_DIR shared by the
processes of one machine, Redis when REDIS_URL is set, local memory in
development) for CACHE_MIDDLEWARE_SECONDS, so a page one process renders
serves the others; each process also keeps the pages it serves in its own
memory (KeptInMemory), and newsroom.cache_front answers those again in front of
Django's request cycle. A stored page is found before the session, the
database or any view is touched, and is stored with its headers, so serving it
costs about what a static file costs. Staff (anyone with a session cookie),
the admin and previews neither read nor fill the cache.

Why one generation for the whole site
-------------------------------------
A story appears on its own page, the front page, the story list and each of
its filters, search results, feeds, sitemaps, its section, tag and author
pages, the pages of the officials it quotes, and other stories' related picks;
an official's new title shows on every story quoting them. Working out which
pages one change touches would be as costly, and as easy to get wrong, as
rendering them. Instead every stored page carries the content *generation* it
was rendered under, and any change to what readers see starts a new one (see
newsroom.invalidation): pages of an older generation are never served again
and are replaced as readers ask for them. The generation is kept in the cache
next to the pages, so every process sharing the cache changes over at the
same moment; a hit reads it, and the page from the process's memory.

The generation is a random token, not a counter: a counter lost with the cache
(a restart, an eviction) would count again from the start and bring back pages
of a past generation; a random token never comes back.

Stories scheduled for later
---------------------------
A story scheduled for a time appears then without anyone saving anything. The
generation records when the next scheduled story appears; the first request
after that moment looks the schedule up (one indexed query) and starts a new
generation, so no stored page outlives a publication time and no cron job is
needed.

Writes that send no signals
---------------------------
QuerySet.update(), bulk_create() and raw SQL send no model signals. Code that
changes content that way must call ``content_changed(schedule_unknown=True)``
after it commits. Successful changes made through the admin (including list
actions that update in bulk) start a new generation on their own, see
PageCacheMiddleware.
"""

import hashlib
import secrets
import time
from datetime import UTC, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.checks import Warning
from django.db.models import Max, Min, Q
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control, set_response_etag
from django.utils.http import http_date

from articles.models import Article

from .kept import KeptInMemory

GENERATION_KEY = "page-cache:generation"
PAGE_KEY_PREFIX = "page-cache:page:"
# Set in the WSGI environ to the generation's token when a GET was answered with
# a page the cache stored or served (read by newsroom.cache_front).
SERVED_UNDER = "newsroom.page_cache.served_under"
# Derived values (once_per_generation) live as long as their generation is
# current, and at most a day; a process keeps the latest DERIVED_ENTRIES.
DERIVED_KEY_PREFIX = "page-cache:derived:"
DERIVED_SECONDS = 24 * 60 * 60
DERIVED_ENTRIES = 256
_derived_values = KeptInMemory(DERIVED_ENTRIES)

# Readers get these without a session; the admin and previews are never shared.
PRIVATE_PATH_PREFIXES = ("/admin/", "/preview/")
ADMIN_PATH_PREFIX = "/admin/"
READ_METHODS = ("GET", "HEAD")
# One stored copy is right for every reader only if the view did not forbid it
# and the copy varies on nothing but the encoding, and is not itself encoded
# (an uncompressed body suits every reader; a compressed one does not).
UNSHAREABLE_CACHE_CONTROL = {"private", "no-store", "no-cache"}
SHAREABLE_VARY = {"accept-encoding"}


class Generation(NamedTuple):
    """The content generation that stored pages must carry to be served.

    token: names the generation; every stored page carries the token it was
        rendered under.
    since: when the generation began (POSIX time). Its pages were rendered at
        or after that moment, so they show every story published by then; it
        is also their Last-Modified time.
    next_publication: no later than the moment the first story scheduled after
        `since` appears (POSIX time), or None when no story is scheduled.
    """

    token: str
    since: float
    next_publication: float | None

    def is_due(self, now: float) -> bool:
        """Whether a scheduled story may have appeared since the generation began."""
        return self.next_publication is not None and now >= self.next_publication


def page_cache():
    """The cache shared by every server process, holding pages and their generation."""
    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


def content_changed(*, scheduled_for: datetime | None = None, schedule_unknown: bool = False):
    """Start a new content generation: every stored page is rendered afresh on its next request.

    `scheduled_for` is the publication time of a story just saved as scheduled,
    so that pages make way for it when it appears. `schedule_unknown` says the
    change may have scheduled stories without saying when (a bulk update): the
    next request looks the schedule up.
    """
    cache = page_cache()
    now = time.time()
    current = cache.get(GENERATION_KEY)
    if current is None:
        # No page can be valid without a generation; the next request starts
        # one, looking the schedule up as it does.
        return
    next_publication = current.next_publication
    if schedule_unknown:
        next_publication = now
    elif scheduled_for is not None and scheduled_for.timestamp() > now:
        scheduled = scheduled_for.timestamp()
        next_publication = (
            scheduled if next_publication is None else min(next_publication, scheduled)
        )
    cache.set(GENERATION_KEY, Generation(_new_token(), now, next_publication), timeout=None)


def reset_for_empty_database():
    """Forget every stored page and record that no story is scheduled.

    For tests, which each start on an empty database: no request then has to
    look up a schedule that cannot exist.
    """
    cache = page_cache()
    cache.clear()
    cache.set(GENERATION_KEY, Generation(_new_token(), time.time(), None), timeout=None)


def current_generation(stored: Generation | None, now: float) -> Generation:
    """The generation pages must carry now, given the one stored in the cache (or None)."""
    if stored is None:
        return _start_generation(now)
    if stored.is_due(now):
        return _renew_generation(stored, now)
    return stored


def generation_token() -> str:
    """The token of the content generation readers see now.

    Anything derived from published content can be cached under a key that
    includes it: the key changes with every change to what readers see, and
    when a scheduled story appears. Costs one cache read (and one indexed query
    when no generation is stored or a scheduled story is due).
    """
    return current_generation(page_cache().get(GENERATION_KEY), time.time()).token


def once_per_generation(name: str, compute, *parts, share: bool = False):
    """What `compute()` gives for published content as it is now, computed once per generation.

    For what pages derive from published content at a cost (a count, a list of
    ids, a ranking): the first request of a generation computes it, the
    following ones reuse it, and any change to what readers see, or a scheduled
    story appearing, starts afresh. `name` says what is computed, with a
    version to change when its layout changes; `parts` (hashable) say for
    what: a story's id, a list's filters.

    Each process keeps the values it uses in its own memory. With `share`, a
    value is also written to the shared cache, so that one process computes it
    for all: for small values that are dear to compute (the filter form's
    choices count every story of the archive). Large ones (a ranking of 40,000
    ids) stay in each process, as reading them from the shared cache would mean
    unpickling them on every rendering. Values should be plain data (numbers,
    strings, lists of them), so that a shared copy never depends on a class
    that may have changed since it was stored. Unlike pages, they are kept
    whatever CACHE_MIDDLEWARE_SECONDS says.
    """
    token, now = generation_token(), time.time()
    key = (name, *parts)
    kept = _derived_values.get(key, token, now)
    if kept is not None:
        return kept[1]
    if share:
        digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
        shared_key = f"{DERIVED_KEY_PREFIX}{name}:{token}:{digest}"
        value = page_cache().get_or_set(shared_key, compute, DERIVED_SECONDS)
    else:
        value = compute()
    _derived_values.keep(key, (token, value), now + DERIVED_SECONDS)
    return value


def _start_generation(now: float) -> Generation:
    _, upcoming = _publications_around(now, now)
    started = Generation(_new_token(), now, upcoming)
    cache = page_cache()
    # When several processes start at once, the first generation stored wins,
    # so that the pages they store are not thrown away at once.
    if cache.add(GENERATION_KEY, started, timeout=None):
        return started
    return cache.get(GENERATION_KEY) or started


def _renew_generation(stale: Generation, now: float) -> Generation:
    """The generation to use once `stale.next_publication` has come.

    If a story appeared since the generation began, a new one starts. Its token
    derives from the old one and the moment of the last appearance, so every
    process renewing at the same time arrives at the same generation and keeps
    the pages the others store. If none appeared (the story was withdrawn or
    moved later), the generation stays and waits for the next scheduled story.
    """
    appeared, upcoming = _publications_around(stale.since, now)
    if appeared is None:
        renewed = stale._replace(next_publication=upcoming)
    else:
        seed = f"{stale.token}:{appeared}".encode()
        token = hashlib.sha256(seed).hexdigest()[:16]
        renewed = Generation(token, now, upcoming)
    page_cache().set(GENERATION_KEY, renewed, timeout=None)
    return renewed


def _publications_around(since: float, now: float) -> tuple[float | None, float | None]:
    """The last publication time in (since, now] and the first after now (POSIX times).

    Scheduled stories are by definition not yet published(), so this one
    query reads the publication index directly: published stories dated after
    `since`, which are the few most recent and the scheduled ones.
    """
    moment = datetime.fromtimestamp(now, tz=UTC)
    times = Article.objects.filter(
        status=Article.Status.PUBLISHED,
        published_at__gt=datetime.fromtimestamp(since, tz=UTC),
    ).aggregate(
        appeared=Max("published_at", filter=Q(published_at__lte=moment)),
        upcoming=Min("published_at", filter=Q(published_at__gt=moment)),
    )
    return tuple(value.timestamp() if value else None for value in times.values())


def _new_token() -> str:
    return secrets.token_hex(8)


class PageCacheMiddleware:
    """Serve readers without a session from the page cache, and say how pages may be cached.

    Goes right after SecurityMiddleware and WhiteNoise, which add their headers
    to every answer, stored or not. The middleware adding the other security
    headers (Permissions-Policy, Content-Security-Policy, X-Frame-Options) goes
    after it: a page is stored with the headers they gave it, so a stored page
    carries them without building the policy again. (A changed policy thus
    reaches stored pages as they are rendered again, within
    CACHE_MIDDLEWARE_SECONDS.) The session and every view come later still, so
    a stored page costs neither a session nor a query. ConditionalGetMiddleware
    goes just before it and answers conditional requests for stored pages too.

    - Stored: 200 answers to GET of public addresses for readers without a
      session cookie, unless the answer sets a cookie, says private, no-store
      or no-cache, or varies on anything but Accept-Encoding. HEAD is answered
      from the stored GET answer. The key is the full address with its query.
    - Headers: shareable answers get ``Cache-Control: public, max-age=`` the
      PUBLIC_PAGE_MAX_AGE setting, an ETag and, when the view gave none, the
      generation's start as Last-Modified; anything for a session or under
      the admin or preview addresses gets ``private, no-cache``.
    - CACHE_MIDDLEWARE_SECONDS = 0 turns storing off; the headers stay.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.CACHE_MIDDLEWARE_SECONDS
        self.max_age = settings.PUBLIC_PAGE_MAX_AGE
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.cache = page_cache()
        self.pages_in_memory = KeptInMemory(settings.PAGE_CACHE_MEMORY_ENTRIES)

    def __call__(self, request):
        if self.is_private(request):
            return self.private_response(request)
        if request.method not in READ_METHODS:
            return self.get_response(request)
        if not self.seconds:
            response = self.get_response(request)
            if is_shareable(response):
                patch_cache_control(response, public=True, max_age=self.max_age)
            return response

        address, now = request.build_absolute_uri(), time.time()
        generation = current_generation(self.cache.get(GENERATION_KEY), now)
        page = self.pages_in_memory.get(address, generation.token, now)
        if page is None:
            # Another process may have rendered it under this generation.
            page = self.cache.get(self.page_key(address))
            if page is not None and page[0] == generation.token:
                self.pages_in_memory.keep(address, page, now + self.seconds)
            else:
                page = None
        if page is not None:
            _, content, headers = page
            if request.method == "GET":
                request.META[SERVED_UNDER] = generation.token
            return HttpResponse(content, headers=headers)

        response = self.get_response(request)
        if is_shareable(response):
            patch_cache_control(response, public=True, max_age=self.max_age)
            if not response.has_header("Last-Modified"):
                response.headers["Last-Modified"] = http_date(generation.since)
            if not response.has_header("ETag"):
                # Computed once here rather than by ConditionalGetMiddleware on every hit.
                set_response_etag(response)
            if request.method == "GET":
                page = (generation.token, response.content, list(response.items()))
                self.cache.set(self.page_key(address), page, self.seconds)
                self.pages_in_memory.keep(address, page, now + self.seconds)
                request.META[SERVED_UNDER] = generation.token
        return response

    def page_key(self, address: str) -> str:
        """The shared cache's key of a page: its full address, scheme, host, path and query."""
        digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
        return PAGE_KEY_PREFIX + digest

    def is_private(self, request) -> bool:
        return self.session_cookie in request.COOKIES or request.path_info.startswith(
            PRIVATE_PATH_PREFIXES
        )

    def private_response(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_cache=True)
        changed_in_admin = (
            request.method not in READ_METHODS
            and request.path_info.startswith(ADMIN_PATH_PREFIX)
            and self.session_cookie in request.COOKIES
            and response.status_code < 400
        )
        if changed_in_admin:
            # Admin actions may change stories with QuerySet.update(), which
            # sends no signals; whatever the admin changed, readers see it now.
            content_changed(schedule_unknown=True)
        return response


def is_shareable(response) -> bool:
    """Whether one stored copy of `response` is right for every reader without a session."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False
    directives = cc_delim_re.split(response.get("Cache-Control", "").lower())
    if any(directive.split("=")[0] in UNSHAREABLE_CACHE_CONTROL for directive in directives):
        return False
    varies_on = {header.lower() for header in cc_delim_re.split(response.get("Vary", "")) if header}
    return varies_on <= SHAREABLE_VARY


def check_page_cache_is_shared(app_configs, **kwargs):
    """Deployment check: pages and generation in local memory change in one process only."""
    backend = settings.CACHES[settings.CACHE_MIDDLEWARE_ALIAS]["BACKEND"]
    if settings.CACHE_MIDDLEWARE_SECONDS and backend.endswith("LocMemCache"):
        return [
            Warning(
                "Pages and their content generation are kept in each server process's own "
                "memory: a change made in one process (an admin save, a management command) "
                "reaches readers served by the others only when their copies expire, after "
                "CACHE_MIDDLEWARE_SECONDS.",
                hint="Set REDIS_URL so that every process shares one cache.",
                id="newsroom.W001",
            )
        ]
    return []
