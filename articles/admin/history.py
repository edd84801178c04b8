"""A story's revision history as editors read it: what changed between two revisions.

Revisions hold the story with its bylines, quotes, related links and tags.
Each part is read back as the lines an editor would compare (a byline as
"name, title", a quote with who said it), and the lines of two revisions are
diffed, so a changed byline title shows as one changed line, not as a
serialised record.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

import reversion
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version
from reversion_compare.helpers import html_diff
from taggit.models import Tag

from people.models import Author, Official

from ..models import Article, Byline, Category, Image, Quote, RelatedLink, TaggedArticle

# Story fields compared, in the form's order. The edit counter and timestamps
# change on every save and would only add noise.
COMPARED_FIELDS = [
    "headline",
    "slug",
    "subheadline",
    "body",
    "excerpt",
    "featured_image",
    "category",
    "status",
    "published_at",
    "publication_time_known",
    "source_reference",
    "editorial_note",
]


@dataclass(frozen=True)
class Difference:
    """One changed part of a story: its name and the marked-up difference."""

    label: str
    diff: str


def record_first_revision(story: Article) -> None:
    """Record a story's stored state as its first revision, if it has none yet.

    Stories loaded from fixtures or imported have no revision; without one,
    their first change in the admin could never be undone. Call it before the
    change's own revision block, so the stored state gets a revision of its own.
    """
    if Version.objects.get_for_object(story).exists():
        return
    with reversion.create_revision():
        reversion.set_comment("As stored before its first change in the admin.")
        reversion.add_to_revision(story)


def story_differences(version1: Version, version2: Version) -> list[Difference]:
    """What changed in a story from revision ``version1`` to ``version2``, part by part."""
    old, new = StoryRevision(version1), StoryRevision(version2)
    differences = []
    for name in COMPARED_FIELDS:
        before, after = old.field_text(name), new.field_text(name)
        if before != after:
            label = Article._meta.get_field(name).verbose_name
            differences.append(Difference(label, html_diff(before, after)))
    for label, lines in [
        ("bylines", StoryRevision.byline_lines),
        ("quotes", StoryRevision.quote_lines),
        ("related links", StoryRevision.related_link_lines),
        ("tags", StoryRevision.tag_lines),
    ]:
        before, after = lines(old), lines(new)
        if before != after:
            differences.append(Difference(label, line_diff(before, after)))
    return differences


def line_diff(before: list[str], after: list[str]) -> str:
    """Two lists of lines as one: removed lines struck through, added ones underlined.

    Bylines, quotes and links change as wholes, so they are compared line by
    line; a character diff would splice two names into one.
    """
    unchanged = '<span class="diff-line">  {}</span>'
    removed = '<span class="diff-line diff-del"><del>- {}</del></span>'
    added = '<span class="diff-line diff-ins"><ins>+ {}</ins></span>'
    rows = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, start1, end1, start2, end2 in matcher.get_opcodes():
        if operation == "equal":
            rows += [format_html(unchanged, line) for line in before[start1:end1]]
        else:
            rows += [format_html(removed, line) for line in before[start1:end1]]
            rows += [format_html(added, line) for line in after[start2:end2]]
    return format_html(
        '<pre class="highlight">{}</pre>', format_html_join("\n", "{}", ((row,) for row in rows))
    )


class StoryRevision:
    """One revision of a story, read back as text."""

    def __init__(self, version: Version):
        self.version = version
        self.fields = version.field_dict
        self.story_id = version.object_id

    def field_text(self, name) -> str:
        field = Article._meta.get_field(name)
        value = self.fields.get(field.attname)
        if value is None or value == "":
            return ""
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if name == "published_at":
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if name == "publication_time_known":
            return "yes" if value else "no"
        if name == "category":
            return _name_of(Category, value)
        if name == "featured_image":
            return _name_of(Image, value)
        return str(value)

    def _parts(self, model, story_field):
        """The field values of the story's ``model`` rows in this revision, in print order."""
        parts = [
            version.field_dict
            for version in self.version.revision.version_set.get_for_model(model)
            if str(version.field_dict.get(story_field)) == self.story_id
        ]
        return sorted(parts, key=lambda fields: (fields.get("position", 0), fields["id"]))

    def byline_lines(self):
        bylines = self._parts(Byline, "article_id")
        names = _names(Author, {fields["author_id"] for fields in bylines})
        return [
            ", ".join(filter(None, [names.get(fields["author_id"], "?"), fields["title"]]))
            for fields in bylines
        ]

    def quote_lines(self):
        quotes = self._parts(Quote, "article_id")
        speakers = _names(Official, {pk for fields in quotes for pk in fields["speakers"]})
        lines = []
        for fields in quotes:
            said_by = sorted(speakers.get(pk, "?") for pk in fields["speakers"])
            if fields["attribution"]:
                said_by.append(fields["attribution"])
            lines.append(
                " — ".join(
                    filter(None, [f"“{fields['text']}”", ", ".join(said_by), fields["context"]])
                )
            )
        return lines

    def related_link_lines(self):
        links = self._parts(RelatedLink, "article_id")
        headlines = _names(Article, {fields["target_id"] for fields in links} - {None})
        return [
            f"Our story: {headlines.get(fields['target_id'], '?')}"
            if fields["target_id"]
            else f"Elsewhere: {fields['headline']} ({fields['url']})"
            for fields in links
        ]

    def tag_lines(self):
        tagged = self._parts(TaggedArticle, "content_object_id")
        return sorted(_names(Tag, {fields["tag_id"] for fields in tagged}).values(), key=str.lower)


def _names(model, pks) -> dict:
    """``{pk: str(row)}`` for the rows of ``model`` that still exist."""
    if not pks:
        return {}
    return {pk: str(row) for pk, row in model._default_manager.in_bulk(pks).items()}


def _name_of(model, pk) -> str:
    return _names(model, {pk}).get(pk, f"{model._meta.verbose_name} {pk} (deleted)")
