"""The reader's filters over the story list, and the search form.

Every choice comes from published stories only: a section, tag, author or
official that appears only in drafts is neither offered nor accepted, and
asking for it by address is refused like any unknown value.

An archive holds thousands of topics and hundreds of people, too many to offer
in a form. Each list offers the OFFERED_CHOICES subjects of the most published
stories, alphabetically, and the reader's own choice when it is not among them;
any subject with a published story is accepted by address (one indexed lookup),
so the links on story pages and in old bookmarks keep working. The lists are
computed once per content generation (see newsroom.cache) and kept in the
cache, so a request reads them rather than counting the archive.
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django_filters.fields import ModelChoiceField

from newsroom.cache import once_per_generation

from .models.querysets import SEARCH_MAX_LENGTH
from .queries import (
    authors_by_frequency,
    authors_with_stories,
    officials_by_frequency,
    officials_quoted,
    sections_by_frequency,
    sections_with_stories,
    tags_by_frequency,
    tags_with_stories,
)

# Wide enough for any archive, narrow enough that no date arithmetic overflows.
EARLIEST_DAY = datetime.date(1800, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


# How many subjects each choice list offers: enough to cover the subjects most
# stories are about, few enough that the page stays small at any archive size.
OFFERED_CHOICES = 40

# The id of the form's hint that a list offers only the most frequent subjects
# (templates/articles/article_list.html); the lists it applies to point to it.
FREQUENT_ONLY_HINT_ID = "filters-hint"

# Filter name: the subjects to offer, most frequent first.
SUBJECTS_BY_FREQUENCY = {
    "category": sections_by_frequency,
    "tag": tags_by_frequency,
    "author": authors_by_frequency,
    "official": officials_by_frequency,
}


def subject_choices() -> dict[str, list[tuple[str, str, str]]]:
    """What each subject filter offers: (sort key, slug, label) triples, alphabetically.

    Computed with one aggregate query per filter the first time it is asked
    for under the current content generation, and read from the cache after
    that until content changes. Plain strings only, so that a cached copy never
    depends on a class that may have changed since it was stored.
    """
    return once_per_generation("story-filters:choices:v1", _count_choices, share=True)


def _count_choices():
    return {
        name: sorted(
            (_sort_key(subject), subject.slug, str(subject))
            for subject in by_frequency()[:OFFERED_CHOICES]
        )
        for name, by_frequency in SUBJECTS_BY_FREQUENCY.items()
    }


def _sort_key(subject) -> str:
    # People by name, not by the honorific an official's label starts with.
    return subject.name.casefold()


class OfferedChoices(BaseChoiceIterator):
    """A subject field's choices as the form draws them, without a query.

    The empty choice, then the field's offer with the reader's own choice
    merged in alphabetically when the offer does not hold it.
    """

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        offered = self.field.offered()
        chosen = self.field.chosen
        if chosen is not None and all(slug != chosen.slug for _, slug, _ in offered):
            label = self.field.label_from_instance(chosen)
            offered = sorted([*offered, (_sort_key(chosen), chosen.slug, label)])
        for _, slug, label in offered:
            yield (slug, label)

    def __len__(self):
        return sum(1 for _ in self)

    def __bool__(self):
        return True


class SubjectChoiceField(ModelChoiceField):
    """A subject chosen by slug: offers a short list, accepts any subject in `queryset`.

    `offered` returns this field's triples of `subject_choices()`.
    """

    iterator = OfferedChoices

    def __init__(self, *args, offered, **kwargs):
        self.offered = offered
        self.chosen = None
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        subject = super().to_python(value)
        if isinstance(subject, self.queryset.model):
            # Offered alongside the list, so the form shows what filters the stories.
            self.chosen = subject
        return subject


class QuickSelect(forms.Select):
    """A <select> written out in Python instead of through one template per option.

    The list page draws four lists of up to OFFERED_CHOICES options on every
    uncached request; through the widget templates they would cost more than
    the page's queries.
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


class SubjectFilter(django_filters.ModelChoiceFilter):
    """A choice among the subjects of published stories, by slug.

    Accepts any subject `subjects()` holds; offers this filter's share of the
    filter set's `choices_on_offer`.
    """

    field_class = SubjectChoiceField

    def __init__(self, *, label, subjects, empty_label, method, described_by=None):
        super().__init__(
            label=label,
            queryset=lambda request: subjects(),
            to_field_name="slug",
            empty_label=empty_label,
            method=method,
            widget=QuickSelect(attrs={"aria-describedby": described_by} if described_by else None),
        )

    @property
    def field(self):
        self.extra["offered"] = self.offered
        return super().field

    def offered(self):
        """This filter's choices on offer; the filter set reads all its filters' at once."""
        return self.parent.choices_on_offer[self.field_name]


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
    category = SubjectFilter(
        label="Section",
        subjects=sections_with_stories,
        empty_label="Any section",
        method="filter_category",
    )
    tag = SubjectFilter(
        label="Topic",
        subjects=tags_with_stories,
        empty_label="Any topic",
        method="filter_tag",
        described_by=FREQUENT_ONLY_HINT_ID,
    )
    author = SubjectFilter(
        label="Author",
        subjects=authors_with_stories,
        empty_label="Any author",
        method="filter_author",
        described_by=FREQUENT_ONLY_HINT_ID,
    )
    official = SubjectFilter(
        label="Quoted official",
        subjects=officials_quoted,
        empty_label="Any official",
        method="filter_official",
        described_by=FREQUENT_ONLY_HINT_ID,
    )
    published_from = _date_filter("Published from", "filter_dates")
    published_to = _date_filter("Published until", "filter_dates")

    # For the form's hint: how many subjects a list offers at most.
    offered_per_list = OFFERED_CHOICES

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

    @cached_property
    def choices_on_offer(self):
        """What each subject filter offers (see `subject_choices()`), read once per request."""
        return subject_choices()

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
        return stories.matching(value).best_first()

    @property
    def qs(self):
        if not self.is_valid() or not self.form.cleaned_data.get("q"):
            return self.queryset.none()
        return super().qs
