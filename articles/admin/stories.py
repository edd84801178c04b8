"""The story admin: the form and list editors work in, with the workflow on top.

What a user may do to which story is decided in ``articles.workflow``; this
module asks it and shows the answer: rows, read-only pages, refused saves,
the statuses offered and the actions allowed.
"""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from .. import workflow
from ..forms import AdminFieldDefaultsMixin, ArticleAdminForm
from ..models import Article, Correction
from .display import ADMIN_CSS, format_publication_date, image_thumbnail, quoted_list
from .history import record_first_revision, story_differences
from .inlines import BylineInline, CorrectionInline, QuoteInline, RelatedLinkInline


@admin.register(Article)
class ArticleAdmin(AdminFieldDefaultsMixin, CompareVersionAdmin):
    """Stories, with their workflow, revision history and safe concurrent editing.

    Every save here, every list action and every restore records a revision of
    the story with its bylines, quotes, related links and tags, naming who and
    why; the history page compares any two and restores any one.
    """

    form = ArticleAdminForm
    inlines = [BylineInline, QuoteInline, RelatedLinkInline, CorrectionInline]
    actions = ["submit_for_review", "publish_now", "unpublish"]
    list_display = [
        "headline",
        "status_label",
        "publication_date",
        "category",
        "byline_names",
        "thumbnail",
    ]
    list_filter = [
        "status",
        "category",
        ("tags", admin.RelatedOnlyFieldListFilter),
        ("authors", admin.RelatedOnlyFieldListFilter),
        "published_at",
    ]
    list_select_related = ["category", "featured_image"]
    search_fields = ["headline", "subheadline", "body"]
    search_help_text = "Searches headlines, deks and story text."
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["category", "featured_image"]
    readonly_fields = [
        "featured_image_preview",
        "publication_state",
        "old_addresses",
        "created_by",
        "created_at",
        "updated_at",
    ]
    save_on_top = True
    fieldsets = [
        ("Content", {"fields": ["headline", "slug", "subheadline", "body", "excerpt"]}),
        ("Media", {"fields": ["featured_image", "featured_image_preview"]}),
        ("Taxonomy", {"fields": ["category", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "publication_state",
                    "status",
                    "published_at",
                    "publication_time_known",
                    "old_addresses",
                    "edit_version",
                ]
            },
        ),
        (
            "Internal",
            {
                "classes": ["collapse"],
                "description": "For the newsroom only; readers never see these.",
                "fields": [
                    "source_reference",
                    "editorial_note",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    # The model keeps the edit counter; the form carries the value it was
    # opened on in a field of its own (see ArticleAdminForm).
    exclude = ["edit_version"]
    compare_template = "admin/articles/article/compare.html"

    class Media:
        css = ADMIN_CSS

    # --- which stories, and what this user may do with each -----------------------------

    def get_queryset(self, request):
        return workflow.stories_listed_for(
            request.user, super().get_queryset(request).with_listing_relations()
        )

    def get_object(self, request, object_id, from_field=None):
        """The story with this id, whoever may open it; locked for the rest of a save.

        Every story is found, not only the listed ones, so that opening one
        this user may not is refused outright (403) rather than reported
        missing. Saves run in a transaction: the lock (a no-op on SQLite, whose
        IMMEDIATE transactions already serialise writers) keeps another editor's
        save from landing between the edit-version check and the write. While
        a revision is being restored, the story read back from it carries the
        live story's edit counter, slug and status (see ``revision_view``).
        """
        stories = Article.objects.all()
        if request.method == "POST":
            stories = stories.select_for_update(of=("self",))
        field = Article._meta.pk if from_field is None else Article._meta.get_field(from_field)
        try:
            story = stories.get(**{field.name: field.to_python(object_id)})
        except (Article.DoesNotExist, ValidationError, ValueError):
            return None
        live = getattr(request, "story_before_restore", None)
        if live is not None and live.pk == story.pk and live is not story:
            workflow.keep_live_state(story, live)
        return story

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or workflow.can_view_story(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or workflow.can_edit_story(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or workflow.can_edit_story(request.user, obj)
        )

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            # The publication date is set by whoever publishes or schedules.
            readonly += ["published_at", "publication_time_known"]
        return readonly

    def get_inlines(self, request, obj):
        if obj is None or obj.status != Article.Status.PUBLISHED:
            # Corrections are appended to what readers have seen.
            return [inline for inline in self.inlines if inline is not CorrectionInline]
        return self.inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and workflow.can_preview_story(request.user, obj):
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                if correction.created_by_id is None:
                    correction.created_by = request.user
            formset.save()
        else:
            super().save_formset(request, form, formset, change)

    # --- history -------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # Before the save's own revision, so the state it replaces can be restored.
            with transaction.atomic(using=router.db_for_write(Article)):
                story = self.get_object(request, unquote(object_id))
                if story is not None and self.has_change_permission(request, story):
                    record_first_revision(story)
        return super().change_view(request, object_id, form_url, extra_context)

    def compare(self, obj, version1, version2):
        """What changed between two revisions, part by part (see ``history``)."""
        return story_differences(version1, version2), False

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore an old revision: the form shows it, and saving it makes it current.

        Permission is decided on the live story, not on the revision being
        restored (a reporter may not bring back a draft of a story since
        published), and the restored story saves as the next version of the
        live one (see ``workflow.keep_live_state``).
        """
        with transaction.atomic(using=router.db_for_write(Article)):
            live = self.get_object(request, unquote(object_id))
            if live is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, live):
                raise PermissionDenied
            # Only this story's revisions: a revision is restored whole, and
            # reversion would accept any version whose object id matches.
            get_object_or_404(Version.objects.get_for_object(live), pk=version_id)
            request.story_before_restore = live
            response = super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            restored = Version.objects.select_related("revision").get(pk=version_id)
            saved_at = formats.date_format(
                timezone.localtime(restored.revision.date_created), "DATETIME_FORMAT"
            )
            self.message_user(
                request,
                f"Restored the version saved {saved_at}. The restore is in the history "
                "as a revision of its own, and can be undone the same way.",
                messages.SUCCESS,
            )
        return response

    def compare_view(self, request, object_id, extra_context=None):
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("No such story.")
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    # --- the list and its actions --------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin records everything the list does as one revision; the
        # actions here record one revision per story instead, so that restoring
        # one story never restores another with it.
        context = {"has_change_permission": self.has_recover_permission(request)}
        return super(VersionAdmin, self).changelist_view(
            request, {**context, **(extra_context or {})}
        )

    def has_recover_permission(self, request):
        """Deleted stories are brought back by editors, who are the ones who delete them."""
        return self.has_change_permission(request) and workflow.can_publish(request.user)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    @admin.action(description="Submit selected stories for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            workflow.submit_for_review,
            done="Sent {} for review",
            not_done="Not sent for review",
            comment="Submitted for review from the story list.",
        )

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            workflow.publish_now,
            done="Published {}",
            not_done="Not published",
            comment="Published from the story list.",
        )

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            workflow.unpublish,
            done="Unpublished {}",
            not_done="Not unpublished",
            comment="Unpublished from the story list.",
        )

    def _apply_to_each(self, request, queryset, step, *, done, not_done, comment):
        """Take a workflow step on each selected story, and report what was done and refused.

        Each story is locked, changed and recorded in a revision of its own,
        with the user and ``comment``. ``done`` names what happened to "{}"
        stories; ``not_done`` introduces the refusals and their reasons.
        """
        changed, refused = [], []
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic(using=router.db_for_write(Article)):
                story = (
                    Article.objects.select_for_update(of=("self",))
                    .select_related("featured_image")
                    .get(pk=pk)
                )
                if workflow.can_edit_story(request.user, story):
                    record_first_revision(story)
                with reversion.create_revision():
                    try:
                        step(request.user, story)
                    except workflow.Refused as refusal:
                        refused.append((story.headline, str(refusal)))
                        continue
                    reversion.set_user(request.user)
                    self.log_change(request, story, comment)
                changed.append(story.headline)
        if changed:
            count = f"{len(changed)} {'story' if len(changed) == 1 else 'stories'}"
            self.message_user(
                request,
                format_html("{}: {}.", done.format(count), quoted_list(changed)),
                messages.SUCCESS,
            )
        if refused:
            reasons = format_html_join("; ", "“{}” ({})", refused)
            self.message_user(request, format_html("{}: {}.", not_done, reasons), messages.WARNING)

    # --- columns and read-only fields ----------------------------------------------------------

    def view_on_site(self, obj):
        # Readers get a 404 for anything not yet public, so offer the link only
        # once readers can follow it.
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return workflow.publication_state(obj)

    @admin.display(description="state")
    def publication_state(self, obj):
        if obj.pk is None:
            return "Not saved yet"
        return workflow.publication_state(obj)

    @admin.display(description="old addresses")
    def old_addresses(self, obj):
        redirects = list(obj.slug_redirects.all()) if obj.pk else []
        if not redirects:
            return "None: readers only know the story by its current address."
        return format_html_join(
            ", ", "<code>{}</code>", ((redirect.old_slug,) for redirect in redirects)
        )

    @admin.display(description="publication date", ordering="published_at")
    def publication_date(self, obj):
        return format_publication_date(obj)

    @admin.display(description="bylines")
    def byline_names(self, obj):
        # Reads the prefetched bylines, already in print order.
        return ", ".join(byline.author.name for byline in obj.bylines.all())

    @admin.display(description="picture")
    def thumbnail(self, obj):
        if obj.featured_image is None:
            return None
        return image_thumbnail(obj.featured_image)

    @admin.display(description="preview")
    def featured_image_preview(self, obj):
        if obj.featured_image is None:
            return "No image chosen. Pick one above, or add one with the + button."
        return image_thumbnail(obj.featured_image, size="preview")
