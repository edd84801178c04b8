"""Format "dash-lead": the headline and the first paragraph share the first line.

    US Lifts Sanctions on Chinese Institute … – On Thursday, the United States …
    “The continued listing of the IFS …” U.S. State Department spokesperson …
    People Also Read: Kildee Not Seeking Re-Election to Michigan House Seat
    …

A paragraph a line. “People Also Read:” lines are the old site's further-reading
boxes, not part of the story: they become related links.
"""

import re

from .story import ParsedRelated, ParsedStory, StoryImportError
from .text import non_blank_lines

FORMAT_NAME = "dash-lead"

# An en dash with a space either side; a hyphen or an em dash may be part of a headline.
HEADLINE_SEPARATOR = " – "
_PEOPLE_ALSO_READ = re.compile(r"People Also Read:(?P<headline>.*)", re.IGNORECASE)


def is_dash_lead(text: str) -> bool:
    lines = non_blank_lines(text)
    return bool(lines) and HEADLINE_SEPARATOR in f" {lines[0][1]} "


def parse(text: str, file_name: str) -> ParsedStory:
    """Parse a dash-lead story; StoryImportError on anything it cannot use."""
    lines = non_blank_lines(text)
    if not lines:
        raise StoryImportError("the file is empty")
    first_line, first = lines[0]
    # non_blank_lines strips each line, so a separator at either end has lost a space.
    headline, separator, lead = f" {first} ".partition(HEADLINE_SEPARATOR)
    if not separator:
        raise StoryImportError(
            "expected “Headline – first paragraph” on the first line (an en dash with a space "
            "either side)",
            first_line,
        )
    if not headline.strip():
        raise StoryImportError("missing headline: the first line starts with the dash", first_line)
    story = ParsedStory(
        file_name=file_name,
        source_reference=file_name,
        format_name=FORMAT_NAME,
        headline=headline.strip(),
        headline_line=first_line,
    )

    paragraphs = [lead.strip()] if lead.strip() else []
    related = []
    for number, line in lines[1:]:
        match = _PEOPLE_ALSO_READ.fullmatch(line)
        if match is None:
            paragraphs.append(line)
        elif match["headline"].strip():
            headline = match["headline"].strip()
            related.append(ParsedRelated(headline=headline, match_headline=True, line=number))
        else:
            raise StoryImportError("“People Also Read:” without a headline", number)
    story.state("body", "\n\n".join(paragraphs), first_line)
    if related:
        story.state("related", related, related[0].line)
    return story
