"""
The interface in Ukrainian and English.

- Every template string is marked for translation, and the committed catalogue
  (locale/uk/LC_MESSAGES/django.po and its compiled .mo) holds a Ukrainian translation for
  every marked string: nothing missing, empty or fuzzy.
- Every page, feed, desk and importer page and error page exists under /uk/ and /en/, and a
  Ukrainian page shows no English interface string (content, which is in its own language,
  aside).
- Ukrainian plurals and dates; the language switcher and hreflang alternates; addresses from
  before the language prefixes redirect; the reader cache keeps each language's copy apart;
  the API stays language-neutral.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from http import HTTPStatus
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from claims.caching import changed
from claims.models import (
    Carriage,
    Claim,
    FeedItem,
    ImportJob,
    Lead,
    OutletFeed,
    Rating,
    Snapshot,
    writing,
)

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_correction,
    create_denied_chain,
    create_editor,
    create_report,
    create_reviewer,
    create_snapshot,
    create_verdict,
)

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "uk" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def in_language(code: str, name: str, *args) -> str:
    with translation.override(code):
        return reverse(name, args=args)


# Templates: every human string is marked


# What may stay untranslated in a template: names of formats, standards and products.
NOT_WORDS = {
    "RSS", "Atom", "CSV", "JSON", "SHA-256", "factcheck", "HTTP", "API", "URL",
}  # fmt: skip
HUMAN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label", "summary"}


class TemplateText(HTMLParser):
    """The text a person reads in a template once its tags and variables are gone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        for name, value in attrs:
            if name in HUMAN_ATTRIBUTES and value:
                self.found.append(value)
            described = dict(attrs).get("name") == "description" or dict(attrs).get("property") in {
                "og:title",
                "og:description",
            }
            if tag == "meta" and name == "content" and value and described:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.found.append(data)


def unmarked_text(source: str) -> list[str]:
    """Words of a template that no {% translate %} or {% blocktranslate %} covers."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}", " ", source, flags=re.S)
    # og:type is a vocabulary value (article, profile), not text.
    source = re.sub(r"{%\s*block og_type\s*%}.*?{%\s*endblock\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}", " ", source, flags=re.S)
    source = re.sub(r"{{.*?}}", " ", source, flags=re.S)
    parser = TemplateText()
    parser.feed(source)
    words = re.findall(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]", " ".join(parser.found))
    return [word for word in words if word not in NOT_WORDS]


TEMPLATES = sorted((BASE_DIR / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_template_string_is_marked_for_translation(path):
    assert unmarked_text(path.read_text()) == []


def test_the_template_check_finds_an_unmarked_string():
    marked = '{% load i18n %}<p>{% translate "Claims" %}</p><a title="{% translate "Feeds" %}">'
    assert unmarked_text(marked) == []
    assert unmarked_text('<p>Claims</p>{% translate "x" %}') == ["Claims"]
    assert unmarked_text('<input placeholder="Search claims">') == ["Search", "claims"]
    assert unmarked_text("<p>{{ claim.text }} · RSS</p>") == []


# The catalogue: complete, nothing fuzzy, compiled


def catalogue_statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def listed(po: Path, option: str) -> str:
    """The entries msgattrib selects (--untranslated, --only-fuzzy), for the failure message."""
    result = subprocess.run(
        ["msgattrib", option, "--no-wrap", str(po)], capture_output=True, text=True, check=False
    )
    return result.stdout


def test_the_committed_catalogue_translates_every_msgid():
    statistics = catalogue_statistics(CATALOGUE)
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        statistics + listed(CATALOGUE, "--untranslated") + listed(CATALOGUE, "--only-fuzzy")
    )
    assert "Plural-Forms: nplurals=3;" in CATALOGUE.read_text()


def test_the_catalogue_holds_every_string_the_code_marks(tmp_path):
    """makemessages over a copy of the code, merged into a copy of the catalogue: any string
    marked in the code but not in the catalogue comes out untranslated (or fuzzy)."""
    copy = tmp_path / "factcheck"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for folder in ("claims", "factcheck", "templates", "locale"):
        shutil.copytree(BASE_DIR / folder, copy / folder, ignore=ignore)
    shutil.copy(BASE_DIR / "manage.py", copy)
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "uk", "--no-obsolete"],
        cwd=copy,
        env=environment | {"DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    merged = copy / "locale" / "uk" / "LC_MESSAGES" / "django.po"
    statistics = catalogue_statistics(merged)
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{statistics}\nRun `make messages` and translate these in {CATALOGUE}:\n"
        + listed(merged, "--untranslated")
        + listed(merged, "--only-fuzzy")
    )


def test_the_compiled_catalogue_matches_the_catalogue(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE)], check=True)
    with compiled.open("rb") as fresh, COMPILED.open("rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == (
            gettext.GNUTranslations(committed)._catalog
        ), "locale/uk/LC_MESSAGES/django.mo is stale: run `make messages`"


def english_msgids() -> list[str]:
    """Every English msgid (and plural) whose Ukrainian differs, as the literal pieces a page
    can show: placeholders and markup split a msgid into pieces."""
    with COMPILED.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    pieces = set()
    for key, translated in catalog.items():
        if not key:
            continue
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # drop a pgettext context
        if translated == msgid:  # "URL", "Telegram": the same in both languages
            continue
        for piece in re.split(r"%\(\w+\)[sd]|<[^>]+>|[“”«»():;,.!?…→←—·/]", msgid):
            piece = " ".join(piece.split())
            # Codes and names the translation keeps ("uk, en, ru", "ClaimReview") are not English.
            kept = any(piece in form for form in (translated,) if isinstance(form, str))
            if re.search(r"[A-Za-z]{2,}", piece) and piece not in NOT_WORDS and not kept:
                pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


# Walking the site in both languages


class VisibleText(HTMLParser):
    """What a reader sees or hears: text, titles, labels, alternative texts, descriptions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        attributes = dict(attrs)
        for name in HUMAN_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        described = attributes.get("name") == "description" or attributes.get("property") in {
            "og:title",
            "og:description",
        }
        if tag == "meta" and attributes.get("content") and described:
            self.parts.append(attributes["content"])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(body: str, content_type: str) -> str:
    if "xml" in content_type:
        root = ET.fromstring(body)  # noqa: S314 (our own feed)
        # Addresses and ids (links, guids) are not text.
        texts = [
            element.text or ""
            for element in root.iter()
            if not (element.text or "").strip().startswith(("http://", "https://", "tag:"))
        ]
        # Descriptions hold escaped HTML.
        return " ".join(visible_text(text, "text/html") for text in texts)
    parser = VisibleText()
    parser.feed(body)
    return " ".join(" ".join(parser.parts).split())


def content_strings() -> list[str]:
    """Everything the newsroom typed or imported: it is shown in its own language."""
    found = set()

    def collect(value):
        if isinstance(value, str):
            if len(value.strip()) > 1:
                found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)

    for model in [*apps.get_app_config("claims").get_models(), get_user_model()]:
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            and not f.choices
        ]
        for row in model.objects.values_list(*text_fields):
            collect(row)
    # Archived copies are other sites' pages, shown in their own language.
    for content in Snapshot.objects.values_list("content", flat=True):
        collect(visible_text(bytes(content).decode(errors="replace"), "text/html"))
    return sorted(found, key=len, reverse=True)


def english_on(text: str, pieces: list[str], content: list[str]) -> list[str]:
    for value in content:
        text = text.replace(value, " ")
    text = " ".join(text.split())
    return [
        piece
        for piece in pieces
        if re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", text, flags=re.IGNORECASE)
    ]


@pytest.fixture
def newsroom(client):
    """The seed chain and everything around it: a verdict with a correction, a withdrawn
    claim, an archived copy, work waiting for review, an import ready to confirm, a lead."""
    chain = create_denied_chain()
    chain["claim"].first_seen_at = datetime(2025, 11, 17, 17, 55, tzinfo=KYIV)
    chain["claim"].save(update_fields=["first_seen_at"])
    create_correction(verdict=chain["verdict"], text="Виправлено дату.")
    snapshot = create_snapshot(report=chain["origin"].report)
    withdrawn = create_claim(
        text="Відкликане твердження", withdrawn_at=timezone.now(), withdrawn_reason="дубль"
    )
    editor = create_editor(username="olena-editor")
    reviewer = create_reviewer(username="petro-reviewer")
    pending = writing.create(
        Claim, by=editor, values={"text": "Умєров відмовився повертатися"}, slug="pending"
    )
    writing.create(Carriage, by=editor, values={"claim": pending, "report": create_report()})
    draft = create_verdict(author=editor, summary="Чернетка")
    reviewing = create_verdict(author=editor, rating=Rating.UNPROVEN, summary="На рецензії")
    create_carriage(claim=reviewing.claim)
    reviewing.submit(by=editor)
    job = ImportJob.objects.create(
        url="https://interfax.example/news/1",
        status="ready",
        progress=100,
        created_by=editor,
        result={
            "article": {"title": "Офіс президента спростовує", "quotes": ["Це фейк"]},
            "suggestion": {"claim": "Умєров відмовився повернутися", "evidence": "Це фейк"},
        },
    )
    failed = ImportJob.objects.create(
        url="https://interfax.example/news/2", status="failed", error="Сайт не відповів"
    )
    feed = OutletFeed.objects.create(outlet=chain["agency"], url="https://interfax.example/rss")
    item = FeedItem.objects.create(
        feed=feed, url="https://interfax.example/news/3", title="Речник спростував"
    )
    Lead.objects.create(item=item, score=80, reasons=["спростовує"])
    return {
        **chain,
        "snapshot": snapshot,
        "withdrawn": withdrawn,
        "editor": editor,
        "reviewer": reviewer,
        "pending": pending,
        "draft": draft,
        "reviewing": reviewing,
        "job": job,
        "failed": failed,
    }


def reader_pages(w: dict) -> list[tuple]:
    claim, office, agency, tag = w["claim"], w["office"], w["agency"], w["tag"]
    return [
        ("claims:home",),
        ("claims:claim_list",),
        ("claims:claim_detail", claim.slug),
        ("claims:claim_detail", w["withdrawn"].slug),
        ("claims:actor_detail", office.slug),
        ("claims:outlet_detail", agency.slug),
        ("claims:tag_detail", tag.slug),
        ("claims:methodology",),
        ("claims:snapshot_detail", w["snapshot"].pk),
        ("claims:denied_rss",),
        ("claims:denied_atom",),
        ("claims:verdicts_rss",),
        ("claims:verdicts_atom",),
        ("claims:actor_denied_rss", office.slug),
        ("claims:outlet_denied_atom", agency.slug),
        ("claims:tag_denied_rss", tag.slug),
        ("login",),
    ]


def editor_pages(w: dict) -> list[tuple]:
    claim = w["claim"]
    return [
        ("desk:dashboard",),
        ("desk:claim_create",),
        ("desk:claim_edit", claim.slug),
        ("desk:claim_edit", w["pending"].slug),
        ("desk:claim_history", claim.slug),
        ("desk:claim_history", w["pending"].slug),
        ("desk:carriage_create", claim.slug),
        ("desk:response_create", claim.slug),
        ("desk:carriage_edit", w["origin"].pk),
        ("desk:response_edit", w["denial"].pk),
        ("desk:report_edit", w["origin"].report.pk),
        ("desk:withdraw", "claim", w["pending"].pk),
        ("desk:withdraw", "response", w["denial"].pk),
        ("desk:verdict_edit", w["draft"].pk),
        ("desk:verdict_edit", w["verdict"].pk),
        ("importer:import_start",),
        ("importer:job_detail", w["job"].pk),
        ("importer:job_detail", w["failed"].pk),
        ("importer:inbox",),
    ]


def reviewer_pages(w: dict) -> list[tuple]:
    return [
        ("desk:dashboard",),
        ("desk:review_queue",),
        ("desk:review_claim", w["pending"].slug),
        ("desk:withdraw", "claim", w["claim"].pk),  # it has a published verdict
        ("desk:verdict_edit", w["verdict"].pk),
        ("desk:verdict_edit", w["reviewing"].pk),
    ]


def walk(client, pages: list[tuple], language: str) -> dict[str, tuple[str, str]]:
    found = {}
    for name, *args in pages:
        url = in_language(language, name, *args)
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        found[url] = (response.content.decode(), response["Content-Type"])
    return found


def test_every_page_exists_in_both_languages_and_ukrainian_pages_show_no_english(client, newsroom):
    pieces = english_msgids()
    pages = {}
    for language in ("uk", "en"):
        client.logout()
        pages[language] = walk(client, reader_pages(newsroom), language)
        client.force_login(newsroom["editor"])
        pages[language] |= walk(client, editor_pages(newsroom), language)
        # Forms sent back with their errors.
        for name, args in [("desk:claim_create", []), ("desk:name_create", ["actors"])]:
            url = in_language(language, name, *args)
            refused = client.post(url, {})
            assert refused.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, url
            pages[language][f"POST {url}"] = (refused.content.decode(), refused["Content-Type"])
        # An edit saved over someone else's: the conflict page.
        url = in_language(language, "desk:claim_edit", newsroom["pending"].slug)
        current = Claim.objects.get(pk=newsroom["pending"].pk).version
        Claim.objects.filter(pk=newsroom["pending"].pk).update(version=current + 1)
        stale = client.post(url, {"text": "Інший текст", "language": "uk", "version": current})
        assert stale.status_code == HTTPStatus.CONFLICT, url
        assert "conflict" in stale.content.decode()
        pages[language][f"409 {url}"] = (stale.content.decode(), stale["Content-Type"])
        client.force_login(newsroom["reviewer"])
        pages[language] |= walk(client, reviewer_pages(newsroom), language)
        # Error pages: a missing page, a page the user may not see, the server's own.
        client.force_login(newsroom["editor"])
        forbidden = client.get(in_language(language, "desk:review_queue"))
        assert forbidden.status_code == HTTPStatus.FORBIDDEN
        missing = client.get(in_language(language, "claims:claim_detail", "no-such-claim"))
        assert missing.status_code == HTTPStatus.NOT_FOUND
        with translation.override(language):
            errors = {name: render_to_string(name) for name in ("500.html", "503.html")}
        pages[language] |= {
            f"403 {language}": (forbidden.content.decode(), "text/html"),
            f"404 {language}": (missing.content.decode(), "text/html"),
            **{f"{name} {language}": (body, "text/html") for name, body in errors.items()},
        }
    assert len(pages["uk"]) == len(pages["en"]) > 40
    content = content_strings()
    leftovers = {}
    for url, (body, content_type) in pages["uk"].items():
        english = english_on(visible_text(body, content_type), pieces, content)
        if english:
            leftovers[url] = english
    assert not leftovers, "English on Ukrainian pages:\n" + "\n".join(
        f"{url}: {english}" for url, english in leftovers.items()
    )
    # The same walk finds English on the English pages: the check can fail.
    english_pages = [
        url
        for url, (body, kind) in pages["en"].items()
        if english_on(visible_text(body, kind), pieces, content)
    ]
    assert len(english_pages) == len(pages["en"])


def test_pages_say_which_language_they_are_in(client, newsroom):
    for language in ("uk", "en"):
        html = client.get(in_language(language, "claims:claim_detail", newsroom["claim"].slug))
        assert f'<html lang="{language}">' in html.content.decode()
        assert html["Content-Language"] == language
    feed = client.get(in_language("uk", "claims:denied_rss")).content.decode()
    assert "<language>uk</language>" in feed
    assert "найновіші спростування" in feed


# Plurals and dates


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 зміна чекає"),
        (3, "3 зміни чекають"),
        (5, "5 змін чекають"),
        (11, "11 змін чекають"),
        (21, "21 зміна чекає"),
        (22, "22 зміни чекають"),
        (112, "112 змін чекають"),
    ],
)
def test_ukrainian_plurals_take_three_forms(count, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count count=n %}{{ count }} pending change"
        "{% plural %}{{ count }} pending changes{% endblocktranslate %}"
    )
    with translation.override("uk"):
        assert template.render(Context({"n": count})) == expected
    with translation.override("en"):
        assert template.render(Context({"n": count})).endswith(
            "pending change" if count == 1 else "pending changes"
        )


def test_claim_counts_in_ukrainian(client):
    for n in range(5):
        claim = create_claim(text=f"Твердження {n}")
        changed(claim_ids=[claim.pk])  # made outside the write path: as its approval does
        html = client.get(in_language("uk", "claims:claim_list")).content.decode()
        expected = {1: "1 твердження", 2: "2 твердження", 5: "5 тверджень"}.get(n + 1)
        if expected:
            assert f'<p class="result-count" id="result-count">\n    {expected}' in html
    with translation.override("uk"):
        assert (
            Template("{% load i18n %}{% blocktranslate count count=n %}{{ count }} claim"
                     "{% plural %}{{ count }} claims{% endblocktranslate %}")
            .render(Context({"n": 5}))
            == "5 тверджень"
        )  # fmt: skip


def test_dates_are_written_as_each_language_writes_them(client, newsroom):
    page = client.get(in_language("uk", "claims:claim_detail", newsroom["claim"].slug))
    assert "17 листопада 2025, 17:55" in page.content.decode()
    page = client.get(in_language("en", "claims:claim_detail", newsroom["claim"].slug))
    assert "17 November 2025, 17:55" in page.content.decode()
    moment = datetime(2025, 3, 1, 9, 5, tzinfo=KYIV)
    template = Template(
        '{{ t|date:"DATETIME_FORMAT" }} | {{ t|date:"DATE_FORMAT" }} | '
        '{{ t|date:"SHORT_DATETIME_FORMAT" }}'
    )
    with translation.override("uk"), timezone.override(KYIV):
        assert template.render(Context({"t": moment})) == (
            "1 березня 2025, 09:05 | 1 березня 2025 | 01.03.2025, 09:05"
        )
    with translation.override("en"), timezone.override(KYIV):
        assert template.render(Context({"t": moment})) == (
            "1 March 2025, 09:05 | 1 March 2025 | 1 Mar 2025, 09:05"
        )


# The switcher and hreflang


def test_every_page_links_to_itself_in_the_other_language(client, newsroom):
    uk_list = in_language("uk", "claims:claim_list")
    en_list = in_language("en", "claims:claim_list")
    html = client.get(uk_list, {"q": "Умєров", "position": "denied"}).content.decode()
    query = "?q=%D0%A3%D0%BC%D1%94%D1%80%D0%BE%D0%B2&amp;position=denied"
    assert f'<link rel="alternate" hreflang="uk" href="http://testserver{uk_list}{query}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{en_list}{query}">' in html
    assert (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver/claims/{query}">'
        in html
    )
    switcher = re.search(r'<ul class="language-switcher"[^>]*>(.*?)</ul>', html, re.S).group(0)
    assert '<span aria-current="true" lang="uk">Українська</span>' in switcher
    assert f'<a href="http://testserver{en_list}{query}" hreflang="en" lang="en">English</a>' in (
        switcher
    )
    # Following the switcher keeps the page: the same claims, in English.
    english = client.get(f"{en_list}?q=Умєров&position=denied").content.decode()
    assert '<html lang="en">' in english and "Claims" in english
    # A desk page and a claim page have them too.
    client.force_login(newsroom["editor"])
    slug = newsroom["claim"].slug
    desk = client.get(in_language("en", "desk:claim_edit", slug)).content.decode()
    ukrainian = in_language("uk", "desk:claim_edit", slug)
    assert f'hreflang="uk" href="http://testserver{ukrainian}"' in desk


# Addresses from before the language prefixes


def test_old_addresses_redirect_to_the_page_in_a_language(client, newsroom):
    slug = newsroom["claim"].slug
    response = client.get(f"/claims/{slug}/?page=2")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == in_language("en", "claims:claim_detail", slug) + "?page=2"
    assert "Accept-Language" in response["Vary"]
    # A browser that prefers Ukrainian gets the Ukrainian page.
    response = client.get("/", headers={"Accept-Language": "uk,en;q=0.5"})
    assert response["Location"] == in_language("uk", "claims:home")
    response = client.get("/desk/", headers={"Accept-Language": "uk"})
    assert response["Location"] == in_language("uk", "desk:dashboard")
    assert client.get("/accounts/login/", follow=True).status_code == HTTPStatus.OK


def test_a_form_posted_to_an_old_address_is_saved(client):
    editor = create_editor()
    ministry = create_actor(name="Ministry of Defence")
    client.force_login(editor)
    old = reverse("desk:channel_add", args=[ministry.slug]).removeprefix("/en")
    assert not old.startswith(("/en/", "/uk/"))
    posted = {"kind": "telegram", "url": "https://t.me/ministry_of_defense_ua"}
    response = client.post(old, posted, headers={"Accept-Language": "uk"})
    assert response.status_code == HTTPStatus.TEMPORARY_REDIRECT
    assert response["Location"] == in_language("uk", "desk:channel_add", ministry.slug)
    response = client.post(old, posted, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert [status for _, status in response.redirect_chain] == [
        HTTPStatus.TEMPORARY_REDIRECT,
        HTTPStatus.FOUND,  # the view's own redirect after the save
    ]
    channel = ministry.channels.get()
    assert channel.url == "https://t.me/ministry_of_defense_ua"
    # A page asked for with GET is still redirected as before.
    assert client.get(old).status_code == HTTPStatus.FOUND


def test_feed_subscribers_are_moved_permanently_to_the_default_language(client, settings, newsroom):
    for language in ("uk", "en"):
        settings.LANGUAGE_CODE = language
        response = client.get("/feeds/denied.rss", headers={"Accept-Language": "de"})
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == in_language(language, "claims:denied_rss")
        slug = newsroom["office"].slug
        response = client.get(f"/feeds/actors/{slug}/denied.rss?x=1")
        assert response["Location"] == in_language(language, "claims:actor_denied_rss", slug) + (
            "?x=1"
        )
        assert client.get(response["Location"]).status_code == HTTPStatus.OK
    assert client.get("/feeds/nothing.rss").status_code == HTTPStatus.NOT_FOUND


def test_the_admin_speaks_the_browsers_language(client, newsroom):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    page = client.get("/admin/claims/claim/", headers={"Accept-Language": "uk"})
    assert page.status_code == HTTPStatus.OK
    assert "Офіційна позиція" in page.content.decode()
    page = client.get("/admin/claims/claim/", headers={"Accept-Language": "en"})
    assert "Official position" in page.content.decode()


def test_the_api_and_admin_have_no_language_prefix(client, newsroom):
    response = client.get("/api/v1/verdicts", headers={"Accept-Language": "uk"})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["items"][0]["rating_label"] == "Unproven"  # language-neutral
    assert client.get("/uk/api/v1/verdicts").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/admin/login/").status_code == HTTPStatus.OK
    assert client.get("/uk/admin/login/").status_code == HTTPStatus.NOT_FOUND


# The reader cache keeps each language's copy


def test_ukrainian_and_english_pages_never_get_each_others_cached_copy(client, newsroom):
    slug = newsroom["claim"].slug
    for name, args in [("claims:claim_list", []), ("claims:claim_detail", [slug])]:
        copies = {}
        for language in ("uk", "en", "uk", "en"):
            response = client.get(in_language(language, name, *args))
            copies.setdefault(language, []).append(response)
        for language, (first, second) in copies.items():
            assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
            assert f'<html lang="{language}">' in second.content.decode()
            assert first.content == second.content
        uk, en = copies["uk"][1], copies["en"][1]
        assert uk["ETag"] != en["ETag"]
        assert "Твердження" in uk.content.decode() and "Claims" in en.content.decode()
        # A proxy revalidating the English page with the Ukrainian ETag gets the page.
        revalidated = client.get(
            in_language("en", name, *args), headers={"If-None-Match": uk["ETag"]}
        )
        assert revalidated.status_code == HTTPStatus.OK
        assert '<html lang="en">' in revalidated.content.decode()
    # The unprefixed address's redirect depends on the browser's language: shared caches
    # must key it by Accept-Language.
    assert "Accept-Language" in client.get("/claims/")["Vary"]


# The default language


def site_setting(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    environment.pop("LANGUAGE_CODE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.LANGUAGE_CODE)"],
        cwd=BASE_DIR,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip


def test_the_site_speaks_ukrainian_unless_configured_otherwise():
    assert site_setting().stdout.split()[-1] == "uk"
    assert site_setting(LANGUAGE_CODE="en").stdout.split()[-1] == "en"
    refused = site_setting(LANGUAGE_CODE="fr")
    assert refused.returncode != 0
    assert "LANGUAGE_CODE='fr' is not an interface language" in refused.stderr


def test_demo_accounts_print_addresses_in_the_sites_language(settings):
    settings.DEBUG = True
    settings.LANGUAGE_CODE = "uk"
    settings.SITE_URL = "http://127.0.0.1:8000"
    output = StringIO()
    call_command("demo_accounts", stdout=output)
    printed = output.getvalue()
    assert "factcheck is starting on http://127.0.0.1:8000/uk/\n" in printed
    assert "Log in at http://127.0.0.1:8000/uk/accounts/login/" in printed
    assert "the desk is http://127.0.0.1:8000/uk/desk/" in printed
