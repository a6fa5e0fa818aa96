"""The Django admin: usable by an editor on day one, with the chain inline on the claim."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .caching import content_changed
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
    Report,
    Response,
    Snapshot,
    Tag,
    Verdict,
    VerdictState,
)


class ReaderContentAdmin(admin.ModelAdmin):
    """Admin for what readers see: any change drops the cached reader pages."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


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
class ReportAdmin(ReaderContentAdmin):
    list_display = ["title", "outlet", "published_at", "language"]
    list_filter = ["outlet", "language", "tags"]
    list_select_related = ["outlet"]
    search_fields = ["title", "url", "canonical_url", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["outlet", "tags"]
    inlines = [SnapshotInline]


class CarriageInline(admin.StackedInline):
    model = Carriage
    fk_name = "claim"
    extra = 0
    fields = ["report", "role", "wording", "cites", "withdrawn_at", "withdrawn_reason"]
    autocomplete_fields = ["report"]


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    fields = [
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
class ClaimAdmin(ReaderContentAdmin):
    list_display = ["text", "claimant", "first_seen_at", "position"]
    list_filter = ["language", "tags", "responses__stance"]
    list_select_related = ["claimant"]
    search_fields = ["text", "slug", "responses__quote", "carriages__report__title"]
    date_hierarchy = "first_seen_at"
    prepopulated_fields = {"slug": ["text"]}
    autocomplete_fields = ["claimant", "subjects", "tags"]
    inlines = [CarriageInline, ResponseInline]

    @admin.display(description="Official position", ordering="official_position")
    def position(self, claim: Claim) -> str:
        return claim.official_position_display.label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Carriage)
class CarriageAdmin(ReaderContentAdmin):
    list_display = ["claim", "report", "role"]
    list_filter = ["role"]
    list_select_related = ["claim", "report__outlet"]
    search_fields = ["claim__text", "report__title", "wording"]
    autocomplete_fields = ["claim", "report", "cites"]


@admin.register(Response)
class ResponseAdmin(ReaderContentAdmin):
    list_display = ["responder", "stance", "attribution", "claim", "responded_at"]
    list_filter = ["stance", "attribution"]
    list_select_related = ["responder", "claim"]
    search_fields = ["quote", "claim__text", "responder__name", "speaker_name"]
    date_hierarchy = "responded_at"
    autocomplete_fields = ["claim", "responder", "report"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["text", "published_at", "created_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Verdict)
class VerdictAdmin(ReaderContentAdmin):
    """Workflow fields are read-only here: state changes go through the model's actions,
    which enforce the two-person rule."""

    list_display = ["claim", "rating", "state", "author", "reviewer", "published_at"]
    list_filter = ["state", "rating"]
    list_select_related = ["claim", "author", "reviewer"]
    search_fields = ["claim__text", "summary", "rationale"]
    autocomplete_fields = ["claim"]
    readonly_fields = [
        "state",
        "author",
        "reviewer",
        "review_note",
        "submitted_at",
        "published_at",
        "withdrawn_at",
        "withdrawn_reason",
    ]
    inlines = [CorrectionInline]
    actions = ["submit_for_review", "publish"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None) -> bool:
        # Published and withdrawn verdicts change only through corrections and withdrawal.
        if obj is not None and obj.state in {VerdictState.PUBLISHED, VerdictState.WITHDRAWN}:
            return False
        return super().has_change_permission(request, obj)

    def _run(self, request, queryset, action: str, done: str) -> None:
        for verdict in queryset:
            try:
                getattr(verdict, action)(by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{verdict.claim}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"{verdict.claim}: {done}.", messages.SUCCESS)

    @admin.action(description="Submit selected verdicts for review")
    def submit_for_review(self, request, queryset):
        self._run(request, queryset, "submit", "submitted for review")

    @admin.action(description="Publish selected verdicts (reviewers only)", permissions=["review"])
    def publish(self, request, queryset):
        self._run(request, queryset, "publish", "published")

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("claims.review_verdict")


# The importer's records (claims/importer).
@admin.register(OutletFeed)
class OutletFeedAdmin(admin.ModelAdmin):
    list_display = ["url", "outlet", "active", "last_polled_at", "last_success_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["url", "outlet__name"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_success_at", "last_error"]


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
    exclude = ["source"]
    readonly_fields = ["result", "error", "report", "lead"]
