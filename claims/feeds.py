"""
RSS 2.0 and Atom feeds (django.contrib.syndication): newest denials — all, per actor, per
outlet, per tag — and newly published verdicts, corrections and withdrawals. Only public rows
(approved by a second editor, models/writing.py): a denial appears once it is approved, dated
by the denial's own time.

Each item's guid is a tag: URI built from the row's primary key, so it never changes when a
claim's slug or text is edited.

A feed is in the active language (`get_language()`, the feed's `<language>`): claims' texts,
quotes and verdicts' summaries come translated into it where an approved, current translation
exists (claims/translated.py), a quote with its original beside it.
"""

import io
import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from . import fragments, translated
from .links import page_path, slug_path
from .models import (
    Actor,
    Attribution,
    Claim,
    Correction,
    Narrative,
    NarrativeClaim,
    Outlet,
    Response,
    Tag,
    Verdict,
)
from .models.claims import NOT_LISTED
from .models.public_names import public_name_or_404
from .models.reader_versions import VERDICT_FEED
from .models.responses import involvement

ITEMS = 50
GUID_YEAR = 2025


def unshown(claim: str, report: str = "") -> tuple[str, ...]:
    """Columns no feed item shows and the largest of their rows, for `defer()`: the claim's
    derived search columns and context, and the report's text (at 1M claims most of the bytes
    a feed's query read)."""
    deferred = tuple(f"{claim}__{name}" for name in NOT_LISTED)
    return (*deferred, f"{report}__body") if report else deferred


# Control characters XML 1.0 cannot carry. Typed or imported text may hold them, and Django's
# feed writer refuses them with an exception (a 500 for every reader of the feed): drop them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_text(v) for v in value)
    return value


class XMLSafe:
    """A feed generator that strips what XML 1.0 cannot carry from the feed and its items."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_text, args), **{k: xml_text(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_text, args), **{k: xml_text(v) for k, v in kwargs.items()})

    def write(self, outfile, encoding):
        # The XML writer makes a write per tag and per text (about 1,500 for 50 items); into
        # the response directly, each is a separate chunk. Write the document in memory first.
        buffer = io.BytesIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class RssFeed(XMLSafe, Rss201rev2Feed):
    pass


class AtomFeed(XMLSafe, Atom1Feed):
    pass


@lru_cache
def _guid_host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "factcheck"


def guid(kind: str, pk: int) -> str:
    return f"tag:{_guid_host(settings.SITE_URL)},{GUID_YEAR}:{kind}:{pk}"


def claim_path(claim: Claim) -> str:
    """claim.get_absolute_url(), without a reverse() per feed item."""
    return slug_path("claims:claim_detail", claim.slug)


def shown_claim_text(claim: Claim) -> str:
    """The claim's text in the feed's language where translated (claims/translated.py)."""
    shown = getattr(claim, "shown_text", None)
    return shown.text if shown is not None else claim.text


def response_description(response: Response) -> str:
    """The quote (translated into the feed's language, with the original beside it), who
    stands behind it, and where it was reported, as escaped HTML."""
    parts = []
    if response.quote:
        speaker = f" — {response.speaker_name}" if response.speaker_name else ""
        shown = getattr(response, "shown_quote", None)
        if shown is not None and shown.translated:
            parts.append(format_html("<p>“{}”{}</p>", shown.text, speaker))
            parts.append(
                format_html(
                    "<p>{} “{}” ({}, {}).</p>",
                    gettext("Original:"),
                    shown.original,
                    gettext("translated by %(translator)s")
                    % {"translator": shown.translation.translator_label},
                    date_format(shown.translation.translated_at, "j F Y"),
                )
            )
        else:
            parts.append(format_html("<p>“{}”{}</p>", response.quote, speaker))
    # The label straight from the choices: get_attribution_display() rebuilds their dict.
    attribution = Attribution(response.attribution).label
    parts.append(format_html("<p>{}</p>", _("Attribution: %(how)s.") % {"how": attribution}))
    if response.report_id:
        report = response.report
        reported = _("Reported by %(outlet)s: %(title)s.")
        parts.append(
            format_html(
                "<p>{}</p>", reported % {"outlet": report.outlet.name, "title": report.title}
            )
        )
    return "".join(parts)


_feed_request: ContextVar = ContextVar("feed_request", default=None)


class WrittenFeed(Feed):
    """A feed whose items come written (titles, descriptions and links as the feed shows
    them), so that they can be kept under versions (claims/fragments.py): `items()` reads
    the request's versions from `_feed_request`."""

    def get_feed(self, obj, request):
        # The items' cache keys need the request's versions; a Feed is shared by threads.
        token = _feed_request.set(request)
        try:
            return super().get_feed(obj, request)
        finally:
            _feed_request.reset(token)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.description

    def item_link(self, item) -> str:
        return item.link

    def item_pubdate(self, item):
        return item.pubdate

    def item_updateddate(self, item):
        return item.updateddate


class DeniedFeed(WrittenFeed):
    """Newest denials, one item per Response with stance `denies`."""

    feed_type = RssFeed
    scope = ""

    def get_object(self, request, slug=None):
        return None

    def title(self, obj) -> str:
        return _("%(site)s: newest denials") % {"site": settings.SITE_NAME} + self.scope_name(obj)

    def scope_name(self, obj) -> str:
        return f" — {obj.name}" if obj is not None else ""

    def link(self, obj) -> str:
        return obj.get_absolute_url() if obj is not None else page_path("claims:claim_list")

    def description(self, obj) -> str:
        return _(
            "Official denials of claims we track, newest first. A denial is evidence, not proof."
        )

    subtitle = description

    def responses(self, obj):
        return Response.objects.for_feed().denials().defer(*unshown("claim", "report"))

    def items(self, obj) -> list["Denial"]:
        """The newest denials as the feed shows them, each kept under its claim's version
        (claims/fragments.py): only denials not already rendered are read in full."""
        request = _feed_request.get()
        if request is None or not fragments.enabled(request):
            return self.denials(list(self.responses(obj)[:ITEMS]))

        def newest() -> list[tuple[int, int]]:
            version = fragments.claim_version("claim__slug")
            rows = self.responses(obj).annotate(claim_version=version)
            return list(rows.values_list("pk", "claim_version")[:ITEMS])

        # Which denials, at which versions of their claims: read once per version of the
        # feed (a change to one of its claims moves the feed on too), as a list's matches are.
        shown = fragments.for_page(request, "denials", request.path, newest)
        keys = {pk: fragments.key(request, "denial", pk, version) for pk, version in shown}
        found = fragments.store().get_many(keys.values())
        missing = [pk for pk, key in keys.items() if key not in found]
        if missing:
            # By id: the feed's filter (an actor's, a tag's) ran once, above.
            rows = DeniedFeed.responses(self, obj).in_bulk(missing)
            rendered = self.denials([rows[pk] for pk in missing if pk in rows])
            kept = {keys[denial.pk]: denial for denial in rendered}
            fragments.store().set_many(kept, fragments.TIMEOUT)
            found |= kept
        return [found[key] for key in keys.values() if key in found]

    def denials(self, rows: list[Response]) -> list["Denial"]:
        translated.attach(claims=[r.claim for r in rows], responses=rows)
        return [
            Denial(
                pk=item.pk,
                title=(
                    f"{item.responder.name} {item.get_stance_display()}: "
                    f"{shown_claim_text(item.claim)}"
                ),
                description=response_description(item),
                link=f"{claim_path(item.claim)}#response-{item.pk}",
                pubdate=item.responded_at,
                updateddate=max(item.responded_at, item.updated_at),
                author_name=item.responder.name,
            )
            for item in rows
        ]

    def item_guid(self, item: "Denial") -> str:
        return guid("response", item.pk)

    item_guid_is_permalink = False

    def item_author_name(self, item: "Denial") -> str:
        return item.author_name


@dataclass(frozen=True)
class Denial:
    """A denial feed's item as written, in the feed's language (a relative link: the feed
    adds the site's address)."""

    pk: int
    title: str
    description: str
    link: str
    pubdate: datetime
    updateddate: datetime
    author_name: str


class DeniedAtomFeed(DeniedFeed):
    feed_type = AtomFeed


class ActorDeniedFeed(DeniedFeed):
    """Denials by the actor or of claims the actor made or is the subject of."""

    def get_object(self, request, slug=None):
        # With its size, which tells `involving` how to look its denials up.
        return public_name_or_404(Actor.objects.annotate(involvement=involvement()), slug=slug)

    def responses(self, actor):
        return super().responses(actor).involving(actor)


class ActorDeniedAtomFeed(ActorDeniedFeed):
    feed_type = AtomFeed


class OutletDeniedFeed(DeniedFeed):
    """Denials of claims the outlet carried, and denials it reported."""

    def get_object(self, request, slug=None):
        return public_name_or_404(Outlet.objects.all(), slug=slug)

    def responses(self, outlet):
        return super().responses(outlet).about_outlets([outlet])


class OutletDeniedAtomFeed(OutletDeniedFeed):
    feed_type = AtomFeed


class TagDeniedFeed(DeniedFeed):
    def get_object(self, request, slug=None):
        return public_name_or_404(Tag.objects.all(), slug=slug)

    def responses(self, tag):
        tagged = Claim.tags.through.objects.filter(tag=tag).values("claim_id")
        return super().responses(tag).filter(claim__in=tagged)


class TagDeniedAtomFeed(TagDeniedFeed):
    feed_type = AtomFeed


class NarrativeDeniedFeed(DeniedFeed):
    """Denials of the claims in a narrative (approved members only)."""

    def get_object(self, request, slug=None):
        return get_object_or_404(Narrative.objects.public(), slug=slug)

    def responses(self, narrative):
        members = NarrativeClaim.objects.approved().filter(narrative=narrative)
        return super().responses(narrative).filter(claim__in=members.values("claim_id"))


class NarrativeDeniedAtomFeed(NarrativeDeniedFeed):
    feed_type = AtomFeed


@dataclass(frozen=True)
class Withdrawal:
    """A public notice that a published verdict or a public claim was withdrawn."""

    kind: str  # "verdict" or "claim"
    pk: int
    claim: Claim
    published_at: datetime
    reason: str
    what: str


def withdrawals(limit: int) -> list[Withdrawal]:
    """The newest withdrawals of what readers saw: verdicts and claims."""
    verdicts = (
        Verdict.objects.withdrawn_from_public()
        .select_related("claim")
        .defer(*unshown("claim"))
        .order_by("-withdrawn_at", "-pk")[:limit]
    )
    claims = Claim.objects.withdrawn_from_public().order_by("-withdrawn_at", "-pk")[:limit]
    notices = [
        Withdrawal(
            "verdict",
            v.pk,
            v.claim,
            v.withdrawn_at,
            v.withdrawn_reason,
            _("the rating %(rating)s") % {"rating": v.rating_choice.label}
            if v.rating_choice
            else _("the rating"),
        )
        for v in verdicts
    ] + [
        Withdrawal("claim", c.pk, c, c.withdrawn_at, c.withdrawn_reason, _("the claim"))
        for c in claims
    ]
    return notices


class VerdictFeed(WrittenFeed):
    """Newly published verdicts, corrections to them and withdrawals, newest first."""

    feed_type = RssFeed
    item_guid_is_permalink = False

    def title(self) -> str:
        return _("%(site)s: new verdicts and corrections") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return page_path("claims:claim_list")

    def description(self) -> str:
        return _(
            "Verdicts as they are published, every correction to a published verdict, and "
            "every withdrawal of a verdict or a claim."
        )

    subtitle = description

    def items(self) -> list["Published"]:
        """The feed's items as written, kept under the feed's version (claims/fragments.py):
        the feed shows nothing else, and reading its withdrawals is slow at scale."""
        request = _feed_request.get()
        if request is None or not fragments.enabled(request):
            return self.written()
        return fragments.rendered(request, "verdicts-feed", "items", VERDICT_FEED, self.written)

    def written(self) -> list["Published"]:
        return [
            Published(
                guid=self.guid_of(item),
                title=self.title_of(item),
                description=self.description_of(item),
                link=self.link_of(item),
                pubdate=item.published_at,
                updateddate=self.updated_of(item),
            )
            for item in self.newest()
        ]

    def newest(self) -> list:
        # Each verdict's latest correction (its date_modified) comes in the same query:
        # prefetching the corrections of 50 verdicts costs more than all the feed's queries.
        latest_correction = (
            Correction.objects.filter(verdict=OuterRef("pk"), approved_at__isnull=False)
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        verdicts = list(
            Verdict.objects.newest_published()
            .select_related("claim")
            .defer(*unshown("claim"))
            .annotate(last_corrected_at=Subquery(latest_correction))[:ITEMS]
        )
        corrections = list(
            Correction.objects.public()
            .select_related("verdict__claim")
            .defer(*unshown("verdict__claim"))
            .order_by("-published_at", "-pk")[:ITEMS]
        )
        merged = sorted(
            verdicts + corrections + withdrawals(ITEMS),
            key=lambda item: (item.published_at, item.pk),
            reverse=True,
        )[:ITEMS]
        shown_verdicts = [item for item in merged if isinstance(item, Verdict)]
        claims = [
            item.verdict.claim if isinstance(item, Correction) else item.claim for item in merged
        ]
        translated.attach(claims=claims, verdicts=shown_verdicts)
        return merged

    def item_guid(self, item: "Published") -> str:
        return item.guid

    def title_of(self, item) -> str:
        if isinstance(item, Withdrawal):
            return _("Withdrawn (%(what)s): %(text)s") % {
                "what": item.what,
                "text": shown_claim_text(item.claim),
            }
        if isinstance(item, Correction):
            return _("Correction: %(text)s") % {"text": shown_claim_text(item.verdict.claim)}
        return _("Rated %(rating)s: %(text)s") % {
            "rating": item.rating_choice.label,
            "text": shown_claim_text(item.claim),
        }

    def description_of(self, item) -> str:
        if isinstance(item, Withdrawal):
            withdrew = _("We withdrew %(what)s. Why: %(reason)s")
            return format_html("<p>{}</p>", withdrew % {"what": item.what, "reason": item.reason})
        if isinstance(item, Correction):
            correction = format_html("<p>{}</p>", _("Correction: %(text)s") % {"text": item.text})
            if item.previous_rating:
                changed = _("Rating changed from %(old)s to %(new)s.") % {
                    "old": item.previous_rating_choice.label,
                    "new": item.rating_choice.label,
                }
                return correction + format_html("<p>{}</p>", changed)
            return correction
        rating = item.rating_choice  # published verdicts are always rated
        summary = getattr(item, "shown_summary", None)
        return format_html(
            "<p>{}: {}</p><p>{}</p>",
            rating.label,
            rating.meaning,
            summary.text if summary is not None else item.summary,
        )

    def link_of(self, item) -> str:
        if isinstance(item, Withdrawal):
            return f"{claim_path(item.claim)}#withdrawal"
        if isinstance(item, Correction):
            return f"{claim_path(item.verdict.claim)}#correction-{item.pk}"
        return f"{claim_path(item.claim)}#verdict"

    def updated_of(self, item):
        if isinstance(item, (Correction, Withdrawal)):
            return item.published_at
        return item.last_corrected_at or item.published_at

    def guid_of(self, item) -> str:
        if isinstance(item, Withdrawal):
            return guid(f"{item.kind}-withdrawal", item.pk)
        kind = "correction" if isinstance(item, Correction) else "verdict"
        return guid(kind, item.pk)


@dataclass(frozen=True)
class Published:
    """A verdicts feed's item as written, in the feed's language (a relative link)."""

    guid: str
    title: str
    description: str
    link: str
    pubdate: datetime
    updateddate: datetime


class VerdictAtomFeed(VerdictFeed):
    feed_type = AtomFeed
