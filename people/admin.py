"""Admin for the people in stories: authors, the officials they quote, and their organisations."""

from django.contrib import admin
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import format_html

from articles.forms import AdminFieldDefaultsMixin

from .models import US_STATES, Author, Official, Organisation


class StateListFilter(admin.SimpleListFilter):
    """The states some official represents, by name: a list of all 56 would bury them."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        used = set(
            model_admin.get_queryset(request)
            .exclude(state="")
            .order_by()
            .values_list("state", flat=True)
            .distinct()
        )
        return [(code, name) for code, name in US_STATES if code in used]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(AdminFieldDefaultsMixin, admin.ModelAdmin):
    list_display = ["name", "url", "officials"]
    search_fields = ["name", "description"]
    # Explicit, because the count's GROUP BY drops the model's default ordering
    # and autocomplete pages would come back in no particular order.
    ordering = [Lower("name")]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(official_count=Count("officials"))

    @admin.display(description="officials", ordering="official_count")
    def officials(self, obj):
        url = reverse("admin:people_official_changelist") + f"?organisation__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.official_count)


@admin.register(Author)
class AuthorAdmin(AdminFieldDefaultsMixin, admin.ModelAdmin):
    list_display = ["name", "job_title", "login", "stories"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title", "user__username"]
    ordering = [Lower("name")]  # see OrganisationAdmin.ordering
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fields = ["name", "slug", "job_title", "bio", "user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("bylines"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("auth.view_user"):
            # Linking a login is for whoever manages logins; the search for one
            # would be refused to anyone else anyway.
            readonly.append("user")
        return readonly

    @admin.display(description="login", ordering="user__username")
    def login(self, obj):
        if obj.user is None:
            return None
        url = reverse("admin:auth_user_change", args=[obj.user.pk])
        return format_html('<a href="{}">{}</a>', url, obj.user.get_username())

    @admin.display(description="stories", ordering="story_count")
    def stories(self, obj):
        url = reverse("admin:articles_article_changelist") + f"?authors__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.story_count)


@admin.register(Official)
class OfficialAdmin(AdminFieldDefaultsMixin, admin.ModelAdmin):
    list_display = ["display_name", "title", "organisation", "party", "state"]
    list_filter = [
        "party",
        "chamber",
        StateListFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organisation"]
    search_fields = ["name", "title"]
    search_help_text = "Searches names and titles."
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "title", "organisation", "bio"]}),
        (
            "Legislators",
            {
                "description": "Party, chamber and state print as “Rep. Young Kim (R-CA)”.",
                "fields": ["party", "chamber", "state"],
            },
        ),
    ]

    @admin.display(description="name", ordering=Lower("name"))
    def display_name(self, obj):
        return obj.display_name
