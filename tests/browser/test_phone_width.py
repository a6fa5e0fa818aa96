"""
At a phone's width (390 px) the desk's history, the inbox, the review queue, the claim page and
the desk pages for feeds and archiving fit without horizontal scrolling (screenshots go to
test-results/phone-width/, git-ignored), and axe-core finds no WCAG A/AA violation on the pages
added or changed for archiving, channels, feeds and the claim page's pictures.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from claims.models import (
    Claim,
    FeedItem,
    Lead,
    OutletFeed,
    Report,
    Response,
    SourceArchive,
    Verdict,
    writing,
)
from tests.browser.test_reader_browser import axe_violations
from tests.factories import create_editor, create_reviewer

PASSWORD = "a-long-test-password"
SHOTS = Path(settings.BASE_DIR) / "test-results" / "phone-width"
PHONE = {"width": 390, "height": 844}
CLAIM = "Umerov refused to return to Ukraine"
LONG = "https://www.ukrinform.ua/rubric-polytics/4058921-an-address-much-wider-than-a-phone-screen"


@pytest.fixture
def desk(seeded):
    """The seed chain, plus what the phone pages show: a pending change, leads in the inbox, a
    feed with an error, a failed archiving and a response said on Telegram."""
    cache.clear()
    editor = create_editor(username="olena")
    reviewer = create_reviewer(username="maria")
    claim = Claim.objects.get(text=CLAIM)
    ministry = claim.responses.get().responder
    response = writing.create(
        Response,
        by=editor,
        values={
            "claim": claim,
            "responder": ministry,
            "stance": "denies",
            "attribution": "official_statement",
            "quote": "Це фейк. Умєров працює за кордоном за дорученням Президента.",
            "language": "uk",
            "channel_kind": "telegram",
            "channel_url": "https://t.me/office_of_the_president_of_ukraine/12345",
            "report": claim.responses.first().report,
            "responded_at": timezone.now(),
        },
    )
    writing.save_edit(
        claim,
        by=editor,
        version=writing.desk_version(claim),
        values={"context": "A longer context " * 20},
    )
    writing.approve(claim, by=reviewer)
    pending = writing.create(Claim, by=editor, values={"text": f"Waiting {LONG}"}, slug="waiting")
    feed = OutletFeed.objects.create(
        outlet=claim.carriages.first().report.outlet,
        url=LONG + "/rss.xml",
        last_polled_at=timezone.now(),
        last_error=f"The site answered 503 Service Unavailable for {LONG}.",
    )
    for n in range(3):
        item = FeedItem.objects.create(
            feed=feed, url=f"{LONG}/{n}", title=f"Ministry denies the report number {n}: fake"
        )
        Lead.objects.create(item=item, score=80 - n, reasons=["denial words", "official named"])
    report = Report.objects.filter(carriages__claim=claim).first()
    Report.objects.filter(pk=report.pk).update(url=LONG)
    SourceArchive.objects.create(
        report=report, status="failed", attempts=2, reason=f"The site answered 503 for {LONG}."
    )
    return {
        "claim": claim,
        "pending": pending,
        "feed": feed,
        "report": report,
        "response": response,
        "verdict": Verdict.objects.get(claim=claim),
        "reviewer": reviewer,
    }


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Desk")


def pages(desk: dict) -> dict[str, str]:
    return {
        "claim-page": desk["claim"].get_absolute_url(),
        "history": reverse("desk:claim_history", args=[desk["claim"].slug]),
        "inbox": reverse("importer:inbox"),
        "review-queue": reverse("desk:review_queue"),
        "feeds": reverse("desk:feed_list"),
        "feed": reverse("desk:feed_edit", args=[desk["feed"].pk]),
        "report": reverse("desk:report_edit", args=[desk["report"].pk]),
        "verdict": reverse("desk:verdict_edit", args=[desk["verdict"].pk]),
        "response": reverse("desk:response_edit", args=[desk["response"].pk]),
    }


def test_phone_width_pages_fit_and_pass_axe(browser: Browser, live_server, desk):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        log_in(page, live_server.url, "maria")
        for name, path in pages(desk).items():
            page.goto(live_server.url + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > 390)
                        .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
                )
                problems.append(f"{name}: {width}px wide ({wide})")
            violations = axe_violations(page)
            if violations:
                problems.append(f"{name}: {violations}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_a_response_said_on_telegram_shows_on_the_claim_page(page: Page, live_server, desk):
    page.goto(live_server.url + desk["claim"].get_absolute_url())
    said = page.locator(f"#response-{desk['response'].pk}")
    expect(said).to_contain_text(
        "said on Telegram: t.me/office_of_the_president_of_ukraine/12345 · reported by "
        "Interfax-Ukraine"
    )
    link = said.get_by_role("link", name="t.me/office_of_the_president_of_ukraine/12345")
    expect(link).to_have_attribute("href", "https://t.me/office_of_the_president_of_ukraine/12345")
    # The graph's list names the origin and who cites it, for screen readers too.
    graph = page.locator(".source-graph-list")
    expect(graph).to_contain_text("Clash Report: origin of the claim")
    expect(graph).to_contain_text("Interfax-Ukraine: cites Clash Report")
