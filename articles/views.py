"""Reader-facing pages: the front page, story lists, story pages, search and robots.txt.

Each page runs a fixed number of queries whatever the size of the archive;
what readers may see is decided by `Article.objects.published()`.
"""

import datetime
import re
from collections.abc import Sequence
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from newsroom.cache import once_per_generation

from . import seo, workflow
from .filters import SearchFilter, StoryFilter
from .models import Article
from .queries import (
    RowsInKeptOrder,
    officials_quoted_in,
    sections_with_stories,
    tags_with_stories,
)
from .related import related_stories

FRONT_PAGE_SIZE = 12
STORIES_PER_PAGE = 20
# Story lists have numbered pages for their newest 1,000 stories. Older ones
# are reached by "Older stories" links that continue from the last story
# shown: the database seeks to that story along an index instead of counting
# past every story before it, so a page costs the same at any depth.
NUMBERED_PAGES = 50


class StoryPosition(NamedTuple):
    """Where a story sits in newest-first order, as written in "Older/Newer stories" links.

    "20190312T140000Z~8812" is story 8812, published 12 March 2019 at 14:00
    UTC; "undated~17" is story 17, of unknown date.
    """

    published_at: datetime.datetime | None
    pk: int

    PATTERN = re.compile(
        r"(?:(?P<when>\d{8}T\d{6})(?:\.(?P<micro>\d{6}))?Z|undated)~(?P<pk>\d{1,18})"
    )

    @classmethod
    def of(cls, story) -> "StoryPosition":
        return cls(story.published_at, story.pk)

    @classmethod
    def parse(cls, text: str) -> "StoryPosition":
        """Read a position from a link; ValueError if it is not one."""
        found = cls.PATTERN.fullmatch(text)
        if not found:
            raise ValueError(f"not a story position: {text!r}")
        published_at = None
        if found["when"]:
            published_at = datetime.datetime.strptime(found["when"], "%Y%m%dT%H%M%S").replace(
                microsecond=int(found["micro"] or 0), tzinfo=datetime.UTC
            )
        return cls(published_at, int(found["pk"]))

    def __str__(self):
        if self.published_at is None:
            return f"undated~{self.pk}"
        when = self.published_at.astimezone(datetime.UTC)
        micro = f".{when.microsecond:06d}" if when.microsecond else ""
        return f"{when:%Y%m%dT%H%M%S}{micro}Z~{self.pk}"


class NumberedStoryPage(Page):
    """A numbered page; the deepest one leads on to the older stories."""

    newer_stories = ""

    @property
    def older_stories(self) -> str:
        if self.number >= NUMBERED_PAGES and self.has_next():
            return str(StoryPosition.of(self[-1]))
        return ""


class CountedPaginator(Paginator):
    """A paginator whose total is counted once per content generation.

    Counting every published story of a large archive is the dearest query of
    a list page; the total changes only when the content does. `counted_as`
    names the list (see CountedOncePerGenerationMixin).
    """

    def __init__(self, *args, counted_as, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted_as = counted_as

    @cached_property
    def count(self):
        return once_per_generation(
            "list-count:v1", self.object_list.count, *self.counted_as, share=True
        )


class CountedOncePerGenerationMixin:
    """Lists whose totals are counted once per content generation (CountedPaginator)."""

    paginator_class = CountedPaginator
    # Parameters that choose a page of the list, not which items are in it.
    page_parameters = ("page", "before", "after")

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, counted_as=self.counted_as(), **kwargs)

    def counted_as(self) -> tuple:
        """What the list's items depend on: its path and its filters, not the page shown."""
        filters = sorted(
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in self.page_parameters
            for value in values
        )
        return (self.request.path, *filters)


class StoryPaginator(CountedPaginator):
    def _get_page(self, *args, **kwargs):
        return NumberedStoryPage(*args, **kwargs)


class StoriesNextToPage(Sequence):
    """The stories just older (or newer) than a position: a page with links, but no number."""

    number = None

    def __init__(self, stories, paginator, *, newer: bool, older: bool):
        self.object_list, self.paginator = stories, paginator
        self.newer_stories = str(StoryPosition.of(stories[0])) if newer else ""
        self.older_stories = str(StoryPosition.of(stories[-1])) if older else ""

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self):
        return bool(self.older_stories)

    def has_previous(self):
        return bool(self.newer_stories)

    def has_other_pages(self):
        return self.has_next() or self.has_previous()


class PageMoved(Exception):
    """A numbered page past NUMBERED_PAGES was asked for: it now lives at `url`."""

    def __init__(self, url):
        super().__init__(url)
        self.url = url


class StoryPaginationMixin(CountedOncePerGenerationMixin):
    """Numbered pages for a newest-first list's first NUMBERED_PAGES, then older/newer links.

    `?before=<position>` lists the stories just older than that position,
    `?after=<position>` those just newer (see StoryPosition). An old address
    of a numbered page past the limit is sent on to the same stories there.
    """

    paginator_class = StoryPaginator
    position_parameters = ("before", "after")

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PageMoved as moved:
            return HttpResponseRedirect(moved.url)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        for name in self.position_parameters:
            if self.request.GET.get(name):
                return self._paginate_next_to(queryset, paginator, name, page_size)
        number = self.request.GET.get(self.page_kwarg, "")
        if number.isdigit() and int(number) > NUMBERED_PAGES:
            if int(number) > paginator.num_pages:
                raise Http404("No such page.")
            raise PageMoved(self._numbered_page_moved_to(queryset, int(number), page_size))
        return super().paginate_queryset(queryset, page_size)

    def _paginate_next_to(self, queryset, paginator, name, page_size):
        try:
            position = StoryPosition.parse(self.request.GET[name])
        except ValueError:
            raise Http404("Not a story position.") from None
        older = name == "before"
        stories, more = queryset.next_to(*position, older=older, size=page_size)
        if not stories:
            raise Http404("No stories there.")
        # Whoever followed a link came from the other side: there are stories there.
        page = StoriesNextToPage(stories, paginator, newer=more or older, older=more or not older)
        return paginator, page, page.object_list, page.has_other_pages()

    def _numbered_page_moved_to(self, queryset, number, page_size) -> str:
        offset = (number - 1) * page_size
        # The stories are counted past along an index that holds all it needs.
        last_before = queryset.prefetch_related(None).values_list("published_at", "pk")
        found = list(last_before[offset - 1 : offset])
        if not found:  # the stories changed since they were counted
            raise Http404("No such page.")
        query = self.request.GET.copy()
        query.pop(self.page_kwarg)
        query["before"] = str(StoryPosition(*found[0]))
        return f"{self.request.path}?{query.urlencode()}"


class CanonicalURLMixin:
    """Names the page's canonical address: its path and the parameters that change it.

    Only `canonical_parameters` are kept, empty ones and "page=1" dropped, so
    every state of a list has exactly one address.
    """

    canonical_parameters = ()

    def get_canonical_parameters(self):
        return self.canonical_parameters

    def get_canonical_url(self) -> str:
        query = QueryDict(mutable=True)
        for name in self.get_canonical_parameters():
            value = self.request.GET.get(name, "").strip()
            if value and not (name == "page" and value == "1"):
                query[name] = value
        path = self.request.path
        if query:
            path = f"{path}?{query.urlencode()}"
        return seo.absolute_url(self.request, path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(canonical_url=self.get_canonical_url(), **kwargs)


class HomeView(CanonicalURLMixin, TemplateView):
    """The lead story and the latest stories after it."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        stories = list(
            Article.objects.published().newest_first().with_listing_relations()[:FRONT_PAGE_SIZE]
        )
        return super().get_context_data(
            top_story=stories[0] if stories else None, latest_stories=stories[1:], **kwargs
        )


class FilteredCanonicalURLMixin(CanonicalURLMixin):
    """The canonical address keeps the filters the reader set, except refused values."""

    def get_canonical_parameters(self):
        refused = self.filterset.form.errors if self.filterset.is_bound else {}
        return [name for name in super().get_canonical_parameters() if name not in refused]


class StoryListView(StoryPaginationMixin, FilteredCanonicalURLMixin, FilterView):
    """Every published story, newest first, narrowed by the reader's filters.

    A filter value that is not on offer (unknown, or known only from drafts)
    shows the form's error and no stories rather than an unfiltered list.
    """

    filterset_class = StoryFilter
    template_name = "articles/article_list.html"
    paginate_by = STORIES_PER_PAGE
    canonical_parameters = (*StoryFilter.base_filters, "page", "before", "after")

    def get_queryset(self):
        return Article.objects.published().newest_first().with_listing_relations()


class SearchView(FilteredCanonicalURLMixin, FilterView):
    """Published stories whose headline, dek or body contain the words searched for."""

    filterset_class = SearchFilter
    template_name = "articles/search.html"
    paginate_by = STORIES_PER_PAGE
    canonical_parameters = ("q", "page")

    def get_queryset(self):
        return Article.objects.published().newest_first().with_listing_relations()

    def paginate_queryset(self, queryset, page_size):
        # Ranking every match of a common word is the page's dearest step:
        # done once per content generation for each search.
        ranked = RowsInKeptOrder.once_per_generation(
            "search-results:v1",
            queryset,
            self.request.GET.get("q", ""),
            rows=Article.objects.with_listing_relations(),
        )
        return super().paginate_queryset(ranked, page_size)


class StoryDetailView(CanonicalURLMixin, DetailView):
    """One story with everything printed around it, corrections last.

    A published story asked for by an address it used to have is sent on to
    its current one with a permanent redirect.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_page_relations().prefetch_related("corrections")

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_old_address()
        return self.render_to_response(self.get_context_data(object=self.object))

    def redirect_from_old_address(self):
        new_address = workflow.current_address(self.kwargs["slug"])
        if new_address is None:
            raise Http404("No story at this address.")
        query = self.request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{new_address}?{query}" if query else new_address)

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            quoted_officials=officials_quoted_in(article),
            related=related_stories(article),
            description=seo.describe(article),
            publication_date=seo.publication_date(article),
            structured_data=with_corrections(seo.news_article(article, self.request), article),
            **kwargs,
        )


def with_corrections(structured_data: dict, article) -> dict:
    """A story's JSON-LD with its corrections and updates, newest first, as CorrectionComments.

    Reads the story's prefetched corrections.
    """
    corrections = [
        {
            "@type": "CorrectionComment",
            "name": correction.get_kind_display(),
            "text": correction.text,
            "datePublished": timezone.localtime(correction.published_at).isoformat(),
        }
        for correction in article.corrections.all()
    ]
    return {**structured_data, "correction": corrections} if corrections else structured_data


class CorrectionListView(CountedOncePerGenerationMixin, CanonicalURLMixin, ListView):
    """Every correction and update on a published story, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = STORIES_PER_PAGE
    canonical_parameters = ("page",)

    def get_queryset(self):
        return workflow.corrections_readers_see()


class StoryIndexView(StoryPaginationMixin, CanonicalURLMixin, ListView):
    """A paginated list of the published stories about one subject (section, tag, author).

    Subclasses name the subject's model through `subjects()` and narrow the
    stories in `stories_about()`. A subject with no published story is a 404.
    """

    paginate_by = STORIES_PER_PAGE
    canonical_parameters = ("page", "before", "after")
    context_object_name = "stories"

    def subjects(self):
        raise NotImplementedError

    def stories_about(self, stories, subject):
        raise NotImplementedError

    @cached_property
    def subject(self):
        return get_object_or_404(self.subjects(), slug=self.kwargs["slug"])

    def get_queryset(self):
        stories = Article.objects.published().newest_first().with_listing_relations()
        return self.stories_about(stories, self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class CategoryView(StoryIndexView):
    template_name = "articles/category_detail.html"

    def subjects(self):
        return sections_with_stories()

    def stories_about(self, stories, category):
        return stories.in_category(category)


class TagView(StoryIndexView):
    template_name = "articles/tag_detail.html"

    def subjects(self):
        return tags_with_stories()

    def stories_about(self, stories, tag):
        return stories.tagged(tag)


class RobotsView(TemplateView):
    """robots.txt: crawl everything readers can reach, and here is the sitemap."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap_url = seo.absolute_url(self.request, reverse("sitemap"))
        return super().get_context_data(sitemap_url=sitemap_url, **kwargs)
