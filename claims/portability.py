"""
Whole-database export and import as JSON lines, with a content hash to prove a round trip.

The export holds the desk's users and every model of the claims app (history included), in
dependency order, with natural keys for content types and groups so it loads into any freshly
migrated database. The hash covers every row's model, primary key and field values.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction

FORMAT = "factcheck-export/1"
CHUNK = 2000


def exported_models() -> list:
    models = [get_user_model(), *apps.get_app_config("claims").get_models()]
    return serializers.sort_dependencies([("export", models)], allow_cycles=True)


def _rows(model) -> Iterator[dict]:
    queryset = model._default_manager.order_by("pk")
    last_pk = None
    while True:
        chunk = list(
            queryset.filter(pk__gt=last_pk)[:CHUNK] if last_pk is not None else queryset[:CHUNK]
        )
        if not chunk:
            return
        yield from serializers.serialize(
            "python", chunk, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        last_pk = chunk[-1].pk


def _canonical(row: dict) -> bytes:
    return json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()


def content_hash(rows: Iterable[dict]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(_canonical(row))
        digest.update(b"\n")
    return digest.hexdigest()


def database_rows() -> Iterator[dict]:
    for model in exported_models():
        yield from _rows(model)


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in exported_models()}


def export_to(stream: IO[str]) -> dict:
    """Write the header line, then one JSON object per row; return the header."""
    header = {"format": FORMAT, "counts": counts(), "sha256": content_hash(database_rows())}
    stream.write(json.dumps(header) + "\n")
    for row in database_rows():
        stream.write(_canonical(row).decode() + "\n")
    return header


class ImportRefused(Exception):
    """The file or the target database is not fit for an import; nothing was written."""


@transaction.atomic
def import_from(stream: IO[str]) -> dict:
    """Load an export into an empty, migrated database, all or nothing; verify its hash."""
    first = stream.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        raise ImportRefused("This is not a factcheck export (no header line).") from None
    if header.get("format") != FORMAT:
        raise ImportRefused(f"Unknown export format {header.get('format')!r}; expected {FORMAT}.")
    occupied = {label: n for label, n in counts().items() if n}
    if occupied:
        raise ImportRefused(
            "The database already holds data ("
            + ", ".join(f"{n} {label}" for label, n in occupied.items())
            + "); import into a freshly migrated, empty database."
        )
    rows = (json.loads(line) for line in stream if line.strip())
    for deserialized in serializers.deserialize("python", rows, handle_forward_references=True):
        deserialized.save()
    _reset_sequences()
    if counts() != header["counts"] or content_hash(database_rows()) != header["sha256"]:
        raise ImportRefused("The imported data does not match the export's counts and hash.")
    return header


def _reset_sequences() -> None:
    """After inserting explicit primary keys, PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), exported_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
