"""CSV and JSON exports of the filtered claim list."""

import csv
import io
import json
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.exports import neutralise
from claims.models import Stance, VerdictState
from tests.factories import create_claim, create_response, create_tag, create_verdict


@pytest.fixture(autouse=True)
def _reader_settings(settings):
    # The filter selects are cached between requests; every test starts afresh.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def body(response) -> str:
    assert response.status_code == HTTPStatus.OK
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def claims():
    tag = create_tag(name="war", slug="war")
    denied = create_claim(text="Denied claim", language="en", tags=[tag], slug="denied-claim")
    create_response(claim=denied, stance=Stance.DENIES)
    create_verdict(claim=denied, rating="false", state=VerdictState.PUBLISHED)
    drafted = create_claim(text="Drafted claim", language="uk", slug="drafted-claim")
    create_verdict(claim=drafted, rating="true", state=VerdictState.DRAFT)
    create_claim(text="Withdrawn claim", withdrawn_at=timezone.now(), withdrawn_reason="dup")
    return {"denied": denied, "drafted": drafted}


def test_csv_export(client, claims):
    response = client.get(reverse("claims:claim_export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="claims.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [row["text"] for row in rows] == ["Drafted claim", "Denied claim"]
    denied = rows[1]
    assert denied["url"] == "http://testserver" + reverse(
        "claims:claim_detail", args=["denied-claim"]
    )
    assert denied["official_position"] == "denied"
    assert denied["rating"] == "false"
    assert denied["rating_value"] == "1"
    assert denied["tags"] == "war"
    assert denied["verdict_published_at"]
    # A draft verdict's rating is never exported.
    assert rows[0]["rating"] == "" and rows[0]["official_position"] == "no_response"


def test_json_export_with_the_same_filters_as_the_page(client, claims):
    response = client.get(reverse("claims:claim_export_json"), {"position": "denied", "q": "claim"})
    assert response["Content-Type"] == "application/json"
    data = json.loads(body(response))
    assert data["filters"] == {"q": "claim", "position": "denied"}
    assert [c["slug"] for c in data["claims"]] == ["denied-claim"]
    claim = data["claims"][0]
    assert claim["rating"] == "false" and claim["rating_value"] == 1
    assert claim["tags"] == ["war"]
    page = client.get(reverse("claims:claim_list"), {"position": "denied", "q": "claim"})
    assert [c.slug for c in page.context["page"].items] == ["denied-claim"]


def test_empty_json_export_is_valid(client):
    data = json.loads(body(client.get(reverse("claims:claim_export_json"))))
    assert data == {"filters": {}, "claims": []}


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_neutralises_formula_injection(client):
    create_claim(text='=HYPERLINK("http://evil.example","click")', slug="formula")
    rows = list(csv.DictReader(io.StringIO(body(client.get(reverse("claims:claim_export_csv"))))))
    assert rows[0]["text"] == '\'=HYPERLINK("http://evil.example","click")'
