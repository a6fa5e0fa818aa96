"""
The seed chain logged on one page in a real browser, from an empty database, by keyboard, in
a counted handful of submits; the chain it makes equals the one the seed loader makes. And
similar claims appear while the editor types.
"""

import json
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from claims.models import Actor, Claim

from ..factories import create_editor
from .test_desk_chain import PASSWORD

SEED = json.loads((settings.BASE_DIR / "seeds" / "umerov.json").read_text(encoding="utf-8"))
# The most submits the issue allows for the whole seed chain, logging in included.
MOST_SUBMITS = 8


def seed_rows():
    """The seed's first chain and the rows it refers to, by key."""
    claim = SEED["claims"][0]
    reports = {row["key"]: row for row in SEED["reports"]}
    actors = {row["slug"]: row for row in SEED["actors"]}
    outlets = {row["slug"]: row for row in SEED["outlets"]}
    return claim, reports, actors, outlets


def chain_of(claim: Claim) -> dict:
    """What a chain is, as readers and the desk see it: the claim, its carriages with the
    upstream each cites, and its responses."""
    return {
        "text": claim.text,
        "language": claim.language,
        "context": claim.context,
        "claimant": claim.claimant.name,
        "subjects": sorted(a.name for a in claim.subjects.all()),
        "tags": sorted(t.name for t in claim.tags.all()),
        "first_seen_at": claim.first_seen_at,
        "carriages": sorted(
            (
                c.role,
                c.report.outlet.name,
                c.report.title,
                c.report.published_at,
                c.report.language,
                c.language,
                c.wording,
                c.cites.report.outlet.name if c.cites else None,
            )
            for c in claim.carriages.all()
        ),
        "responses": sorted(
            (
                r.responder.name,
                r.stance,
                r.attribution,
                r.speaker_name,
                r.quote,
                r.language,
                r.report.outlet.name,
                r.report.title,
                r.responded_at,
            )
            for r in claim.responses.all()
        ),
    }


def count_submits(page: Page) -> dict:
    """Form submissions (every POST, plain or htmx) and page loads the editor caused (a
    redirect after a POST is part of that submit)."""
    counts = {"submits": 0, "navigations": 0}

    def seen(request) -> None:
        if request.method == "POST":
            counts["submits"] += 1
        elif request.is_navigation_request() and request.redirected_from is None:
            counts["navigations"] += 1

    page.on("request", seen)
    return counts


def test_the_seed_chain_is_logged_on_one_page_in_a_few_submits(
    page: Page, live_server, transactional_db
):
    base = live_server.url
    create_editor(username="olena")
    assert not Claim.objects.exists() and not Actor.objects.exists()
    claim, reports, actors, outlets = seed_rows()
    origin_row, mention_row = claim["carriages"]
    origin, mention = reports[origin_row["report"]], reports[mention_row["report"]]
    denial = claim["responses"][0]
    counts = count_submits(page)

    # Log in and open the page, by keyboard.
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill("olena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("link", name="Log a chain on one page").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a chain")

    # The claim.
    part = page.locator("#chain-claim")
    part.get_by_label("Claim", exact=True).fill(claim["text"])
    part.get_by_label("Language of the claim").fill(claim["language"])
    part.get_by_label("Claimant").fill(actors[claim["claimant"]]["name"])
    part.get_by_label("Subjects").fill(", ".join(actors[s]["name"] for s in claim["subjects"]))
    part.get_by_label("Tags").fill(", ".join(claim["tags"]))
    part.get_by_label("Context").fill(claim["context"])

    # Report 1: Clash Report's post, the origin (undated, no URL).
    first = page.locator("#chain-report-1")
    first.get_by_label("Outlet").fill(outlets[origin["outlet"]]["name"])
    first.get_by_label("Title").fill(origin["title"])
    first.get_by_label("Language of the report").fill(origin["language"])
    expect(first.get_by_label("Role")).to_have_value("origin")
    first.get_by_label("Wording").fill(origin_row["wording"])

    # Report 2: Interfax-Ukraine, mentioning it and citing report 1.
    second = page.locator("#chain-report-2")
    second.get_by_label("Outlet").fill(outlets[mention["outlet"]]["name"])
    second.get_by_label("Title").fill(mention["title"])
    second.get_by_label("Published (Kyiv time)").fill(mention["published_at"][:16])
    second.get_by_label("Language of the report").fill(mention["language"])
    second.get_by_label("Role").select_option(mention_row["role"])
    second.get_by_label("Wording").fill(mention_row["wording"])
    second.get_by_label("Cites").select_option(label="Report 1")

    # The President's Office denial, as reported by Interfax-Ukraine (its time by default).
    answer = page.locator("#chain-response-1")
    answer.get_by_label("Responder").fill(actors[denial["responder"]]["name"])
    answer.get_by_label("Stance").select_option(denial["stance"])
    answer.get_by_label("Attribution").select_option(denial["attribution"])
    answer.get_by_label("Quote", exact=True).fill(denial["quote"])
    answer.get_by_label("Reported in").select_option(label="Report 2")
    page.get_by_role("button", name="Log the chain").press("Enter")

    # Nothing was on file: the names come back, in place, to be created with the chain.
    names = page.locator("#new-names")
    expect(names).to_contain_text("Create these 8 names")
    expect(part.get_by_label("Claim", exact=True)).to_have_value(claim["text"])
    boxes = names.get_by_role("checkbox")
    for n in range(boxes.count()):
        boxes.nth(n).press("Space")
    kinds = {
        **{("actor", row["name"]): row["kind"] for row in SEED["actors"]},
        **{("outlet", row["name"]): row["kind"] for row in SEED["outlets"]},
    }
    for (noun, name), kind in kinds.items():
        selects = names.get_by_label(f"Kind of “{name}”")
        if selects.count():  # a name typed on the page (a name both actor and outlet: actor first)
            selects.nth(0 if noun == "actor" else selects.count() - 1).select_option(kind)
    page.get_by_role("button", name="Log the chain").press("Enter")
    expect(page.get_by_text("Chain logged")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(claim["text"])

    assert counts["submits"] <= MOST_SUBMITS, counts
    print(
        f"\nseed chain on one page: {counts['submits']} submits, {counts['navigations']} page loads"
    )

    logged = chain_of(Claim.objects.get())
    # The same chain as the seed loader makes, from an empty database.
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed", stdout=StringIO())
    seeded = chain_of(Claim.objects.get(slug=claim["slug"]))
    assert logged == seeded


def test_similar_claims_appear_while_typing(page: Page, live_server, seeded):
    base = live_server.url
    create_editor(username="olena")
    from .test_desk_chain import log_in

    log_in(page, base, "olena")
    page.goto(base + reverse("desk:chain_new"))
    text = page.locator("#chain-claim").get_by_label("Claim", exact=True)
    text.press_sequentially("Umerov refuses to return", delay=40)
    similar = page.locator("#similar-claims")
    expect(similar).to_contain_text("Umerov refused to return to Ukraine")
    expect(similar).to_contain_text("similarity")
    expect(similar).to_contain_text("public")
    # Logging it anyway needs the deliberate tick; the same-claim link adds to the one on file.
    similar.get_by_role("link", name="This is the same claim — add my report to it").first.click()
    expect(page.locator("#chain-claim")).to_contain_text("Adding to the claim on file")
    # The claim form shows them as well.
    page.goto(base + reverse("desk:claim_create"))
    page.get_by_label("Text", exact=True).press_sequentially("Umerov refuses to return", delay=40)
    expect(page.locator("#similar-claims")).to_contain_text("Umerov refused to return to Ukraine")


def test_the_page_works_without_javascript(browser, live_server, transactional_db):
    create_editor(username="olena")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        from .test_desk_chain import log_in

        log_in(page, live_server.url, "olena")
        page.goto(live_server.url + reverse("desk:chain_new"))
        page.locator("#chain-claim").get_by_label("Claim", exact=True).fill("Herons fled Kyiv")
        page.locator("#chain-report-1").get_by_label("Outlet").fill("Heron Daily")
        page.locator("#chain-report-1").get_by_label("Title").fill("Herons fled")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Log the chain").click()
        assert answer.value.status == 422
        page.get_by_label("Create the outlet “Heron Daily”").check()
        page.get_by_role("button", name="+ another report").click()
        expect(page.locator("#chain-report-3")).to_be_visible()
        expect(page.get_by_label("Create the outlet “Heron Daily”")).to_be_checked()
        page.get_by_role("button", name="Log the chain").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Herons fled Kyiv")
        claim = Claim.objects.get()
        assert claim.carriages.get().report.outlet.name == "Heron Daily"
    finally:
        context.close()
