"""The database-specific half of search, behind one interface: `engine()` returns the engine for
the default database, and every query that differs between PostgreSQL and SQLite is here.

- PostgreSQL: `SearchDocument.vector`, a stored tsvector in the `SEARCH_LANGUAGE` text search
  configuration, GIN-indexed; `websearch_to_tsquery`, `ts_rank` (SearchRank) and `ts_headline`
  (SearchHeadline).
- SQLite: an FTS5 table (`actionsets_search_fts`, external content: it indexes the documents'
  `title` and `text` without a second copy of them), kept in step by triggers on the documents
  table, so every write of a document updates it in the same transaction; `bm25()` and
  `snippet()`. The tokenizer follows `SEARCH_LANGUAGE`: Porter stemming for english, none for
  anything else.

Snippets come back as plain text with START and STOP around each match; `search.snippets`
escapes the text and only then turns the two markers into <mark> (the markers never occur in
indexed text: `index.plain_text` removes control characters).
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, TextField, Value

START, STOP = "\x02", "\x03"
FTS_TABLE = "actionsets_search_fts"
DOCS_TABLE = "actionsets_searchdocument"
SNIPPET_WORDS = 24


def language() -> str:
    return settings.SEARCH_LANGUAGE


class PostgresEngine:
    vendor = "postgresql"

    # The stored tsvector is written by the document's own INSERT … ON CONFLICT: no second query.
    updated_fields = ["vector"]
    # The number of hits comes with the page (COUNT(*) OVER ()): one query, not two.
    counts_with_page = True

    def vector(self, title: str, text: str):
        return (SearchVector(Value(title, output_field=TextField()), weight="A", config=language())
                + SearchVector(Value(text, output_field=TextField()), weight="B", config=language()))

    def reset_schema(self) -> None:
        """Before a rebuild: nothing. The GIN index (migration 0012) stays; each
        batch writes the vectors in the current SEARCH_LANGUAGE."""

    def matching(self, qs: QuerySet, query: str) -> QuerySet:
        """`qs` narrowed to documents matching `query` (web-search syntax), best first, each with
        `rank` and a raw `snippet`."""
        search_query = SearchQuery(query, search_type="websearch", config=language())
        return (
            qs.filter(vector=search_query)
            .annotate(
                rank=SearchRank(F("vector"), search_query),
                snippet=SearchHeadline("text", search_query, config=language(), start_sel=START, stop_sel=STOP,
                                       max_words=SNIPPET_WORDS, min_words=SNIPPET_WORDS // 2, max_fragments=2,
                                       fragment_delimiter=" … "),
            )
            .order_by("-rank", "-created_at", "-pk")
        )

    def create_schema(self, schema_editor=None) -> None:
        run = (schema_editor.execute if schema_editor else connection.cursor().execute)
        run(f"CREATE INDEX IF NOT EXISTS search_doc_vector_gin ON {DOCS_TABLE} USING GIN (vector)")

    def drop_schema(self, schema_editor=None) -> None:
        run = (schema_editor.execute if schema_editor else connection.cursor().execute)
        run("DROP INDEX IF EXISTS search_doc_vector_gin")


class SQLiteEngine:
    vendor = "sqlite"

    updated_fields: list[str] = []  # the triggers keep the FTS5 table in step with every write of a document
    # FTS5's bm25() and snippet() refuse to run beside a window function: the count is its own query.
    counts_with_page = False

    def vector(self, title: str, text: str):
        return None

    def reset_schema(self) -> None:
        """Before a rebuild: the FTS5 table again, with the tokenizer SEARCH_LANGUAGE asks for now,
        filled from the documents already there (the batches then replace them)."""
        self.drop_schema()
        self.create_schema()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")

    def matching(self, qs: QuerySet, query: str) -> QuerySet:
        expression = fts5_query(query)
        if not expression:  # nothing to match; the same columns as a match, for the page's values()
            return qs.extra(select={"rank": "0", "snippet": "''"}).none()
        # bm25 is lower for better matches; the title counts three times the text, as on PostgreSQL
        # (weights A and B).
        return qs.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {DOCS_TABLE}.id", f"{FTS_TABLE} MATCH %s"],
            params=[expression],
            select={"rank": f"-bm25({FTS_TABLE}, 3.0, 1.0)",
                    "snippet": f"snippet({FTS_TABLE}, 1, char(2), char(3), ' … ', {SNIPPET_WORDS // 2})"},
        ).order_by("-rank", "-created_at", "-pk")

    def create_schema(self, schema_editor=None) -> None:
        stemming = "porter " if language() == "english" else ""
        statements = [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, text, content='{DOCS_TABLE}', "
            f"content_rowid='id', tokenize='{stemming}unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS search_doc_ai AFTER INSERT ON {DOCS_TABLE} BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
            f"CREATE TRIGGER IF NOT EXISTS search_doc_ad AFTER DELETE ON {DOCS_TABLE} BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
            "END",
            f"CREATE TRIGGER IF NOT EXISTS search_doc_au AFTER UPDATE OF title, text ON {DOCS_TABLE} BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
            f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
        ]
        run = (schema_editor.execute if schema_editor else connection.cursor().execute)
        for statement in statements:
            run(statement)

    def drop_schema(self, schema_editor=None) -> None:
        run = (schema_editor.execute if schema_editor else connection.cursor().execute)
        for statement in ["DROP TRIGGER IF EXISTS search_doc_ai", "DROP TRIGGER IF EXISTS search_doc_ad",
                          "DROP TRIGGER IF EXISTS search_doc_au", f"DROP TABLE IF EXISTS {FTS_TABLE}"]:
            run(statement)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str:
    """The web-search syntax PostgreSQL's websearch_to_tsquery reads — words (all of them),
    "a phrase", `or`, -excluded — as an FTS5 expression. Every word is quoted, so nothing a
    person types is FTS5 syntax (no column filters, no NEAR, no syntax errors)."""
    groups: list[list[str]] = [[]]  # OR of ANDs
    excluded: list[str] = []
    for match in _TOKEN.finditer(query or ""):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        if bare is not None and bare.startswith("-"):
            negated, bare = "-", bare[1:]
        words = _WORD.findall(phrase if phrase is not None else bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        (excluded if negated else groups[-1]).append(term)
    alternatives = [" AND ".join(g) for g in groups if g]
    if not alternatives:
        return ""  # only exclusions, or nothing: matches nothing, as on PostgreSQL
    expression = " OR ".join(f"({a})" for a in alternatives)
    for term in excluded:
        expression = f"({expression}) NOT {term}"
    return expression


def engine():
    return PostgresEngine() if connection.vendor == "postgresql" else SQLiteEngine()
