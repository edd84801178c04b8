"""`manage.py restore_newsroom ARCHIVE`: a backup made by backup_newsroom, back in place."""

import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.contrib.auth.models import Group
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .backup_newsroom import (
    ARCHIVE_FORMAT,
    DATA_NAME,
    MANIFEST_NAME,
    MEDIA_PREFIX,
    applied_migrations,
    models_backed_up,
)

# Rows a freshly migrated database already has: the newsroom's roles. They are
# replaced by the backup's own, which carry the permissions they had.
MADE_BY_MIGRATE = {"auth.Group"}


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_newsroom into an empty database: run `manage.py "
        "migrate` on a new database first. Stories, people, tags, revision history, users, "
        "groups and media files come back exactly as they were backed up, in one transaction. "
        "A database that already holds content is refused, as is an archive made with "
        "migrations this database has not had."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz file backup_newsroom wrote")

    def handle(self, *args, archive: Path, verbosity, **options):
        with self._open(archive) as backup:
            members = self._members(backup, archive)
            manifest = self._manifest(backup, members[MANIFEST_NAME], archive)
            self._check_schema(manifest)
            self._check_empty()
            with tempfile.TemporaryDirectory() as work, transaction.atomic():
                data = Path(work) / DATA_NAME
                data.write_bytes(backup.extractfile(members[DATA_NAME]).read())
                # The roles made by migrate give way to the backup's own.
                Group.objects.all().delete()
                call_command("loaddata", str(data), verbosity=0)
                media = [
                    member for name, member in members.items() if name.startswith(MEDIA_PREFIX)
                ]
                for member in media:
                    self._restore_file(backup, member)
        self._tell_the_page_cache()
        if verbosity:
            rows = manifest["rows"]
            self.stdout.write(
                self.style.SUCCESS(f"Restored {archive}")
                + f" (made {manifest['created_at']}): {rows.get('articles.Article', 0)} stories, "
                f"{sum(rows.values())} rows in all, {len(media)} media files."
            )

    def _open(self, archive: Path):
        try:
            return tarfile.open(archive, "r:gz")
        except FileNotFoundError:
            raise CommandError(f"{archive}: no such file") from None
        except (tarfile.TarError, OSError) as error:
            raise CommandError(f"{archive} is not a backup archive ({error})") from None

    def _members(self, backup, archive) -> dict:
        """The archive's files by name, refusing anything a backup never holds.

        Names are checked before anything is written: a crafted archive must
        not place a file outside media storage, nor a link or a device.
        """
        members = {}
        try:
            entries = backup.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(f"{archive} is damaged ({error})") from None
        for member in entries:
            if member.isdir():
                continue
            path = PurePosixPath(member.name)
            is_media = member.name.startswith(MEDIA_PREFIX) and len(path.parts) > 1
            if (
                not member.isfile()
                or path.is_absolute()
                or ".." in path.parts
                or not (member.name in {MANIFEST_NAME, DATA_NAME} or is_media)
            ):
                raise CommandError(f"{archive} holds “{member.name}”, which no backup holds")
            members[member.name] = member
        for required in (MANIFEST_NAME, DATA_NAME):
            if required not in members:
                raise CommandError(f"{archive} is not a newsroom backup: it has no {required}")
        return members

    def _manifest(self, backup, member, archive) -> dict:
        try:
            manifest = json.loads(backup.extractfile(member).read())
        except ValueError:
            raise CommandError(f"{archive}: its {MANIFEST_NAME} cannot be read") from None
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise CommandError(
                f"{archive} is a backup in format {manifest.get('format')!r}; this version "
                f"restores format {ARCHIVE_FORMAT}"
            )
        return manifest

    def _check_schema(self, manifest):
        here = applied_migrations()
        missing = [
            f"{app}.{name}"
            for app, names in manifest["migrations"].items()
            for name in names
            if name not in here.get(app, [])
        ]
        if missing:
            raise CommandError(
                "The backup was made with migrations this database has not had: "
                f"{', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}. Update the code "
                "and run `manage.py migrate`, then restore again."
            )

    def _check_empty(self):
        holding = [
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}"
            for model in models_backed_up()
            if model._meta.label not in MADE_BY_MIGRATE and model._base_manager.exists()
        ]
        if holding:
            raise CommandError(
                "This database is not empty (it holds "
                f"{', '.join(holding[:4])}{' …' if len(holding) > 4 else ''}). A backup is "
                "restored into an empty database only: create a new one, run `manage.py migrate`, "
                "and restore into that."
            )

    def _restore_file(self, backup, member):
        name = member.name.removeprefix(MEDIA_PREFIX)
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, File(backup.extractfile(member), name=name))
        if stored != name:
            raise CommandError(f"media file {name} could not be stored under its own name")

    def _tell_the_page_cache(self):
        """Pages stored before the restore show the empty newsroom: they must go."""
        from newsroom.cache import content_changed

        content_changed(schedule_unknown=True)
