"""Send outbox emails left pending (a crash, a lost broker message, a backoff that has passed).

Beat runs the same sweep every minute; this is for cron-only deployments and for support staff.
"""

from django.core.management.base import BaseCommand

from engagement import outbox


class Command(BaseCommand):
    help = "Send pending outbox emails whose next attempt is due."

    def handle(self, *args, **options):
        ids = outbox.pending_for_sweep()
        report = outbox.send_outbox(ids)
        self.stdout.write(
            f"{len(ids)} pending: sent {len(report.sent)}, will retry {len(report.retry)}, "
            f"gave up on {len(report.failed)}, skipped {len(report.skipped)}."
        )
