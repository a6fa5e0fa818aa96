"""
The newsroom's vocabulary as models (see DESIGN.md).

Outlets publish Reports; a Claim is carried by Reports (Carriage); Actors respond to it
(Response); editors rate it (Verdict) and correct published verdicts (Correction). Nothing is
public before a second editor approves it (PendingChange; the write path is models/writing.py).
A quote, a claim's text and a verdict's summary can be translated (Translation), with
provenance, through the same gate.
"""

from .archiving import ArchiveStatus, SourceArchive
from .claims import Carriage, CarriageRole, Claim, ClaimQuerySet, OfficialPosition
from .external_reviews import ExternalReview
from .history import HistoryAction, HistoryEntry
from .importing import FeedItem, ImportJob, ImportJobStatus, Lead, LeadState, OutletFeed
from .narratives import Narrative, NarrativeClaim
from .notifications import NotificationKind, NotificationPreference
from .outlet_claims import OutletClaim
from .partners import ApiKey, DeliveryState, Webhook, WebhookDelivery, WebhookEvent
from .reader_versions import ReaderVersion
from .responses import Attribution, Response, ResponseQuerySet, SaidOn, Stance
from .review import ChangeKind, PendingChange, ReviewState
from .similarity import ClaimVector, SimilarSuggestion, SuggestionOutcome
from .sources import (
    Actor,
    ActorChannel,
    ActorKind,
    ChannelKind,
    Outlet,
    OutletKind,
    PublishedPrecision,
    Report,
    SlugAlias,
    Snapshot,
    Tag,
    mark_channels,
)
from .threads import Assignment, Note, NoteKind
from .timings import ClaimTiming, ResponderTiming
from .translations import (
    TranslatedPart,
    Translation,
    TranslationQuerySet,
    TranslationStatus,
    TranslatorKind,
)
from .verdicts import Correction, Rating, Verdict, VerdictQuerySet, VerdictState

__all__ = [
    "Actor",
    "ActorChannel",
    "ActorKind",
    "ApiKey",
    "ArchiveStatus",
    "Assignment",
    "Attribution",
    "Carriage",
    "CarriageRole",
    "ChangeKind",
    "ChannelKind",
    "Claim",
    "ClaimQuerySet",
    "ClaimTiming",
    "ClaimVector",
    "Correction",
    "DeliveryState",
    "ExternalReview",
    "FeedItem",
    "HistoryAction",
    "HistoryEntry",
    "ImportJob",
    "ImportJobStatus",
    "Lead",
    "LeadState",
    "Narrative",
    "NarrativeClaim",
    "Note",
    "NoteKind",
    "NotificationKind",
    "NotificationPreference",
    "OfficialPosition",
    "Outlet",
    "OutletClaim",
    "OutletFeed",
    "OutletKind",
    "PendingChange",
    "PublishedPrecision",
    "Rating",
    "ReaderVersion",
    "Report",
    "ResponderTiming",
    "Response",
    "ResponseQuerySet",
    "ReviewState",
    "SaidOn",
    "SimilarSuggestion",
    "SlugAlias",
    "Snapshot",
    "SourceArchive",
    "Stance",
    "SuggestionOutcome",
    "Tag",
    "TranslatedPart",
    "Translation",
    "TranslationQuerySet",
    "TranslationStatus",
    "TranslatorKind",
    "Verdict",
    "VerdictQuerySet",
    "VerdictState",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "mark_channels",
]
