"""The search index holds each claim's ten-day period beside its words (claims/search.py, "cuts"),
so that the newest matches of a common word are found inside the index. PostgreSQL only: the
SQLite search index is FTS5 (claims/search.py)."""

from django.db import migrations

# claims.search.SEARCHED_SQL as of this migration (written out: that one may change later).
SEARCHED_SQL = (
    "search_document || array_to_tsvector(ARRAY['#' || COALESCE(floor(extract(epoch FROM "
    "(first_seen_at - '2000-01-01 00:00:00+00'::timestamptz)) / 864000)::int::text, 'none')])"
)
PLAIN = "CREATE INDEX claim_search_idx ON claims_claim USING gin (search_document)"
BY_PERIOD = f"CREATE INDEX claim_search_idx ON claims_claim USING gin (({SEARCHED_SQL}))"


def rebuild(definition: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS claim_search_idx")
        schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        schema_editor.execute(definition)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0018_history_actions_session4"),
    ]

    operations = [migrations.RunPython(rebuild(BY_PERIOD), rebuild(PLAIN), elidable=False)]
