"""Reading source files and the small pieces of text every format shares."""

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .story import StoryImportError

# "July 24, 2023", "Jul. 24 2023", "24 July 2023", "2023-07-24".
_DAY_SHAPES = re.compile(
    r"[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}",
)
_DAY_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")


def read_source(path: Path) -> str:
    """The text of a source file, or StoryImportError naming the line at fault."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StoryImportError(f"cannot read the file: {error.strerror or error}") from None
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is allowed) and refuse what cannot be a story."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise StoryImportError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read); save the file "
            "as UTF-8",
            line,
        ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise StoryImportError("contains a NUL character; this looks like a binary file", line)
    if not text.strip():
        raise StoryImportError("the file is empty")
    return text


def split_lines(text: str) -> list[str]:
    """Lines without their endings, whichever convention the file uses.

    str.splitlines() is not used: it also breaks on form feeds and Unicode
    separators, which are text inside a paragraph, not line ends.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def non_blank_lines(text: str) -> list[tuple[int, str]]:
    """(line number, stripped text) of every line that has something on it."""
    return [
        (number, line.strip())
        for number, line in enumerate(split_lines(text), start=1)
        if line.strip()
    ]


def looks_like_day(text: str) -> bool:
    """True for a line shaped like a date, whether or not it is a real one."""
    return _DAY_SHAPES.fullmatch(text.strip()) is not None


def parse_day(text: str) -> date:
    """A calendar day written the way newsrooms write them; ValueError if unreadable."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    cleaned = re.sub(r"[.,]", " ", cleaned)
    cleaned = re.sub(r"\bSept\b", "Sep", " ".join(cleaned.split()), flags=re.IGNORECASE)
    for day_format in _DAY_FORMATS:
        try:
            return datetime.strptime(cleaned, day_format).date()
        except ValueError:
            continue
    raise ValueError(text)


def noon_utc(day: date) -> datetime:
    """The moment stored for a story whose day, but not time, is known.

    Noon UTC falls on the same calendar day in every newsroom time zone from
    UTC-11 to UTC+11, so the day readers see never shifts.
    """
    return datetime.combine(day, time(12), tzinfo=UTC)


def parse_publication(text: str, line: int) -> tuple[datetime, bool]:
    """(moment, time of day known) from a date or an ISO date and time."""
    try:
        if looks_like_day(text):
            return noon_utc(parse_day(text)), False
        moment = parse_datetime(text.strip())
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # Fails here, not in the database, for moments outside what UTC can hold.
            return moment.astimezone(UTC), True
    except (ValueError, OverflowError):
        pass
    raise StoryImportError(
        f"unreadable date “{text.strip()}” (write e.g. “July 24, 2023”, “2023-07-24” or "
        "“2023-07-24T15:30:00-04:00”)",
        line,
    )
