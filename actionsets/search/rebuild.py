"""`manage.py rebuild_search_index`: index every post again, in batches. Idempotent — each batch
replaces its posts' rows (upsert by key) in one transaction — so it is safe to run twice, or to
stop and run again; rows of posts that no longer exist go with their posts (cascade).

Run it once after upgrading to the release that added search, and after changing
SEARCH_LANGUAGE (docs/search.md)."""

from collections.abc import Callable

from django.db import transaction

from ..models import Airtime, JournalEntry, Reply
from .engines import engine
from .index import index_posts

BATCH = 1000


def _batches(queryset, size: int):
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def rebuild(*, batch_size: int = BATCH, progress: Callable[[str, int], None] = lambda name, n: None) -> dict:
    """Index every airtime, reply and journal entry. Returns how many of each were indexed."""
    search_engine = engine()
    with transaction.atomic():  # the SQLite tokenizer follows SEARCH_LANGUAGE: recreated, then refilled
        search_engine.reset_schema()
    sources = {
        "airtimes": Airtime.objects.only("pk", "action_set_id", "round_id", "presenter_id", "created_at", "title",
                                         "body_html"),
        "replies": Reply.objects.select_related("airtime").only(
            "pk", "airtime_id", "author_id", "kind", "hidden", "created_at", "body_html", "airtime__action_set_id",
            "airtime__round_id"),
        "journal entries": JournalEntry.objects.only("pk", "action_set_id", "airtime_id", "author_id", "created_at",
                                                     "title", "body_html"),
    }
    counts = {}
    for name, queryset in sources.items():
        counts[name] = 0
        for batch in _batches(queryset, batch_size):
            with transaction.atomic():
                counts[name] += index_posts(batch)
            progress(name, counts[name])
    return counts
