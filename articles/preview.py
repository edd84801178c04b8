"""The preview: a story exactly as readers will see it, before they can.

Editors and reporters check a draft or a scheduled story on the public story
template, with a banner saying it is not published. Anyone who may not
preview the story gets the same 404 a reader gets, so a preview address
gives nothing away.
"""

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control

from . import seo, workflow
from .models import Article
from .views import StoryDetailView


@method_decorator(cache_control(private=True, no_cache=True), name="dispatch")
class StoryPreviewView(StoryDetailView):
    """Any story, as its page will look, for those allowed to preview it (see ``workflow``)."""

    template_name = "articles/article_preview.html"

    def get_queryset(self):
        return Article.objects.with_page_relations().prefetch_related("corrections")

    def get_object(self, queryset=None):
        story = super().get_object(queryset)
        if not workflow.can_preview_story(self.request.user, story):
            raise Http404("No story here.")
        return story

    def redirect_from_old_address(self):
        # A preview names its story by number: there is no old address to follow.
        raise Http404("No story here.")

    def get_canonical_url(self):
        # The address readers will use, never the preview's own.
        return seo.absolute_url(self.request, self.object.get_absolute_url())

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
