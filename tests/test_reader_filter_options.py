"""The claim list's filter options: what they offer."""

from claims import filters
from tests.factories import (
    create_actor,
    create_claim,
    create_outlet,
    create_report,
    create_response,
    create_tag,
)


def test_options_rank_actors_and_outlets_by_activity_then_name(monkeypatch):
    monkeypatch.setattr(filters, "MAX_CHOICES", 2)
    busy, delta, bravo, charlie = (
        create_actor(name=name, slug=name.lower()) for name in ("Busy", "Delta", "Bravo", "Charlie")
    )
    create_claim(claimant=busy, language="uk")
    create_response(responder=busy, claim=create_claim(language="en"))
    for actor in (delta, bravo, charlie):  # one claim each: tied, so the first by name wins
        create_claim(claimant=actor, language="")
    big, small = create_outlet(name="Big", slug="big"), create_outlet(name="Small", slug="small")
    for _ in range(3):
        create_report(outlet=big)
    create_report(outlet=small)
    create_report(outlet=create_outlet(name="Aardvark", slug="aardvark"))
    create_tag(name="war", slug="war")

    choices = filters._compute_choices()

    assert choices["actors"] == [("bravo", "Bravo"), ("busy", "Busy")]
    assert choices["outlets"] == [("aardvark", "Aardvark"), ("big", "Big")]
    assert choices["tags"] == [("war", "war")]
    assert choices["languages"] == ["en", "uk"]
