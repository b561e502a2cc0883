"""Run the nudge and round-email dispatchers once, in this process: for cron and support staff."""

from django.core.management.base import BaseCommand

from engagement import knocks, nudges, rounds
from engagement.management.clock import add_clock_arguments, parse_now
from engagement.outbox import chunks


class Command(BaseCommand):
    help = "Send due nudges, knocks, round-open emails and closing reminders (--now to evaluate another time, --dry-run)."

    def add_arguments(self, parser):
        add_clock_arguments(parser)

    def handle(self, *args, now=None, dry_run=False, **options):
        now = parse_now(now)
        jobs = (
            ("round emails", rounds.sets_with_round_news, rounds.plan_round_emails, rounds.run_round_email_batch,
             rounds.BATCH_SIZE),
            ("nudges", nudges.sets_with_open_round, nudges.plan_nudges, nudges.run_nudge_batch, nudges.BATCH_SIZE),
            ("knocks", knocks.sets_with_pending_knocks, knocks.plan_knocks, knocks.run_knock_batch, knocks.BATCH_SIZE),
        )
        for label, due_sets, plan, run, size in jobs:
            set_ids = due_sets(now)
            written = []
            for batch in chunks(set_ids, size):
                written += plan(batch, now=now) if dry_run else run(batch, now=now)
            for email in written:
                self.stdout.write(f"{email.user.email} ({email.action_set.name}): {'; '.join(email.lines)}")
            verb = "would send" if dry_run else "queued"
            checked = f"{len(set_ids)} set(s) checked at {now.isoformat()}"
            self.stdout.write(f"{label}: {checked}, {verb} {len(written)} email(s).")
        if dry_run:
            self.stdout.write("Dry run: nothing was written or sent.")
