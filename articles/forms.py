"""Forms and form fields the admin uses to edit stories and the people in them."""

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from taggit.forms import TagWidget

from .models import Article


class MultilineTextField(forms.CharField):
    """A text-area field that stores Unix line endings.

    Browsers submit the line breaks of a text area as CRLF. Stored verbatim, a
    story saved unchanged in the admin would no longer equal its source, and
    Markdown bodies would mix two kinds of line break.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class AdminFieldDefaultsMixin:
    """Form-field defaults for every ModelAdmin and inline of the newsroom.

    Text areas store Unix line endings; an address typed without a scheme
    ("www.example.com") is taken as https, which is what sites serve today.
    """

    formfield_overrides = {
        models.TextField: {"form_class": MultilineTextField},
        models.URLField: {"assume_scheme": "https"},
    }


class TagSuggestionsWidget(TagWidget):
    """The comma-separated tag box, with existing tags suggested as the editor types.

    Typing stays free: new tags are created on save as before. Suggestions come
    from the admin's own autocomplete endpoint, which searches with the Tag
    admin's ``search_fields`` and checks the editor's permission to view tags.
    """

    class Media:
        js = ["admin-extra/tag-suggestions.js"]

    def __init__(self, attrs=None, *, source_model=Article, field_name="tags"):
        super().__init__(attrs={"class": "vTextField", "autocomplete": "off", **(attrs or {})})
        self.source_model = source_model
        self.field_name = field_name

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_suggestions"
        opts = self.source_model._meta
        attrs.update(
            {
                "list": list_id,
                "data-tag-suggestions": reverse("admin:autocomplete"),
                "data-app-label": opts.app_label,
                "data-model-name": opts.model_name,
                "data-field-name": self.field_name,
            }
        )
        text_box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', text_box, list_id)


class ArticleAdminForm(forms.ModelForm):
    """The story form of the admin.

    Rules an editor must see before saving (publish-blocking checks) belong in
    ``clean()`` here, so the admin and any other editing view share them.
    """

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "subheadline",
            "body",
            "excerpt",
            "featured_image",
            "category",
            "tags",
            "status",
            "published_at",
            "publication_time_known",
            "source_reference",
            "editorial_note",
        ]
        widgets = {"tags": TagSuggestionsWidget}


class RelatedLinkForm(forms.ModelForm):
    """One line of further reading under a story, as the story form's inline edits it.

    The inline supplies the model and its fields.
    """

    def clean(self):
        cleaned_data = super().clean()
        target = cleaned_data.get("target")
        # The database refuses a link from a story to itself; the inline form
        # leaves the story out of model validation, so say it here instead.
        if target is not None and target.pk == self.instance.article_id:
            self.add_error("target", "A story cannot be related to itself.")
        return cleaned_data
