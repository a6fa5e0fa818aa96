"""The seed chain: what `manage.py seed` loads, and that loading it twice changes nothing."""

from io import StringIO

from django.core.management import call_command

from claims.models import (
    Actor,
    Attribution,
    Carriage,
    CarriageRole,
    Claim,
    OfficialPosition,
    Outlet,
    Rating,
    Report,
    Response,
    Stance,
    Tag,
    Verdict,
    VerdictState,
)
from claims.models.verdicts import Correction

MODELS = [Tag, Actor, Outlet, Report, Claim, Carriage, Response, Verdict, Correction]


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS
    } | {"updated": sorted(str(c.updated_at) for c in Claim.objects.all())}


def test_seed_loads_the_umerov_chain():
    call_command("seed", stdout=StringIO())
    claim = Claim.objects.get(slug="umerov-refused-to-return-to-ukraine")
    assert claim.text == "Umerov refused to return to Ukraine"
    assert claim.claimant.name == "Clash Report"
    assert {a.name for a in claim.subjects.all()} == {"Rustem Umerov", "Volodymyr Zelenskyy"}
    assert claim.official_position == OfficialPosition.DENIED

    origin = claim.origin()
    assert origin.report.outlet.name == "Clash Report"
    assert origin.role == CarriageRole.ORIGIN

    denial = claim.responses.get()
    assert denial.responder.name == "President's Office"
    assert (denial.stance, denial.attribution, denial.quote) == (
        Stance.DENIES,
        Attribution.ANONYMOUS_SOURCE,
        "It's fake",
    )
    interfax = denial.report
    assert interfax.outlet.name == "Interfax-Ukraine"
    assert (
        interfax.title
        == "President’s Office denies reports that Umerov allegedly refuses to return to Ukraine"
    )
    assert interfax.published_at.isoformat() == "2025-11-17T15:55:00+00:00"  # 17:55 Kyiv
    assert {t.name for t in interfax.tags.all()} == {"presidents_office", "umerov"}
    assert "\"It's fake,\" the agency's source said on Monday." in interfax.body
    mention = claim.carriages.get(report=interfax)
    assert mention.cites == origin

    verdict = claim.published_verdict()
    assert verdict.rating == Rating.UNPROVEN
    assert verdict.state == VerdictState.PUBLISHED
    assert verdict.author != verdict.reviewer

    umerov = Actor.objects.get(slug="rustem-umerov")
    assert umerov.role == "NSDC Secretary"
    second = Claim.objects.get(responses__responder=umerov)
    assert second.official_position == OfficialPosition.DENIED
    assert second.responses.get().responded_at.isoformat() == "2025-11-11T18:22:00+00:00"

    # The "MORE ABOUT" context reports, with their real times.
    more = Report.objects.get(
        title="Umerov arrives in Istanbul to unblock prisoner exchange processes"
    )
    assert more.published_at.isoformat() == "2025-11-11T14:46:00+00:00"
    assert Report.objects.filter(outlet=interfax.outlet).count() == 11


def test_seeding_twice_changes_nothing():
    out = StringIO()
    call_command("seed", stdout=out)
    before = snapshot()
    out = StringIO()
    call_command("seed", stdout=out)
    assert snapshot() == before
    assert "nothing changed" in out.getvalue()


def test_seeding_keeps_an_editors_later_edits():
    call_command("seed", stdout=StringIO())
    Claim.objects.filter(slug="umerov-refused-to-return-to-ukraine").update(context="Edited")
    call_command("seed", stdout=StringIO())
    assert Claim.objects.get(slug="umerov-refused-to-return-to-ukraine").context == "Edited"
