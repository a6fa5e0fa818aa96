"""
PostgreSQL-only indexes for the reader (SQLite migrates without them):

- full-text GIN indexes for search, on the exact expressions claims/search.py uses;
- current carriages by report, covering claim_id: the report-title branch of search maps
  matching reports to claims with index-only lookups instead of hashing every carriage;
- the newest-first claim order (first_seen_at DESC NULLS LAST, id DESC) on visible claims.
  The model's claim_newest_idx is DESC NULLS FIRST on PostgreSQL, which cannot serve
  ClaimQuerySet.newest(); SQLite sorts NULLs last on DESC anyway, and cannot declare NULLS
  LAST in an index.
"""

from django.db import migrations

INDEXES = {
    "claim_text_fts_idx": ("claims_claim", "text"),
    "response_quote_fts_idx": ("claims_response", "quote"),
    "report_title_fts_idx": ("claims_report", "title"),
}


CARRIAGE_BY_REPORT = (
    "CREATE INDEX IF NOT EXISTS carriage_current_report_claim_idx ON claims_carriage "
    "(report_id) INCLUDE (claim_id) WHERE withdrawn_at IS NULL"
)
NEWEST = (
    "CREATE INDEX IF NOT EXISTS claim_visible_newest_idx ON claims_claim "
    "(first_seen_at DESC NULLS LAST, id DESC) WHERE withdrawn_at IS NULL"
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, {column}))"
        )
    schema_editor.execute(NEWEST)
    schema_editor.execute(CARRIAGE_BY_REPORT)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, "claim_visible_newest_idx", "carriage_current_report_claim_idx"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_history")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
