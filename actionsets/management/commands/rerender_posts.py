"""Re-render every stored markdown field (posts, airtimes, ground rules, journal, report-backs,
reviews and their summaries, check-ins, introductions) with the current renderer.

Migration 0008 runs it once on upgrade; run it again after any change to actionsets/markdown.py.
Batched by primary key, idempotent (writes only rows whose HTML changed), safe while the site runs.
"""

from django.core.management.base import BaseCommand

from actionsets.rerender import BATCH_SIZE, rerender_all


class Command(BaseCommand):
    help = "Re-render every stored *_html field with the current markdown renderer."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would change; write nothing")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, dry_run: bool, batch_size: int, **options):
        counts = rerender_all(batch_size=batch_size, dry_run=dry_run, progress=self.stdout.write)
        read = sum(seen for seen, _ in counts.values())
        changed = sum(n for _, n in counts.values())
        verb = "would change" if dry_run else "changed"
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {read:,} rows: {changed:,} {verb}."))
