"""
Merging a duplicate claim into the claim it duplicates: what moves, worked out before anything
does, so that the desk's confirmation page shows exactly what the approval will do.

An editor proposes the merge (`writing.propose_merge`); it waits as pending work of the claim
that stays, and a second editor approves it with that claim's other work (`writing.approve`).
Only then do the duplicate's carriages, responses, tags, subjects and history move; the
duplicate becomes a withdrawn claim pointing to the other, and its URL answers 301 to it.

Until then the proposer (or an administrator) may withdraw the proposal
(`writing.withdraw_merge`); a merge returned by the reviewer no longer blocks the duplicate:
a new proposal replaces it. Both are told in the claims' history.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from .claims import Carriage, Claim
from .history import HistoryEntry
from .responses import Response
from .review import ChangeKind, PendingChange, ReviewState


@dataclass
class MergePlan:
    duplicate: Claim
    into: Claim
    # Carriages and responses that move to `into`.
    carriages: list[Carriage] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    # The duplicate's carriages of a report `into` already carries, each with that carriage,
    # and its responses `into` already has: they stay behind with the withdrawn duplicate.
    same_carriages: list[tuple[Carriage, Carriage]] = field(default_factory=list)
    same_responses: list[tuple[Response, Response]] = field(default_factory=list)
    # Names `into` gains.
    tags: list = field(default_factory=list)
    subjects: list = field(default_factory=list)
    history_entries: int = 0
    # Why the merge cannot happen now (shown to the editor, or refusing the approval).
    problems: list[str] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return not self.problems


def open_merge(claim: Claim) -> PendingChange | None:
    """The merge of `claim` into another claim not approved yet (waiting for review, or
    returned to its proposer), if any."""
    return (
        PendingChange.objects.open()
        .of(claim)
        .filter(kind=ChangeKind.MERGED)
        .select_related("claim", "author")
        .first()
    )


def may_withdraw(change: PendingChange, user) -> bool:
    """Whoever proposed a merge may take it back, and so may an administrator."""
    return user.is_superuser or (change.author_id is not None and change.author_id == user.pk)


def merges_into(claim: Claim):
    """Merges of other claims into `claim` waiting for review."""
    return PendingChange.objects.open().filter(claim=claim, kind=ChangeKind.MERGED)


def _problems(duplicate: Claim, into: Claim, proposal: PendingChange | None) -> list[str]:
    if duplicate.pk == into.pk:
        return [gettext("A claim cannot be merged into itself.")]
    problems = []
    if duplicate.withdrawn_at is not None:
        problems.append(gettext("The duplicate is withdrawn already."))
    if into.withdrawn_at is not None:
        problems.append(gettext("The claim to keep is withdrawn: merge into a current claim."))
    if duplicate.verdicts.live().exists():
        problems.append(
            gettext(
                "The duplicate has a verdict: withdraw it, or merge the other way round, first."
            )
        )
    waiting = PendingChange.objects.open().filter(claim=duplicate)
    if waiting.exists():
        problems.append(
            gettext(
                "The duplicate has work waiting for review: approve or return it before merging."
            )
        )
    existing = open_merge(duplicate)
    # A returned merge does not count: a new proposal replaces it.
    if (
        existing is not None
        and existing.state == ReviewState.PENDING
        and (proposal is None or existing.pk != proposal.pk)
    ):
        problems.append(gettext("A merge of this claim is already waiting for review."))
    if open_merge(into) is not None:
        problems.append(
            gettext("The claim to keep is itself proposed for merging into another claim.")
        )
    return problems


def plan_merge(duplicate: Claim, into: Claim, *, proposal: PendingChange | None = None):
    """What merging `duplicate` into `into` moves, and what stops it (`proposal` is the
    merge being approved, which is not a problem of its own)."""
    from claims.duplicates import normalise_quote

    plan = MergePlan(duplicate=duplicate, into=into, problems=_problems(duplicate, into, proposal))
    if duplicate.pk == into.pk:
        return plan
    kept_carriages = {c.report_id: c for c in into.carriages.all()}
    for carriage in duplicate.carriages.select_related("report__outlet").order_by("pk"):
        same = kept_carriages.get(carriage.report_id)
        if same is not None:
            plan.same_carriages.append((carriage, same))
        else:
            plan.carriages.append(carriage)

    def key(response: Response) -> tuple:
        return (
            response.responder_id,
            response.stance,
            response.report_id,
            normalise_quote(response.quote),
        )

    kept_responses = {key(r): r for r in into.responses.current()}
    for response in duplicate.responses.select_related("responder").order_by("pk"):
        same = kept_responses.get(key(response))
        if same is not None and response.withdrawn_at is None:
            plan.same_responses.append((response, same))
        else:
            plan.responses.append(response)
    plan.tags = list(duplicate.tags.exclude(pk__in=into.tags.values("pk")))
    plan.subjects = list(duplicate.subjects.exclude(pk__in=into.subjects.values("pk")))
    plan.history_entries = HistoryEntry.objects.filter(claim=duplicate).count()
    return plan


def merge_plans(claim: Claim) -> list[MergePlan]:
    """The plans of the merges into `claim` waiting for review (the review page shows them)."""
    return [
        plan_merge(change.target(), claim, proposal=change)
        for change in merges_into(claim).order_by("pk")
        if change.target() is not None
    ]
