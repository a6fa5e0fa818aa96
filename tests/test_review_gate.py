"""
The review gate: nothing an editor logs is public before a second editor approves it.

For every reader surface, a chain logged by one editor is invisible to anonymous readers until
another editor approves it; after approval it appears; a later pending change does not show
until it is approved; and the author can never approve their own work by any path.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Actor,
    Carriage,
    Claim,
    Correction,
    HistoryAction,
    Outlet,
    PendingChange,
    Report,
    Response,
    ReviewState,
    Tag,
    Verdict,
    VerdictState,
    writing,
)

from .factories import create_editor, create_reviewer, create_snapshot


def log_chain(author) -> dict:
    """The editor logs a denied claim through the write path, as the desk does."""
    actor = writing.create(Actor, by=author, values={"name": "Quokka Office"}, slug="quokka")
    claimant = writing.create(Actor, by=author, values={"name": "Narwhal Poster"}, slug="narwhal")
    outlet = writing.create(Outlet, by=author, values={"name": "Wombat News"}, slug="wombat")
    tag = writing.create(Tag, by=author, values={"name": "capybara"}, slug="capybara")
    now = timezone.now()
    claim = writing.create(
        Claim,
        by=author,
        values={
            "text": "Zebrafish governor fled the country",
            "claimant": claimant,
            "first_seen_at": now - timedelta(days=2),
            "language": "en",
            "tags": [tag],
        },
        slug="zebrafish-governor",
    )
    report = writing.create(
        Report,
        by=author,
        values={"outlet": outlet, "title": "Axolotl report on the governor", "published_at": now},
        history_claim=claim,
    )
    carriage = writing.create(
        Carriage, by=author, values={"claim": claim, "report": report, "role": "origin"}
    )
    denial = writing.create(
        Response,
        by=author,
        values={
            "claim": claim,
            "responder": actor,
            "stance": "denies",
            "attribution": "spokesperson",
            "quote": "Pangolin nonsense",
            "report": report,
            "responded_at": now - timedelta(days=1),
        },
    )
    snapshot = create_snapshot(report=report)
    return {
        "claim": claim,
        "actor": actor,
        "claimant": claimant,
        "outlet": outlet,
        "tag": tag,
        "report": report,
        "carriage": carriage,
        "denial": denial,
        "snapshot": snapshot,
    }


def surfaces(chain: dict) -> dict[str, str]:
    """Every reader URL the chain could show on."""
    claim, actor, outlet, tag = chain["claim"], chain["actor"], chain["outlet"], chain["tag"]
    return {
        "home": reverse("claims:home"),
        "list": reverse("claims:claim_list"),
        "search": reverse("claims:claim_list") + "?q=zebrafish",
        "search by quote": reverse("claims:claim_list") + "?q=pangolin",
        "claim": reverse("claims:claim_detail", args=[claim.slug]),
        "actor": reverse("claims:actor_detail", args=[actor.slug]),
        "claimant": reverse("claims:actor_detail", args=[chain["claimant"].slug]),
        "outlet": reverse("claims:outlet_detail", args=[outlet.slug]),
        "tag": reverse("claims:tag_detail", args=[tag.slug]),
        "denied rss": reverse("claims:denied_rss"),
        "denied atom": reverse("claims:denied_atom"),
        "actor feed": reverse("claims:actor_denied_rss", args=[actor.slug]),
        "outlet feed": reverse("claims:outlet_denied_rss", args=[outlet.slug]),
        "tag feed": reverse("claims:tag_denied_rss", args=[tag.slug]),
        "csv": reverse("claims:claim_export_csv"),
        "json": reverse("claims:claim_export_json"),
        "archive": reverse("claims:snapshot_detail", args=[chain["snapshot"].pk]),
    }


def read(url: str) -> tuple[int, str]:
    response = Client().get(url)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    return response.status_code, body


def shows(url: str, *words: str) -> bool:
    status, body = read(url)
    return status == HTTPStatus.OK and all(word in body for word in words)


def filter_options() -> str:
    cache.clear()  # the options are cached for minutes; the test wants them now
    return read(reverse("claims:claim_list"))[1]


@pytest.fixture(autouse=True)
def _commit_callbacks_run(monkeypatch):
    """Writes drop the cached reader pages once they commit; a test's transaction never
    commits, so run those callbacks at once: every read sees what a reader would see."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())


@pytest.fixture
def people():
    return {
        "author": create_editor(username="author"),
        "reviewer": create_reviewer(username="reviewer"),
        "author_reviewer": create_reviewer(username="author-reviewer"),
    }


def test_a_logged_chain_is_invisible_until_a_second_editor_approves_it(people):
    chain = log_chain(people["author"])
    urls = surfaces(chain)
    for name, url in urls.items():
        status, body = read(url)
        assert "Zebrafish" not in body, name
        assert "Pangolin" not in body, name
        if name in {"claim", "archive"}:
            assert status == HTTPStatus.NOT_FOUND, name
    options = filter_options()
    for name in ("Quokka Office", "Wombat News", "capybara", "Narwhal Poster"):
        assert name not in options
    methodology = read(reverse("claims:methodology"))[1]
    assert "0 published claims" in methodology
    claim = Claim.objects.get(pk=chain["claim"].pk)
    assert claim.official_position == "no_response"  # derived from approved rows only

    writing.approve(chain["claim"], by=people["reviewer"])

    for name, url in urls.items():
        if name in {"search by quote"}:
            assert shows(url, "Zebrafish"), name
        elif name in {"archive"}:
            assert read(url)[0] == HTTPStatus.OK
        elif name in {"csv", "json"}:
            assert shows(url, "Zebrafish governor"), name
        else:
            assert shows(url, "Zebrafish"), name
    options = filter_options()
    for name in ("Quokka Office", "Wombat News", "capybara"):
        assert name in options
    assert "1 published claim," in read(reverse("claims:methodology"))[1]
    claim.refresh_from_db()
    assert claim.official_position == "denied"
    # Officially denied, not yet rated: public before any verdict.
    assert "Officially denied · not yet rated" in read(urls["claim"])[1]


def test_later_changes_to_a_public_chain_wait_for_approval(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    writing.approve(chain["claim"], by=reviewer)
    claim, denial = chain["claim"], chain["denial"]
    urls = surfaces(chain)

    writing.save_edit(
        claim,
        by=author,
        version=writing.desk_version(claim),
        values={"text": "Zebrafish governor fled to Sloth Island"},
    )
    writing.save_edit(
        denial,
        by=author,
        version=writing.desk_version(denial),
        values={"quote": "Marmoset lies"},
    )
    other = Report.objects.create(outlet=chain["outlet"], title="Okapi follow-up")
    writing.create(Carriage, by=author, values={"claim": claim, "report": other})
    writing.create(
        Response,
        by=author,
        values={
            "claim": claim,
            "responder": chain["actor"],
            "stance": "confirms",
            "attribution": "named_official",
            "speaker_name": "Ibex",
            "quote": "Tapir truth",
        },
    )
    # The rows readers read are untouched; the desk sees the pending values.
    assert Claim.objects.get(pk=claim.pk).text == "Zebrafish governor fled the country"
    assert Response.objects.get(pk=denial.pk).quote == "Pangolin nonsense"
    assert writing.with_pending(Claim.objects.get(pk=claim.pk)).text.endswith("Sloth Island")
    for name, url in urls.items():
        body = read(url)[1]
        for word in ("Sloth", "Marmoset", "Okapi", "Tapir"):
            assert word not in body, (name, word)
    assert not shows(reverse("claims:claim_list") + "?q=marmoset", "Zebrafish")
    assert Claim.objects.get(pk=claim.pk).official_position == "denied"

    writing.approve(claim, by=reviewer)

    page = read(urls["claim"])[1]
    for word in ("Sloth Island", "Marmoset", "Okapi", "Tapir"):
        assert word in page, word
    assert "Pangolin" not in page
    assert shows(reverse("claims:claim_list") + "?q=marmoset", "Sloth")
    assert Claim.objects.get(pk=claim.pk).official_position == "mixed"


def test_a_withdrawal_of_a_public_row_waits_too_and_then_leaves_a_notice(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    writing.approve(claim, by=reviewer)
    writing.withdraw(
        chain["denial"], by=author, version=writing.desk_version(chain["denial"]), reason="Wrong"
    )
    assert shows(reverse("claims:denied_rss"), "Pangolin")
    writing.approve(claim, by=reviewer)
    assert not shows(reverse("claims:denied_rss"), "Pangolin")

    original = writing.create(Claim, by=author, values={"text": "Original claim"}, slug="orig")
    writing.approve(original, by=reviewer)
    writing.withdraw(
        Claim.objects.get(pk=claim.pk),
        by=author,
        version=writing.desk_version(claim),
        reason="A duplicate",
        duplicate_of=original,
    )
    assert shows(reverse("claims:claim_detail", args=[claim.slug]), "Official position")
    writing.approve(claim, by=reviewer)
    status, page = read(reverse("claims:claim_detail", args=[claim.slug]))
    assert status == HTTPStatus.OK
    assert "We withdrew this claim" in page and "A duplicate" in page
    assert reverse("claims:claim_detail", args=[original.slug]) in page
    assert not shows(reverse("claims:claim_list"), "Zebrafish")
    feed = read(reverse("claims:verdicts_rss"))[1]
    assert "Withdrawn (the claim): Zebrafish" in feed
    assert "A duplicate" in feed


@pytest.fixture
def pending_claim(people):
    chain = log_chain(people["author_reviewer"])
    return chain["claim"]


def test_the_author_cannot_approve_through_the_write_path(people, pending_claim):
    with pytest.raises(writing.ReviewRefused):
        writing.approve(pending_claim, by=people["author_reviewer"])
    with pytest.raises(writing.ReviewRefused):
        writing.return_work(pending_claim, by=people["author_reviewer"], note="Mine")
    with pytest.raises(writing.ReviewError):
        writing.approve(pending_claim, by=None)  # a system approval must say so
    assert not Claim.objects.public().filter(pk=pending_claim.pk).exists()


def test_an_editor_who_touched_the_chain_cannot_approve_it(people, pending_claim):
    reviewer = people["reviewer"]
    writing.save_edit(
        pending_claim,
        by=reviewer,
        version=writing.desk_version(pending_claim),
        values={"context": "Added by the reviewer"},
    )
    with pytest.raises(writing.ReviewRefused):
        writing.approve(pending_claim, by=reviewer)
    writing.approve(pending_claim, by=create_reviewer(username="third"))
    assert Claim.objects.public().filter(pk=pending_claim.pk).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_the_author_cannot_approve_on_the_desk(client, people, pending_claim, htmx):
    client.force_login(people["author_reviewer"])
    headers = {"HX-Request": "true"} if htmx else {}
    queue = client.get(reverse("desk:review_queue"), headers=headers).content.decode()
    assert "another editor reviews it" in queue
    crafted = {"fingerprint": writing.claim_fingerprint(pending_claim)}
    for name in ("review_approve", "review_return"):
        response = client.post(
            reverse(f"desk:{name}", args=[pending_claim.slug]),
            {**crafted, "note": "ok"},
            headers=headers,
        )
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Claim.objects.public().filter(pk=pending_claim.pk).exists()
    assert PendingChange.objects.filter(claim=pending_claim, state=ReviewState.PENDING).exists()


def test_the_author_cannot_approve_in_the_admin(client, people, pending_claim):
    author = people["author_reviewer"]
    author.is_superuser = True
    author.save()
    client.force_login(author)
    url = reverse("admin:claims_claim_change", args=[pending_claim.pk])
    response = client.post(url, {"text": "Approved by me", "approved_at_0": "2025-01-01"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert client.post(reverse("admin:claims_pendingchange_changelist"), {}).status_code in {
        HTTPStatus.OK,
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
    }
    for model in ("claim", "carriage", "response", "report", "verdict", "pendingchange"):
        add = client.get(reverse(f"admin:claims_{model}_add"))
        assert add.status_code == HTTPStatus.FORBIDDEN, model
    assert not Claim.objects.public().filter(pk=pending_claim.pk).exists()


def test_the_author_cannot_approve_by_management_command(people, pending_claim):
    with pytest.raises(CommandError, match="second editor"):
        call_command("approve_claim", pending_claim.slug, reviewer="author-reviewer")
    assert not Claim.objects.public().filter(pk=pending_claim.pk).exists()
    call_command("approve_claim", pending_claim.slug, reviewer="reviewer")
    assert Claim.objects.public().filter(pk=pending_claim.pk).exists()


def test_the_database_refuses_a_reviewer_who_is_the_author(people, pending_claim):
    change = PendingChange.objects.filter(claim=pending_claim).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingChange.objects.filter(pk=change.pk).update(
            state=ReviewState.APPROVED, reviewer=change.author, reviewed_at=timezone.now()
        )


def test_approval_refuses_work_that_changed_after_the_reviewer_looked(client, people):
    chain = log_chain(people["author"])
    claim = chain["claim"]
    seen = writing.claim_fingerprint(claim)
    writing.save_edit(
        claim, by=people["author"], version=writing.desk_version(claim), values={"context": "x"}
    )
    client.force_login(people["reviewer"])
    response = client.post(reverse("desk:review_approve", args=[claim.slug]), {"fingerprint": seen})
    assert response.status_code == HTTPStatus.CONFLICT
    assert "changed after you opened it" in response.content.decode()
    assert not Claim.objects.public().filter(pk=claim.pk).exists()


def test_the_queue_approves_in_one_click_and_return_reaches_the_author(client, people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    client.force_login(reviewer)
    page = client.get(reverse("desk:review_claim", args=[claim.slug])).content.decode()
    assert "What readers will see" in page and "Pangolin nonsense" in page
    response = client.post(
        reverse("desk:review_return", args=[claim.slug]),
        {"fingerprint": writing.claim_fingerprint(claim), "note": "Which spokesperson?"},
    )
    assert response.status_code == HTTPStatus.FOUND
    author_client = Client()
    author_client.force_login(author)
    dashboard = author_client.get(reverse("desk:dashboard")).content.decode()
    assert "Which spokesperson?" in dashboard
    assert claim.text in dashboard
    # The author answers; the claim is back in the queue; one click approves it.
    writing.save_edit(
        denial := chain["denial"],
        by=author,
        version=writing.desk_version(denial),
        values={"speaker_name": "Ibex"},
    )
    queue = client.get(reverse("desk:review_queue")).content.decode()
    assert claim.text in queue
    response = client.post(
        reverse("desk:review_approve", args=[claim.slug]),
        {"fingerprint": writing.claim_fingerprint(claim)},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Claim.objects.public().filter(pk=claim.pk).exists()
    assert claim.text not in client.get(reverse("desk:review_queue")).content.decode()
    actions = list(claim.history.values_list("action", flat=True))
    assert HistoryAction.RETURNED_FOR_WORK in actions and HistoryAction.APPROVED in actions


def test_the_desk_shows_public_and_pending_side_by_side(client, people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    writing.approve(chain["claim"], by=reviewer)
    client.force_login(author)
    url = reverse("desk:response_edit", args=[chain["denial"].pk])
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    data = {
        "responder": "Quokka Office",
        "stance": "denies",
        "attribution": "spokesperson",
        "quote": "Marmoset lies",
        "responded_at": "2025-11-17T17:55",
        "version": 1,
    }
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert "Marmoset lies" in client.get(url).content.decode()  # the form shows the pending
    # A second editor still holding version 1 gets a conflict, not a silent overwrite.
    other = Client()
    other.force_login(create_editor(username="second"))
    assert other.post(url, {**data, "quote": "Other"}).status_code == HTTPStatus.CONFLICT
    page = client.get(reverse("desk:claim_edit", args=[chain["claim"].slug])).content.decode()
    assert "Waiting for review" in page
    assert "Pangolin nonsense" in page and "Marmoset lies" in page


def test_a_verdict_waits_for_the_chain_and_corrections_wait_for_review(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    verdict = writing.create(
        Verdict,
        by=author,
        values={"claim": claim, "author": author, "rating": "false", "summary": "Emu summary"},
    )
    verdict.submit(by=author)
    with pytest.raises(Exception, match="not public yet"):
        verdict.publish(by=reviewer)
    writing.approve(claim, by=reviewer)
    verdict.refresh_from_db()
    verdict.publish(by=reviewer)
    page_url = reverse("claims:claim_detail", args=[claim.slug])
    assert "dateModified" not in read(page_url)[1]

    correction = verdict.correct(by=author, text="The governor was in Lviv", rating="unproven")
    assert "in Lviv" not in read(page_url)[1]
    assert "in Lviv" not in read(reverse("claims:verdicts_rss"))[1]
    assert not Correction.objects.public().exists()
    assert Claim.objects.awaiting_review().filter(pk=claim.pk).exists()
    with pytest.raises(writing.ReviewRefused):
        writing.approve(claim, by=author)
    writing.approve(claim, by=reviewer)

    correction.refresh_from_db()
    assert correction.previous_rating == "false"
    page = read(page_url)[1]
    assert "in Lviv" in page
    assert "(superseded)" in page and "<s>False</s>" in page
    assert '"dateModified"' in page
    assert "Unproven" in page
    feed = read(reverse("claims:verdicts_rss"))[1]
    assert "Correction: Zebrafish" in feed and "Rating changed from False to Unproven" in feed
    assert Claim.objects.get(pk=claim.pk).published_rating == "unproven"


def test_withdrawing_a_published_verdict_leaves_a_notice_and_a_feed_entry(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    writing.approve(claim, by=reviewer)
    verdict = writing.create(
        Verdict, by=author, values={"claim": claim, "author": author, "rating": "false"}
    )
    verdict.submit(by=author)
    verdict.publish(by=reviewer)
    verdict.withdraw(by=reviewer, reason="We rated the wrong statement")
    assert verdict.state == VerdictState.WITHDRAWN
    page = read(reverse("claims:claim_detail", args=[claim.slug]))[1]
    assert "We rated the wrong statement" in page and "Withdrawn" in page
    feed = read(reverse("claims:verdicts_rss"))[1]
    assert "Withdrawn (the rating False): Zebrafish" in feed


def test_track_records_count_what_outlets_spread(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    relay = Outlet.objects.create(name="Relay Agency", slug="relay")
    report = Report.objects.create(outlet=relay, title="Office denies the governor story")
    writing.create(
        Carriage,
        by=author,
        values={"claim": chain["claim"], "report": report, "role": "mention"},
    )
    # A wire that only carried the office's denial (no carriage), and one that repeated it.
    wire = Outlet.objects.create(name="Denial Wire", slug="wire")
    wire_report = Report.objects.create(outlet=wire, title="Office: the story is fake")
    writing.create(
        Response,
        by=author,
        values={
            "claim": chain["claim"],
            "responder": chain["actor"],
            "stance": "denies",
            "attribution": "official_statement",
            "quote": "Fake",
            "report": wire_report,
        },
    )
    echo = Outlet.objects.create(name="Echo Channel", slug="echo")
    writing.create(
        Carriage,
        by=author,
        values={
            "claim": chain["claim"],
            "report": Report.objects.create(outlet=echo, title="The governor fled"),
            "role": "repeat",
        },
    )
    writing.approve(chain["claim"], by=reviewer)
    spreader = read(reverse("claims:outlet_detail", args=["wombat"]))[1]
    relayer = read(reverse("claims:outlet_detail", args=["relay"]))[1]
    assert Claim.objects.spread_by(chain["outlet"]).track_record()["denied"] == 1
    assert Claim.objects.spread_by(relay).track_record()["claims"] == 0
    assert Claim.objects.spread_by(wire).track_record()["claims"] == 0
    assert Claim.objects.spread_by(echo).track_record() == {
        "claims": 1,
        "denied": 1,
        "false_or_misleading": 0,
    }
    assert "Zebrafish" in spreader and "Zebrafish" in relayer  # listed on both
    for slug, spread in (("wombat", 1), ("relay", 0), ("wire", 0), ("echo", 1)):
        body = read(reverse("claims:outlet_detail", args=[slug]))[1]
        assert f'<dd id="record-claims">{spread}</dd>' in body, slug
        assert f'<dd id="record-denied">{spread}</dd>' in body, slug
    page = read(reverse("claims:claim_detail", args=[chain["claim"].slug]))[1]
    assert "spread the claim" in page and "only reported on it" in page


def test_unknown_names_are_refused_or_created_and_said(people):
    with pytest.raises(writing.UnknownName):
        writing.resolve_actor("Nobody Yet", by=people["author"])
    actor, created = writing.resolve_actor("Nobody Yet", by=people["author"], create=True)
    assert created and actor.name == "Nobody Yet"
    again, created = writing.resolve_actor("nobody yet", by=people["author"], create=True)
    assert again == actor and not created


def test_a_returned_correction_is_kept_shown_to_its_author_and_resubmittable(client, people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    writing.approve(claim, by=reviewer)
    verdict = writing.create(
        Verdict, by=author, values={"claim": claim, "author": author, "rating": "false"}
    )
    verdict.submit(by=author)
    verdict.publish(by=reviewer)
    correction = verdict.correct(by=author, text="The governor was in Lviv", rating="unproven")

    writing.return_work(claim, by=reviewer, note="Cite the Lviv source")

    correction.refresh_from_db()  # kept, not deleted, returned like any change
    assert correction.approved_at is None
    assert Correction.objects.returned().get() == correction
    change = PendingChange.objects.of(correction).get()
    assert change.state == ReviewState.RETURNED and change.reviewer == reviewer
    assert change.review_note == "Cite the Lviv source" and change.author == author
    assert not Correction.objects.pending().exists()
    assert not Claim.objects.awaiting_review().filter(pk=claim.pk).exists()
    assert "in Lviv" not in read(reverse("claims:claim_detail", args=[claim.slug]))[1]
    client.force_login(author)
    dashboard = client.get(reverse("desk:dashboard")).content.decode()
    assert "Cite the Lviv source" in dashboard and "correction returned by reviewer" in dashboard
    edit = client.get(reverse("desk:claim_edit", args=[claim.slug])).content.decode()
    assert "Cite the Lviv source" in edit and "The governor was in Lviv" in edit

    response = client.post(reverse("desk:review_resubmit", args=[claim.slug]))
    assert response.status_code == HTTPStatus.FOUND
    assert Correction.objects.pending().filter(pk=correction.pk).exists()
    assert Claim.objects.awaiting_review().filter(pk=claim.pk).exists()
    writing.approve(claim, by=reviewer)
    assert "in Lviv" in read(reverse("claims:claim_detail", args=[claim.slug]))[1]
    assert Claim.objects.get(pk=claim.pk).published_rating == "unproven"


def test_names_only_a_pending_chain_uses_are_not_found_until_it_is_approved(people):
    chain = log_chain(people["author"])
    names = {
        "actor": (chain["actor"], "actors"),
        "claimant": (chain["claimant"], "actors"),
        "outlet": (chain["outlet"], "outlets"),
        "tag": (chain["tag"], "tags"),
    }
    pages = {
        name: url
        for name, url in surfaces(chain).items()
        if name in {"actor", "claimant", "outlet", "tag", "actor feed", "outlet feed", "tag feed"}
    }
    pages["actor atom"] = reverse("claims:actor_denied_atom", args=[chain["actor"].slug])
    pages["outlet atom"] = reverse("claims:outlet_denied_atom", args=[chain["outlet"].slug])
    pages["tag atom"] = reverse("claims:tag_denied_atom", args=[chain["tag"].slug])
    api = {name: f"/api/v1/{kind}/{row.pk}" for name, (row, kind) in names.items()}
    lists = {kind: f"/api/v1/{kind}?page_size=100" for _, kind in names.values()}

    for name, url in {**pages, **api}.items():
        assert read(url)[0] == HTTPStatus.NOT_FOUND, name
    for kind, url in lists.items():
        listed = {item["name"] for item in Client().get(url).json()["items"]}
        assert not listed & {"Quokka Office", "Narwhal Poster", "Wombat News", "capybara"}, kind
    options = filter_options()
    assert "Wombat News" not in options and "capybara" not in options
    for url in (reverse("claims:claim_export_csv"), reverse("claims:claim_export_json")):
        assert "Quokka" not in read(url)[1] and "Wombat" not in read(url)[1]
    # A name no chain uses yet is reference data, as before.
    spare = writing.create(Tag, by=people["author"], values={"name": "spare"}, slug="spare")
    assert read(reverse("claims:tag_detail", args=[spare.slug]))[0] == HTTPStatus.OK

    writing.approve(chain["claim"], by=people["reviewer"])

    for name, url in {**pages, **api}.items():
        assert read(url)[0] == HTTPStatus.OK, name
    listed = set()
    for url in lists.values():
        listed |= {item["name"] for item in Client().get(url).json()["items"]}
    assert {"Quokka Office", "Narwhal Poster", "Wombat News", "capybara"} <= listed
    assert "Wombat News" in filter_options()


def test_every_feed_and_the_json_ld_follow_the_gate(people):
    author, reviewer = people["author"], people["reviewer"]
    chain = log_chain(author)
    claim = chain["claim"]
    slugs = {kind: chain[kind].slug for kind in ("actor", "outlet", "tag")}
    feeds = [reverse(f"claims:denied_{kind}") for kind in ("rss", "atom")]
    feeds += [reverse(f"claims:verdicts_{kind}") for kind in ("rss", "atom")]
    feeds += [
        reverse(f"claims:{scope}_denied_{kind}", args=[slug])
        for scope, slug in slugs.items()
        for kind in ("rss", "atom")
    ]
    page = reverse("claims:claim_detail", args=[claim.slug])
    for url in feeds:
        assert "Zebrafish" not in read(url)[1], url

    writing.approve(claim, by=reviewer)
    verdict = writing.create(
        Verdict, by=author, values={"claim": claim, "author": author, "rating": "false"}
    )
    verdict.submit(by=author)
    for url in feeds[2:4]:
        assert "Zebrafish" not in read(url)[1], url  # a verdict in review is not news yet
    verdict.publish(by=reviewer)
    for url in feeds:
        assert shows(url, "Zebrafish"), url
    assert '"ClaimReview"' in read(page)[1] and '"dateModified"' not in read(page)[1]

    # Later changes wait: an edited claim text and a correction are in no feed, nor JSON-LD.
    writing.save_edit(
        Claim.objects.get(pk=claim.pk),
        by=author,
        version=writing.desk_version(claim),
        values={"text": "Zebrafish governor fled to Sloth Island"},
    )
    verdict.correct(by=author, text="The governor was in Lviv")
    for url in [*feeds, page]:
        body = read(url)[1]
        assert "Sloth" not in body and "in Lviv" not in body, url
    assert '"dateModified"' not in read(page)[1]

    writing.approve(claim, by=reviewer)
    for url in feeds:
        assert shows(url, "Sloth Island"), url
    assert shows(reverse("claims:verdicts_rss"), "in Lviv")
    assert '"dateModified"' in read(page)[1]
