"""
The feed watcher: poll outlets' RSS, Atom and JSON feeds, store each new item once per URL,
score how likely it reports a denial, and turn likely ones into leads for the desk inbox.

Feeds are fetched through the same safe fetcher as articles (feed content types allowed),
with conditional GET so an unchanged feed costs one 304. A broken feed records its error on
its OutletFeed and the others are still polled.
"""

import calendar
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import feedparser
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop
from trafilatura.utils import load_html

from claims.models import FeedItem, Lead, OutletFeed, Stance
from claims.models.importing import Notice, NoticeError

from . import telegram
from .extract import measure
from .fetch import FEED_TYPES, FetchError, fetch
from .suggest import stance_of

logger = logging.getLogger(__name__)

# Words that often mark a response to a report, beyond the stance cues in suggest.py.
RESPONSE_HINTS = re.compile(
    r"\b(?:spokes(?:person|man|woman)|press secretary|ministry|office|official|statement|"
    r"source|claims?|reports?|rumou?rs?|allegations?)\b|"
    r"речни\w*|прес-секретар\w*|пресс-секретар\w*|міністерств\w*|министерств\w*|офіс\w*|"
    r"офис\w*|заяв\w*|джерел\w*|источник\w*|повідомлен\w*|сообщени\w*|чутк\w*|слух\w*",
    re.I,
)

# A headline about a denial ("casts doubt on denial of …") is worth a look too.
DENIAL_NOUNS = re.compile(
    r"\bdenials?\b|\brebuttal\b|спростуванн\w*|запереченн\w*|опровержени\w*|"
    r"отрицани\w*",
    re.I,
)


@dataclass
class Entry:
    url: str
    guid: str
    title: str
    summary: str
    published_at: datetime | None


# An item's text is cut to 5,000 characters anyway; reading at most this much of its markup
# keeps an item of deeply nested HTML from costing the tree builder seconds.
ITEM_MARKUP_CHARS = 20_000


def text_of(html: str) -> str:
    html = (html or "")[:ITEM_MARKUP_CHARS]
    if "<" not in html:
        return re.sub(r"\s+", " ", html or "").strip()
    return re.sub(r"\s+", " ", BeautifulSoup(html, "lxml").get_text(" ")).strip()


def stance_name(stance: str) -> Notice:
    """A stance's name as a notice (its label's msgid), read in the editor's language."""
    with translation.override(None):
        return Notice(str(Stance(stance).label))


def denial_score(title: str, summary: str = "") -> tuple[int, list[Notice]]:
    """0–100: how likely an item reports a denial, with the reasons for the score."""
    score, reasons = 0, []
    in_headline = gettext_noop("headline: “%(words)s”")
    headline = stance_of(title or "")
    if headline and headline[0] in {"denies", "retracts"}:
        score += 70
        reasons.append(Notice(in_headline, {"words": headline[1].group(0)}))
    elif headline:
        score += 25
        reasons.append(
            Notice(
                gettext_noop("headline (%(stance)s): “%(words)s”"),
                {"stance": stance_name(headline[0]).as_json(), "words": headline[1].group(0)},
            )
        )
    elif DENIAL_NOUNS.search(title or ""):
        score += 50
        reasons.append(Notice(in_headline, {"words": DENIAL_NOUNS.search(title).group(0)}))
    for sentence in re.split(r"(?<=[.!?])\s+", summary or "")[:6]:
        found = stance_of(sentence)
        if found and found[0] in {"denies", "retracts"}:
            score += 25
            reasons.append(
                Notice(gettext_noop("summary: “%(words)s”"), {"words": found[1].group(0)})
            )
            break
    if score and RESPONSE_HINTS.search(f"{title} {summary}"):
        score += 10
        reasons.append(Notice(gettext_noop("names an official source or a report")))
    return min(score, 100), reasons


def unwrap(link: str) -> str:
    """The real article behind a redirect wrapper such as google.com/url?url=…"""
    try:
        parts = urlsplit(link)
    except ValueError:
        return ""
    if parts.path in {"/url", "/link", "/redirect"} and parts.query:
        query = parse_qs(parts.query)
        for key in ("url", "q", "u"):
            target = (query.get(key) or [""])[0]
            if target.startswith(("http://", "https://")):
                return target
    return link


# Feeds nest a few levels (items, authors, attachments); anything far deeper is hostile.
MAX_FEED_DEPTH = 64
JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(text: str, limit: int) -> int:
    """How deep a JSON text's arrays and objects nest, counted up to `limit` + 1 at most."""
    depth = deepest = 0
    for token in JSON_TOKEN.finditer(text):
        bracket = token.group(0)  # or a whole string, skipped with what it holds
        if bracket in ("[", "{"):
            depth += 1
            if depth > limit:
                return depth
            deepest = max(deepest, depth)
        elif bracket in ("]", "}"):
            depth -= 1
    return deepest


class FeedError(NoticeError, ValueError):
    """Bytes that are no feed we can read; the message is meant for the editor."""


def parse_json_feed(content: bytes) -> list[Entry]:
    text = content.decode("utf-8-sig")
    # json's decoder recurses once per level and would hit Python's recursion limit.
    if json_depth(text, MAX_FEED_DEPTH) > MAX_FEED_DEPTH:
        raise FeedError(
            gettext_noop(
                "This JSON feed is nested too deeply to read (more than %(depth)s levels)."
            ),
            depth=MAX_FEED_DEPTH,
        )
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError(gettext_noop("This is not a JSON Feed (it has no list of items)."))
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        published = parse_datetime(str(item.get("date_published") or "")) or None
        entries.append(
            Entry(
                url=str(item.get("url") or item.get("external_url") or ""),
                guid=str(item.get("id") or ""),
                title=text_of(str(item.get("title") or "")),
                summary=text_of(str(item.get("summary") or item.get("content_text") or "")),
                published_at=published,
            )
        )
    return entries


def telegram_entries(content: bytes) -> list[Entry]:
    """A channel's public preview (t.me/s/<channel>) read as a feed: one entry per post."""
    tree = load_html(content)
    if tree is None:
        raise FeedError(gettext_noop("This Telegram page could not be read."))
    entries = [
        Entry(
            url=post.url,
            guid=post.url,
            title=post.headline,
            summary=post.text[:5000],
            published_at=post.published,
        )
        for post in telegram.read_posts(tree)
    ]
    if not entries:
        raise FeedError(gettext_noop("This Telegram page holds no public posts."))
    return entries


def parse_feed(content: bytes, *, content_type: str = "", charset: str = "") -> list[Entry]:
    """Entries of an RSS, Atom or JSON feed or a Telegram channel's preview page; ValueError
    when the bytes are no feed."""
    stripped = content.lstrip()
    if b"tgme_widget_message" in stripped[:2_000_000]:
        return telegram_entries(stripped)
    if "json" in content_type or stripped.startswith(b"{"):
        try:
            return parse_json_feed(stripped)
        except FeedError:
            raise
        except (ValueError, UnicodeDecodeError) as error:
            raise FeedError(
                gettext_noop("The JSON feed could not be read (%(error)s)."), error=str(error)
            ) from None
    if measure(stripped, xml=True, max_depth=MAX_FEED_DEPTH, max_elements=10**9).too_deep:
        raise FeedError(
            gettext_noop("This feed is nested too deeply to read (more than %(depth)s levels)."),
            depth=MAX_FEED_DEPTH,
        )
    headers = {"content-type": f"{content_type or 'application/xml'}"}
    if charset:
        headers["content-type"] += f"; charset={charset}"
    # A blank line before the XML declaration is common and harmless; strict parsers balk.
    try:
        parsed = feedparser.parse(
            stripped,
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as error:  # feedparser's loose parser can trip over broken markup
        raise FeedError(
            gettext_noop("This feed is too malformed to read (%(error)s)."),
            error=error.__class__.__name__,
        ) from None
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if not problem:
            raise FeedError(gettext_noop("This is not a feed we can read (no entries)."))
        raise FeedError(
            gettext_noop("This is not a feed we can read (%(error)s)."), error=str(problem)
        )
    entries = []
    for item in parsed.entries:
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC) if stamp else None
        entries.append(
            Entry(
                url=unwrap(str(item.get("link") or "")),
                guid=str(item.get("id") or ""),
                title=text_of(item.get("title") or ""),
                summary=text_of(item.get("summary") or "")[:5000],
                published_at=published,
            )
        )
    return entries


def store(feed: OutletFeed, entry: Entry) -> tuple[FeedItem | None, Lead | None]:
    """Store a new item (once per URL) and its lead; (None, None) for seen or unusable items."""
    url = entry.url.strip()
    if not url and entry.guid.startswith(("http://", "https://")):
        url = entry.guid
    if not url.startswith(("http://", "https://")) or len(url) > 1000:
        return None, None
    if FeedItem.objects.filter(url=url).exists():
        return None, None
    score, reasons = denial_score(entry.title, entry.summary)
    try:
        with transaction.atomic():
            item = FeedItem.objects.create(
                feed=feed,
                url=url,
                guid=entry.guid[:1000],
                title=entry.title[:1000],
                summary=entry.summary,
                published_at=entry.published_at,
                score=score,
            )
            lead = None
            if score >= getattr(settings, "IMPORTER_LEAD_THRESHOLD", 50):
                lead = Lead.objects.create(
                    item=item, score=score, reasons=[reason.as_json() for reason in reasons]
                )
    except IntegrityError:  # another poller stored it first
        return None, None
    return item, lead


def poll_feed(feed: OutletFeed) -> dict:
    """Poll one feed; record success or the error on the feed. Never raises."""
    now = timezone.now()
    result = {"feed": feed.pk, "new_items": 0, "leads": 0, "not_modified": False, "error": ""}
    try:
        fetched = fetch(
            feed.url,
            accept=FEED_TYPES | {"text/plain", "text/html"},
            etag=feed.etag,
            last_modified=feed.last_modified,
        )
        if fetched.not_modified:
            result["not_modified"] = True
        else:
            for entry in parse_feed(
                fetched.content, content_type=fetched.content_type, charset=fetched.charset
            ):
                item, lead = store(feed, entry)
                result["new_items"] += item is not None
                result["leads"] += lead is not None
            feed.etag = fetched.headers.get("ETag", fetched.headers.get("etag", ""))[:500]
            feed.last_modified = fetched.headers.get(
                "Last-Modified", fetched.headers.get("last-modified", "")
            )[:100]
        feed.last_success_at, feed.last_error = now, ""
        feed.last_error_notice = {}
    except (FetchError, FeedError) as error:
        failed = error.notice
    except ValueError as error:
        failed = Notice(
            gettext_noop("The feed could not be read (%(error)s)."), {"error": str(error)}
        )
    except Exception as error:
        logger.exception("feed %s crashed", feed.pk)
        failed = Notice(
            gettext_noop("Unexpected error: %(error)s"),
            {"error": f"{error.__class__.__name__}: {error}"},
        )
    else:
        failed = None
    if failed is not None:
        result["error"] = failed.english
        feed.last_error, feed.last_error_notice = failed.english, failed.as_json()
        logger.warning("feed %s (%s) failed: %s", feed.pk, feed.url, result["error"])
    feed.last_polled_at = now
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_polled_at",
            "last_success_at",
            "last_error",
            "last_error_notice",
        ]
    )
    return result


def poll_all(feeds=None) -> dict:
    """Poll every active feed (or the given ones); one broken feed does not stop the rest."""
    feeds = feeds if feeds is not None else OutletFeed.objects.filter(active=True)
    summary = {"feeds": 0, "new_items": 0, "leads": 0, "errors": {}}
    for feed in feeds.select_related("outlet"):
        result = poll_feed(feed)
        summary["feeds"] += 1
        summary["new_items"] += result["new_items"]
        summary["leads"] += result["leads"]
        if result["error"]:
            summary["errors"][feed.url] = result["error"]
    return summary
