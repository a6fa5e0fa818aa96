"""Who publishes and who speaks: tags, outlets, actors, reports and their archived snapshots."""

import hashlib
import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.transliteration import slug_from

# A content language: an ISO 639-1 (or 639-3) code, optionally with a region, e.g. uk, en, ru.
language_code = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$",
    "Give the language as an ISO code in lower case, e.g. uk, en or ru.",
)
LANGUAGE_HELP = _("ISO code of the text's language, e.g. uk, en, ru.")
# A country: ISO 3166-1 alpha-2, upper case.
country_code = RegexValidator(
    r"^[A-Z]{2}$", _("Give the country as a two-letter ISO code, e.g. UA.")
)


def language_field(**kwargs) -> models.CharField:
    """The language of a piece of content (a claim's text, a report, a wording, a quote)."""
    kwargs.setdefault("help_text", LANGUAGE_HELP)
    return models.CharField(max_length=10, blank=True, validators=[language_code], **kwargs)


def unique_slug(
    model: type[models.Model], text: str, *, max_length: int = 80, language: str = ""
) -> str:
    """A readable Latin slug from `text` (transliterated, see claims/transliteration.py) that
    no row of `model` has yet (`-2`, `-3`… on clashes); `language` is the text's, if known."""
    base = slug_from(text, language, max_length=max_length, kind=model._meta.model_name)
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists() or SlugAlias.taken(model, slug):
        n += 1
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
    return slug


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci"),
            models.CheckConstraint(condition=~models.Q(name=""), name="tag_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:tag_detail", args=[self.slug])


class OutletKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("News agency")
    NEWSPAPER = "newspaper", _("Newspaper")
    ONLINE = "online", _("Online outlet")
    TV = "tv", _("TV")
    RADIO = "radio", _("Radio")
    TELEGRAM = "telegram", _("Telegram channel")
    SOCIAL = "social", _("Social media account")
    AGGREGATOR = "aggregator", _("Aggregator")
    OFFICIAL = "official", _("Official channel")


class Outlet(models.Model):
    """Anything that publishes: an agency, a paper, a channel, a social account."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=OutletKind, default=OutletKind.ONLINE)
    homepage = models.URLField(max_length=500, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. UA."))
    language = models.CharField(max_length=10, blank=True, help_text=_("Main language, e.g. uk."))
    # Times printed without an offset on this outlet's pages are read in this zone.
    time_zone = models.CharField(max_length=64, default="Europe/Kyiv")
    # The organisation behind the outlet, when it is also a claimant or responder.
    actor = models.ForeignKey(
        "Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="outlets"
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="outlet_name_unique_ci"),
            models.CheckConstraint(condition=~models.Q(name=""), name="outlet_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:outlet_detail", args=[self.slug])


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Actor(models.Model):
    """A person or organisation who makes statements or is talked about."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind, default=ActorKind.PERSON)
    role = models.CharField(max_length=200, blank=True, help_text=_("e.g. NSDC Secretary."))
    # A person may belong to an organisation, an office to a government.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    description = models.TextField(blank=True)
    same_as = models.URLField(
        max_length=500, blank=True, help_text=_("Homepage or Wikipedia page, for ClaimReview.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="actor_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ActorKind.values), name="actor_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:actor_detail", args=[self.slug])


class ChannelKind(models.TextChoices):
    TELEGRAM = "telegram", _("Telegram")
    X = "x", _("X (Twitter)")
    FACEBOOK = "facebook", _("Facebook")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


# Outlet kinds whose reports are an actor's own channel speaking, not a newsroom reporting.
CHANNEL_OUTLETS = {OutletKind.TELEGRAM, OutletKind.SOCIAL}


def channel_key(url: str) -> str:
    """ "http://www.t.me/Name/" and "https://t.me/name" are the same channel."""
    key = re.sub(r"^https?://(?:www\.)?", "", (url or "").strip().lower())
    return key.rstrip("/")


class ActorChannel(models.Model):
    """
    A channel an actor speaks on (Telegram, X, a website). Officials are impersonated on
    Telegram, so a channel counts as theirs only once an editor has verified it, with the
    proof: who verified it, when, and the source (e.g. the ministry's site linking to it).
    """

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=20, choices=ChannelKind, default=ChannelKind.TELEGRAM)
    url = models.URLField(max_length=500)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proof = models.URLField(
        max_length=1000, blank=True, help_text=_("Where the actor names this channel as theirs.")
    )

    class Meta:
        ordering = ["actor", "kind", "url"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "url"], name="actor_channel_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ChannelKind.values), name="actor_channel_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(verified_at__isnull=True) | ~models.Q(proof=""),
                name="actor_channel_verified_with_proof",
            ),
        ]

    def __str__(self) -> str:
        mark = "verified" if self.verified else "not verified"
        return f"{self.actor.name}: {self.url} ({mark})"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


def mark_channels(responses: list) -> None:
    """
    Set each response's `channel_verified`: None when it was not made on a channel (only a
    news report relayed it), else whether the responder has verified that channel as theirs;
    and `actor_channel`, the responder's channel on file that it was said on (verified or
    not), if any. The channel is the response's own channel URL when it has one, else the
    relaying report's when that report is a channel's post. Matched when read, so a channel
    verified later counts at once. One query, and none when no response came from a channel.
    """
    keys = []
    for response in responses:
        response.channel_verified = None
        response.actor_channel = None
        if response.channel_url:
            keys.append((response, channel_key(response.channel_url)))
        elif response.report_id and response.report.outlet.kind in CHANNEL_OUTLETS:
            keys.append(
                (response, channel_key(response.report.outlet.homepage or response.report.url))
            )
    if not keys:
        return
    on_file = [
        (channel, channel_key(channel.url))
        for channel in ActorChannel.objects.filter(actor__in={r.responder_id for r, _ in keys})
    ]
    for response, key in keys:
        # The channel itself, or a post under it (t.me/name/123 under t.me/name).
        matches = [
            channel
            for channel, channel_url in on_file
            if channel.actor_id == response.responder_id
            and (key == channel_url or key.startswith(channel_url + "/"))
        ]
        verified = [channel for channel in matches if channel.verified]
        response.actor_channel = (verified or matches or [None])[0]
        response.channel_verified = bool(verified)


class ReportQuerySet(models.QuerySet):
    def public(self) -> "ReportQuerySet":
        """Reports readers may see: they carry a public carriage or relay a public response."""
        from .claims import Carriage
        from .responses import Response

        carried = Carriage.objects.public().filter(report=models.OuterRef("pk"))
        relayed = Response.objects.public().filter(report=models.OuterRef("pk"))
        return self.filter(models.Exists(carried) | models.Exists(relayed))

    def linked(self) -> "ReportQuerySet":
        """Reports with an address to archive."""
        return self.filter(~models.Q(url="") | models.Q(canonical_url__isnull=False))

    def unarchived(self) -> "ReportQuerySet":
        """Reports with an address and no archived copy yet."""
        copies = Snapshot.objects.filter(report=models.OuterRef("pk"))
        return self.linked().exclude(models.Exists(copies))

    def sources_of(self, claim) -> "ReportQuerySet":
        """The reports a claim's approved chain stands on: its carriages' and the reports
        that relayed its responses."""
        from .claims import Carriage
        from .responses import Response

        carried = Carriage.objects.approved().filter(claim=claim, report=models.OuterRef("pk"))
        relayed = Response.objects.approved().filter(claim=claim, report=models.OuterRef("pk"))
        return self.filter(models.Exists(carried) | models.Exists(relayed))


class PublishedPrecision(models.TextChoices):
    TIME = "time", _("date and time")
    DAY = "day", _("day only")


class Report(models.Model):
    """One published item of an outlet: an article, a post, a broadcast segment."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="reports")
    url = models.URLField(max_length=1000, blank=True)
    # The page's own canonical URL: re-imports of the same article find the report by it.
    canonical_url = models.URLField(max_length=1000, null=True, blank=True, unique=True)
    title = models.CharField(max_length=500)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A page that printed only the day is kept as a day: shown and exported without a time.
    published_precision = models.CharField(
        max_length=4, choices=PublishedPrecision, default=PublishedPrecision.TIME
    )
    byline = models.CharField(max_length=300, blank=True)
    language = language_field()
    body = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="reports")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        # An outlet's reports without reading them (the outlet filter, index-only).
        indexes = [models.Index(fields=["outlet", "id"], name="report_outlet_cover_idx")]
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="report_title_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(canonical_url=""), name="report_canonical_url_null_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outlet.name}: {self.title}"

    @property
    def link(self) -> str:
        return self.canonical_url or self.url

    @property
    def published_on_day_only(self) -> bool:
        return self.published_precision == PublishedPrecision.DAY

    def published_iso(self) -> str:
        """ISO 8601: a date alone when the page gave only the day."""
        if self.published_at is None:
            return ""
        if self.published_on_day_only:
            return timezone.localtime(self.published_at).date().isoformat()
        return self.published_at.isoformat()

    def latest_snapshot(self) -> "Snapshot | None":
        return self.snapshots.order_by("-fetched_at").first()


class Snapshot(models.Model):
    """The archived bytes of a report's page as fetched, kept as evidence."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="snapshots")
    url = models.URLField(max_length=1000)
    fetched_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        ordering = ["-fetched_at"]
        get_latest_by = "fetched_at"
        constraints = [
            models.UniqueConstraint(fields=["report", "sha256"], name="snapshot_unique_per_report"),
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="snapshot_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} @ {self.fetched_at:%Y-%m-%d %H:%M} ({self.sha256[:12]})"

    @classmethod
    def of(cls, report: Report, *, url: str, content: bytes, **fields) -> "Snapshot":
        """The snapshot of these bytes, created once per report."""
        digest = hashlib.sha256(content).hexdigest()
        snapshot, _ = cls.objects.get_or_create(
            report=report, sha256=digest, defaults={"url": url, "content": content, **fields}
        )
        return snapshot


class SlugAlias(models.Model):
    """A slug a claim, actor, outlet or tag had before: its old URLs answer 301 to the new one
    (the meaningless "item", "item-2"… given to Cyrillic names before slugs were
    transliterated)."""

    kind = models.CharField(max_length=20, help_text=_("The model: claim, actor, outlet or tag."))
    old_slug = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = _("slug aliases")
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="slug_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.old_slug} → {self.object_id}"

    @classmethod
    def taken(cls, model: type[models.Model], slug: str) -> bool:
        return cls.objects.filter(kind=model._meta.model_name, old_slug=slug).exists()

    @classmethod
    def current_slug(cls, model: type[models.Model], old_slug: str) -> str | None:
        """The slug now held by the row that had `old_slug`, or None."""
        alias = cls.objects.filter(kind=model._meta.model_name, old_slug=old_slug).first()
        if alias is None:
            return None
        return (
            model._default_manager.filter(pk=alias.object_id).values_list("slug", flat=True).first()
        )
