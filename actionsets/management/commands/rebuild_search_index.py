"""Index every post for search again (docs/search.md): after upgrading to the release that added
search, and after changing SEARCH_LANGUAGE. Batched and idempotent: safe to run at any time."""

from django.core.management.base import BaseCommand

from actionsets.search.rebuild import BATCH, rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every airtime, reply and journal entry (batched, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)

    def handle(self, *args, batch_size, **options):
        counts = rebuild(batch_size=batch_size)
        self.stdout.write("Search index rebuilt: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + ".")
