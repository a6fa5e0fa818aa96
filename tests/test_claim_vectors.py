"""Claim vectors: computed by the worker after writes, stored in the database, searched through
an index file topped up from the table; similar claims across languages on the desk; the log
of editors' decisions and the precision it gives."""

import json
from http import HTTPStatus
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from claims import vector_index, vectors
from claims.importer.similar import similar_claims
from claims.models import Claim, ClaimVector, SimilarSuggestion, SuggestionOutcome, writing
from claims.vector_tasks import refresh_claim_vectors

from .factories import create_carriage, create_claim, create_editor, create_reviewer

ENGLISH = "Umerov refused to return to Ukraine"
UKRAINIAN = "Умєров відмовився повертатися в Україну"


@pytest.fixture
def editor(client):
    user = create_editor(username="olena")
    client.force_login(user)
    return user


def drafted(text: str, *, by, language: str = "") -> Claim:
    return writing.create(Claim, by=by, values={"text": text, "language": language})


def queued_claim_ids() -> list[int]:
    return [
        row.args_kwargs["args"][0]
        for row in DBTaskResult.objects.filter(task_path__endswith="refresh_claim_vectors")
    ]


def test_a_drafted_claim_is_queued_for_its_vector_once_the_write_commits(
    django_capture_on_commit_callbacks,
):
    editor = create_editor()
    with django_capture_on_commit_callbacks(execute=True):
        claim = drafted(ENGLISH, by=editor, language="en")
    assert claim.pk in queued_claim_ids()
    assert refresh_claim_vectors.call(claim.pk) == 1
    stored = ClaimVector.objects.get(claim=claim)
    assert stored.model == vectors.encoder().name
    assert stored.dims == vectors.encoder().dims == 384
    vector = vectors.from_bytes(bytes(stored.vector))
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-3
    assert refresh_claim_vectors.call(claim.pk) == 0  # unchanged: nothing encoded


def test_an_edit_and_an_approval_queue_it_again_and_a_changed_text_gets_a_new_row(
    django_capture_on_commit_callbacks,
):
    editor, reviewer = create_editor(), create_reviewer()
    claim = drafted(ENGLISH, by=editor)
    vectors.refresh([claim.pk])
    first = ClaimVector.objects.get(claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        writing.save_edit(
            claim, by=editor, version=claim.version, values={"text": "Umerov refuses to come back"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        writing.approve(claim, by=reviewer)
    assert queued_claim_ids().count(claim.pk) >= 2
    assert vectors.refresh([claim.pk]) == 1
    second = ClaimVector.objects.get(claim=claim)
    assert second.pk > first.pk  # an index file's top-up finds it


def test_carriage_wordings_get_vectors_of_their_own():
    claim = create_claim(text=ENGLISH, language="en")
    carriage = create_carriage(claim=claim, wording="Умеров отказался возвращаться в Украину")
    assert vectors.refresh([claim.pk]) == 2
    assert ClaimVector.objects.filter(claim=claim, carriage=carriage).count() == 1


def test_ukrainian_text_finds_the_english_claim_and_not_the_unrelated_one():
    english = create_claim(text=ENGLISH, language="en")
    unrelated = create_claim(text="Bread prices rose in Lviv in October", language="en")
    vectors.refresh([english.pk, unrelated.pk])
    found = similar_claims(UKRAINIAN)
    assert found == [english]
    assert 0 < found[0].similarity <= 1


def test_the_same_claim_with_another_number_scores_below_the_same_claim():
    same = create_claim(text="Україна знизить мобілізаційний вік до 18 років", language="uk")
    other = create_claim(text="Україна знизить мобілізаційний вік до 25 років", language="uk")
    vectors.refresh([same.pk, other.pk])
    found = similar_claims("Ukraine will lower the mobilisation age to 18", threshold=0)
    scores = {claim.pk: claim.similarity for claim in found}
    assert scores[same.pk] > scores[other.pk]


def test_the_index_file_is_built_from_the_table_and_topped_up_with_newer_rows(monkeypatch):
    monkeypatch.setattr(vector_index, "EXACT_BELOW", 1)  # the index path, not exact search
    english = create_claim(text=ENGLISH, language="en")
    vectors.refresh([english.pk])
    out = StringIO()
    call_command("claim_index", stdout=out)
    assert "1 vectors" in out.getvalue()
    encoder = vectors.encoder()
    assert vector_index.index_path(encoder.name).exists()
    # Written after the file: found through the top-up from the table.
    later = create_claim(text="Зеленський скасував президентські вибори", language="uk")
    vectors.refresh([later.pk])
    query = encoder.encode(["Zelensky cancelled the presidential election"])[0]
    nearest = vector_index.nearest(query, 2, model=encoder.name, dims=encoder.dims)
    copy = vector_index.copy_for(encoder.name, encoder.dims)
    assert copy.index is not None
    later_vector = ClaimVector.objects.get(claim=later)
    assert nearest[0][0] == later_vector.pk
    assert copy.covers == later_vector.pk


def test_exact_search_below_the_size_limit_ranks_by_cosine():
    claims = [
        create_claim(text=text, language="en")
        for text in (ENGLISH, "Bread prices rose in Lviv in October", "Kyiv lost power for a week")
    ]
    vectors.refresh([claim.pk for claim in claims])
    encoder = vectors.encoder()
    query = encoder.encode(["Umerov will not return to Ukraine"])[0]
    nearest = vector_index.nearest(query, 3, model=encoder.name, dims=encoder.dims)
    assert vector_index.copy_for(encoder.name, encoder.dims).index is None
    assert nearest[0][0] == ClaimVector.objects.get(claim=claims[0]).pk
    assert [cosine for _, cosine in nearest] == sorted((c for _, c in nearest), reverse=True)


def test_claim_vectors_command_reports_the_cost_per_claim():
    for text in (ENGLISH, UKRAINIAN):
        create_claim(text=text)
    out = StringIO()
    call_command("claim_vectors", "--batch", "1", stdout=out)
    assert "2 claims checked, 2 texts encoded" in out.getvalue()
    assert "a million claims would take" in out.getvalue()
    assert ClaimVector.objects.count() == 2


def test_the_claim_page_box_shows_the_claim_in_other_languages(client, editor):
    english = create_claim(text=ENGLISH, language="en")
    ukrainian = create_claim(text=UKRAINIAN, language="uk")
    vectors.refresh([english.pk, ukrainian.pk])
    page = client.get(reverse("desk:claim_edit", args=[ukrainian.slug]))
    assert reverse("desk:claim_similar", args=[ukrainian.slug]) in page.content.decode()
    box = client.get(
        reverse("desk:claim_similar", args=[ukrainian.slug]), headers={"HX-Request": "true"}
    )
    html = box.content.decode()
    assert box.status_code == HTTPStatus.OK
    assert "<html" not in html
    assert ENGLISH in html
    assert f'href="{reverse("desk:claim_edit", args=[english.slug])}"' in html
    assert f'href="{reverse("desk:claim_edit", args=[ukrainian.slug])}"' not in html  # itself


def test_editors_decisions_are_logged_and_give_the_precision(client, editor):
    english = create_claim(text=ENGLISH, language="en")
    other = create_claim(text="Bread prices rose in Lviv in October", language="en")
    decide = reverse("desk:similar_decide")
    next_url = reverse("desk:claim_edit", args=[english.slug])
    for suggested, score, outcome in (
        (english, 0.9, SuggestionOutcome.LINKED),
        (english, 0.8, SuggestionOutcome.MERGED),
        (other, 0.7, SuggestionOutcome.DISMISSED),
        (other, 0.1, SuggestionOutcome.DISMISSED),  # below the threshold: not counted
    ):
        response = client.post(
            decide,
            {
                "text": UKRAINIAN,
                "suggested": suggested.pk,
                "score": score,
                "outcome": outcome,
                "next": next_url,
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == next_url
    assert SimilarSuggestion.objects.count() == 4
    precision, decided = SimilarSuggestion.objects.precision(0.5)
    assert (round(precision, 3), decided) == (0.667, 3)
    page = client.get(reverse("desk:similarity_report"))
    assert page.status_code == HTTPStatus.OK
    assert "similarity-precision" in page.content.decode()


def test_a_bad_decision_is_refused_without_saving(client, editor):
    response = client.post(reverse("desk:similar_decide"), {"text": "x", "score": "2"})
    assert response.status_code == HTTPStatus.FOUND
    assert SimilarSuggestion.objects.count() == 0


def test_logging_a_claim_while_suggestions_were_shown_counts_as_created_anyway(client, editor):
    english = create_claim(text=ENGLISH, language="en")
    response = client.post(
        reverse("desk:claim_create"),
        {
            "text": UKRAINIAN,
            "subjects": "",
            "claimant": "",
            "first_seen_at": "2025-11-17T17:55",
            "tags": "",
            "language": "uk",
            "context": "",
            "similar_shown": [f"{english.pk}:0.91", "junk"],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    row = SimilarSuggestion.objects.get()
    assert (row.suggested, row.outcome, row.score) == (english, "created_anyway", 0.91)


def test_typed_text_lists_similar_claims_as_a_fragment(client, editor):
    english = create_claim(text=ENGLISH, language="en")
    vectors.refresh([english.pk])
    response = client.get(
        reverse("desk:typed_similar"), {"text": UKRAINIAN}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert ENGLISH in html
    assert f'value="{english.pk}:' in html
    short = client.get(reverse("desk:typed_similar"), {"text": "Умєров"})
    assert ENGLISH not in short.content.decode()


def test_the_worker_rewrites_the_index_file_once_it_is_far_enough_behind(monkeypatch):
    monkeypatch.setattr(vector_index, "EXACT_BELOW", 1)
    monkeypatch.setattr(vector_index, "SAVE_BEHIND", 2)
    encoder = vectors.encoder()
    first = create_claim(text=ENGLISH, language="en")
    vectors.refresh([first.pk])
    assert vector_index.save_if_behind() is False  # no file yet: nothing to keep in step
    vector_index.build(encoder.name, encoder.dims)
    sidecar = vector_index.index_path(encoder.name).with_suffix(".json")
    second = create_claim(text=UKRAINIAN, language="uk")
    assert refresh_claim_vectors.call(second.pk) == 1
    assert json.loads(sidecar.read_text())["vectors"] == 1  # one row behind: left as it is
    third = create_claim(text="Bread prices rose in Lviv in October", language="en")
    assert refresh_claim_vectors.call(third.pk) == 1
    written = json.loads(sidecar.read_text())
    assert written == {"covers": ClaimVector.objects.get(claim=third).pk, "vectors": 3}
