"""Forms and form fields the admin uses to edit stories and the people in them."""

from urllib.parse import urlencode

from django import forms
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from taggit.forms import TagWidget

from . import workflow
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
    """The story form of the admin, with the workflow's rules as form errors.

    Editors see what blocks publishing before anything is saved; a user may
    only give the story a status their role allows (a choice they are not
    offered is refused here too, not just hidden); and a save made from a copy
    of the story that someone else has saved since is refused, with the form
    still holding everything typed.
    """

    # Whose form this is; the admin sets it for each request.
    user = None

    edit_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        help_text="The version of the story this form was opened on.",
    )

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            allowed = workflow.allowed_statuses(self.user)
            self.fields["status"].choices = [
                choice for choice in Article.Status.choices if choice[0] in allowed
            ]
        if not self.instance._state.adding:
            self.fields["edit_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_stale_copy()
        status = cleaned_data.get("status")
        if status is None:
            return cleaned_data
        refusal = workflow.status_refusal(self.user, self.instance, status)
        if refusal:
            self.add_error("status", refusal)
            return cleaned_data
        if status == Article.Status.PUBLISHED:
            self._check_publishable()
        if "published_at" in self.fields:
            published_at = workflow.publication_date_on_save(
                workflow.status_before_edit(self.instance),
                status,
                cleaned_data.get("published_at"),
            )
            if published_at != cleaned_data.get("published_at"):
                cleaned_data["published_at"] = published_at
                cleaned_data["publication_time_known"] = True
        return cleaned_data

    def value_after_save(self, name):
        """The value field ``name`` will have once saved: from the form, or as stored."""
        if name in self.fields:
            return self.cleaned_data.get(name)
        return getattr(self.instance, name)

    def _check_publishable(self):
        problems = workflow.publish_problems(
            headline=self.value_after_save("headline"),
            slug=self.value_after_save("slug"),
            body=self.value_after_save("body"),
            featured_image=self.value_after_save("featured_image"),
        )
        for field, message in problems.items():
            # A field already refused (e.g. "This field is required.") says enough.
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, message)

    def _refuse_stale_copy(self):
        if self.instance._state.adding:
            return
        opened = self.cleaned_data.get("edit_version")
        if opened is None:
            message = (
                "This form does not say which version of the story it was opened on, so "
                "saving it could overwrite someone else's changes. Your changes are still in "
                "the form below: save again to keep them."
            )
        else:
            conflict = workflow.edit_conflict(self.instance, opened)
            if conflict is None:
                return
            message = conflict_message(self.instance, conflict)
        self.add_error(None, message)
        # The form now carries the current version: saving again is a deliberate
        # choice to replace the stored story with this one, made after the warning.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = self.instance.edit_version


def conflict_message(story, conflict):
    """The refusal an editor sees when someone else saved the story after they opened it."""
    history_url = reverse("admin:articles_article_history", args=[story.pk])
    if conflict.opened_version and conflict.latest_version:
        compare_url = reverse("admin:articles_article_compare", args=[story.pk])
        query = urlencode(
            {
                "version_id1": conflict.opened_version.pk,
                "version_id2": conflict.latest_version.pk,
            }
        )
        changes_url = f"{compare_url}?{query}"
    else:
        changes_url = history_url
    saved_at = formats.date_format(timezone.localtime(conflict.saved_at), "DATETIME_FORMAT")
    return format_html(
        "{} saved this story at {}, after you opened it, so your changes were not saved. "
        'They are still in the form below. <a href="{}">See what {} changed</a>, then save '
        "again to replace their version with yours, or reload the page to start from theirs.",
        conflict.saved_by,
        saved_at,
        changes_url,
        conflict.saved_by,
    )


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
