"""Run the digest dispatcher once, in this process: for cron, and for support staff.

Same logic as the Celery beat entry: users whose local digest hour has come, not yet delivered
for the period, in batches of 30. Emails are written to the outbox and sent after each batch
commits (by the worker when a broker is configured, else right here).
"""

from django.core.management.base import BaseCommand

from engagement import digests
from engagement.management.clock import add_clock_arguments, parse_now
from engagement.outbox import chunks


class Command(BaseCommand):
    help = "Send the daily and weekly digests that are due (--now to evaluate another time, --dry-run to preview)."

    def add_arguments(self, parser):
        add_clock_arguments(parser)

    def handle(self, *args, now=None, dry_run=False, **options):
        now = parse_now(now)
        ids = digests.due_user_ids(now=now)
        self.stdout.write(f"{len(ids)} user(s) due a digest at {now.isoformat()}.")
        sent = empty = skipped = 0
        for batch in chunks(ids, digests.BATCH_SIZE):
            if dry_run:
                for digest in digests.build_digests(batch, now=now):
                    self.stdout.write(self._describe(digest))
                continue
            result = digests.run_digest_batch(batch, now=now)
            sent, empty, skipped = sent + len(result.sent), empty + len(result.empty), skipped + len(result.skipped)
        if dry_run:
            self.stdout.write("Dry run: nothing was written or sent.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Queued {sent} digest(s); {empty} had nothing new; {skipped} already handled elsewhere."
            ))

    @staticmethod
    def _describe(digest) -> str:
        period = digest.period
        start = f"{period.period_start:%Y-%m-%d %H:%M} UTC"
        head = f"{digest.user.email}: {period.frequency} digest for period starting {start}"
        if digest.is_empty:
            return f"{head} — nothing new, no email"
        sets = ", ".join(s.name for s in digest.sets)
        return f"{head} — {digest.item_count} new, {digest.waiting_count} waiting ({sets})"
