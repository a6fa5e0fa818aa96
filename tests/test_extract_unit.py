"""The extractor on hand-made pages: metadata sources, charsets, time zones, quotes, bad input."""

import contextlib
import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.importer.extract import ExtractError, decode, extract
from tests.importer_helpers import CORPUS, FIXTURES

pytestmark = pytest.mark.django_db(databases=[])

KYIV = ZoneInfo("Europe/Kyiv")


def page(head: str = "", body: str = "<p>Body text of the article goes here.</p>") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def test_the_interfax_seed_page():
    article = extract(
        (FIXTURES / "interfax_umerov.html").read_bytes(),
        url="https://en.interfax.com.ua/news/general/1125431.html",
    )
    assert article.title == (
        "President’s Office denies reports that Umerov allegedly refuses to return to Ukraine"
    )
    assert article.published == datetime(2025, 11, 17, 17, 55, tzinfo=KYIV)
    assert article.published.isoformat() == "2025-11-17T17:55:00+02:00"
    assert article.outlet == "Interfax-Ukraine"
    assert article.language == "en"
    assert article.tags == ["presidents_office", "umerov"]
    assert article.canonical_url == "https://en.interfax.com.ua/news/general/1125431.html"
    assert article.body.startswith("The report that Secretary of the National Security")
    assert "It's fake" in article.body and "HOT NEWS" not in article.body
    assert "Sybiha" not in article.body
    assert article.quotes == ["It's fake"]
    assert [link.title for link in article.related][:2] == [
        "Ukrainian Ambassador to Turkey discusses current issues of Ukrainian-Turkish "
        "cooperation with Umerov",
        "Umerov: Any attempts to link my work in Defense Ministry with 'influence' of certain "
        "individuals are groundless",
    ]
    assert article.related[1].url == "https://en.interfax.com.ua/news/general/1124420.html"
    assert article.related[1].published == "2025-11-11T20:22:00+02:00"


def test_json_ld_news_article_in_a_graph_with_an_object_context():
    data = {
        "@context": {"@vocab": "https://schema.org/"},
        "@graph": [
            {"@type": "WebSite", "name": "Example News"},
            {
                "@type": ["NewsArticle"],
                "headline": "Minister denies resignation rumours",
                "datePublished": "2024-03-01T09:30:00+01:00",
                "author": [{"@type": "Person", "name": "Ann Smith"}, {"name": "Bo Lee"}],
                "keywords": ["politics", "government"],
                "inLanguage": "en-GB",
                "publisher": {"@type": "Organization", "name": "Example News"},
            },
        ],
    }
    article = extract(
        page(f'<script type="application/ld+json">{json.dumps(data)}</script>'),
        url="https://news.example.com/a",
    )
    assert article.title == "Minister denies resignation rumours"
    assert article.published.isoformat() == "2024-03-01T09:30:00+01:00"
    assert article.byline == "Ann Smith, Bo Lee"
    assert article.tags == ["politics", "government"]
    assert article.language == "en"
    assert article.outlet == "Example News"


def test_json_ld_as_a_list_wrapped_in_cdata():
    data = [{"@type": "NewsArticle", "headline": "List headline", "author": "Jo Doe"}]
    script = f"<script type='application/ld+json'>//<![CDATA[\n{json.dumps(data)}\n//]]></script>"
    article = extract(page(script + "<title>Other | Site</title>"))
    assert article.title == "List headline" and article.byline == "Jo Doe"


def test_opengraph_and_article_meta():
    head = (
        '<meta property="og:title" content="OG headline here">'
        '<meta property="og:site_name" content="The Daily Example">'
        '<meta property="article:published_time" content="2023-05-02T08:00:00Z">'
        '<meta property="article:tag" content="Courts"><meta property="article:tag" content="Law">'
        '<meta name="author" content="By Kim Park">'
        '<meta property="og:url" content="https://daily.example.com/story">'
        "<title>OG headline here | The Daily Example</title>"
    )
    article = extract(page(head))
    assert article.title == "OG headline here"
    assert article.outlet == "The Daily Example"
    assert article.published.isoformat() == "2023-05-02T08:00:00+00:00"
    assert article.tags == ["Courts", "Law"]
    assert article.byline == "Kim Park"
    assert article.canonical_url == "https://daily.example.com/story"


def test_time_element_and_relative_canonical():
    article = extract(
        page(
            '<title>A title for the page</title><link rel="canonical" href="/news/1">',
            "<article><h1>A title for the page</h1><time datetime='2022-01-05T10:00'>"
            "5 Jan</time><p>Text of the article that is long enough.</p></article>",
        ),
        url="https://site.example.org/x?utm=1",
    )
    assert article.canonical_url == "https://site.example.org/news/1"
    assert article.published == datetime(2022, 1, 5, 10, 0, tzinfo=KYIV)


@pytest.mark.parametrize(
    ("zone", "offset"), [("Europe/Kyiv", "+02:00"), ("America/New_York", "-05:00")]
)
def test_times_without_offset_are_read_in_the_outlets_time_zone(zone, offset):
    html = page("<title>Zoned</title>", "<h1>Zoned</h1><div>09:15 03.02.2024</div><p>x</p>")
    article = extract(html, time_zone=zone)
    assert article.published.isoformat() == f"2024-02-03T09:15:00{offset}"


def test_visible_date_time_order_variants():
    article = extract(page("<title>T one</title>", "<h1>T one</h1><span>03.02.2024, 18:40</span>"))
    assert article.published == datetime(2024, 2, 3, 18, 40, tzinfo=KYIV)


def test_quotes_in_every_style():
    body = (
        '<p>He said "straight quote here". She said “curly quote here”. '
        "Він сказав «українські лапки тут». Er sagte „deutsche Anführung hier“.</p>"
    )
    article = extract(page("<title>Quotes page</title>", body))
    assert article.quotes == [
        "straight quote here",
        "curly quote here",
        "українські лапки тут",
        "deutsche Anführung hier",
    ]


def ukrainian_page() -> str:
    return (
        "<html lang='uk'><head>{meta}<title>Офіс президента спростував чутки</title></head>"
        "<body><h1>Офіс президента спростував чутки</h1><p>Джерело в Офісі президента "
        "повідомило, що це «фейк». Раніше про це писали телеграм-канали.</p></body></html>"
    )


@pytest.mark.parametrize(
    ("meta", "header"),
    [
        ('<meta charset="windows-1251">', ""),
        ('<meta http-equiv="Content-Type" content="text/html; charset=cp1251">', ""),
        ("", "windows-1251"),
        ("", ""),  # nothing declared: sniffed
        ('<meta charset="utf-8">', "windows-1251"),  # the HTTP header wins
    ],
)
def test_windows_1251_declared_or_sniffed(meta, header):
    content = ukrainian_page().format(meta=meta).encode("cp1251")
    article = extract(content, charset=header)
    assert article.title == "Офіс президента спростував чутки"
    assert article.language == "uk"
    assert "фейк" in article.quotes


def test_a_wrong_declaration_falls_back_to_sniffing():
    content = ukrainian_page().format(meta='<meta charset="utf-8">').encode("cp1251")
    assert extract(content).title == "Офіс президента спростував чутки"


def test_byte_order_marks_and_latin_1():
    text = "<html><title>Café société</title><body><p>Été</p></body></html>"
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode(text.encode("utf-16-le"), "") == text  # no BOM: sniffed
    assert decode(b"\xff\xfe" + text.encode("utf-16-le")) == text
    assert extract(text.encode("iso-8859-1"), charset="ISO-8859-1").title == "Café société"


BAD_INPUT = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n\t ", "empty"),
    "binary": (bytes(range(256)) * 64, "binary"),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary"),
    "json": (b'{"title": "not html"}', "not an HTML page"),
    "plain text": (b"Just words, no markup at all.", "not an HTML page"),
    "50 MB": (b"<html><title>big</title>" + b"a" * (50 * 1024 * 1024), "larger than 5 MB"),
    "broken encoding": (
        b"<html><meta charset='utf-8'><title>\xff\xfe\xfa</title>" + bytes(range(128, 256)) * 300,
        "encoding",
    ),
    "no title": (b"<html><body><div><p>Words without a headline.</p></div></body></html>", "title"),
    "10,000-deep nesting": (
        b"<html><title>Deep</title><body>" + b"<div>" * 10_000 + b"x" + b"</div>" * 10_000,
        "nested too deeply",
    ),
    "10,000 unclosed": (b"<title>Deep</title>" + b"<span><b>" * 5_000, "nested too deeply"),
}


@pytest.mark.parametrize("name", list(BAD_INPUT))
def test_bad_input_gives_a_clear_error(name):
    content, message = BAD_INPUT[name]
    with pytest.raises(ExtractError, match=message):
        extract(content)


HTML_PIECES = st.sampled_from(
    [
        "<html>", "</html>", "<head>", "<title>", "</title>", "<body>", "<div>", "</div>",
        "<p>", "</p>", "<h1>", "</h1>", "<article>", "<script type='application/ld+json'>",
        "</script>", "{\"@type\": \"NewsArticle\", \"headline\": ", "\"x\"}", "[", "]",
        "<meta property='og:title' content='", "'>", "<time datetime='", "2024-13-45T99:99",
        "17:55 17.11.2025", "“", "”", "«", "»", "„", "\"", "#tag", "<a href='", "http://x/",
        "</a>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "\x00", "\ufffd", "é",
        "Україна", "<meta charset='", "windows-1251", "utf-16", "<link rel=canonical href=",
        "<table>", "<td>", "<svg>", "<math>", "<template>", "<noscript>", "<iframe>",
    ]
)  # fmt: skip


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.one_of(HTML_PIECES, st.text(max_size=30)), max_size=60))
def test_random_html_never_crashes(pieces):
    try:
        article = extract("".join(pieces).encode("utf-8", "surrogatepass"))
    except (ExtractError, UnicodeEncodeError):
        return
    assert article.title


MUTATION_SOURCES = [
    FIXTURES / "interfax_umerov.html",
    CORPUS / "articles" / "fun-my-malaymail-fahmi-clarifies" / "source.html",
    CORPUS / "articles" / "ua-unn-moldova-parliament-2020" / "source.html",
    CORPUS / "articles" / "rdb-nbcnews-south-korea-impeachment" / "source.html",
]


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 40)), deadline=None)
@given(st.data())
def test_mutated_real_pages_never_crash(data):
    original = data.draw(st.sampled_from(MUTATION_SOURCES)).read_bytes()
    content = bytearray(original)
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "dup"]))
        if action == "flip":
            content[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del content[position : position + data.draw(st.integers(1, 200))]
        else:
            content[position:position] = content[position : position + 100]
        if not content:
            break
    with contextlib.suppress(ExtractError):
        extract(bytes(content))


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("17 листопада 2025, 17:55", "2025-11-17T17:55:00+02:00"),
        ("17 ноября 2025 г. 17:55", "2025-11-17T17:55:00+02:00"),
        ("November 17, 2025 5:55 pm", "2025-11-17T17:55:00+02:00"),
        ("3 травня 2024", "2024-05-03T00:00:00+03:00"),
    ],
)
def test_dates_with_month_names(printed, expected):
    html = page("<title>Named date page</title>", f"<h1>Named date page</h1><p>{printed}</p>")
    assert extract(html).published.isoformat() == expected


def test_htmldate_is_the_last_resort_for_the_date():
    html = page(
        "<title>Undated page title</title>",
        "<h1>Undated page title</h1><p>Text.</p><footer>Copyright</footer>",
    ).replace(b"<head>", b"<head><meta name='dc.modified' content='2021-06-02'>")
    article = extract(html, url="https://example.com/2021/06/02/story.html")
    assert article.published.date().isoformat() == "2021-06-02"
    assert article.published_precision == "day"


def test_a_day_only_date_is_kept_as_a_day_unless_another_source_gives_its_time():
    page = """<html><head><title>A headline long enough to count</title>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline long
    enough to count", "datePublished": "2025-08-29"}</script>{meta}</head>
    <body><article><h1>A headline long enough to count</h1><p>Some text of the article that
    is long enough to be its body.</p></article></body></html>"""
    day_only = extract(page.replace("{meta}", ""))
    assert day_only.published_precision == "day"
    assert day_only.published.isoformat() == "2025-08-29T00:00:00+03:00"
    with_time = extract(
        page.replace(
            "{meta}",
            '<meta property="article:published_time" content="2025-08-29T10:42:00+03:00">',
        )
    )
    assert with_time.published_precision == "time"
    assert with_time.published.isoformat() == "2025-08-29T10:42:00+03:00"
    other_day = extract(
        page.replace(
            "{meta}",
            '<meta property="article:published_time" content="2025-09-02T10:42:00+03:00">',
        )
    )
    assert other_day.published_precision == "day"
    assert other_day.published.date().isoformat() == "2025-08-29"


def test_claimreview_markup_is_read_as_an_external_review():
    article = extract((FIXTURES / "stopfake_claimreview.html").read_bytes())
    [review] = article.reviews
    assert (review.author, review.rating, review.claim_reviewed) == (
        "StopFake",
        "False",
        "Rustem Umerov refused to return to Ukraine",
    )
    assert review.url.startswith("https://www.stopfake.org/")
    assert article.as_json()["reviews"][0]["rating"] == "False"
    assert type(article).from_json(article.as_json()).reviews == [review]


def test_claimreview_microdata_and_a_numeric_rating():
    page = """<html><head><title>Checked: the bridge will close for a year</title></head><body>
    <article><h1>Checked: the bridge will close for a year</h1>
    <div itemscope itemtype="https://schema.org/ClaimReview">
      <meta itemprop="claimReviewed" content="The Pivdennyi Bridge will close for a year">
      <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
        <span itemprop="name">VoxCheck</span></div>
      <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
        <meta itemprop="ratingValue" content="2"></div>
    </div>
    <p>The city council says only one lane at a time will close at night during repairs.</p>
    </article></body></html>"""
    [review] = extract(page).reviews
    assert (review.author, review.rating, review.claim_reviewed) == (
        "VoxCheck",
        "2",
        "The Pivdennyi Bridge will close for a year",
    )
