"""The reader site in a real browser: htmx swaps and history, JavaScript-free use, and axe-core."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from claims.models import Stance
from tests.factories import create_claim, create_response

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DENIED = "Umerov refused to return to Ukraine"
CONFIRMED = "A drone factory opened in Lviv"


@pytest.fixture
def roles(transactional_db):
    """Live-server tests run in real transactions (the role groups come from post_migrate)."""


@pytest.fixture
def claims(roles, seeded):
    cache.clear()  # the filter selects are cached
    claim = create_claim(text=CONFIRMED, language="uk")
    create_response(claim=claim, stance=Stance.CONFIRMS, quote="We confirm it")
    return claim


def results(page: Page):
    return page.locator("#claim-results")


def test_filter_change_swaps_the_list_and_updates_the_url(page: Page, live_server, claims):
    page.goto(live_server.url + reverse("claims:claim_list"))
    expect(results(page)).to_contain_text(DENIED)
    expect(results(page)).to_contain_text(CONFIRMED)
    # A marker on window survives an htmx swap but not a full page load.
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Official position").select_option("confirmed")
    page.wait_for_url("**/claims/?position=confirmed")
    expect(results(page)).to_contain_text(CONFIRMED)
    expect(results(page)).not_to_contain_text(DENIED)
    expect(results(page)).to_contain_text("1 claim")
    assert page.evaluate("window.__notReloaded") is True


def test_back_button_restores_the_earlier_list(page: Page, live_server, claims):
    page.goto(live_server.url + reverse("claims:claim_list"))
    page.get_by_label("Official position").select_option("confirmed")
    page.wait_for_url("**/claims/?position=confirmed")
    expect(results(page)).not_to_contain_text(DENIED)
    page.get_by_label("Language").select_option("uk")
    page.wait_for_url("**/claims/?position=confirmed&language=uk")
    page.go_back()
    page.wait_for_url("**/claims/?position=confirmed")
    expect(results(page)).to_contain_text(CONFIRMED)
    page.go_back()
    page.wait_for_url(live_server.url + reverse("claims:claim_list"))
    expect(results(page)).to_contain_text(DENIED)
    expect(results(page)).to_contain_text(CONFIRMED)


def test_search_as_you_type_swaps_the_list(page: Page, live_server, claims):
    page.goto(live_server.url + reverse("claims:claim_list"))
    page.get_by_label("Search claims, quotes and report titles").fill("fake")
    page.wait_for_url("**/claims/?q=fake")
    expect(results(page)).to_contain_text(DENIED)
    expect(results(page)).not_to_contain_text(CONFIRMED)


def test_the_list_works_with_javascript_off(browser: Browser, live_server, claims):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("claims:claim_list"))
        page.get_by_label("Official position").select_option("denied")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**/claims/?*position=denied*")
        expect(results(page)).to_contain_text(DENIED)
        expect(results(page)).not_to_contain_text(CONFIRMED)
        # Links still work: through to the claim page and its full chain.
        page.get_by_role("link", name=DENIED).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(DENIED)
        expect(page.get_by_text("It's fake").first).to_be_visible()
        # The site-wide search form in the header works too.
        page.get_by_label("Search claims", exact=True).fill("drone")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(results(page)).to_contain_text(CONFIRMED)
        expect(results(page)).not_to_contain_text(DENIED)
    finally:
        context.close()


def axe_violations(page: Page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (see .ci/run) before the tests.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/claims/", "/en/claims/?position=denied",
     "/en/claims/umerov-refused-to-return-to-ukraine/", "/uk/claims/"],
)  # fmt: skip
def test_no_wcag_a_or_aa_violations(browser: Browser, live_server, claims, path):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_language_switcher_keeps_the_page_and_works_from_the_keyboard(
    page: Page, live_server, claims
):
    with translation.override("uk"):
        ukrainian = reverse("claims:claim_list")
    with translation.override("en"):
        english = reverse("claims:claim_list")
    page.goto(f"{live_server.url}{ukrainian}?position=confirmed")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Твердження")
    switch = page.get_by_role("link", name="English")
    switch.focus()
    expect(switch).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{english}?position=confirmed")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims")
    expect(results(page)).to_contain_text(CONFIRMED)
