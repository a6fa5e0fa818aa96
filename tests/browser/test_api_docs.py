"""The API's documentation page runs Swagger UI from our static files under the site's CSP:
it lists the endpoints, and the browser reports no CSP violation or script error."""

from playwright.sync_api import Page, expect


def test_the_docs_page_renders_the_schema_under_the_csp(page: Page, live_server, transactional_db):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_text("/api/v1/claims/{id}").first).to_be_visible()
    assert problems == []
    assert all(url.startswith(live_server.url) for url in requested)  # nothing from a CDN
