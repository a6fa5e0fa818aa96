"""Bulk data: the ClaimReview DataFeed, the CSVs and their Frictionless data package."""

import csv
import json
from http import HTTPStatus

import frictionless
import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.api import bulk
from tests.factories import create_claim, create_correction, create_denied_chain, create_response


@pytest.fixture
def built(settings, tmp_path):
    settings.BULK_DATA_DIR = tmp_path / "bulk"
    chain = create_denied_chain()
    chain["repeat"].cites = chain["origin"]
    chain["repeat"].save()
    create_correction(verdict=chain["verdict"], text="=HYPERLINK() fixed")
    now = timezone.now()
    hidden = create_claim(text="Withdrawn claim", withdrawn_at=now, withdrawn_reason="duplicate")
    create_response(claim=hidden, quote="hidden quote")
    create_response(
        claim=chain["claim"], quote="withdrawn quote", withdrawn_at=now, withdrawn_reason="x"
    )
    call_command("build_bulk_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {"dir": settings.BULK_DATA_DIR, "chain": chain, "hidden": hidden}


def rows(folder, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_data_package_validates_with_frictionless(built):
    report = frictionless.validate(str(built["dir"] / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((built["dir"] / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["name"] for r in package["resources"]} == {
        "claims",
        "carriages",
        "responses",
        "reports",
        "verdicts",
        "corrections",
        "actors",
        "outlets",
        "tags",
    }


def test_only_approved_rows_are_in_the_csvs(built):
    folder, chain = built["dir"], built["chain"]
    assert [r["id"] for r in rows(folder, "claims")] == [str(chain["claim"].pk)]
    quotes = [r["quote"] for r in rows(folder, "responses")]
    assert quotes == ["It's fake"]
    cites = {r["id"]: r["cites_id"] for r in rows(folder, "carriages")}
    assert cites[str(chain["repeat"].pk)] == str(chain["origin"].pk)
    # A cell a spreadsheet would run is neutralised.
    assert rows(folder, "corrections")[0]["text"] == "'=HYPERLINK() fixed"


def test_the_datafeed_holds_a_complete_claimreview_per_published_verdict(built):
    feed = json.loads((built["dir"] / bulk.FEED_NAME).read_text())
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    [element] = feed["dataFeedElement"]
    assert element["@type"] == "DataFeedItem"
    [review] = element["item"]
    assert bulk.claim_review_problems(review) == []
    assert review["claimReviewed"] == "Umerov refused to return to Ukraine"
    assert review["reviewRating"]["alternateName"] == "Unproven"
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://clash.example/post/1"
    assert "dateModified" in review  # the correction


def test_the_datafeed_cites_the_approved_responses_as_the_claim_page_does(settings, tmp_path):
    settings.BULK_DATA_DIR = tmp_path / "bulk"
    chain = create_denied_chain()
    said = create_response(
        claim=chain["claim"],
        responder=chain["umerov"],
        attribution="named_official",
        speaker_name="Rustem Umerov",
        quote="I am on a working trip",
        channel_kind="telegram",
        channel_url="https://t.me/umerov/7",
        responded_at=timezone.now(),
    )
    create_response(claim=chain["claim"], quote="not yet approved", approved=False)
    create_response(
        claim=chain["claim"],
        quote="withdrawn quote",
        withdrawn_at=timezone.now(),
        withdrawn_reason="x",
    )
    call_command("build_bulk_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    feed = json.loads((settings.BULK_DATA_DIR / bulk.FEED_NAME).read_text())
    [review] = feed["dataFeedElement"][0]["item"]
    denial, post = review["citation"]
    # The denial as relayed by the agency's report, the minister's own post at its own URL.
    assert denial["text"] == "It's fake"
    assert denial["author"]["name"] == "President's Office"
    assert denial["subjectOf"]["url"] == "https://interfax.example/news/1"
    assert denial["subjectOf"]["publisher"]["name"] == "Interfax-Ukraine"
    assert post["@type"] == "SocialMediaPosting"
    assert post["url"] == said.channel_url
    assert post["author"]["name"] == "Rustem Umerov"
    assert "subjectOf" not in post
    assert bulk.claim_review_problems(review) == []


def test_the_claimreview_check_names_what_is_missing():
    problems = bulk.claim_review_problems(
        {"@type": "ClaimReview", "url": "/relative", "reviewRating": {"worstRating": 0}}
    )
    assert "ClaimReview.claimReviewed is missing" in problems
    assert "Rating.alternateName is missing" in problems
    assert "Claim.appearance is missing" in problems
    assert "Rating.worstRating must be at least 1" in problems
    assert "ClaimReview.url is not an absolute URL" in problems


def test_the_files_are_served_under_the_api(client, built):
    index = client.get("/api/v1/bulk/")
    assert index.status_code == HTTPStatus.OK
    names = {f["name"] for f in index.json()["files"]}
    assert {"datapackage.json", bulk.FEED_NAME, "claims.csv"} <= names
    answer = client.get("/api/v1/bulk/claims.csv")
    assert answer.status_code == HTTPStatus.OK
    assert answer["Content-Type"].startswith("text/csv")
    assert b"Umerov refused" in b"".join(answer.streaming_content)
    again = client.get(
        "/api/v1/bulk/claims.csv", headers={"If-Modified-Since": answer["Last-Modified"]}
    )
    assert again.status_code == HTTPStatus.NOT_MODIFIED


@pytest.mark.parametrize("name", ["../settings.py", "nothing.csv", ".building-x", "%2e%2e"])
def test_only_built_files_are_served(client, built, name):
    answer = client.get(f"/api/v1/bulk/{name}")
    assert answer.status_code == HTTPStatus.NOT_FOUND
    assert answer["Content-Type"] == "application/problem+json"


def test_before_the_first_build_the_index_says_so(client, settings, tmp_path):
    settings.BULK_DATA_DIR = tmp_path / "empty"
    answer = client.get("/api/v1/bulk/")
    assert answer.status_code == HTTPStatus.NOT_FOUND
    assert "not been generated" in answer.json()["detail"]


def test_the_nightly_build_is_queued_once(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("build_bulk_data", "--every", "24", stdout=out)
    call_command("build_bulk_data", "--every", "24", stdout=out)
    assert DBTaskResult.objects.filter(task_path__endswith="build_bulk_data").count() == 1


def test_the_task_rebuilds_and_schedules_the_next_run(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from claims.api.tasks import build_bulk_data

    settings.BULK_DATA_DIR = tmp_path / "bulk"
    create_denied_chain()
    summary = build_bulk_data.call(24)
    assert "claims" in summary
    assert (tmp_path / "bulk" / "datapackage.json").exists()
    assert DBTaskResult.objects.filter(task_path__endswith="build_bulk_data").count() == 1
