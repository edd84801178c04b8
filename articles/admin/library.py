"""Admins for what stories are filed under and illustrated with, and their old addresses."""

from django.contrib import admin
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import format_html
from taggit.models import Tag

from ..forms import AdminFieldDefaultsMixin
from ..models import Category, Image, SlugRedirect
from .display import ADMIN_CSS, image_thumbnail, stories_filtered_by


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Old addresses of published stories. Kept by the story's own save; listed here to look up."""

    list_display = ["old_slug", "story", "current_address", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__headline", "article__slug"]
    search_help_text = "Searches old addresses, headlines and current addresses."
    fields = ["old_slug", "story", "current_address", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="story", ordering="article__headline")
    def story(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.headline)

    @admin.display(description="current address", ordering="article__slug")
    def current_address(self, obj):
        return format_html("<code>{}</code>", obj.article.slug)


@admin.register(Image)
class ImageAdmin(AdminFieldDefaultsMixin, admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "alt_text", "story_count"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["cutline", "credit", "alt_text"]
    search_help_text = "Searches cutlines, credits and alt text."
    # Explicit, because the story count's GROUP BY drops the model's default
    # ordering and autocomplete pages would come back in no particular order.
    ordering = ["-pk"]
    readonly_fields = ["preview", "width", "height"]
    fieldsets = [
        (
            "Picture",
            {
                "description": "Upload a picture, or give the address of one elsewhere.",
                "fields": ["picture", "external_url", "preview", ("width", "height")],
            },
        ),
        ("Description", {"fields": ["alt_text", "cutline", "credit"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="picture")
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description="preview")
    def preview(self, obj):
        return image_thumbnail(obj, size="preview")

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count


@admin.register(Category)
class CategoryAdmin(AdminFieldDefaultsMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "stories"]
    search_fields = ["name", "description"]
    ordering = [Lower("name")]  # see ImageAdmin.ordering
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="stories", ordering="story_count")
    def stories(self, obj):
        return stories_filtered_by("category__id__exact", obj.pk, obj.story_count)


# taggit's own Tag admin manages its generic TaggedItem rows, which stories do
# not use (they are tagged through TaggedArticle); its inline and its merge
# action would show and change nothing of ours.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "stories"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = [Lower("name")]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(story_count=Count("articles_taggedarticle_items"))
        )

    @admin.display(description="stories", ordering="story_count")
    def stories(self, obj):
        return stories_filtered_by("tags__id__exact", obj.pk, obj.story_count)
