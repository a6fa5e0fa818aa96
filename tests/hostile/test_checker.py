"""The checker itself: it must catch a deliberately unescaped template, or the suite proves
nothing."""

import pytest
from django.template import Context, Template

from .checker import hx_attributes, script_hazards
from .payloads import OTHER_PAYLOADS, PAYLOADS

pytestmark = pytest.mark.filterwarnings("ignore")

PAGE = """<!doctype html><html><head>
<script src="/static/vendor/htmx.min.js" defer></script>
<script type="application/ld+json">{"@type": "ClaimReview"}</script></head>
<body hx-headers='{"x-csrftoken": "abcdefabcdefabcdefabcdefabcdefabcdefabcdef"}'>
<form method="get" action="/claims/" hx-get="/claims/" hx-target="#claim-results">
<input name="q" value="{{ attr }}"></form>
<h1>{{ text }}</h1><p title="{{ attr }}">{{ text }}</p><p data-note='{{ attr }}'></p>
</body></html>"""
ESCAPED = Template(PAGE.replace("{{ attr }}", "{{ value }}").replace("{{ text }}", "{{ value }}"))
UNESCAPED = Template(
    PAGE.replace("{{ attr }}", "{{ value|safe }}").replace("{{ text }}", "{{ value|safe }}")
)
# Payloads that are text in every context: a broken checker would flag them, a working one not.
TEXT_ONLY = {
    p
    for p in PAYLOADS
    if not any(mark in p for mark in ("<", '"', "'")) or p.startswith(("%3C", "&lt;"))
}


def render(template: Template, value: str) -> str:
    return template.render(Context({"value": value}))


def test_the_apps_own_scripts_and_htmx_pass():
    html = render(ESCAPED, "harmless")
    assert script_hazards(html, allowed_hx=hx_attributes(html)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_payloads_are_inert(payload):
    allowed = hx_attributes(render(ESCAPED, "harmless"))
    assert script_hazards(render(ESCAPED, payload), allowed_hx=allowed) == []


def test_a_deliberately_unescaped_template_is_caught():
    allowed = hx_attributes(render(ESCAPED, "harmless"))
    missed = [
        payload
        for payload in PAYLOADS
        if payload not in TEXT_ONLY
        and not script_hazards(render(UNESCAPED, payload), allowed_hx=allowed)
    ]
    # Inert even unescaped: a tag named "scr<script" (the tokenizer keeps the "<"), CDATA (a
    # bogus comment in HTML up to the first ">"), and the spreadsheet and control-character
    # payloads, which are not markup.
    inert = {p for p in PAYLOADS if p.startswith(("<scr<script>", "<![CDATA["))}
    inert |= {p for p in OTHER_PAYLOADS if "<" not in p}
    assert set(missed) <= inert, set(missed) - inert
    assert len(missed) < 12


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p><script>xss(1)</script></p>", "script not the app's own"),
        ("<p><body onload=xss(1)></p>", "raw markup with an event handler"),
        ('<script src="https://evil.example/x.js"></script>', "script not the app's own"),
        ('<script src="/static/x.js">xss(1)</script>', "script not the app's own"),
        ('<script type="application/ld+json">{"a": "</script>"}</script>', "JSON-LD"),
        ("<img src=x onerror=xss(1)>", "event handler onerror"),
        ('<a href=" java\tscript:xss(1)">x</a>', "script URL href"),
        ('<iframe src="data:text/html,<script>xss(1)</script>"></iframe>', "element from content"),
        ('<form><button formaction="JAVASCRIPT:xss(1)">x</button></form>', "formaction"),
        ('<meta http-equiv="refresh" content="0;url=javascript:xss(1)">', "meta refresh"),
        ('<base href="javascript:xss(1)//">', "element from content"),
        ('<object data="javascript:xss(1)"></object>', "element from content"),
        ('<div hx-on:click="xss(1)">x</div>', "htmx attribute not the app's own"),
        ('<div data-hx-get="/" hx-trigger="load">x</div>', "htmx attribute not the app's own"),
        ('<div style="background:url(javascript:xss(1))">x</div>', "script in style"),
    ],
)
def test_known_bad_markup_is_caught(html, found):
    problems = script_hazards(f"<html><body>{html}</body></html>")
    assert any(found in problem for problem in problems), problems


def test_an_extra_hx_get_on_a_known_element_is_caught():
    allowed = hx_attributes('<form hx-get="/claims/"></form>')
    assert script_hazards('<form hx-get="/claims/"></form>', allowed_hx=allowed) == []
    problems = script_hazards('<form hx-get="/desk/"></form>', allowed_hx=allowed)
    assert problems and "hx-get" in problems[0]
