"""
The newsroom's vocabulary as models (see DESIGN.md).

Outlets publish Reports; a Claim is carried by Reports (Carriage); Actors respond to it
(Response); editors rate it (Verdict) and correct published verdicts (Correction). Nothing is
public before a second editor approves it (PendingChange; the write path is models/writing.py).
"""

from .claims import Carriage, CarriageRole, Claim, ClaimQuerySet, OfficialPosition
from .history import HistoryAction, HistoryEntry
from .importing import FeedItem, ImportJob, ImportJobStatus, Lead, LeadState, OutletFeed
from .partners import ApiKey, DeliveryState, Webhook, WebhookDelivery, WebhookEvent
from .reader_versions import ReaderVersion
from .responses import Attribution, Response, ResponseQuerySet, Stance
from .review import ChangeKind, PendingChange, ReviewState
from .similarity import ClaimVector, SimilarSuggestion, SuggestionOutcome
from .sources import (
    Actor,
    ActorChannel,
    ActorKind,
    ChannelKind,
    Outlet,
    OutletKind,
    Report,
    SlugAlias,
    Snapshot,
    Tag,
    mark_channels,
)
from .verdicts import Correction, Rating, Verdict, VerdictQuerySet, VerdictState

__all__ = [
    "Actor",
    "ActorChannel",
    "ActorKind",
    "ApiKey",
    "Attribution",
    "Carriage",
    "CarriageRole",
    "ChangeKind",
    "ChannelKind",
    "Claim",
    "ClaimQuerySet",
    "ClaimVector",
    "Correction",
    "DeliveryState",
    "FeedItem",
    "HistoryAction",
    "HistoryEntry",
    "ImportJob",
    "ImportJobStatus",
    "Lead",
    "LeadState",
    "OfficialPosition",
    "Outlet",
    "OutletFeed",
    "OutletKind",
    "PendingChange",
    "Rating",
    "ReaderVersion",
    "Report",
    "Response",
    "ResponseQuerySet",
    "ReviewState",
    "SimilarSuggestion",
    "SlugAlias",
    "Snapshot",
    "Stance",
    "SuggestionOutcome",
    "Tag",
    "Verdict",
    "VerdictQuerySet",
    "VerdictState",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "mark_channels",
]
