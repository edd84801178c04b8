"""`manage.py export_stories [--slug S ...] OUTDIR`: stories as front-matter Markdown."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exporting import export_stories, stories_for_export


class Command(BaseCommand):
    help = (
        "Write stories, whatever their status, to OUTDIR as <slug>.md files: YAML front matter "
        "(title, dek, authors and their titles, picture, category, tags, date, status, slug, "
        "related stories) and the Markdown body. import_stories reads them back into the same "
        "stories."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="folder to write to")
        parser.add_argument(
            "--slug",
            action="append",
            dest="slugs",
            default=[],
            metavar="S",
            help="export only the story with this slug; repeat for several",
        )

    def handle(self, *args, outdir, slugs, **options):
        stories = list(stories_for_export(slugs))
        missing = sorted(set(slugs) - {article.slug for article in stories})
        if missing:
            raise CommandError(f"no story with the slug {', '.join(missing)}")
        try:
            paths = export_stories(stories, outdir)
        except OSError as error:
            raise CommandError(f"{outdir}: cannot write there: {error.strerror or error}") from None
        for path in paths:
            self.stdout.write(str(path))
        self.stdout.write(
            f"{len(paths)} stor{'y' if len(paths) == 1 else 'ies'} written to {outdir}"
        )
