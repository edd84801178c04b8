"""`manage.py import_stories PATH [PATH ...]`: stories from text files."""

from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DataError, IntegrityError, transaction

from articles.importing import (
    FORMAT_NAMES,
    ParsedStory,
    SavedStory,
    StoryImportError,
    parse_story,
    read_source,
    save_story,
)
from articles.importing.writer import CREATED, UNCHANGED, UPDATED
from articles.models import Article

SOURCE_SUFFIXES = {".txt", ".md"}


class Command(BaseCommand):
    help = (
        "Import stories from files, or from folders (searched for *.txt and *.md). Each file's "
        "format is recognised: YAML front matter with a Markdown body; a headline, optional "
        "“cutline (Credit)” caption, date line, body and “Published under:” tags line; or "
        "“Headline – first paragraph” with “People Also Read:” lines. Re-importing a file "
        "updates the story it made, changing only what the file states: quotes and other "
        "editorial additions stay. A file that cannot be imported is reported as path:line "
        "and skipped, with nothing of it written."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
        parser.add_argument(
            "--format",
            dest="format_name",
            choices=FORMAT_NAMES,
            help="read every file as this format instead of recognising it",
        )
        parser.add_argument(
            "--status",
            choices=Article.Status.values,
            default="",
            help="give every imported story this status. Without it a file's own status is "
            "used; new stories are otherwise drafts and re-imported ones keep theirs.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would be created or changed, and write nothing",
        )

    def handle(self, *args, paths, format_name, status, dry_run, verbosity, **options):
        self.dry_run = dry_run
        self.verbosity = verbosity
        files = self._source_files(paths)
        self.outcomes: dict[Path, str] = {}
        waiting_for_links: dict[Path, ParsedStory] = {}
        # A dry run imports for real inside one transaction and rolls it back, so
        # what it prints is exactly what a real run would do, later files seeing
        # the stories earlier ones made. A real run commits file by file.
        with transaction.atomic() if dry_run else nullcontext():
            sources_seen: dict[str, Path] = {}
            for path in files:
                story = self._parse(path, format_name, sources_seen)
                saved = story and self._save(path, story, status)
                if saved:
                    self._report(path, saved)
                    if saved.has_unresolved_links:
                        waiting_for_links[path] = story
            if CREATED in self.outcomes.values():
                self._link_stories_imported_later(waiting_for_links, status)
            if dry_run:
                transaction.set_rollback(True)
        self._summarise(len(files))

    def _source_files(self, paths: list[Path]) -> list[Path]:
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                found = sorted(
                    candidate
                    for candidate in path.rglob("*")
                    if candidate.suffix.lower() in SOURCE_SUFFIXES
                    and candidate.is_file()
                    and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
                )
                if not found:
                    self.stderr.write(self.style.WARNING(f"{path}: no .txt or .md files"))
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        unique = list(dict.fromkeys(files))
        if not unique:
            raise CommandError("nothing to import")
        return unique

    def _parse(self, path: Path, format_name: str | None, sources_seen: dict) -> ParsedStory | None:
        try:
            story = parse_story(read_source(path), path.name, format_name)
        except StoryImportError as error:
            return self._fail(path, error.line, error.message)
        if story.source_reference and story.source_reference in sources_seen:
            return self._fail(
                path,
                1,
                f"{sources_seen[story.source_reference]} in this import has the same source "
                f"reference “{story.source_reference}”; only one can be imported",
            )
        sources_seen[story.source_reference] = path
        for line, warning in story.warnings:
            self.stderr.write(self.style.WARNING(f"{path}:{line}: warning: {warning}"))
        return story

    def _save(self, path: Path, story: ParsedStory, status: str) -> SavedStory | None:
        try:
            with transaction.atomic():
                saved = save_story(story, status=status)
        except StoryImportError as error:
            return self._fail(path, error.line, error.message)
        except (IntegrityError, DataError) as error:
            # Another writer got there first, or a limit only the database knows.
            return self._fail(path, story.headline_line, f"the database refused the story: {error}")
        self.outcomes[path] = saved.action
        return saved

    def _link_stories_imported_later(self, waiting: dict[Path, ParsedStory], status: str) -> None:
        """Import again the files whose related stories may have arrived after them."""
        for path, story in waiting.items():
            first_outcome = self.outcomes[path]
            saved = self._save(path, story, status)
            if saved is None:
                continue
            # Still one outcome per file: a story created then linked was created.
            self.outcomes[path] = first_outcome if first_outcome != UNCHANGED else saved.action
            if saved.action == UPDATED and self.verbosity >= 1:
                self.stdout.write(f"{path}: related stories imported after it are now linked")
                self._write_notes(saved)

    def _report(self, path: Path, saved: SavedStory) -> None:
        if self.verbosity < 1:
            return
        article = saved.article
        if saved.action == CREATED:
            verb = "would be created" if self.dry_run else "created"
            line = f"{path}: {verb}: “{article.headline}” ({article.slug}, {article.status})"
            self.stdout.write(self.style.SUCCESS(line))
        elif saved.action == UPDATED:
            verb = "would be updated" if self.dry_run else "updated"
            changes = ", ".join(saved.changes)
            self.stdout.write(self.style.SUCCESS(f"{path}: {verb} ({changes}): {article.slug}"))
        else:
            self.stdout.write(f"{path}: unchanged: {article.slug}")
        if saved.action != UNCHANGED:
            self._write_notes(saved)

    def _write_notes(self, saved: SavedStory) -> None:
        for note in saved.notes:
            self.stdout.write(f"    {note}")

    def _fail(self, path: Path, line: int, message: str) -> None:
        self.outcomes[path] = "failed"
        one_line = " ".join(message.split())
        self.stderr.write(self.style.ERROR(f"{path}:{line}: {one_line}"))

    def _summarise(self, total: int) -> None:
        counts = Counter(self.outcomes.values())
        summary = (
            f"{total} file{'s' if total != 1 else ''}: {counts[CREATED]} created, "
            f"{counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged, {counts['failed']} failed"
        )
        if self.dry_run:
            summary = f"Dry run, nothing written. {summary}"
        self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {total} files could not be imported")
