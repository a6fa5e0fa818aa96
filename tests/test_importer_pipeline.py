"""The import flow across models: outlet time zones, failures, report diffs."""

from claims.importer.extract import extract
from claims.importer.pipeline import report_diff, run_import
from claims.models import ImportJob
from tests.factories import create_outlet, create_report

PAGE = (
    "<html><head><title>Council rejects the claims</title>"
    "<link rel=canonical href='https://news.example.com/2024/story'></head><body>"
    "<h1>Council rejects the claims</h1><div class='date'>08:30 04.03.2024</div>"
    "<p>The city council rejected the claims that the bridge was unsafe, its spokesperson "
    "said.</p></body></html>"
)


def test_times_without_offset_use_the_time_zone_of_the_outlet_on_file():
    create_outlet(
        name="Example News", homepage="https://news.example.com/", time_zone="America/New_York"
    )
    job = run_import(
        ImportJob.objects.create(source=PAGE.encode(), url="https://news.example.com/2024/story")
    )
    assert job.status == "ready", job.error
    assert job.result["article"]["published"] == "2024-03-04T08:30:00-05:00"


def test_an_unknown_outlet_reads_times_in_kyiv():
    job = run_import(ImportJob.objects.create(source=PAGE.encode()))
    assert job.result["article"]["published"] == "2024-03-04T08:30:00+02:00"
    assert job.result["suggestion"]["stance"] == "denies"
    assert job.result["existing_report"] is None and job.result["diff"] == {}


def test_a_failed_fetch_or_extraction_is_recorded_on_the_job():
    job = run_import(ImportJob.objects.create(url="http://10.0.0.7/story"))
    assert job.status == "failed" and "not a public address" in job.error
    job = run_import(ImportJob.objects.create(source=b"\x00\x01\x02 binary"))
    assert job.status == "failed" and "binary" in job.error


def test_report_diff_lists_only_changed_fields():
    article = extract(PAGE.encode())
    report = create_report(
        title="Council rejects the claims",
        canonical_url="https://news.example.com/2024/story",
        published_at=article.published,
        body=article.body,
        language=article.language,  # detected: the page declares none
        url="https://news.example.com/2024/story",
    )
    assert article.language == "en"
    assert report_diff(report, article) == {}
    report.title = "Old title"
    assert report_diff(report, article) == {"title": ["Old title", "Council rejects the claims"]}
