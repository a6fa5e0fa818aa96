"""Response time, measured (models/timings.py, claims/desk/stats.py, the actor page): medians
right on a hand-computed example, from approved data only, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import ClaimTiming, ResponderTiming
from claims.models.timings import median_of, medians, responsiveness

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_editor,
    create_report,
    create_response,
    create_reviewer,
    create_verdict,
)

H = timedelta(hours=1)
NOV = datetime(2025, 11, 3, 10, 0, tzinfo=UTC)
DEC = datetime(2025, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def example():
    """
    The example, worked by hand (offsets in hours from the claim's logging):

    | claim | by | logged | approved | carriages | responses            | verdict      |
    | C1    | A  | Nov 3  | +2       | -10       | Office -4            | approved+24  |
    | C2    | A  | Nov 4  | +4       | -2        | Office +1            | —            |
    | C3    | B  | Nov 5  | +10      | -1, +5    | Office +11, Min. +23 | approved+48  |
    | C4    | B  | Dec 2  | +1       | -0.5      | Office +2 (pending)  | approved+12  |
    | C5    | B  | Dec 3  | +3       | -2        | Office +6            | —            |
    | C6    | A  | Dec 4  | private  | -1        | Office +1 min        | —            |

    Durations (hours):  response  approval  verdict
                  C1       6         2        24
                  C2       3         4         —
                  C3      12        10        48
                  C4       —         1        12
                  C5       8         3         —
    """
    a, b = create_editor(username="ed_a"), create_editor(username="ed_b")
    office, ministry = create_actor(name="Office"), create_actor(name="Ministry")
    umerov = create_actor(name="Umerov")

    def claim(by, created, approved_after, carried, responses, verdict_after, subjects):
        approved = created + approved_after if approved_after is not None else None
        c = create_claim(
            created_by=by,
            created_at=created,
            approved=approved is not None,
            approved_at=approved,
            subjects=subjects,
        )
        for offset in carried:
            create_carriage(claim=c, report=create_report(published_at=created + offset))
        for responder, offset, approved_response in responses:
            create_response(
                claim=c,
                responder=responder,
                responded_at=created + offset,
                approved=approved_response,
            )
        if verdict_after is not None:
            create_verdict(
                claim=c, state="published", published_at=approved + verdict_after, rating="false"
            )
        return c

    return {
        "office": office,
        "ministry": ministry,
        "editors": (a, b),
        "claims": [
            claim(a, NOV, 2 * H, [-10 * H], [(office, -4 * H, True)], 24 * H, [office]),
            claim(a, NOV + 24 * H, 4 * H, [-2 * H], [(office, 1 * H, True)], None, [office]),
            claim(
                b,
                NOV + 48 * H,
                10 * H,
                [-1 * H, 5 * H],
                [(office, 11 * H, True), (ministry, 23 * H, True)],
                48 * H,
                [umerov],
            ),
            claim(b, DEC, 1 * H, [-H / 2], [(office, 2 * H, False)], 12 * H, [office]),
            claim(b, DEC + 24 * H, 3 * H, [-2 * H], [(office, 6 * H, True)], None, [umerov]),
            claim(
                a,
                DEC + 48 * H,
                None,
                [-1 * H],
                [(office, timedelta(minutes=1), True)],
                None,
                [office],
            ),
        ],
    }


def hours(result):
    return {key: (median / 3600, count) for key, (median, count) in result.items()}


def test_each_claim_is_measured_from_approved_rows(example):
    c1, _c2, c3, c4, _c5, c6 = example["claims"]
    t1 = ClaimTiming.objects.get(claim=c1)
    assert (t1.response_seconds, t1.approval_seconds, t1.verdict_seconds) == (
        6 * 3600,
        2 * 3600,
        24 * 3600,
    )
    # The earliest carriage counts, and the first response of any actor.
    assert ClaimTiming.objects.get(claim=c3).response_seconds == 12 * 3600
    # A pending response is not a response yet.
    assert ClaimTiming.objects.get(claim=c4).response_seconds is None
    assert ClaimTiming.objects.get(claim=c6).public is False
    assert (
        ResponderTiming.objects.get(claim=c3, responder=example["ministry"]).seconds
        == 23 * 3600 + 3600
    )


def test_medians_per_month(example):
    public = ClaimTiming.objects.filter(public=True)
    nov, dec = datetime(2025, 11, 1).date(), datetime(2025, 12, 1).date()
    # Response: Nov 3, 6, 12 → 6; Dec 8 → 8.
    assert hours(medians(public, group="logged_month", value="response_seconds")) == {
        nov: (6, 3),
        dec: (8, 1),
    }
    # Approval: Nov 2, 4, 10 → 4; Dec 1, 3 → 2 (an even count: the mean of the middle two).
    assert hours(medians(public, group="logged_month", value="approval_seconds")) == {
        nov: (4, 3),
        dec: (2, 2),
    }
    # Verdict: Nov 24, 48 → 36; Dec 12 → 12.
    assert hours(medians(public, group="logged_month", value="verdict_seconds")) == {
        nov: (36, 2),
        dec: (12, 1),
    }


def test_medians_per_editor_and_responder(example):
    a, b = example["editors"]
    public = ClaimTiming.objects.filter(public=True)
    # A: response 6, 3 → 4.5; approval 2, 4 → 3; verdict 24.
    # B: response 12, 8 → 10; approval 10, 1, 3 → 3; verdict 48, 12 → 30.
    assert hours(medians(public, group="logged_by", value="response_seconds")) == {
        a.pk: (4.5, 2),
        b.pk: (10, 2),
    }
    assert hours(medians(public, group="logged_by", value="approval_seconds")) == {
        a.pk: (3, 2),
        b.pk: (3, 3),
    }
    assert hours(medians(public, group="logged_by", value="verdict_seconds")) == {
        a.pk: (24, 1),
        b.pk: (30, 2),
    }
    # Office: 6, 3, 12, 8 → 7 (C6 is private); Ministry: 24.
    responders = ResponderTiming.objects.filter(public=True)
    assert hours(medians(responders, group="responder", value="seconds")) == {
        example["office"].pk: (7, 4),
        example["ministry"].pk: (24, 1),
    }


def test_an_actor_answers_claims_about_it(example):
    # About the Office and public: C1, C2, C4. Answered: C1 (6 h), C2 (3 h); C4 only pending.
    record = responsiveness(example["office"])
    assert record["claims_about"] == 3
    assert (record["answered"], record["unanswered"], record["unanswered_percent"]) == (2, 1, 33)
    assert record["median_seconds"] == 4.5 * 3600
    assert median_of(ResponderTiming.objects.none(), value="seconds") == (None, 0)


def test_the_actor_page_shows_it(client, example):
    html = client.get(
        reverse("claims:actor_detail", args=[example["office"].slug])
    ).content.decode()
    assert "It answered 2; 1 (33 %) got no response from it." in html
    assert "4 h 30 min" in html


def test_the_stats_page_and_its_query_count(client, example):
    client.force_login(example["editors"][0])
    url = reverse("desk:stats")
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "November 2025" in html and "December 2025" in html
    assert "1 d 12 h" in html  # November's verdict median, 36 h
    assert "ed_b" in html and "Ministry" in html
    # The figures are kept for a while: a second visit runs no statistics query.
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert not [q for q in cached.captured_queries if "timing" in q["sql"].lower()]
    cache.clear()
    # More claims, same number of queries (one per grouping and measure, plus names).
    for n in range(5):
        c = create_claim(created_at=NOV + n * H, approved_at=NOV + (n + 1) * H)
        create_carriage(claim=c, report=create_report(published_at=NOV))
        create_response(claim=c, responder=create_actor(), responded_at=NOV + 2 * H)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
    stats_queries = [q for q in few.captured_queries if "timing" in q["sql"].lower()]
    assert len(stats_queries) == 7


def test_approval_through_the_write_path_measures_the_claim():
    from claims.models import Carriage, Claim, writing

    author, reviewer = create_editor(), create_reviewer()
    claim = writing.create(Claim, by=author, values={"text": "Measured"}, slug="measured")
    writing.create(
        Carriage,
        by=author,
        values={"claim": claim, "report": create_report(published_at=NOV)},
    )
    # Private work is not measured until a second editor approves it.
    assert not ClaimTiming.objects.filter(claim=claim, public=True).exists()
    writing.approve(claim, by=reviewer)
    timing = ClaimTiming.objects.get(claim=claim)
    assert timing.public and timing.approval_seconds is not None
    assert timing.first_carried_at == NOV
