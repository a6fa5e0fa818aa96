"""
A claim's life as events (first seen → carriages → responses → verdict → corrections),
laid out for a small server-side SVG picture with an ordered list beside it as the text.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

WIDTH = 640
MARGIN = 16
LANES = {"seen": 20, "carriage": 44, "response": 68, "verdict": 92, "correction": 92}


@dataclass
class Event:
    kind: str  # seen, carriage, response, verdict, correction
    at: datetime | None
    label: str
    anchor: str = ""
    x: float = 0.0

    @property
    def y(self) -> int:
        return LANES[self.kind]


def claim_events(claim, carriages, responses, verdict, corrections) -> list[Event]:
    events = []
    if claim.first_seen_at:
        events.append(Event("seen", claim.first_seen_at, _("First seen")))
    for carriage in carriages:
        events.append(
            Event(
                "carriage",
                carriage.report.published_at,
                f"{carriage.get_role_display()}: {carriage.report.outlet.name}",
                f"carriage-{carriage.pk}",
            )
        )
    for response in responses:
        events.append(
            Event(
                "response",
                response.responded_at,
                f"{response.responder.name} {response.get_stance_display()}",
                f"response-{response.pk}",
            )
        )
    if verdict is not None:
        events.append(
            Event(
                "verdict",
                verdict.published_at,
                _("Rated %(rating)s") % {"rating": verdict.get_rating_display()},
                "verdict",
            )
        )
        for correction in corrections:
            events.append(
                Event(
                    "correction",
                    correction.published_at,
                    _("Correction"),
                    f"correction-{correction.pk}",
                )
            )
    dated = sorted((e for e in events if e.at), key=lambda e: e.at)
    undated = [e for e in events if not e.at]
    if dated:
        start, end = dated[0].at, dated[-1].at
        span = (end - start).total_seconds() or 1.0
        for event in dated:
            offset = (event.at - start).total_seconds() / span if end > start else 0.5
            event.x = round(MARGIN + offset * (WIDTH - 2 * MARGIN), 1)
    return dated + undated
