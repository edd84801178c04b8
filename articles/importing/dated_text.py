"""Format "dated-text": plain text with a date line and a closing tags line.

    Biden Admin Weighs Dropping Sanctions on China …       headline
    A DEA agent checks pills containing fentanyl (Getty Images)   optional caption
    July 24, 2023                                           date
    The Biden administration may drop sanctions …           body, a paragraph a line
    …
    Published under: China , Fentanyl                       tags

The caption is recognised only in front of the date line: elsewhere a line
ending in parentheses is just a paragraph.
"""

import re

from .story import ParsedImage, ParsedStory, StoryImportError
from .text import looks_like_day, non_blank_lines, noon_utc, parse_day

FORMAT_NAME = "dated-text"

_TAGS_LINE = re.compile(r"Published under:(?P<tags>.*)", re.IGNORECASE)
_CAPTION = re.compile(r"(?P<cutline>.*)\((?P<credit>[^()]*)\)")


def is_dated_text(text: str) -> bool:
    """A date among the first three lines, or a closing “Published under:” line."""
    lines = [line for _, line in non_blank_lines(text)]
    return (
        any(looks_like_day(line) for line in lines[:3])
        or bool(lines)
        and _TAGS_LINE.fullmatch(lines[-1]) is not None
    )


def parse(text: str, file_name: str) -> ParsedStory:
    """Parse a dated-text story; StoryImportError on anything it cannot use."""
    lines = non_blank_lines(text)
    if not lines:
        raise StoryImportError("the file is empty")
    headline_line, headline = lines[0]
    if looks_like_day(headline):
        raise StoryImportError("missing headline: the story starts with its date", headline_line)
    if _TAGS_LINE.fullmatch(headline):
        raise StoryImportError("missing headline: the story starts with its tags", headline_line)
    story = ParsedStory(
        file_name=file_name,
        source_reference=file_name,
        format_name=FORMAT_NAME,
        headline=headline,
        headline_line=headline_line,
    )

    rest = lines[1:]
    if rest and _TAGS_LINE.fullmatch(rest[-1][1]):
        tags_line, tags_text = rest.pop()
        tags = _TAGS_LINE.fullmatch(tags_text)["tags"].split(",")
        story.state("tags", [name.strip() for name in tags if name.strip()], tags_line)

    date_index = next(
        (index for index in (0, 1) if index < len(rest) and looks_like_day(rest[index][1])), None
    )
    if date_index is not None:
        date_line, date_text = rest[date_index]
        try:
            day = parse_day(date_text)
        except ValueError:
            raise StoryImportError(f"unreadable date “{date_text}”", date_line) from None
        story.state("published_at", noon_utc(day), date_line)
        story.publication_time_known = False
        if date_index == 1:
            caption_line, caption = rest[0]
            story.state("image", _caption(caption), caption_line)
        rest = rest[date_index + 1 :]

    body_line = rest[0][0] if rest else headline_line
    story.state("body", "\n\n".join(line for _, line in rest), body_line)
    return story


def _caption(line: str) -> ParsedImage:
    """“cutline (Credit)”: the credit is the parenthesis at the end; no picture."""
    match = _CAPTION.fullmatch(line)
    if match is None:
        return ParsedImage(cutline=line, credit="")
    return ParsedImage(cutline=match["cutline"].strip(), credit=match["credit"].strip())
