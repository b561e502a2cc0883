"""The search index: one row per searchable post (an airtime, a reply, a journal entry).

Written only by `actionsets.search` (the index), in the same transaction as the post it copies,
so editing, hiding and restoring a post change what search finds at the same commit. Every
column the search page filters on is copied here (set, round, kind, author, date, hidden), so a
search is one ranked query over one table.

The full-text index itself depends on the database (docs/search.md): on PostgreSQL `vector`
holds the stored `tsvector` (GIN-indexed, created by migration 0012 on PostgreSQL only); on SQLite
`vector` stays empty and an FTS5 table, `actionsets_search_fts`, mirrors `title` and `text` by
triggers created by the same migration.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    AIRTIME = "airtime"
    JOURNAL = "journal"

    # "airtime:<id>", "reply:<id>", "journal:<id>": the upsert key, one row per post.
    key = models.CharField(max_length=40, unique=True)
    action_set = models.ForeignKey("actionsets.ActionSet", on_delete=models.CASCADE, related_name="+")
    # The thread for airtimes and replies (null only for a journal entry about no airtime).
    airtime = models.ForeignKey("actionsets.Airtime", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    reply = models.OneToOneField("actionsets.Reply", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    journal_entry = models.OneToOneField("actionsets.JournalEntry", null=True, blank=True,
                                         on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("actionsets.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # A reply's kind, or "airtime", or "journal".
    kind = models.CharField(max_length=12)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    title = models.CharField(max_length=200, blank=True)
    # Plain text (the sanitised HTML's text, no markup): what is matched and what snippets cut.
    text = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["action_set", "created_at"], name="search_doc_set_created")]

    def __str__(self) -> str:
        return self.key
