"""Keeping the search index in step: every service that writes a post calls one of these inside
its own transaction, so what search finds changes at the same commit as the post (a hidden
reply is not found from the moment the hide commits, an edit is found by its new words).

Account erasure needs no call: the index holds no names (the author is a key, and the page
shows the author's current name, "Former member" once erased), and an erased person's
memberships have ended, so their own searches find nothing.
"""

import re
from collections.abc import Iterable

from django.db.models import Model
from django.utils.html import strip_tags
from html import unescape

from ..models import Airtime, JournalEntry, Reply, SearchDocument
from .engines import engine

# Control characters (the snippet markers among them) and runs of whitespace.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
UPDATED_FIELDS = ["action_set", "airtime", "reply", "journal_entry", "round", "author", "kind", "hidden",
                  "created_at", "title", "text"]


def plain_text(html: str) -> str:
    """The words of sanitised HTML as plain text: what is matched and what snippets are cut from."""
    text = unescape(strip_tags(html.replace("<", " <")))
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub(" ", text or "")).strip()


def document_for(post: Model) -> SearchDocument:
    """The index row for an airtime, a reply (its airtime loaded or cheap to load) or a journal entry."""
    if isinstance(post, Airtime):
        return SearchDocument(
            key=f"airtime:{post.pk}", action_set_id=post.action_set_id, airtime_id=post.pk, round_id=post.round_id,
            author_id=post.presenter_id, kind=SearchDocument.AIRTIME, created_at=post.created_at,
            title=_clean(post.title), text=plain_text(post.body_html),
        )
    if isinstance(post, Reply):
        return SearchDocument(
            key=f"reply:{post.pk}", action_set_id=post.airtime.action_set_id, airtime_id=post.airtime_id,
            reply_id=post.pk, round_id=post.airtime.round_id, author_id=post.author_id, kind=post.kind,
            hidden=post.hidden, created_at=post.created_at, text=plain_text(post.body_html),
        )
    if isinstance(post, JournalEntry):
        return SearchDocument(
            key=f"journal:{post.pk}", action_set_id=post.action_set_id, airtime_id=post.airtime_id,
            journal_entry_id=post.pk, author_id=post.author_id, kind=SearchDocument.JOURNAL,
            created_at=post.created_at, title=_clean(post.title), text=plain_text(post.body_html),
        )
    raise TypeError(f"Not a searchable post: {post!r}")


def index_posts(posts: Iterable[Model]) -> int:
    """Write (insert or replace) the index rows of these posts: one upsert, full-text index
    included (engines.py). Call inside the transaction that wrote the posts."""
    documents = [document_for(post) for post in posts]
    if not documents:
        return 0
    search_engine = engine()
    for document in documents:
        document.vector = search_engine.vector(document.title, document.text)
    SearchDocument.objects.bulk_create(documents, update_conflicts=True, unique_fields=["key"],
                                       update_fields=UPDATED_FIELDS + search_engine.updated_fields)
    return len(documents)


def index_post(post: Model) -> None:
    index_posts([post])
