"""`manage.py build_seed_fixture [--check]`: fixtures/stories.json from the seed texts.

The seed stories are made the way a newsroom makes any story it receives: the
source texts in fixtures/sources/ are imported with import_stories, then an
editor adds what the texts cannot carry. That curation is kept in
fixtures/curation.json, in this shape (a key left out means blank):

    {
      "status": "published",        the status every seed story is imported with
      "organisations": [{"slug", "name", "url", "description"}, ...],
      "officials": [
        {"slug", "name", "title", "organisation": <organisation slug>,
         "party", "chamber", "state", "bio"}, ...
      ],
      "stories": [
        {
          "source": "000_b7cfcc7d5be673ce.txt",    the file the story was imported from
          "published_at": "2023-11-16",             a day (time of day unknown) or an
                                                    ISO date and time, as in front matter
          "editorial_note": "...",
          "featured_image": {"alt_text": "..."},
          "quotes": [
            {"position", "text", "speakers": [<official slug>, ...], "context",
             "attribution"}, ...
          ]
        }, ...
      ]
    }

Rows are created in the order listed, so every build numbers them alike. The
build runs in a child process on a scratch SQLite database, never in the
newsroom's own: numbering starts afresh, and nothing an editor has changed
can leak into the fixture or be touched by the build.
"""

import argparse
import difflib
import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from articles.importing import StoryImportError
from articles.importing.text import parse_publication
from articles.models import Article, Quote
from people.models import Official, Organisation

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_DIR = FIXTURES_DIR / "sources"
CURATION_FILE = FIXTURES_DIR / "curation.json"
FIXTURE_FILE = FIXTURES_DIR / "stories.json"

# The apps whose rows are the newsroom's content.
CONTENT_APPS = ("taggit", "people", "articles")
# When and by whom the build saved a story, and how often, is not content. Left
# out, every build writes the same file, and a loaded story has no creation or
# update time and starts at edit version 1, as any story loaded from a fixture does.
UNRECORDED_FIELDS = {"articles.article": {"created_at", "updated_at", "created_by", "edit_version"}}

# The keys curation.json may use, and the kind of value each takes.
QUOTE_SHAPE = {
    "position": int,
    "text": str,
    "speakers": [str],
    "context": str,
    "attribution": str,
}
STORY_SHAPE = {
    "source": str,
    "published_at": str,
    "editorial_note": str,
    "featured_image": {"alt_text": str},
    "quotes": [QUOTE_SHAPE],
}
CURATION_SHAPE = {
    "status": str,
    "organisations": [{"slug": str, "name": str, "url": str, "description": str}],
    "officials": [
        {
            "slug": str,
            "name": str,
            "title": str,
            "organisation": str,
            "party": str,
            "chamber": str,
            "state": str,
            "bio": str,
        }
    ],
    "stories": [STORY_SHAPE],
}
REQUIRED_KEYS = {"status", "slug", "name", "source", "position", "text"}


class Command(BaseCommand):
    help = (
        "Build fixtures/stories.json from the seed texts in fixtures/sources/ and the editor's "
        "curation in fixtures/curation.json (officials, quotes, and the dates, notes and alt "
        "text the texts do not give): import_stories, then the curation, in a scratch "
        "database. With --check, write nothing and fail when the file is not what the build "
        "gives."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare instead of writing; exit non-zero when the fixture is out of date",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=FIXTURE_FILE,
            metavar="PATH",
            help="the fixture to write or check (default: fixtures/stories.json)",
        )
        parser.add_argument(
            "--curation",
            type=Path,
            default=CURATION_FILE,
            metavar="PATH",
            help="the editor's additions to apply (default: fixtures/curation.json)",
        )
        # Internal: the child process that builds in the scratch database given.
        parser.add_argument("--scratch-database", type=Path, help=argparse.SUPPRESS)

    def handle(self, *args, check, output, curation, scratch_database, verbosity, **options):
        curation_data = read_curation(curation)
        if scratch_database:
            self._build_here(curation_data, curation, scratch_database)
            return
        built = self._build_in_scratch_database(curation, verbosity)
        current = output.read_bytes() if output.is_file() else None
        if current == built:
            self.stdout.write(f"{output} is up to date.")
            return
        if check:
            self._explain_difference(output, current, built)
            raise CommandError(
                f"{output} is not what fixtures/sources/ and {curation.name} build; run "
                "`python manage.py build_seed_fixture` and commit the result"
            )
        try:
            output.write_bytes(built)
        except OSError as error:
            raise CommandError(f"{output}: cannot write: {error.strerror or error}") from None
        self.stdout.write(self.style.SUCCESS(f"{output} written."))

    def _build_in_scratch_database(self, curation: Path, verbosity: int) -> bytes:
        """The fixture, built by a child process in a throwaway SQLite file."""
        with tempfile.TemporaryDirectory(prefix="seed-fixture-") as scratch:
            database = Path(scratch) / "newsroom.sqlite3"
            environment = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{database}",
                "MEDIA_ROOT": str(Path(scratch) / "media"),
            }
            command = [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "build_seed_fixture",
                f"--curation={curation.resolve()}",
                f"--scratch-database={database}",
            ]
            result = subprocess.run(
                command,
                env=environment,
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                check=False,
            )
            if verbosity >= 2:
                self.stdout.write(result.stdout)
            if result.returncode != 0:
                reason = "\n".join(
                    line.removeprefix("CommandError: ")
                    for line in result.stderr.strip().splitlines()
                )
                raise CommandError(f"the seed fixture could not be built:\n{reason}")
            return _built_fixture_path(database).read_bytes()

    def _build_here(self, curation: dict, curation_path: Path, database: Path) -> None:
        """Import, curate and serialise into the scratch database this process was given."""
        if Path(connection.settings_dict["NAME"]) != database:
            raise CommandError(
                "the scratch database is not in use (do the settings ignore DATABASE_URL?); "
                "nothing was built"
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command(
            "import_stories",
            str(SOURCES_DIR),
            status=curation["status"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
        Curator(curation_path.name).apply(curation)
        _built_fixture_path(database).write_bytes(serialize_content().encode("utf-8"))

    def _explain_difference(self, output: Path, current: bytes | None, built: bytes) -> None:
        if current is None:
            self.stderr.write(f"{output} does not exist.")
            return
        diff = difflib.unified_diff(
            current.decode("utf-8", errors="replace").splitlines(),
            built.decode("utf-8").splitlines(),
            fromfile=f"{output} (as it is)",
            tofile=f"{output} (as built)",
            lineterm="",
        )
        self.stderr.write("\n".join(itertools.islice(diff, 40)))


def _built_fixture_path(database: Path) -> Path:
    return database.with_name("stories.json")


def serialize_content() -> str:
    """Every row of the content apps as `dumpdata --natural-foreign --natural-primary` gives
    them: models in dependency order, rows by primary key; indented, not ASCII-escaped."""
    app_list = [(apps.get_app_config(label), None) for label in CONTENT_APPS]
    records = []
    for model in serializers.sort_dependencies(app_list, allow_cycles=True):
        if model._meta.proxy:
            continue
        records += serializers.serialize(
            "python",
            model._default_manager.order_by(model._meta.pk.name),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
            fields=_recorded_fields(model),
        )
    return json.dumps(records, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def _recorded_fields(model: type[models.Model]) -> list[str] | None:
    unrecorded = UNRECORDED_FIELDS.get(model._meta.label_lower)
    if not unrecorded:
        return None  # every field
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [field.name for field in fields if field.name not in unrecorded]


def read_curation(path: Path) -> dict:
    """curation.json, checked against the shape above; CommandError naming what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text") from None
    try:
        curation = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    problem = next(_shape_problems(curation, CURATION_SHAPE, ""), None)
    if problem is not None:
        where, message = problem
        raise CommandError(f"{path}: {where or 'the file'}: {message}")
    if curation["status"] not in Article.Status.values:
        choices = ", ".join(Article.Status.values)
        raise CommandError(f"{path}: status: “{curation['status']}” is not one of {choices}")
    return curation


def _shape_problems(value, shape, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            yield where, "expected an object {…}"
            return
        for key in sorted(value.keys() - shape.keys()):
            yield f"{where}.{key}".lstrip("."), f"unknown key; expected one of {', '.join(shape)}"
        for key in sorted((shape.keys() & REQUIRED_KEYS) - value.keys()):
            yield f"{where}.{key}".lstrip("."), "missing"
        for key in value.keys() & shape.keys():
            yield from _shape_problems(value[key], shape[key], f"{where}.{key}".lstrip("."))
    elif isinstance(shape, list):
        if not isinstance(value, list):
            yield where, "expected a list […]"
            return
        for index, item in enumerate(value):
            yield from _shape_problems(item, shape[0], f"{where}[{index}]")
    elif not isinstance(value, shape) or isinstance(value, bool):
        yield where, "expected a whole number" if shape is int else "expected text"


class Curator:
    """Applies curation.json to freshly imported seed stories."""

    def __init__(self, file_name: str):
        self.file_name = file_name

    def apply(self, curation: dict) -> None:
        for index, values in enumerate(curation.get("organisations", [])):
            self._save(Organisation(**values), f"organisations[{index}]")
        for index, values in enumerate(curation.get("officials", [])):
            where = f"officials[{index}]"
            values = dict(values)
            if "organisation" in values:
                values["organisation"] = self._by_slug(
                    Organisation, values["organisation"], f"{where}.organisation"
                )
            self._save(Official(**values), where)
        for index, story in enumerate(curation.get("stories", [])):
            self._curate_story(story, f"stories[{index}]")

    def _curate_story(self, story: dict, where: str) -> None:
        article = (
            Article.objects.select_related("featured_image")
            .filter(source_reference=story["source"])
            .first()
        )
        if article is None:
            self._fail(f"{where}.source", f"no story was imported from “{story['source']}”")
        if "published_at" in story:
            try:
                article.published_at, article.publication_time_known = parse_publication(
                    story["published_at"], line=0
                )
            except StoryImportError as error:
                self._fail(f"{where}.published_at", error.message)
        if "editorial_note" in story:
            article.editorial_note = story["editorial_note"]
        self._save(article, where)
        if "featured_image" in story:
            image = article.featured_image
            if image is None:
                self._fail(f"{where}.featured_image", "the story has no picture")
            for name, value in story["featured_image"].items():
                setattr(image, name, value)
            self._save(image, f"{where}.featured_image")
        for index, values in enumerate(story.get("quotes", [])):
            quote_where = f"{where}.quotes[{index}]"
            values = dict(values)
            speakers = [
                self._by_slug(Official, slug, f"{quote_where}.speakers[{number}]")
                for number, slug in enumerate(values.pop("speakers", []))
            ]
            quote = Quote(article=article, **values)
            self._save(quote, quote_where)
            quote.speakers.set(speakers)

    def _by_slug(self, model: type[models.Model], slug: str, where: str):
        try:
            return model._default_manager.get_by_natural_key(slug)
        except ObjectDoesNotExist:
            name = model._meta.verbose_name
            self._fail(where, f"no {name} “{slug}”; list the {name} first")

    def _save(self, instance: models.Model, where: str) -> None:
        try:
            instance.full_clean()
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            self._fail(f"{where}.{field}", " ".join(messages))
        instance.save()

    def _fail(self, where: str, message: str):
        raise CommandError(f"{self.file_name}: {where}: {message}")
