"""The parts of a story edited inside its form: bylines, quotes, related links, corrections."""

from django.contrib import admin

from .. import workflow
from ..forms import AdminFieldDefaultsMixin, RelatedLinkForm
from ..models import Byline, Correction, Quote, RelatedLink


class StoryPartInline:
    """An inline for a part of a story, editable exactly when the story is.

    Byline, quote and link permissions are granted per model; whether this
    user may change this particular story is the workflow's call.
    """

    def _story_editable(self, request, obj):
        return obj is None or workflow.can_edit_story(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._story_editable(request, obj)


class BylineInline(StoryPartInline, AdminFieldDefaultsMixin, admin.TabularInline):
    model = Byline
    fields = ["position", "author", "title"]
    autocomplete_fields = ["author"]
    extra = 0


class QuoteInline(StoryPartInline, AdminFieldDefaultsMixin, admin.StackedInline):
    model = Quote
    fields = ["position", "text", "speakers", ("context", "attribution")]
    autocomplete_fields = ["speakers"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")


class RelatedLinkInline(StoryPartInline, AdminFieldDefaultsMixin, admin.TabularInline):
    model = RelatedLink
    form = RelatedLinkForm
    # A related link points at two stories: the one it is printed under, and its target.
    fk_name = "article"
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name_plural = "related links (one of our stories, or a headline from elsewhere)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")


class CorrectionInline(StoryPartInline, AdminFieldDefaultsMixin, admin.StackedInline):
    """Dated notes appended to a published story, newest first, as readers see them."""

    model = Correction
    fields = [("kind", "published_at"), "text"]
    extra = 0
    verbose_name_plural = "corrections and updates (shown to readers at the end of the story)"
