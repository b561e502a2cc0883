"""Search within my sets (docs/search.md).

- index: keeping the index in step with every write of a post (`index_post`, `index_posts`);
- engines: the database-specific queries (PostgreSQL full-text search, SQLite FTS5), one interface;
- selector: what a reader finds — the privacy rule applied in the query, ranked, one page;
- snippets: highlighted snippets built safely from plain text;
- rebuild: the batched, idempotent `rebuild_search_index`.
"""

from .index import index_post, index_posts, plain_text  # noqa: F401
