"""
Public denials newest first, covering what the denial filters test (PostgreSQL; SQLite
migrates without it). The denials list walks denials newest first and tests each against the
outlet's claims and reports (or the tag's claims, the attribution); through the stance index
each denial was read from the table to check its approval: ~6,500 rows for an outlet's page
at 1M claims, 10-28 ms. From this index alone: 5 ms.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS response_public_denials_cover_idx ON claims_response "
    "(responded_at DESC, id DESC) INCLUDE (claim_id, report_id, attribution) "
    "WHERE stance = 'denies' AND approved_at IS NOT NULL AND withdrawn_at IS NULL"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS response_public_denials_cover_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0022_outlet_claims"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
