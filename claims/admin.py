"""The Django admin: names (tags, outlets, actors) and the importer's records are edited here;
the chain (claims, carriages, reports, responses, translations, verdicts, corrections, pending
changes) is read-only, because every change to it goes through the write path
(models/writing.py) and its review gate, which only the desk and the importer call."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .caching import changed, content_changed
from .models import (
    Actor,
    ActorChannel,
    Carriage,
    Claim,
    Correction,
    FeedItem,
    ImportJob,
    Lead,
    Outlet,
    OutletFeed,
    PendingChange,
    Report,
    Response,
    Snapshot,
    Tag,
    Translation,
    Verdict,
)


class ReaderContentAdmin(admin.ModelAdmin):
    """Admin for names readers see: a change drops the pages that show the name (a deletion,
    every page)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed(names=[form.instance])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


class ChainAdmin(admin.ModelAdmin):
    """Read-only: the chain is written only through models/writing.py (see the module
    docstring), so the admin cannot go around the version check, history or review gate."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ChainInline:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(ReaderContentAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Outlet)
class OutletAdmin(ReaderContentAdmin):
    list_display = ["name", "kind", "country", "language", "homepage"]
    list_filter = ["kind", "country", "language"]
    search_fields = ["name", "homepage"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["actor"]


class ActorChannelInline(admin.TabularInline):
    model = ActorChannel
    extra = 0
    fields = ["kind", "url", "verified_at", "proof", "verified_by"]
    readonly_fields = ["verified_by"]


@admin.register(Actor)
class ActorAdmin(ReaderContentAdmin):
    list_display = ["name", "kind", "role", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [ActorChannelInline]

    def save_formset(self, request, form, formset, change):
        # Whoever marks a channel verified is recorded as its verifier.
        channels = formset.save(commit=False)
        for channel in channels:
            if isinstance(channel, ActorChannel) and channel.verified and not channel.verified_by:
                channel.verified_by = request.user
            channel.save()
        for channel in formset.deleted_objects:
            channel.delete()
        formset.save_m2m()


class SnapshotInline(admin.TabularInline):
    model = Snapshot
    extra = 0
    fields = ["url", "fetched_at", "status_code", "content_type", "sha256"]
    readonly_fields = fields
    can_delete = False


@admin.register(Report)
class ReportAdmin(ChainAdmin):
    list_display = ["title", "outlet", "published_at", "language"]
    list_filter = ["outlet", "language", "tags"]
    list_select_related = ["outlet"]
    search_fields = ["title", "url", "canonical_url", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["outlet", "tags"]
    inlines = [SnapshotInline]


class CarriageInline(ChainInline, admin.StackedInline):
    model = Carriage
    fk_name = "claim"
    extra = 0
    fields = ["approved_at", "report", "role", "wording", "cites", "withdrawn_at"]
    autocomplete_fields = ["report"]


class ResponseInline(ChainInline, admin.StackedInline):
    model = Response
    extra = 0
    fields = [
        "approved_at",
        "responder",
        "stance",
        "attribution",
        "speaker_name",
        "quote",
        "report",
        "responded_at",
        "withdrawn_at",
        "withdrawn_reason",
    ]
    autocomplete_fields = ["responder", "report"]


@admin.register(Claim)
class ClaimAdmin(ChainAdmin):
    list_display = ["text", "claimant", "first_seen_at", "position", "approved_at"]
    list_filter = ["language", "tags", "responses__stance"]
    list_select_related = ["claimant"]
    search_fields = ["text", "slug", "responses__quote", "carriages__report__title"]
    date_hierarchy = "first_seen_at"
    inlines = [CarriageInline, ResponseInline]

    @admin.display(description=_("Official position"), ordering="official_position")
    def position(self, claim: Claim) -> str:
        return claim.official_position_display.label


@admin.register(Carriage)
class CarriageAdmin(ChainAdmin):
    list_display = ["claim", "report", "role"]
    list_filter = ["role"]
    list_select_related = ["claim", "report__outlet"]
    search_fields = ["claim__text", "report__title", "wording"]
    autocomplete_fields = ["claim", "report", "cites"]


@admin.register(Response)
class ResponseAdmin(ChainAdmin):
    list_display = ["responder", "stance", "attribution", "claim", "responded_at"]
    list_filter = ["stance", "attribution"]
    list_select_related = ["responder", "claim"]
    search_fields = ["quote", "claim__text", "responder__name", "speaker_name"]
    date_hierarchy = "responded_at"
    autocomplete_fields = ["claim", "responder", "report"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["text", "rating", "previous_rating", "published_at", "created_by", "approved_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Verdict)
class VerdictAdmin(ChainAdmin):
    """Read-only: verdicts move through their workflow on the desk (two-person rule)."""

    list_display = ["claim", "rating", "state", "author", "reviewer", "published_at"]
    list_filter = ["state", "rating"]
    list_select_related = ["claim", "author", "reviewer"]
    search_fields = ["claim__text", "summary", "rationale"]
    inlines = [CorrectionInline]


@admin.register(Translation)
class TranslationAdmin(ChainAdmin):
    list_display = ["claim", "part", "language", "status", "translator_kind", "translated_at"]
    list_filter = ["part", "language", "status", "translator_kind"]
    list_select_related = ["claim"]
    search_fields = ["text", "source_text", "claim__text"]


@admin.register(PendingChange)
class PendingChangeAdmin(ChainAdmin):
    list_display = ["claim", "kind", "content_type", "object_id", "author", "state", "reviewer"]
    list_filter = ["state", "kind"]
    list_select_related = ["claim", "author", "reviewer", "content_type"]


# The importer's records (claims/importer).
@admin.register(OutletFeed)
class OutletFeedAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "outlet",
        "active",
        "last_polled_at",
        "last_success_at",
        "last_error_shown",
    ]
    list_filter = ["active"]
    search_fields = ["url", "outlet__name"]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_polled_at",
        "last_success_at",
        "last_error_shown",
    ]
    exclude = ["last_error", "last_error_notice"]

    @admin.display(description=_("Last error"))
    def last_error_shown(self, feed: OutletFeed) -> str:
        return str(feed.last_error_text)


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "score", "published_at", "seen_at"]
    search_fields = ["title", "url"]
    list_select_related = ["feed__outlet"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["item", "score", "state", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["item", "decided_by"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "url", "status", "progress", "created_by", "created_at"]
    list_filter = ["status"]
    exclude = ["source", "error", "error_notice"]
    readonly_fields = ["result", "error_shown", "report", "lead"]

    @admin.display(description=_("Error"))
    def error_shown(self, job: ImportJob) -> str:
        return str(job.error_text)
