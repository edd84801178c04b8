"""Reader-facing pages for people: the authors of stories and the officials quoted in them."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import ListView

from articles.queries import RowsInKeptOrder, authors_with_stories, officials_quoted, quotes_by
from articles.views import CanonicalURLMixin, StoryIndexView

QUOTES_PER_PAGE = 50


class AuthorView(StoryIndexView):
    """An author's name, job title and bio, and their published stories."""

    template_name = "people/author_detail.html"

    def subjects(self):
        return authors_with_stories()

    def stories_about(self, stories, author):
        return stories.by_author(author)


class OfficialView(CanonicalURLMixin, ListView):
    """Who an official is, and everything they said in published stories, newest first."""

    template_name = "people/official_detail.html"
    paginate_by = QUOTES_PER_PAGE
    canonical_parameters = ("page",)
    context_object_name = "quotes"

    @cached_property
    def official(self):
        return get_object_or_404(officials_quoted(), slug=self.kwargs["slug"])

    def get_queryset(self):
        # Sorting every quote of a much-quoted official by their stories' dates
        # is the page's dearest step: done once per content generation.
        return RowsInKeptOrder.once_per_generation(
            "official-quotes:v1", quotes_by(self.official), self.official.pk
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(official=self.official, **kwargs)
