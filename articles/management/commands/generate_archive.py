"""Fill the database with a large, realistic synthetic archive for load tests and benchmarks.

Everything is made up from the small word lists below with one seeded random
generator, so the same --seed and --until always give the same archive. Rows are
written with bulk inserts, a chunk of stories per transaction, which keeps memory
flat however large the archive.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.archive import STATUS_LABELS, ArchiveGenerator, Progress, bulk_load_settings
from articles.models import Article
from articles.search import indexed_after_bulk_load
from newsroom.cache import content_changed


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--until must be a date like 2025-06-30, not “{value}”.") from None


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic archive for load tests and benchmarks: authors, "
        "officials, organisations, sections, a long tail of tags, bylines, quotes (some joint), "
        "related picks and pictures without files. About 85% of the stories are published; the "
        "rest are drafts, in review, unpublished or scheduled. They are dated over the years "
        "before --until, a few without a date. The same --seed and --until give the same "
        "archive. Refuses a database that already has stories unless --append is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stories", type=int, default=1000, help="How many stories to create (default 1000)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: same seed, same archive (default 1)."
        )
        parser.add_argument(
            "--until",
            help="The archive's last day, YYYY-MM-DD (default today): stories are dated before "
            "it, scheduled ones after it.",
        )
        parser.add_argument(
            "--years", type=int, default=8, help="How many years the archive spans (default 8)."
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that already has stories, reusing the people, sections "
            "and tags of the same slug.",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=2000, help="Stories per transaction (default 2000)."
        )

    def handle(self, *args, stories, seed, until, years, append, chunk_size, verbosity, **options):
        if min(stories, years, chunk_size) < 1:
            raise CommandError("--stories, --years and --chunk-size must be at least 1.")
        until = parse_day(until) if until else timezone.localdate()
        existing = Article.objects.count()
        if existing and not append:
            stories_there = f"{existing:,} {'story' if existing == 1 else 'stories'}"
            raise CommandError(
                f"The database already has {stories_there}. Generate into an empty database, "
                "or pass --append to add the synthetic archive to what is there."
            )
        started = time.monotonic()
        generator = ArchiveGenerator(
            stories=stories, seed=seed, until=until, years=years, chunk_size=chunk_size
        )
        with bulk_load_settings(empty_database=not existing), indexed_after_bulk_load(connection):
            with transaction.atomic():
                generator.create_supporting_rows()
            generator.create_stories(Progress(self.stderr, stories, enabled=verbosity > 0))
        # Bulk inserts send no signals: tell the page cache its pages are out of date.
        content_changed(schedule_unknown=True)
        if verbosity > 0:
            counts = generator.counts
            statuses = ", ".join(f"{counts[key]:,} {label}" for key, label in STATUS_LABELS.items())
            self.stdout.write(
                f"Created {stories:,} stories in {time.monotonic() - started:.1f} s ({statuses}; "
                f"{counts['undated']:,} undated), {counts['pictures']:,} pictures, "
                f"{counts['bylines']:,} bylines, {counts['quotes']:,} quotes "
                f"({counts['joint_quotes']:,} joint), {counts['tag_links']:,} tag links and "
                f"{counts['related_picks']:,} related picks."
            )
