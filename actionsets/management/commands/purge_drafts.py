"""Delete drafts 30 days after their round closed (issue 14). Celery beat runs the same daily
(`actionsets.tasks.purge_drafts_task`); safe to run at any time and more than once."""

from django.core.management.base import BaseCommand

from actionsets.services import purge_drafts


class Command(BaseCommand):
    help = "Delete the drafts whose round closed more than 30 days ago."

    def handle(self, *args, **options):
        deleted = purge_drafts()
        self.stdout.write(f"Drafts purged: {deleted}.")
