"""The read API: every endpoint's answer against its OpenAPI schema, approved data only,
filters, cursors, ids, errors as problem details, caching and conditional GET."""

import base64
from datetime import timedelta
from http import HTTPStatus

import jsonschema
import pytest
from django.core.cache import cache
from django.utils import timezone

from claims.models import Stance
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_correction,
    create_denied_chain,
    create_response,
    create_tag,
)

API = "/api/v1"


@pytest.fixture
def openapi(client):
    answer = client.get(f"{API}/openapi.json")
    assert answer.status_code == HTTPStatus.OK
    return answer.json()


def validate(openapi: dict, path: str, answer, *, method: str = "get") -> dict:
    """Check an answer's body against the schema the OpenAPI document gives its status."""
    operation = openapi["paths"][f"{API}{path}"][method]
    documented = operation["responses"][str(answer.status_code)]
    (content_type, media) = next(iter(documented["content"].items()))
    assert answer["Content-Type"].split(";")[0] == content_type
    schema = {**media["schema"], "components": openapi["components"]}
    body = answer.json()
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(body)
    return body


@pytest.fixture
def chain():
    chain = create_denied_chain()
    create_correction(verdict=chain["verdict"], text="We corrected the date of the post.")
    return chain


def test_every_endpoint_matches_its_schema(client, openapi, chain):
    claim, office, agency = chain["claim"], chain["office"], chain["agency"]
    reads = {
        "/claims": "/claims",
        "/claims/{id}": f"/claims/{claim.pk}",
        "/denials": "/denials",
        "/denials/{id}": f"/denials/{chain['denial'].pk}",
        "/verdicts": "/verdicts",
        "/verdicts/{id}": f"/verdicts/{chain['verdict'].pk}",
        "/actors": "/actors",
        "/actors/{id}": f"/actors/{office.pk}",
        "/outlets": "/outlets",
        "/outlets/{id}": f"/outlets/{agency.pk}",
        "/tags": "/tags",
        "/tags/{id}": f"/tags/{chain['tag'].pk}",
    }
    for template, path in reads.items():
        answer = client.get(API + path)
        assert answer.status_code == HTTPStatus.OK, path
        validate(openapi, template, answer)


def test_claim_detail_carries_the_whole_approved_chain(client, chain):
    body = client.get(f"{API}/claims/{chain['claim'].pk}").json()
    assert body["text"] == "Umerov refused to return to Ukraine"
    assert body["official_position"] == "denied"
    assert body["rating"] == "unproven"
    assert body["claimant"]["name"] == "Clash Report"
    assert [s["name"] for s in body["subjects"]] == ["Rustem Umerov"]
    assert {c["role"] for c in body["carriages"]} == {"origin", "mention"}
    assert {c["report"]["outlet"]["name"] for c in body["carriages"]} == {
        "Clash Report",
        "Interfax-Ukraine",
    }
    [response] = body["responses"]
    assert response["stance"] == "denies"
    assert response["attribution"] == "anonymous_source"
    assert response["quote"] == "It's fake"
    assert response["report"]["outlet"]["name"] == "Interfax-Ukraine"
    assert body["verdict"]["rating_value"] == 4
    assert [c["text"] for c in body["verdict"]["corrections"]] == [
        "We corrected the date of the post."
    ]
    assert body["url"].endswith(f"/claims/{chain['claim'].slug}/")


def test_upstream_citation_is_given_by_id(client, chain):
    chain["repeat"].cites = chain["origin"]
    chain["repeat"].save()
    body = client.get(f"{API}/claims/{chain['claim'].pk}").json()
    cites = {c["id"]: c["cites"] for c in body["carriages"]}
    assert cites[chain["repeat"].pk] == chain["origin"].pk


def test_withdrawn_rows_never_appear(client, chain):
    now = timezone.now()
    hidden = create_claim(text="A withdrawn claim", withdrawn_at=now, withdrawn_reason="dup")
    withdrawn_denial = create_response(
        claim=chain["claim"], quote="Withdrawn quote", withdrawn_at=now, withdrawn_reason="wrong"
    )
    create_carriage(claim=chain["claim"], withdrawn_at=now, withdrawn_reason="wrong")
    on_hidden = create_response(claim=hidden)

    listed = client.get(f"{API}/claims").json()["items"]
    assert hidden.pk not in [c["id"] for c in listed]
    assert client.get(f"{API}/claims/{hidden.pk}").status_code == HTTPStatus.NOT_FOUND
    detail = client.get(f"{API}/claims/{chain['claim'].pk}").json()
    assert withdrawn_denial.pk not in [r["id"] for r in detail["responses"]]
    assert len(detail["carriages"]) == 2
    denials = [d["id"] for d in client.get(f"{API}/denials").json()["items"]]
    assert withdrawn_denial.pk not in denials and on_hidden.pk not in denials
    for pk in (withdrawn_denial.pk, on_hidden.pk):
        assert client.get(f"{API}/denials/{pk}").status_code == HTTPStatus.NOT_FOUND


def test_draft_and_withdrawn_verdicts_never_appear(client, chain):
    verdict = chain["verdict"]
    verdict.state = "withdrawn"
    verdict.withdrawn_reason = "Wrong rating"
    verdict.withdrawn_at = timezone.now()
    verdict.save()
    from tests.factories import create_verdict

    draft = create_verdict(claim=create_claim(), rating="false")
    assert client.get(f"{API}/verdicts").json()["items"] == []
    for pk in (verdict.pk, draft.pk):
        assert client.get(f"{API}/verdicts/{pk}").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{API}/claims/{chain['claim'].pk}").json()["verdict"] is None


def test_verdicts_of_withdrawn_claims_never_appear(client, chain):
    claim = chain["claim"]
    claim.withdrawn_at, claim.withdrawn_reason = timezone.now(), "duplicate"
    claim.save()
    assert client.get(f"{API}/verdicts").json()["items"] == []
    assert client.get(f"{API}/denials").json()["items"] == []


FILTER_CASES = [
    ("position=denied", True),
    ("position=confirmed", False),
    ("rating=unproven", True),
    ("rating=false", False),
    ("stance=denies", True),
    ("stance=confirms", False),
    ("attribution=anonymous_source", True),
    ("attribution=spokesperson", False),
    ("actor=rustem-umerov", True),
    ("tag=umerov", True),
    ("outlet=interfax-ukraine", True),
    ("language=en", True),
    ("language=uk", False),
    ("max_age_days=7", True),
    ("max_age_days=1", False),
    ("query=Umerov", True),
    ("query=Zelenskyy", False),
]


def test_claim_filters(client, chain):
    # One chain for every case: building it is the slow part.
    slugs = {"umerov": "rustem-umerov", "agency": "interfax-ukraine", "tag": "umerov"}
    for row, slug in slugs.items():
        chain[row].slug = slug
        chain[row].save()
    other = create_claim(text="Another claim entirely", language="de")
    for query, found in FILTER_CASES:
        answer = client.get(f"{API}/claims?{query}")
        assert answer.status_code == HTTPStatus.OK, query
        ids = [c["id"] for c in answer.json()["items"]]
        assert (chain["claim"].pk in ids) is found, query
        if not query.startswith("max_age"):
            assert other.pk not in ids, query


def test_outlet_filter_takes_a_publisher_domain(client, chain):
    chain["agency"].homepage = "https://interfax.com.ua/"
    chain["agency"].save()
    ids = [c["id"] for c in client.get(f"{API}/claims?outlet=interfax.com.ua").json()["items"]]
    assert ids == [chain["claim"].pk]


def test_updated_since_sees_a_new_response(client, chain):
    later = timezone.now() + timedelta(minutes=1)
    stamp = later.isoformat().replace("+00:00", "Z")
    assert client.get(f"{API}/claims", {"updated_since": stamp}).json()["items"] == []
    response = create_response(claim=chain["claim"], stance=Stance.CONFIRMS)
    # The response is dated after the stamp: the claim counts as changed.
    type(response).objects.filter(pk=response.pk).update(updated_at=later + timedelta(seconds=1))
    cache.clear()  # factories write without the desk's cache invalidation
    ids = [c["id"] for c in client.get(f"{API}/claims", {"updated_since": stamp}).json()["items"]]
    assert ids == [chain["claim"].pk]


def test_denial_filters(client, chain):
    other = create_response(stance=Stance.DENIES, responder=create_actor(name="Ministry"))
    by_office = client.get(f"{API}/denials?actor={chain['office'].slug}").json()["items"]
    assert [d["id"] for d in by_office] == [chain["denial"].pk]
    assert by_office[0]["claim"]["id"] == chain["claim"].pk
    everything = [d["id"] for d in client.get(f"{API}/denials").json()["items"]]
    assert everything == [other.pk, chain["denial"].pk]  # newest first
    tagged = client.get(f"{API}/denials?tag={chain['tag'].slug}").json()["items"]
    assert [d["id"] for d in tagged] == [chain["denial"].pk]


def test_outlet_has_its_track_record(client, chain):
    body = client.get(f"{API}/outlets/{chain['origin_outlet'].pk}").json()
    assert body["track_record"] == {"claims": 1, "denied": 1, "false_or_misleading": 0}


@pytest.mark.parametrize(
    "path",
    [
        "/claims/123456789012345678901",  # 21 digits
        "/claims/99999999999999999999",  # 20 digits
        "/claims/0",
        "/claims/-3",
        "/claims/abc",
        "/actors/99999999999999999999",
    ],
)
def test_ids_out_of_range_are_client_errors(client, openapi, path):
    answer = client.get(API + path)
    assert answer.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == answer.status_code


def test_missing_rows_are_404_problems(client, openapi):
    answer = client.get(f"{API}/claims/987654")
    assert answer.status_code == HTTPStatus.NOT_FOUND
    body = validate(openapi, "/claims/{id}", answer)
    assert body["title"] == "Not Found"


@pytest.mark.parametrize(
    "query",
    [
        "page_size=0",
        "page_size=101",
        "position=lying",
        "max_age_days=-1",
        "updated_since=yesterday",
        "language=%00",
    ],
)
def test_bad_parameters_are_422_problems(client, openapi, query):
    answer = client.get(f"{API}/claims?{query}")
    assert answer.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = validate(openapi, "/claims", answer)
    assert body["errors"] and "location" in body["errors"][0]


@pytest.mark.parametrize("query", ["actor=nobody", "tag=nothing", "outlet=no.such.site"])
def test_unknown_names_are_400_problems(client, openapi, query):
    answer = client.get(f"{API}/claims?{query}")
    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert "No " in validate(openapi, "/claims", answer)["detail"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.urlsafe_b64encode(b'["denials-newest", null, 5]').decode(),
        base64.urlsafe_b64encode(b'["claims-newest", null, 99999999999999999999999]').decode(),
        base64.urlsafe_b64encode(b'["claims-newest", [1], 5]').decode(),
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        base64.urlsafe_b64encode(b'["claims-newest", "yesterday", 5]').decode(),
        base64.urlsafe_b64encode(b'["claims-newest", {"t": "2025-01-01T00:00"}, 5]').decode(),
        base64.urlsafe_b64encode(b'["claims-newest", {"t": "2025-99-01T00:00Z"}, 5]').decode(),
        base64.urlsafe_b64encode(b'["claims-newest", null, true]').decode(),
    ],
)
def test_foreign_or_forged_cursors_are_400_problems(client, cursor):
    answer = client.get(f"{API}/claims", {"cursor": cursor})
    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert answer["Content-Type"] == "application/problem+json"


def test_unknown_paths_under_the_api_are_problems(client):
    for path in ("/api/v1/nothing", "/api/v2/claims", "/api/"):
        answer = client.get(path)
        assert answer.status_code == HTTPStatus.NOT_FOUND
        assert answer["Content-Type"] == "application/problem+json"


def test_conditional_get_answers_304(client, chain):
    first = client.get(f"{API}/claims/{chain['claim'].pk}")
    etag = first["ETag"]
    again = client.get(f"{API}/claims/{chain['claim'].pk}", headers={"If-None-Match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED


def test_reads_are_cached_until_their_scope_changes(client, chain):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims import caching

    path = f"{API}/claims/{chain['claim'].pk}"
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # The claim's slug and the scopes' versions; the body came from the cache.
    assert len(queries) == 2
    tag = create_tag(name="new-tag")
    chain["claim"].tags.add(tag)
    assert tag.slug not in client.get(path).json()["tags"]  # still the cached copy
    caching.changed(claim_ids=[create_claim().pk])  # another claim: not this one's scope
    assert tag.slug not in client.get(path).json()["tags"]
    caching.changed(claim_ids=[chain["claim"].pk])  # what an approval of this claim calls
    assert tag.slug in client.get(path).json()["tags"]


def test_docs_page_uses_only_our_static_files(client):
    answer = client.get(f"{API}/docs/")
    assert answer.status_code == HTTPStatus.OK
    html = answer.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # no inline script: the CSP allows none without a nonce
    assert "'unsafe-inline'" not in answer["Content-Security-Policy"]


def test_forged_cursors_of_id_lists_are_400_problems(client):
    for value in (b'"abc"', b"99999999999999999999999", b"null", b"1.5"):
        cursor = base64.urlsafe_b64encode(b'["by-id", ' + value + b", 5]").decode()
        answer = client.get(f"{API}/tags", {"cursor": cursor})
        assert answer.status_code == HTTPStatus.BAD_REQUEST, value


def test_a_new_correction_counts_as_a_change(client, chain):
    stamp = (timezone.now() + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert client.get(f"{API}/verdicts", {"updated_since": stamp}).json()["items"] == []
    create_correction(verdict=chain["verdict"], published_at=timezone.now() + timedelta(minutes=2))
    cache.clear()
    verdicts = client.get(f"{API}/verdicts", {"updated_since": stamp}).json()["items"]
    assert [v["id"] for v in verdicts] == [chain["verdict"].pk]
    claims = client.get(f"{API}/claims", {"updated_since": stamp}).json()["items"]
    assert [c["id"] for c in claims] == [chain["claim"].pk]


def log(author, word: str, *, quote: str) -> dict:
    """An editor logs a denied claim through the gate's write path, as the desk does."""
    from claims.models import Actor, Carriage, Claim, Outlet, Report, Response, Tag, writing

    now = timezone.now()
    slug = word.lower()
    office = writing.create(Actor, by=author, values={"name": f"{word} Office"}, slug=slug)
    outlet = writing.create(Outlet, by=author, values={"name": f"{word} News"}, slug=slug)
    tag = writing.create(Tag, by=author, values={"name": f"{slug}-tag"}, slug=f"{slug}-tag")
    claim = writing.create(
        Claim,
        by=author,
        values={
            "text": f"{word} governor fled",
            "first_seen_at": now - timedelta(days=2),
            "language": "en",
            "tags": [tag],
        },
        slug=f"{slug}-governor",
    )
    report = writing.create(
        Report,
        by=author,
        values={"outlet": outlet, "title": f"{word} report", "published_at": now},
        history_claim=claim,
    )
    writing.create(Carriage, by=author, values={"claim": claim, "report": report, "role": "origin"})
    denial = writing.create(
        Response,
        by=author,
        values={
            "claim": claim,
            "responder": office,
            "stance": "denies",
            "attribution": "spokesperson",
            "quote": quote,
            "report": report,
            "responded_at": now - timedelta(days=1),
        },
    )
    return {"claim": claim, "denial": denial, "office": office, "outlet": outlet, "tag": tag}


def test_drafts_and_pending_changes_never_appear(client, settings, tmp_path):
    """Nothing waiting for a second editor reaches partners: not a new chain, not an edit of a
    public quote (the last approved one shows), not a verdict in review, not a correction;
    once a second editor approves, all of it does."""
    from django.core.management import call_command

    from claims.api import bulk
    from claims.models import Verdict, writing
    from tests.factories import create_editor, create_reviewer

    settings.BULK_DATA_DIR = tmp_path / "bulk"
    author, reviewer = create_editor(username="author"), create_reviewer(username="reviewer")
    public = log(author, "Zebrafish", quote="Pangolin nonsense")
    rated = log(author, "Ocelot", quote="Heron nonsense")
    writing.approve(public["claim"], by=reviewer)
    writing.approve(rated["claim"], by=reviewer)
    verdict = writing.create(
        Verdict,
        by=author,
        values={"claim": public["claim"], "author": author, "rating": "false", "summary": "Emu"},
    )
    verdict.submit(by=author)
    verdict.publish(by=reviewer)

    # Waiting for review: a new chain, an edit of a public quote, a verdict, a correction.
    pending = log(author, "Yak", quote="Walrus denial")
    denial = public["denial"]
    writing.save_edit(
        denial, by=author, version=writing.desk_version(denial), values={"quote": "Marmoset lies"}
    )
    in_review = writing.create(
        Verdict,
        by=author,
        values={"claim": rated["claim"], "author": author, "rating": "false", "summary": "Gecko"},
    )
    in_review.submit(by=author)
    correction = verdict.correct(by=author, text="The governor was in Lviv")
    hidden_words = ("Yak", "Walrus", "Marmoset", "Gecko", "Lviv", "yak-tag")

    def answers() -> dict[str, str]:
        call_command("build_bulk_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
        folder = settings.BULK_DATA_DIR
        reads = {
            "claims": f"{API}/claims",
            "claim": f"{API}/claims/{public['claim'].pk}",
            "rated claim": f"{API}/claims/{rated['claim'].pk}",
            "denials": f"{API}/denials",
            "denial": f"{API}/denials/{denial.pk}",
            "verdicts": f"{API}/verdicts",
            "verdict": f"{API}/verdicts/{verdict.pk}",
            "tags": f"{API}/tags",
        }
        found = {}
        for name, url in reads.items():
            answer = client.get(url)
            assert answer.status_code == HTTPStatus.OK, name
            found[name] = answer.content.decode()
        for path in folder.iterdir():
            if path.suffix in {".csv", ".json"}:
                found[path.name] = path.read_text(encoding="utf-8")
        assert bulk.FEED_NAME in found
        return found

    before = answers()
    for name, body in before.items():
        for word in hidden_words:
            assert word not in body, (name, word)
    assert "Pangolin nonsense" in before["claim"] and "Pangolin nonsense" in before["denial"]
    assert "Pangolin nonsense" in before[bulk.FEED_NAME] or "Emu" in before[bulk.FEED_NAME]
    assert "Heron nonsense" in before["denials"]  # public, not yet rated
    for url in (f"{API}/claims/{pending['claim'].pk}", f"{API}/denials/{pending['denial'].pk}"):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{API}/verdicts/{in_review.pk}").status_code == HTTPStatus.NOT_FOUND

    # A second editor approves; nothing is cleared by hand: the approvals move the versions on.
    writing.approve(pending["claim"], by=reviewer)
    writing.approve(public["claim"], by=reviewer)
    in_review.refresh_from_db()
    in_review.publish(by=reviewer)
    correction.refresh_from_db()
    assert correction.approved_at is not None

    after = answers()
    assert "Yak governor" in after["claims"] and "yak-tag" in after["tags"]
    assert "Marmoset lies" in after["claim"] and "Pangolin" not in after["claim"]
    assert "Marmoset lies" in after["denial"] and "Walrus denial" in after["denials"]
    assert "Gecko" in after["rated claim"] and "Gecko" in after["verdicts"]
    assert "in Lviv" in after["verdict"] and "in Lviv" in after["claim"]
    for name in ("claims.csv", "responses.csv", "corrections.csv", bulk.FEED_NAME):
        assert any(w in after[name] for w in ("Yak", "Marmoset", "Lviv", "Gecko")), name
    assert "Marmoset lies" in after["responses.csv"] and "Walrus denial" in after["responses.csv"]
    assert "Lviv" in after["corrections.csv"] and "Gecko" in after[bulk.FEED_NAME]
    assert client.get(f"{API}/claims/{pending['claim'].pk}").status_code == HTTPStatus.OK
