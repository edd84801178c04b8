"""The admin editors run the newsroom from: stories, images, sections and tags."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from taggit.models import Tag

from .forms import AdminFieldDefaultsMixin, ArticleAdminForm, RelatedLinkForm
from .models import Article, Byline, Category, Image, Quote, RelatedLink

ADMIN_CSS = {"all": ["admin-extra/newsroom-admin.css"]}

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Stories, people and pictures"


def image_thumbnail(image, *, size="thumbnail"):
    """An <img> of the picture, or the words "No picture" when there is none to show.

    A record may keep a cutline and credit for a picture the newsroom does not
    have; an <img> without a source would show as a broken image.
    """
    if not image.has_picture:
        return format_html('<span class="{}">No picture</span>', "newsroom-no-picture")
    return format_html(
        '<img src="{}" alt="{}" class="newsroom-{}" loading="lazy" referrerpolicy="no-referrer">',
        image.src,
        image.alt_text,
        size,
    )


def format_publication_date(article):
    """The publication date as readers see it: the day alone when the time is not known."""
    if article.published_at is None:
        return "Date unknown"
    published_at = timezone.localtime(article.published_at)
    if article.publication_time_known:
        return formats.date_format(published_at, "DATETIME_FORMAT")
    return formats.date_format(published_at.date(), "DATE_FORMAT")


class BylineInline(AdminFieldDefaultsMixin, admin.TabularInline):
    model = Byline
    fields = ["position", "author", "title"]
    autocomplete_fields = ["author"]
    extra = 0


class QuoteInline(AdminFieldDefaultsMixin, admin.StackedInline):
    model = Quote
    fields = ["position", "text", "speakers", ("context", "attribution")]
    autocomplete_fields = ["speakers"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("speakers")


class RelatedLinkInline(AdminFieldDefaultsMixin, admin.TabularInline):
    model = RelatedLink
    form = RelatedLinkForm
    # A related link points at two stories: the one it is printed under, and its target.
    fk_name = "article"
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name_plural = "related links (one of our stories, or a headline from elsewhere)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")


@admin.register(Article)
class ArticleAdmin(AdminFieldDefaultsMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, QuoteInline, RelatedLinkInline]
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
    readonly_fields = ["featured_image_preview", "created_by", "created_at", "updated_at"]
    save_on_top = True
    fieldsets = [
        ("Content", {"fields": ["headline", "slug", "subheadline", "body", "excerpt"]}),
        ("Media", {"fields": ["featured_image", "featured_image_preview"]}),
        ("Taxonomy", {"fields": ["category", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "publication_time_known"]}),
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

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).with_listing_relations()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        # Readers get a 404 for anything not yet public, so offer the link only
        # once readers can follow it.
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            scheduled_for = formats.date_format(
                timezone.localtime(obj.published_at), "DATETIME_FORMAT"
            )
            return f"Scheduled for {scheduled_for}"
        return obj.get_status_display()

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


def stories_filtered_by(lookup, value, count):
    """A link to the story list filtered to ``lookup=value``, reading "N stories"."""
    url = reverse("admin:articles_article_changelist") + "?" + urlencode({lookup: value})
    return format_html('<a href="{}">{} {}</a>', url, count, "story" if count == 1 else "stories")


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
