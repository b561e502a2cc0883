"""Delete editor uploads that no saved post took within PENDING_UPLOAD_GRACE_HOURS (issue 15): the
rows and the stored files. Celery beat runs the same hourly
(`actionsets.tasks.sweep_pending_uploads_task`); safe to run at any time and more than once."""

from django.core.management.base import BaseCommand

from actionsets.services import sweep_pending_uploads


class Command(BaseCommand):
    help = "Delete editor uploads no post took within PENDING_UPLOAD_GRACE_HOURS (rows and stored files)."

    def handle(self, *args, **options):
        deleted = sweep_pending_uploads()
        self.stdout.write(f"Unposted editor uploads deleted: {deleted}.")
