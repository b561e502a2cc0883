"""Refresh every reply's stored advice signal after the word list in actionsets/advice.py changed.

Posting and editing keep `Reply.has_advice_signal` current; only a change to the patterns
makes stored flags stale. Safe to run at any time and more than once.
"""

from django.core.management.base import BaseCommand

from actionsets.advice import recount_advice_signals


class Command(BaseCommand):
    help = "Re-run the advice-signal word list over every reply and store the result."

    def handle(self, *args, **options):
        changed = recount_advice_signals()
        self.stdout.write(f"Advice signals recounted: {changed} repl{'y' if changed == 1 else 'ies'} changed.")
