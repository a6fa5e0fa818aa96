"""Versions of what readers see, per scope (claims/models/reader_versions.py); the site and
the lists start with a version, so every page has a Last-Modified from the start."""

import secrets

import django.utils.timezone
from django.db import migrations, models


def first_versions(apps, schema_editor):
    ReaderVersion = apps.get_model("claims", "ReaderVersion")
    for scope in ("site", "lists"):
        ReaderVersion.objects.using(schema_editor.connection.alias).get_or_create(
            scope=scope, defaults={"version": secrets.randbits(62) + 1}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_existing_chains_approved"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReaderVersion",
            fields=[
                ("scope", models.CharField(max_length=120, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
