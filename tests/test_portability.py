"""export_data / import_data round-trip the whole database, history included."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims import portability
from claims.models import Claim, HistoryEntry, Rating, Snapshot, writing

from .factories import create_carriage, create_reviewer, create_verdict


def empty_the_database() -> None:
    for model in reversed(portability.exported_models()):
        model._default_manager.all().delete()


@pytest.fixture
def newsroom():
    call_command("seed", stdout=StringIO())
    verdict = create_verdict(rating=Rating.FALSE)
    create_carriage(claim=verdict.claim)
    verdict.submit(by=verdict.author)
    verdict.publish(by=create_reviewer())
    verdict.correct(by=verdict.reviewer, text="Corrected «quote» and date.")
    writing.approve(verdict.claim, by=create_reviewer())  # a second editor approves it
    report = verdict.claim.carriages.get().report
    Snapshot.of(report, url="https://example.com/a", content=b"<html>\x00\xff bytes</html>")


def test_round_trip_keeps_counts_and_content_hash(newsroom, tmp_path: Path):
    before_counts = portability.counts()
    before_hash = portability.content_hash(portability.database_rows())
    assert before_counts["claims.HistoryEntry"] >= 3

    path = tmp_path / "export.jsonl"
    call_command("export_data", path, stdout=StringIO())
    empty_the_database()
    assert Claim.objects.count() == 0

    out = StringIO()
    call_command("import_data", path, stdout=out)
    assert "match the export" in out.getvalue()
    assert portability.counts() == before_counts
    assert portability.content_hash(portability.database_rows()) == before_hash
    assert bytes(Snapshot.objects.get().content) == b"<html>\x00\xff bytes</html>"
    assert HistoryEntry.objects.filter(action="corrected").exists()
    # New rows still get fresh primary keys after explicit ones were inserted.
    assert Claim.objects.create(text="After import", slug="after-import").pk > max(
        Claim.objects.exclude(slug="after-import").values_list("pk", flat=True)
    )


def test_import_refuses_a_database_with_data(newsroom, tmp_path: Path):
    path = tmp_path / "export.jsonl"
    call_command("export_data", path, stdout=StringIO())
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_data", path, stdout=StringIO())


def test_import_refuses_a_file_that_is_not_an_export(tmp_path: Path):
    path = tmp_path / "not-an-export.jsonl"
    path.write_text("hello\n")
    with pytest.raises(CommandError, match="not a factcheck export"):
        call_command("import_data", path, stdout=StringIO())


def test_a_tampered_export_saves_nothing(newsroom, tmp_path: Path):
    path = tmp_path / "export.jsonl"
    call_command("export_data", path, stdout=StringIO())
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line.replace("It's fake", "It's true") for line in lines) + "\n")
    empty_the_database()
    with pytest.raises(CommandError, match="does not match"):
        call_command("import_data", path, stdout=StringIO())
    assert Claim.objects.count() == 0
