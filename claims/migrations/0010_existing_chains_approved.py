"""Chains already in the database were public before the review gate: they stay public, as
approved by the system, and each claim's history says so."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

NOTE = "Approved by the system when the review gate was introduced: it was public already."
BATCH = 5000


def approve_existing(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Carriage = apps.get_model("claims", "Carriage")
    Response = apps.get_model("claims", "Response")
    Correction = apps.get_model("claims", "Correction")
    HistoryEntry = apps.get_model("claims", "HistoryEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in (Claim, Carriage, Response):
        model.objects.using(db).filter(approved_at__isnull=True).update(approved_at=F("created_at"))
    Correction.objects.using(db).filter(approved_at__isnull=True).update(
        approved_at=F("published_at")
    )
    claim_type, _ = ContentType.objects.using(db).get_or_create(app_label="claims", model="claim")
    now = timezone.now()
    ids = Claim.objects.using(db).order_by("pk").values_list("pk", "text")
    batch = []
    for pk, text in ids.iterator(chunk_size=BATCH):
        batch.append(
            HistoryEntry(
                content_type_id=claim_type.pk,
                object_id=str(pk),
                object_repr=text[:300],
                claim_id=pk,
                action="approved",
                note=NOTE,
                at=now,
            )
        )
        if len(batch) >= BATCH:
            HistoryEntry.objects.using(db).bulk_create(batch)
            batch = []
    HistoryEntry.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_review_gate"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(approve_existing, migrations.RunPython.noop)]
