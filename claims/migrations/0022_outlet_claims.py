"""
Each outlet's public claims as rows (models/outlet_claims.py), filled from the approved
chain, and on PostgreSQL the index an outlet's claims are read from newest first (covering
what its track record counts).
"""

import django.db.models.deletion
from django.db import migrations, models


FILL = """
INSERT INTO claims_outletclaim
    (outlet_id, claim_id, first_seen_at, spread, official_position, published_rating)
SELECT r.outlet_id, c.claim_id, cl.first_seen_at,
    MAX(CASE WHEN c.role IN ('origin', 'repeat') THEN 1 ELSE 0 END) = 1,
    cl.official_position, cl.published_rating
FROM claims_carriage c
JOIN claims_report r ON r.id = c.report_id
JOIN claims_claim cl ON cl.id = c.claim_id
WHERE c.approved_at IS NOT NULL AND c.withdrawn_at IS NULL
    AND cl.approved_at IS NOT NULL AND cl.withdrawn_at IS NULL
GROUP BY r.outlet_id, c.claim_id, cl.first_seen_at, cl.official_position, cl.published_rating
"""

NEWEST = (
    "CREATE INDEX IF NOT EXISTS outlet_claim_newest_idx ON claims_outletclaim "
    "(outlet_id, first_seen_at DESC NULLS LAST, claim_id DESC) "
    "INCLUDE (spread, official_position, published_rating)"
)


def fill(apps, schema_editor):
    schema_editor.execute(FILL)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NEWEST)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS outlet_claim_newest_idx")


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0021_merge_session5'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutletClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_seen_at', models.DateTimeField(null=True)),
                ('spread', models.BooleanField(default=False)),
                ('official_position', models.CharField(choices=[('denied', 'Denied'), ('confirmed', 'Confirmed'), ('mixed', 'Mixed'), ('no_response', 'No response')], max_length=20)),
                ('published_rating', models.CharField(blank=True, max_length=20)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outlet_claims', to='claims.claim')),
                ('outlet', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='claims.outlet')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('outlet', 'claim'), name='outlet_claim_once')],
            },
        ),
        migrations.RunPython(fill, drop_index),
    ]
