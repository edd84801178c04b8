"""Reader-facing pages: the front page, story lists, story pages, search and robots.txt.

Each page runs a fixed number of queries whatever the size of the archive;
what readers may see is decided by `Article.objects.published()`.
"""

from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from . import seo, workflow
from .filters import SearchFilter, StoryFilter
from .models import Article
from .queries import (
    officials_quoted_in,
    sections_with_stories,
    tags_with_stories,
)
from .related import related_stories

FRONT_PAGE_SIZE = 12
STORIES_PER_PAGE = 20


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


class StoryListView(FilteredCanonicalURLMixin, FilterView):
    """Every published story, newest first, narrowed by the reader's filters.

    A filter value that is not on offer (unknown, or known only from drafts)
    shows the form's error and no stories rather than an unfiltered list.
    """

    filterset_class = StoryFilter
    template_name = "articles/article_list.html"
    paginate_by = STORIES_PER_PAGE
    canonical_parameters = (*StoryFilter.base_filters, "page")

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


class CorrectionListView(CanonicalURLMixin, ListView):
    """Every correction and update on a published story, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = STORIES_PER_PAGE
    canonical_parameters = ("page",)

    def get_queryset(self):
        return workflow.corrections_readers_see()


class StoryIndexView(CanonicalURLMixin, ListView):
    """A paginated list of the published stories about one subject (section, tag, author).

    Subclasses name the subject's model through `subjects()` and narrow the
    stories in `stories_about()`. A subject with no published story is a 404.
    """

    paginate_by = STORIES_PER_PAGE
    canonical_parameters = ("page",)
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
