"""
From an empty database, an editor logs the seed chain through the desk pages only and submits
a verdict; a reviewer publishes it; the claim is then on the reader site.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from claims.models import Actor, Carriage, Claim, HistoryEntry, Response, Verdict

from ..factories import create_editor, create_reviewer

PASSWORD = "a-long-test-password"
CLAIM = "Umerov refused to return to Ukraine"
INTERFAX_TITLE = (
    "President’s Office denies reports that Umerov allegedly refuses to return to Ukraine"
)


@pytest.fixture
def desk_users(transactional_db):
    return create_editor(username="olena"), create_reviewer(username="maria")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Desk")


def add_name(page: Page, kind: str, name: str, *, choice: str | None = None, role: str = ""):
    """Use the page's inline "New actor/outlet/tag" form (htmx swaps in a confirmation)."""
    form = page.locator(f"#new-{kind}")
    form.get_by_label("Name").fill(name)
    if choice:
        form.get_by_label("Kind").select_option(label=choice)
    if role:
        form.get_by_label("Role").fill(role)
    form.get_by_role("button").click()
    expect(page.locator(f"#new-{kind} .created")).to_contain_text(f"Added {name}")


def test_editor_logs_the_seed_chain_and_a_reviewer_publishes_it(
    page: Page, live_server, desk_users
):
    base = live_server.url
    assert not Claim.objects.exists() and not Actor.objects.exists()

    # The editor logs in and starts a claim.
    log_in(page, base, "olena")
    page.get_by_role("link", name="Log a new claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a claim")

    # The names it needs do not exist yet: add them inline, without leaving the page.
    add_name(page, "actors", "Rustem Umerov", choice="Person", role="NSDC Secretary")
    add_name(page, "actors", "Volodymyr Zelenskyy", choice="Person", role="President of Ukraine")
    add_name(page, "actors", "Clash Report", choice="Organisation")
    add_name(page, "tags", "umerov")
    add_name(page, "tags", "presidents_office")

    page.get_by_label("Text", exact=True).fill(CLAIM)
    # Autocomplete: the datalist had no Umerov when the page loaded; typing fetches him.
    subjects = page.get_by_label("Subjects")
    subjects.press_sequentially("Rus", delay=50)
    expect(page.locator("#id_subjects-names option[value='Rustem Umerov']")).to_have_count(1)
    subjects.fill("Rustem Umerov, Volodymyr Zelenskyy")
    page.get_by_label("Claimant").fill("Clash Report")
    page.get_by_label("First seen (Kyiv time)").fill("2025-11-17T17:55")
    page.get_by_label("Tags").fill("presidents_office, umerov")
    page.get_by_label("Language").fill("en")
    page.get_by_label("Context").fill(
        "On November 11, 2025 Umerov announced a working trip to Turkey and the Middle East."
    )
    # A typo is refused in place (422 swapped in by htmx), keeping what was typed.
    page.get_by_label("Claimant").fill("Clash Reprot")
    page.get_by_role("button", name="Log claim").click()
    expect(page.locator("#claim-form")).to_contain_text("No actor called “Clash Reprot” yet")
    expect(page.get_by_label("Text", exact=True)).to_have_value(CLAIM)
    page.get_by_label("Claimant").fill("Clash Report")
    page.get_by_role("button", name="Log claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    expect(page.get_by_text("Claim logged.")).to_be_visible()

    # Origin: Clash Report's post, a new report of a new outlet.
    page.get_by_role("link", name="Add a carriage").click()
    add_name(page, "outlets", "Clash Report", choice="Social media account")
    add_name(page, "outlets", "Interfax-Ukraine", choice="News agency")
    page.get_by_label("Outlet").fill("Clash Report")
    page.get_by_label("Title").fill("Umerov refused to return to Ukraine and told Zelenskyy")
    page.get_by_label("Role").select_option(label="Origin")
    page.get_by_label("Wording").fill(
        "Umerov allegedly refused to return to Ukraine and allegedly personally notified "
        "Ukrainian President Volodymyr Zelenskyy of his decision."
    )
    page.get_by_role("button", name="Add carriage").click()
    expect(page.get_by_text("Carriage added.")).to_be_visible()

    # The Interfax-Ukraine report mentions it, citing the origin.
    page.get_by_role("link", name="Add a carriage").click()
    page.get_by_label("Outlet").fill("Interfax-Ukraine")
    page.get_by_label("URL").fill("https://en.interfax.com.ua/news/general/1120000.html")
    page.get_by_label("Title").fill(INTERFAX_TITLE)
    page.get_by_label("Published (Kyiv time)").fill("2025-11-17T17:55")
    page.get_by_label("Role").select_option(label="Mention")
    page.get_by_label("Wording").fill(
        "The report that Rustem Umerov allegedly refused to return to Ukraine is untrue"
    )
    page.get_by_label("Cites").select_option(
        label="Origin: Clash Report: Umerov refused to return to Ukraine and told Zelenskyy"
    )
    page.get_by_role("button", name="Add carriage").click()
    expect(page.get_by_text("Carriage added.")).to_be_visible()

    # The President's Office denial, through an anonymous source, as carried by Interfax.
    page.get_by_role("link", name="Add a response").click()
    add_name(page, "actors", "President's Office", choice="Organisation")
    page.get_by_label("Responder").fill("President's Office")
    page.get_by_label("Stance").select_option(label="denies")
    page.get_by_label("Attribution").select_option(label="anonymous source inside the institution")
    page.get_by_label("Quote").fill("It's fake")
    page.get_by_label("Reported in").select_option(
        label=f"Interfax-Ukraine: {INTERFAX_TITLE} (17.11.2025)"
    )
    page.get_by_label("Responded (Kyiv time)").fill("2025-11-17T17:55")
    page.get_by_role("button", name="Add response").click()
    expect(page.get_by_text("Response added.")).to_be_visible()
    expect(page.get_by_text("President's Office denies", exact=True)).to_be_visible()

    # The verdict: drafted, then submitted for review.
    page.get_by_role("link", name="Draft the verdict").click()
    page.get_by_label("Rating").select_option(label="Unproven")
    page.get_by_label("Summary").fill(
        "The President's Office denied it through an anonymous informed source."
    )
    page.get_by_label("Rationale").fill("An anonymous denial is evidence, not proof.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".state")).to_have_text("Draft")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".state")).to_have_text("In review")
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)

    # Not public yet: nothing is, before a second editor approves the chain.
    claim_url = base + reverse("claims:claim_detail", args=[Claim.objects.get().slug])
    assert page.request.get(claim_url).status == 404
    assert "Umerov" not in page.request.get(base + reverse("claims:denied_rss")).text()

    # A reviewer approves the chain from the queue, then publishes the verdict.
    page.get_by_role("button", name="Log out olena").click()
    log_in(page, base, "maria")
    page.goto(base + reverse("desk:review_queue"))
    page.locator(".review-queue li", has_text=CLAIM).get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved: readers see it now.")).to_be_visible()
    page.goto(base + reverse("desk:dashboard"))
    page.locator("#review-heading").locator("..").get_by_role("link", name=CLAIM).click()
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".state")).to_have_text("Published")

    # The reader site shows the chain and the verdict.
    claim = Claim.objects.get()
    page.goto(base + reverse("claims:claim_detail", args=[claim.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    position = page.locator("section", has=page.get_by_role("heading", name="Official position"))
    expect(position.locator(".position")).to_have_text("Denied")
    expect(page.get_by_text("Unproven", exact=True)).to_be_visible()
    expect(page.get_by_text("“It's fake”")).to_be_visible()

    # And the denial is in the subscribers' feed.
    feed = page.request.get(base + reverse("claims:denied_rss"))
    assert feed.ok
    assert "President's Office denies: Umerov refused to return to Ukraine" in feed.text()

    # Everything went through the desk, and the history says who did what.
    verdict = Verdict.objects.get()
    assert (verdict.author.username, verdict.reviewer.username) == ("olena", "maria")
    assert claim.claimant.name == "Clash Report"
    assert {a.name for a in claim.subjects.all()} == {"Rustem Umerov", "Volodymyr Zelenskyy"}
    origin, mention = Carriage.objects.order_by("pk")
    assert (origin.role, mention.role, mention.cites) == ("origin", "mention", origin)
    response = Response.objects.get()
    assert (response.stance, response.attribution) == ("denies", "anonymous_source")
    assert response.report == mention.report
    users = set(HistoryEntry.objects.filter(claim=claim).values_list("user__username", flat=True))
    assert users == {"olena", "maria"}


def test_the_desk_works_without_javascript(browser, live_server, desk_users):
    """With JavaScript off, htmx never runs: every form is a plain POST and a redirect."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server.url, "olena")
        page.get_by_role("link", name="Log a new claim").click()
        # Inline creation falls back to a POST that comes back to this page.
        form = page.locator("#new-actors")
        form.get_by_label("Name").fill("Clash Report")
        form.get_by_label("Kind").select_option(label="Organisation")
        form.get_by_role("button").click()
        expect(page.get_by_text("Added Clash Report; you can type it now.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Log a claim")
        # An error comes back as the whole page, status 422, with the input kept.
        page.get_by_label("Text", exact=True).fill(CLAIM)
        page.get_by_label("Claimant").fill("Nobody")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Log claim").click()
        assert answer.value.status == 422
        expect(page.get_by_text("No actor called “Nobody” yet")).to_be_visible()
        page.get_by_label("Claimant").fill("Clash Report")
        page.get_by_role("button", name="Log claim").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
        assert Claim.objects.get().claimant.name == "Clash Report"
    finally:
        context.close()
