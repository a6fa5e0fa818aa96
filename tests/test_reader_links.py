"""The reader's cheap paths and <time> tag give exactly what reverse() and |date give."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from claims import links

SLUG_PAGES = [
    "claims:claim_detail",
    "claims:actor_detail",
    "claims:outlet_detail",
    "claims:tag_detail",
    "claims:actor_denied_rss",
    "claims:tag_denied_atom",
]


@pytest.mark.parametrize("viewname", SLUG_PAGES)
def test_slug_path_is_what_reverse_gives(viewname):
    assert links.slug_path(viewname, "c008b05-99_9") == reverse(viewname, args=["c008b05-99_9"])


def test_paths_follow_the_script_prefix():
    set_script_prefix("/factcheck/")
    try:
        assert links.slug_path("claims:claim_detail", "x") == "/factcheck/en/claims/x/"
        assert links.page_path("claims:claim_list") == reverse("claims:claim_list")
    finally:
        set_script_prefix("/")
    assert links.slug_path("claims:claim_detail", "x") == "/en/claims/x/"


def render(source: str, **context) -> str:
    return Template("{% load reader %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("when", "text_format"),
    [
        (datetime(2026, 1, 5, 22, 30, tzinfo=UTC), "j M Y, H:i"),  # the next day in Kyiv
        (datetime(2026, 7, 1, 9, 5, tzinfo=UTC), "j F Y"),
        (date(2026, 3, 29), "j F Y"),
        (None, "j M Y, H:i"),
    ],
)
def test_time_element_is_two_date_filters(when, text_format):
    expected = render(
        "<time datetime=\"{{ when|date:'c' }}\">{{ when|date:text_format }}</time>",
        when=when,
        text_format=text_format,
    )
    assert render("{% time_element when text_format %}", when=when, text_format=text_format) == (
        expected
    )


def test_url_tags_are_what_url_gives():
    assert render(
        "{% page_url 'claims:home' %} {% slug_url 'claims:tag_detail' slug %}", slug="a-b"
    ) == (render("{% url 'claims:home' %} {% url 'claims:tag_detail' slug %}", slug="a-b"))
