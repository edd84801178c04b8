"""Turning story files from other systems into stories.

Three formats are recognised (see each parser module for an example):
front-matter YAML with a Markdown body, dated plain text with a caption and a
tags line, and plain text whose first line is “Headline – first paragraph”.
`parse_story` reads a file into a `ParsedStory`; `save_story` writes it.
"""

from . import dash_lead, dated_text, front_matter
from .story import ParsedByline, ParsedImage, ParsedRelated, ParsedStory, StoryImportError
from .text import decode_source, non_blank_lines, read_source
from .writer import SavedStory, save_story

PARSERS = {
    front_matter.FORMAT_NAME: front_matter.parse,
    dated_text.FORMAT_NAME: dated_text.parse,
    dash_lead.FORMAT_NAME: dash_lead.parse,
}
FORMAT_NAMES = list(PARSERS)

__all__ = [
    "FORMAT_NAMES",
    "ParsedByline",
    "ParsedImage",
    "ParsedRelated",
    "ParsedStory",
    "SavedStory",
    "StoryImportError",
    "decode_source",
    "detect_format",
    "parse_story",
    "read_source",
    "save_story",
]


def detect_format(text: str) -> str:
    """The name of the format `text` is written in; StoryImportError when none fits.

    The most specific signs are tried first: front matter, then a date line,
    then the dash on the first line (which a dated story's headline may also have).
    """
    if front_matter.has_front_matter(text):
        return front_matter.FORMAT_NAME
    if dated_text.is_dated_text(text):
        return dated_text.FORMAT_NAME
    if dash_lead.is_dash_lead(text):
        return dash_lead.FORMAT_NAME
    raise StoryImportError(
        "unknown format: expected front matter (“---”), a date line under the headline, or "
        "“Headline – first paragraph”; use --format to say which",
        next((number for number, _ in non_blank_lines(text)), 1),
    )


def parse_story(text: str, file_name: str, format_name: str | None = None) -> ParsedStory:
    """Parse one file's text, in `format_name` or the format it is recognised as.

    The file name is the story's source reference unless the file gives one.
    """
    return PARSERS[format_name or detect_format(text)](text, file_name)
