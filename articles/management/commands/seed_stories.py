from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Load the seed stories (the `stories` fixture) into a newsroom that has no stories yet. "
        "A newsroom that already has stories is left as it is, so editors' changes to the seed "
        "stories survive `make run`. Use `loaddata stories` to force a reload."
    )

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write("Stories already present; seed stories not reloaded.")
            return
        call_command("loaddata", "stories", verbosity=options["verbosity"])
