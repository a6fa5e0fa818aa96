"""Full-text GIN indexes for reader search (PostgreSQL only; SQLite searches without them)."""

from django.db import migrations

INDEXES = {
    "claim_text_fts_idx": ("claims_claim", "text"),
    "response_quote_fts_idx": ("claims_response", "quote"),
    "report_title_fts_idx": ("claims_report", "title"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, {column}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_history")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
