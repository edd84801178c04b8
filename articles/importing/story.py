"""What a source file says about a story, before anything touches the database.

Every parser produces a `ParsedStory`. Its `stated` set records which facts the
file actually gives: a re-import changes only those, so what an editor added
that the source format cannot carry (a dek on a plain-text story, a date worked
out from the text, an uploaded picture) survives.
"""

from dataclasses import dataclass, field
from datetime import datetime


class StoryImportError(Exception):
    """A file that cannot become a story; `line` points at the offending line (1-based)."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class ParsedImage:
    """The featured picture; None in a field means the file does not say."""

    path: str | None = None  # an http(s) address, or a file name in media storage
    cutline: str | None = None
    credit: str | None = None
    alt_text: str | None = None


@dataclass
class ParsedByline:
    name: str
    title: str = ""  # empty: the author's job title is printed


@dataclass
class ParsedRelated:
    """A related story: one of ours by address, or a headline (and address) elsewhere."""

    headline: str = ""
    url: str = ""
    slug: str = ""
    # "People Also Read" lines name a headline only: link it to our story with
    # exactly that headline when there is one.
    match_headline: bool = False
    line: int = 0  # where the file gives it, when it has a line of its own


@dataclass
class ParsedStory:
    """Everything one source file says about one story."""

    file_name: str
    source_reference: str  # identifies the story across re-imports; may be empty
    format_name: str
    headline: str
    headline_line: int = 1
    body: str = ""
    slug: str = ""  # empty: derived from the headline
    subheadline: str = ""
    excerpt: str = ""
    status: str = ""
    published_at: datetime | None = None
    publication_time_known: bool = True
    category: str = ""
    image: ParsedImage | None = None
    bylines: list[ParsedByline] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    related: list[ParsedRelated] = field(default_factory=list)
    # Names of the fields above that the file states; the others are left alone.
    stated: set[str] = field(default_factory=set)
    # Source line of each stated field, so a value the database refuses can be
    # reported where it was written.
    lines: dict[str, int] = field(default_factory=dict)
    # Things worth telling whoever runs the import, as (line, message).
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self):
        # Every format has a headline; without one there is no story.
        self.stated.add("headline")
        self.lines.setdefault("headline", self.headline_line)

    def state(self, name: str, value, line: int) -> None:
        """Record that the file gives `name`, on `line`."""
        setattr(self, name, value)
        self.stated.add(name)
        self.lines[name] = line

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.headline_line)
