"""`manage.py backup_newsroom`: the whole newsroom in one dated archive.

The archive (a .tar.gz) holds:

- ``manifest.json``: when and from what it was made, the migrations applied,
  and how many rows of each model and media files it holds;
- ``data.json``: every row of content, people, tags, revisions, users and
  groups, as ``dumpdata`` writes it with natural foreign keys, so content
  types and permissions are found by name in whichever database it lands in;
  primary keys are kept, so revision history still points at its stories;
- ``media/…``: every file in media storage, under its stored name.

Content types, permissions, sessions and login-attempt records are left out:
migrate makes the first two, and the others are transient. `restore_newsroom`
reads the archive back.
"""

import io
import json
import os
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"
ARCHIVE_SUFFIX = ".tar.gz"

# Made by migrate, rebuilt on demand, or worth nothing after a restore.
LEFT_OUT = {"contenttypes", "sessions", "axes", "auth.permission"}


def models_backed_up() -> list:
    """Every model whose rows belong in a backup, in a stable order."""
    return [
        model
        for config in sorted(apps.get_app_configs(), key=lambda config: config.label)
        for model in config.get_models()
        if config.label not in LEFT_OUT
        and model._meta.label_lower not in LEFT_OUT
        and model._meta.managed
        and not model._meta.proxy
    ]


def applied_migrations() -> dict[str, list[str]]:
    """The migrations applied to the database, by app."""
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def media_files(storage=default_storage, folder: str = ""):
    """The name of every file in `storage` under `folder`, walking sub-folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from media_files(storage, f"{folder}/{name}" if folder else name)


@contextmanager
def consistent_snapshot():
    """Read the whole database as of one moment, without holding up the editors' saves.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite (WAL): a
    deferred read transaction, which sees one snapshot and takes no write lock
    (the site's own transactions are IMMEDIATE and would keep writers waiting).
    Inside a transaction already, that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        with transaction.atomic():
            yield


class Command(BaseCommand):
    help = (
        "Write a complete backup of the newsroom to one dated archive, "
        "backups/newsroom-YYYYMMDD-HHMMSS.tar.gz: every story with its bylines, quotes, "
        "related links, corrections, tags and revision history; sections, pictures, authors, "
        "officials and organisations; users and groups (with natural keys); and every file in "
        "media storage. The database is read as of one moment while the site keeps running. "
        "The archive holds password hashes: it is readable by its owner only. Restore it with "
        "restore_newsroom."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "backups",
            help="folder for the archive (default: backups/ in the project); created if missing",
        )

    def handle(self, *args, output_dir: Path, verbosity, **options):
        output_dir.mkdir(parents=True, exist_ok=True)
        started = timezone.localtime()
        archive = self._free_name(output_dir, f"newsroom-{started:%Y%m%d-%H%M%S}")
        partial = archive.with_name(archive.name + ".partial")
        models = models_backed_up()
        try:
            with tempfile.TemporaryDirectory() as work, consistent_snapshot():
                data = Path(work) / DATA_NAME
                call_command(
                    "dumpdata",
                    *[model._meta.label for model in models],
                    use_natural_foreign_keys=True,
                    use_base_manager=True,
                    output=str(data),
                    verbosity=0,
                )
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": started.isoformat(),
                    "django": django.get_version(),
                    "database": connection.vendor,
                    "migrations": applied_migrations(),
                    "rows": {model._meta.label: model._base_manager.count() for model in models},
                }
                self._write(partial, data, manifest)
            os.chmod(partial, 0o600)
            partial.replace(archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if verbosity:
            rows = manifest["rows"]
            self.stdout.write(
                self.style.SUCCESS(f"Backed up to {archive}")
                + f": {rows.get('articles.Article', 0)} stories, {sum(rows.values())} rows in "
                f"all, {manifest['media_files']} media files."
            )

    def _write(self, partial: Path, data: Path, manifest: dict) -> None:
        """Write the archive: the manifest (counting the media files), the data, the media."""
        media = list(media_files())
        manifest["media_files"] = len(media)
        with tarfile.open(partial, "w:gz") as archive:
            content = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime, info.mode = len(content), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, io.BytesIO(content))
            archive.add(data, arcname=DATA_NAME)
            for name in media:
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size, info.mode = default_storage.size(name), 0o644
                info.mtime = _modified(name)
                with default_storage.open(name, "rb") as file:
                    archive.addfile(info, file)

    @staticmethod
    def _free_name(folder: Path, stem: str) -> Path:
        candidate, number = folder / f"{stem}{ARCHIVE_SUFFIX}", 1
        while candidate.exists():
            number += 1
            candidate = folder / f"{stem}-{number}{ARCHIVE_SUFFIX}"
        return candidate


def _modified(name: str) -> int:
    """When the media file was last changed, for the archive's listing; now if unknown."""
    try:
        return int(default_storage.get_modified_time(name).timestamp())
    except (NotImplementedError, OSError):
        return int(timezone.now().timestamp())
