"""The search index holds each claim's tokens twice: as they are, and with the ten days the
claim was first seen in ("_refus#983"), so that a search for the newest matches of a common
word reads only the last periods' short posting lists (claims/search.py, "cuts"). PostgreSQL
only: the SQLite search index is FTS5 (claims/search.py)."""

from django.db import migrations

# The tokens with their period: ten-day periods since 2000 (claims.search.period), "#none"
# for a claim not yet seen. plpgsql, so that the planner never inlines it and a query's
# claim_search_tokens(...) always matches the index's.
FUNCTION = """
CREATE OR REPLACE FUNCTION claim_search_tokens(document tsvector, seen timestamptz)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  period text := '#' || COALESCE(floor(extract(epoch FROM
    (seen - '2000-01-01 00:00:00+00'::timestamptz)) / 864000)::int::text, 'none');
BEGIN
  IF document IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN document || array_to_tsvector(
    ARRAY(SELECT token || period FROM unnest(tsvector_to_array(document)) AS token));
END
$$
"""
BY_PERIOD = (
    "CREATE INDEX claim_search_idx ON claims_claim "
    "USING gin (claim_search_tokens(search_document, first_seen_at))"
)
PLAIN = "CREATE INDEX claim_search_idx ON claims_claim USING gin (search_document)"


def by_period(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_idx")
    schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    schema_editor.execute(BY_PERIOD)


def plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_idx")
    schema_editor.execute(PLAIN)
    schema_editor.execute("DROP FUNCTION IF EXISTS claim_search_tokens(tsvector, timestamptz)")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0018_history_actions_session4"),
    ]

    operations = [migrations.RunPython(by_period, plain, elidable=False)]
