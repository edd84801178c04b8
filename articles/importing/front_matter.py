"""Format "front-matter": YAML between `---` lines, then the Markdown body.

    ---
    title: Biden wants to ease China sanctions …
    subhed: American lives aren’t a bargaining chip …
    author: Charles Standard
    author-title: Senior Political Correspondent
    featured-image:
      path: https://…/photo.jpg
      cutline: Biden and Xi Jinping pose for the camera
      credit: Washington Post
    category: Politics
    ---

    Biden is considering …

Besides the keys above, the exporter writes (and this reads) `alt` under
`featured-image`, and `tags`, `date`, `status`, `slug`, `related`, `excerpt` and
`source-reference`. `author` and `author-title` may be lists, one entry a
byline. A `related` entry is `{slug: …}` for one of our stories, `{headline: …,
url: …}` for a story elsewhere, or a bare headline, linked like a “People Also
Read” line. `layout` belonged to the old site's theme and is ignored.
"""

import yaml

from articles.models import Article

from .story import ParsedByline, ParsedImage, ParsedRelated, ParsedStory, StoryImportError
from .text import parse_publication, split_lines

FORMAT_NAME = "front-matter"

_IGNORED_KEYS = {"layout"}
_KNOWN_KEYS = {
    "title", "subhed", "author", "author-title", "featured-image", "category", "tags", "date",
    "status", "slug", "related", "excerpt", "source-reference",
} | _IGNORED_KEYS  # fmt: skip
_IMAGE_KEYS = {"path": "path", "cutline": "cutline", "credit": "credit", "alt": "alt_text"}
_STATUS_BY_NAME = {
    **{value: value for value in Article.Status.values},
    **{label.lower(): value for value, label in Article.Status.choices},
}


class _TextLoader(yaml.SafeLoader):
    """Reads every plain value as text, except an empty value or `null`.

    A headline such as “No”, “2024” or “1.5 Million Reasons” must stay text,
    and dates are read by the importer, which can say what is wrong with them.
    """


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def has_front_matter(text: str) -> bool:
    return next((line.strip() for line in split_lines(text) if line.strip()), "") == "---"


def parse(text: str, file_name: str) -> ParsedStory:
    """Parse a front-matter story; StoryImportError on anything it cannot use."""
    lines = split_lines(text)
    opening = next((index for index, line in enumerate(lines) if line.strip()), 0)
    if lines[opening].strip() != "---":
        raise StoryImportError("expected front matter: a “---” line first", opening + 1)
    closing = next(
        (index for index in range(opening + 1, len(lines)) if lines[index].rstrip() == "---"),
        None,
    )
    if closing is None:
        raise StoryImportError(
            "the front matter opened here is never closed with a “---” line", opening + 1
        )
    fields, key_lines = _load_yaml("\n".join(lines[opening + 1 : closing]), first_line=opening + 2)
    reader = _FieldReader(fields, key_lines, default_line=opening + 1)

    title = reader.text("title")
    if not title:
        raise StoryImportError("missing headline: the front matter has no title", opening + 1)
    story = ParsedStory(
        file_name=file_name,
        # An export names where the story first came from, perhaps nowhere (it
        # was written here): that, not the export's file name, identifies it.
        source_reference=(
            reader.text("source-reference") if "source-reference" in fields else file_name
        ),
        format_name=FORMAT_NAME,
        headline=title,
        headline_line=reader.line("title"),
    )
    body_lines = lines[closing + 1 :]
    story.state("body", _strip_blank_lines(body_lines), closing + 2)

    for key, attribute in [
        ("subhed", "subheadline"),
        ("excerpt", "excerpt"),
        ("category", "category"),
    ]:
        if key in fields:
            story.state(attribute, reader.text(key), reader.line(key))
    if "slug" in fields and reader.text("slug"):
        story.state("slug", reader.text("slug"), reader.line("slug"))
    if "status" in fields:
        story.state("status", _status(reader), reader.line("status"))
    if "date" in fields:
        moment, time_known = None, True
        if reader.text("date"):
            moment, time_known = parse_publication(reader.text("date"), reader.line("date"))
        story.state("published_at", moment, reader.line("date"))
        story.publication_time_known = time_known
    if "author" in fields:
        story.state("bylines", _bylines(reader), reader.line("author"))
    elif "author-title" in fields:
        story.warnings.append((reader.line("author-title"), "author-title without an author"))
    if "featured-image" in fields:
        story.state("image", _image(reader, story), reader.line("featured-image"))
    if "tags" in fields:
        story.state("tags", _tags(reader), reader.line("tags"))
    if "related" in fields:
        story.state("related", _related(reader), reader.line("related"))

    for key in sorted(fields.keys() - _KNOWN_KEYS, key=str):
        story.warnings.append((reader.line(key), f"front-matter key “{key}” is not used"))
    return story


def _load_yaml(source: str, first_line: int) -> tuple[dict, dict[str, int]]:
    """The front matter as a dict, and the line each top-level key is on."""
    loader = _TextLoader(source)
    try:
        node = loader.get_single_node()
        fields = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line
        problem = error.problem or error.context or "it cannot be read"
        raise StoryImportError(f"broken front matter: {problem}", line) from None
    except yaml.YAMLError as error:  # bad characters, reported with a position
        position = getattr(error, "position", 0) or 0
        line = first_line + source.count("\n", 0, position)
        reason = getattr(error, "reason", "") or "it cannot be read"
        raise StoryImportError(f"broken front matter: {reason}", line) from None
    except (ValueError, TypeError, OverflowError, RecursionError):
        # Explicitly tagged values YAML cannot build, e.g. `!!int twelve`.
        raise StoryImportError("broken front matter: a value cannot be read", first_line) from None
    finally:
        loader.dispose()
    if not isinstance(fields, dict):
        raise StoryImportError("broken front matter: expected “key: value” lines", first_line)
    key_lines = {
        key_node.value: first_line + key_node.start_mark.line
        for key_node, _ in node.value
        if isinstance(key_node, yaml.ScalarNode)
    }
    return fields, key_lines


class _FieldReader:
    """Typed access to front-matter values, with errors that name the key's line."""

    def __init__(self, fields: dict, key_lines: dict[str, int], default_line: int):
        self.fields = fields
        self.key_lines = key_lines
        self.default_line = default_line

    def line(self, key) -> int:
        return self.key_lines.get(key, self.default_line)

    def error(self, key: str, expected: str) -> StoryImportError:
        return StoryImportError(f"“{key}” must be {expected}", self.line(key))

    def text(self, key: str) -> str:
        return self.as_text(key, self.fields.get(key))

    def as_text(self, key: str, value) -> str:
        """`value`, found under `key`, as stripped text; None is empty."""
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.error(key, "text")
        return value.strip()

    def text_list(self, key: str) -> list[str]:
        """A list of texts; a single text is a list of one, commas do not split it."""
        value = self.fields.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if not isinstance(value, list):
            raise self.error(key, "text or a list of texts")
        return [self.as_text(key, item) for item in value if item is not None]


def _status(reader: _FieldReader) -> str:
    name = reader.text("status")
    if name.lower() not in _STATUS_BY_NAME:
        raise reader.error("status", "one of " + ", ".join(Article.Status.values))
    return _STATUS_BY_NAME[name.lower()]


def _bylines(reader: _FieldReader) -> list[ParsedByline]:
    names = [name for name in reader.text_list("author") if name]
    titles = reader.text_list("author-title")
    if len(titles) > 1 and len(titles) != len(names):
        raise reader.error(
            "author-title", f"one title, or one for each of the {len(names)} authors"
        )
    if len(titles) == 1:
        titles = titles * len(names)
    return [
        ParsedByline(name=name, title=titles[index] if titles else "")
        for index, name in enumerate(names)
    ]


def _image(reader: _FieldReader, story: ParsedStory) -> ParsedImage | None:
    value = reader.fields["featured-image"]
    if value is None or value == "":
        return None
    if isinstance(value, str):  # the address alone
        return ParsedImage(path=value.strip())
    if not isinstance(value, dict):
        raise reader.error("featured-image", "a picture address or path, cutline and credit")
    image = ParsedImage()
    for key, attribute in _IMAGE_KEYS.items():
        if key in value:
            setattr(image, attribute, reader.as_text("featured-image", value[key]))
    for key in sorted(value.keys() - _IMAGE_KEYS.keys(), key=str):
        story.warnings.append(
            (reader.line("featured-image"), f"featured-image “{key}” is not used")
        )
    return image


def _tags(reader: _FieldReader) -> list[str]:
    value = reader.fields["tags"]
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return [name for name in reader.text_list("tags") if name]


def _related(reader: _FieldReader) -> list[ParsedRelated]:
    value = reader.fields["related"]
    if value is None:
        return []
    if not isinstance(value, list):
        raise reader.error("related", "a list")
    related = []
    for item in value:
        if isinstance(item, str):
            if item.strip():
                related.append(ParsedRelated(headline=item.strip(), match_headline=True))
        elif isinstance(item, dict):
            link = ParsedRelated(
                headline=reader.as_text("related", item.get("headline")),
                url=reader.as_text("related", item.get("url")),
                slug=reader.as_text("related", item.get("slug")),
            )
            if not (link.slug or link.headline):
                raise reader.error("related", "stories given by slug, or headlines")
            related.append(link)
        elif item is not None:
            raise reader.error("related", "a list of slugs or headlines")
    return related


def _strip_blank_lines(lines: list[str]) -> str:
    """The body as written, without the blank lines around it."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])
