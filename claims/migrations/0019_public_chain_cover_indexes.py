"""
Index-only paths, after the review gate, for the outlet filter, the outlet's track record and
the actor filter (PostgreSQL; SQLite migrates without them). Public rows are approved and not
withdrawn, and the indexes of 0004 and 0008 know only "not withdrawn", so since the gate
every carriage and claim an outlet's id list touched was read from the table to check its
approval (the outlet filter at 1M claims: 23-41 ms before the gate, 333 ms after):

- approved carriages by report, covering the claim and the role: an outlet's reports map to
  the claims it carried (or spread, for the track record) without reading carriages;
- public claims by id, covering what sorting an id list newest first and the track record's
  counts read: first seen, official position, published rating;
- an actor's claims made, claims about them and approved responses, covering the claim ids:
  the actor filter's three id lists (claims and denials involving an actor) read no table
  rows (33-73 ms -> 5-25 ms at 1M claims).
"""

from django.db import migrations

COVERING = {
    "carriage_approved_report_cover_idx": (
        "claims_carriage (report_id) INCLUDE (claim_id, role) "
        "WHERE approved_at IS NOT NULL AND withdrawn_at IS NULL"
    ),
    "claim_public_cover_idx": (
        "claims_claim (id) INCLUDE (first_seen_at, official_position, published_rating) "
        "WHERE approved_at IS NOT NULL AND withdrawn_at IS NULL"
    ),
    "claim_claimant_cover_idx": "claims_claim (claimant_id, id)",
    "claim_subjects_actor_cover_idx": "claims_claim_subjects (actor_id) INCLUDE (claim_id)",
    "response_approved_responder_cover_idx": (
        "claims_response (responder_id) INCLUDE (claim_id) "
        "WHERE approved_at IS NOT NULL AND withdrawn_at IS NULL"
    ),
}


def create_covering(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in COVERING.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_covering(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COVERING:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0018_history_actions_session4"),
    ]

    operations = [
        migrations.RunPython(create_covering, drop_covering),
    ]
