"""The reader's filters over the story list, and the search form.

Every choice list comes from published stories only: a section, tag, author or
official that appears only in drafts is not offered, and asking for it by
address is refused like any unknown value.
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from .models.story import SEARCH_MAX_LENGTH
from .queries import (
    authors_with_stories,
    officials_quoted,
    sections_with_stories,
    tags_with_stories,
)

# Wide enough for any archive, narrow enough that no date arithmetic overflows.
EARLIEST_DAY = datetime.date(1800, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


class QuickSelect(forms.Select):
    """A <select> written out in Python instead of through one template per option.

    A large archive offers thousands of topics; rendering each option through
    the widget templates costs far more than the queries behind the page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, flatatt(widget["attrs"]), options
        )


def _subject_filter(label, subjects, empty_label, method):
    """A choice among the subjects of published stories, by slug."""
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=lambda request: subjects(),
        to_field_name="slug",
        empty_label=empty_label,
        method=method,
        widget=QuickSelect,
    )


class DateRangeForm(forms.Form):
    """A filter form that refuses a range ending before it starts."""

    def clean(self):
        cleaned_data = super().clean()
        first_day, last_day = cleaned_data.get("published_from"), cleaned_data.get("published_to")
        if first_day and last_day and first_day > last_day:
            self.add_error("published_to", "The end date is before the start date.")
        return cleaned_data


def _date_filter(label, method):
    return django_filters.DateFilter(
        label=label,
        method=method,
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()},
        ),
    )


def _text_filter(label):
    return django_filters.CharFilter(
        label=label,
        method="filter_text",
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": SEARCH_MAX_LENGTH}),
    )


class StoryFilter(django_filters.FilterSet):
    """Section, tag, author, quoted official, date range and words, on /articles/."""

    q = _text_filter("Words")
    category = _subject_filter("Section", sections_with_stories, "Any section", "filter_category")
    tag = _subject_filter("Topic", tags_with_stories, "Any topic", "filter_tag")
    author = _subject_filter("Author", authors_with_stories, "Any author", "filter_author")
    official = _subject_filter(
        "Quoted official", officials_quoted, "Any official", "filter_official"
    )
    published_from = _date_filter("Published from", "filter_dates")
    published_to = _date_filter("Published until", "filter_dates")

    class Meta:
        form = DateRangeForm
        fields = []

    def filter_text(self, stories, name, value):
        return stories.matching(value)

    def filter_category(self, stories, name, category):
        return stories.in_category(category)

    def filter_tag(self, stories, name, tag):
        return stories.tagged(tag)

    def filter_author(self, stories, name, author):
        return stories.by_author(author)

    def filter_official(self, stories, name, official):
        return stories.quoting(official)

    def filter_dates(self, stories, name, day):
        if name == "published_from":
            return stories.published_between(first_day=day)
        return stories.published_between(last_day=day)

    @property
    def active_filters(self) -> bool:
        """Whether the reader narrowed the list at all."""
        return self.is_bound and any(self.data.get(name) for name in self.filters)


class SearchFilter(django_filters.FilterSet):
    """The words of /search/; an empty search finds nothing rather than everything."""

    q = _text_filter("Search for")

    class Meta:
        fields = []

    def filter_text(self, stories, name, value):
        return stories.matching(value)

    @property
    def qs(self):
        if not self.is_valid() or not self.form.cleaned_data.get("q"):
            return self.queryset.none()
        return super().qs
