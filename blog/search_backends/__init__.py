"""The two search backends behind blog.search: PostgreSQL (tsvector) and SQLite (FTS5)."""
