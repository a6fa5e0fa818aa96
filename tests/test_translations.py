"""
Translations with provenance: the write path (gate, staleness, history), the claim page in
the reader's language, ClaimReview JSON-LD, feeds and the API.
"""

import html
import json
from http import HTTPStatus

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from claims.models import (
    Claim,
    HistoryAction,
    HistoryEntry,
    PendingChange,
    Rating,
    Response,
    Translation,
    TranslationStatus,
    Verdict,
    writing,
)

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_editor,
    create_response,
    create_reviewer,
    create_verdict,
)

UK_QUOTE = "Це фейк"
EN_QUOTE = "It's fake"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people():
    return {
        "translator": create_editor(username="olena"),
        "editor": create_editor(username="taras"),
        "reviewer": create_reviewer(username="iryna"),
        "second_reviewer": create_reviewer(username="petro"),
    }


@pytest.fixture
def chain():
    """A public Ukrainian chain: claim, origin carriage, a denial quoted in Ukrainian."""
    claim = create_claim(text="Умєров відмовився повертатися в Україну", language="uk")
    create_carriage(claim=claim, role="origin")
    denial = create_response(
        claim=claim,
        responder=create_actor(name="Офіс президента"),
        quote=UK_QUOTE,
        language="uk",
    )
    return {"claim": claim, "denial": denial}


def approve(claim, by):
    return writing.approve(claim, by=by, fingerprint=writing.claim_fingerprint(claim))


def english_page(claim) -> str:
    with translation.override("en"):
        response = Client().get(claim.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def translate_quote(chain, people, **kwargs) -> Translation:
    kwargs.setdefault("language", "en")
    kwargs.setdefault("text", EN_QUOTE)
    return writing.add_translation(chain["denial"], by=people["translator"], **kwargs)


# The write path and the gate


def test_a_new_translation_is_pending_work_with_its_source_snapshot(chain, people):
    made = translate_quote(chain, people)
    assert made.approved_at is None
    assert made.source_text == UK_QUOTE
    assert made.source_language == "uk"
    assert made.translator == people["translator"]
    assert made.status == TranslationStatus.CURRENT
    change = PendingChange.objects.pending().get(
        object_id=made.pk, content_type__model="translation"
    )
    assert change.claim == chain["claim"]
    assert change.author == people["translator"]
    assert chain["claim"] in type(chain["claim"]).objects.awaiting_review()
    entry = HistoryEntry.objects.filter(content_type__model="translation", object_id=str(made.pk))
    assert entry.get().action == HistoryAction.CREATED


def test_the_author_cannot_approve_their_own_translation(chain, people):
    translate_quote(chain, people)
    translator = people["translator"]
    from claims.roles import REVIEWER, grant_role

    grant_role(translator, REVIEWER)
    with pytest.raises(writing.ReviewRefused):
        approve(chain["claim"], translator)
    assert not Translation.objects.public().exists()
    approve(chain["claim"], people["reviewer"])
    assert Translation.objects.public().get().text == EN_QUOTE


def test_refusals_are_clear_and_save_nothing(chain, people):
    denial = chain["denial"]
    cases = [
        ({"language": "uk"}, "already in"),
        ({"text": "   "}, "needs its text"),
        ({"language": ""}, "language"),
        ({"language": "English"}, "ISO code"),
        ({"translator_kind": "machine", "engine": " "}, "engine"),
    ]
    for kwargs, message in cases:
        with pytest.raises(writing.TranslationError, match=message):
            translate_quote(chain, people, **kwargs)
    silent = create_response(claim=chain["claim"], quote="")
    with pytest.raises(writing.TranslationError, match="no text"):
        writing.add_translation(silent, by=people["translator"], language="en", text="x")
    translate_quote(chain, people)
    with pytest.raises(writing.TranslationError, match="already a translation"):
        translate_quote(chain, people, text="Fake")
    assert Translation.objects.of(denial).count() == 1


def test_machine_translation_names_its_engine(chain, people):
    made = translate_quote(chain, people, translator_kind="machine", engine="DeepL")
    assert made.translator is None
    assert made.engine == "DeepL"
    assert str(made.translator_label) == "machine: DeepL"
    approve(chain["claim"], people["reviewer"])
    page = english_page(chain["claim"])
    assert "machine: DeepL" in page


def test_an_edit_of_a_public_translation_waits_for_review(chain, people):
    made = translate_quote(chain, people)
    approve(chain["claim"], people["reviewer"])
    made.refresh_from_db()
    writing.edit_translation(
        made, by=people["editor"], version=writing.desk_version(made), text="It is a fake"
    )
    made.refresh_from_db()
    assert made.text == EN_QUOTE  # readers keep the approved text
    assert "It&#x27;s fake" in english_page(chain["claim"])
    approve(chain["claim"], people["reviewer"])
    made.refresh_from_db()
    assert made.text == "It is a fake"
    assert made.translator == people["editor"]


# Done when: a translated quote shows in English with the Ukrainian original, goes stale when
# the original is edited, and disappears from the English page until confirmed.


def test_translated_quote_goes_stale_and_disappears_until_confirmed(chain, people):
    claim, denial = chain["claim"], chain["denial"]
    made = translate_quote(chain, people)
    # Pending: not on the English page.
    assert "It&#x27;s fake" not in english_page(claim)
    approve(claim, people["reviewer"])

    page = english_page(claim)
    assert '<span lang="en">“It&#x27;s fake”</span>' in page or 'lang="en"' in page
    assert "It&#x27;s fake" in page
    assert f'lang="uk">“{UK_QUOTE}”' in page  # the original, verbatim, beside it
    assert "olena (editor)" in page

    # The original is edited and the edit approved: the translation goes stale.
    writing.save_edit(
        denial,
        by=people["editor"],
        version=writing.desk_version(denial),
        values={"quote": "Це фейк і провокація"},
    )
    made.refresh_from_db()
    assert made.status == TranslationStatus.CURRENT  # the edit is only proposed
    assert "It&#x27;s fake" in english_page(claim)
    approve(claim, people["reviewer"])
    made.refresh_from_db()
    assert made.status == TranslationStatus.STALE
    assert HistoryEntry.objects.filter(
        action=HistoryAction.MARKED_STALE, object_id=str(made.pk), claim=claim
    ).exists()
    page = english_page(claim)
    assert "It&#x27;s fake" not in page
    assert "Це фейк і провокація" in page
    assert not Translation.objects.public().exists()

    # Confirmed by an editor: still hidden until a second editor approves it.
    writing.confirm_translation(made, by=people["translator"], version=writing.desk_version(made))
    assert "It&#x27;s fake" not in english_page(claim)
    approve(claim, people["reviewer"])
    made.refresh_from_db()
    assert made.status == TranslationStatus.CURRENT
    assert made.source_text == "Це фейк і провокація"
    assert "It&#x27;s fake" in english_page(claim)


def test_a_translation_made_beside_a_pending_edit_stays_current(chain, people):
    """The editor edits the quote and updates the translation before review: one approval
    publishes both, and the translation matches the new original."""
    claim, denial = chain["claim"], chain["denial"]
    made = translate_quote(chain, people)
    approve(claim, people["reviewer"])
    writing.save_edit(
        denial, by=people["editor"], version=writing.desk_version(denial), values={"quote": "Фейк"}
    )
    made.refresh_from_db()
    writing.edit_translation(
        made, by=people["translator"], version=writing.desk_version(made), text="Fake"
    )
    approve(claim, people["reviewer"])
    made.refresh_from_db()
    assert made.status == TranslationStatus.CURRENT
    assert (made.text, made.source_text) == ("Fake", "Фейк")


def test_confirming_a_current_translation_is_refused(chain, people):
    made = translate_quote(chain, people)
    with pytest.raises(writing.TranslationError, match="already matches"):
        writing.confirm_translation(made, by=people["editor"], version=made.version)


def test_private_source_edit_marks_private_translation_stale_at_once(people):
    claim = writing.create(
        Claim,
        by=people["editor"],
        values={"text": "Умєров утік", "language": "uk"},
        slug="umierov-utik",
    )
    made = writing.add_translation(claim, by=people["translator"], language="en", text="Fled")
    writing.save_edit(claim, by=people["editor"], version=claim.version, values={"text": "Утік"})
    made.refresh_from_db()
    assert made.status == TranslationStatus.STALE


def test_withdrawn_translation_leaves_the_page_once_approved(chain, people):
    made = translate_quote(chain, people)
    approve(chain["claim"], people["reviewer"])
    made.refresh_from_db()
    writing.withdraw(made, by=people["editor"], version=writing.desk_version(made), reason="Wrong")
    assert "It&#x27;s fake" in english_page(chain["claim"])
    approve(chain["claim"], people["reviewer"])
    assert "It&#x27;s fake" not in english_page(chain["claim"])


# The claim page in the reader's language


def test_claim_text_and_summary_in_the_readers_language_with_the_original_a_click_away(
    chain, people
):
    claim = chain["claim"]
    writing.add_translation(
        claim, by=people["translator"], language="en", text="Umerov refused to return"
    )
    approve(claim, people["reviewer"])
    page = english_page(claim)
    assert '<h1 lang="en">Umerov refused to return</h1>' in page
    assert "<details" in page and 'lang="uk">Умєров відмовився повертатися в Україну' in page
    with translation.override("uk"):
        page = Client().get(claim.get_absolute_url()).content.decode()
    assert '<h1 lang="uk">Умєров відмовився повертатися в Україну</h1>' in page
    assert "Umerov refused to return" not in page


def published_verdict(claim, people, summary="Офіс президента спростував це."):
    verdict = create_verdict(
        claim=claim,
        author=people["editor"],
        reviewer=people["reviewer"],
        state="published",
        rating=Rating.UNPROVEN,
        summary=summary,
        published_at=timezone.now(),
    )
    return verdict


def claim_review_of(page: str) -> dict:
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(page[start : page.index("</script>", start)])


def test_json_ld_carries_the_translated_text_and_its_language(chain, people):
    claim = chain["claim"]
    verdict = published_verdict(claim, people)
    writing.add_translation(
        claim, by=people["translator"], language="en", text="Umerov refused to return"
    )
    writing.add_translation(
        verdict,
        by=people["translator"],
        language="en",
        text="The President's Office denied it.",
        translator_kind="machine",
        engine="DeepL",
    )
    # Pending: the English JSON-LD keeps the originals.
    review = claim_review_of(english_page(claim))
    assert review["claimReviewed"] == claim.text
    assert review["inLanguage"] == "uk"
    approve(claim, people["reviewer"])
    review = claim_review_of(english_page(claim))
    assert review["claimReviewed"] == "Umerov refused to return"
    assert review["reviewBody"] == "The President's Office denied it."
    assert review["inLanguage"] == "en"
    assert review["itemReviewed"]["inLanguage"] == "uk"
    with translation.override("uk"):
        page = Client().get(claim.get_absolute_url()).content.decode()
    review = claim_review_of(page)
    assert review["claimReviewed"] == claim.text
    assert review["inLanguage"] == "uk"


def test_feeds_carry_the_text_in_their_language(chain, people):
    claim = chain["claim"]
    writing.add_translation(
        claim, by=people["translator"], language="en", text="Umerov refused to return"
    )
    translate_quote(chain, people)
    url = reverse("claims:denied_rss")
    with translation.override("en"):
        before = Client().get(url).content.decode()
    assert "Umerov refused to return" not in before
    approve(claim, people["reviewer"])
    with translation.override("en"):
        english = Client().get(url).content.decode()
    with translation.override("uk"):
        ukrainian = Client().get(reverse("claims:denied_rss")).content.decode()
    (item,) = feedparser.parse(english).entries
    assert item.title == "Офіс президента denies: Umerov refused to return"
    description = html.unescape(item.description)
    assert "“It's fake”" in description
    assert f"“{UK_QUOTE}”" in description  # the original quote stays beside its translation
    assert "olena (editor)" in description
    assert "<language>en</language>" in english
    (item,) = feedparser.parse(ukrainian).entries
    assert item.title == f"Офіс президента спростовує: {claim.text}"
    assert "It's fake" not in html.unescape(item.description)


# The API


def test_api_claim_detail_carries_approved_current_quote_translations(chain, people):
    claim = chain["claim"]
    made = translate_quote(chain, people, translator_kind="machine", engine="DeepL")
    url = f"/api/v1/claims/{claim.pk}"

    def quote_translations():
        body = Client().get(url).json()
        (response,) = body["responses"]
        return response["translations"]

    assert quote_translations() == []
    approve(claim, people["reviewer"])
    (shown,) = quote_translations()
    assert shown["language"] == "en"
    assert shown["text"] == EN_QUOTE
    assert shown["translator_kind"] == "machine"
    assert shown["translator"] is None
    assert shown["engine"] == "DeepL"
    assert shown["translated_at"]
    denial = Response.objects.get(pk=chain["denial"].pk)
    writing.save_edit(
        denial, by=people["editor"], version=writing.desk_version(denial), values={"quote": "Ні"}
    )
    approve(claim, people["reviewer"])
    made.refresh_from_db()
    assert made.is_stale
    assert quote_translations() == []


# The desk: plain POSTs, no JavaScript


def test_desk_flow_add_approve_stale_confirm(client, chain, people):
    claim, denial = chain["claim"], chain["denial"]
    desk = reverse("desk:claim_edit", args=[claim.slug])
    client.force_login(people["translator"])
    page = client.get(desk).content.decode()
    assert reverse("desk:translation_create", args=[claim.slug]) in page
    # A machine translation without its engine: refused, nothing saved.
    data = {
        "part": "quote",
        "source": denial.pk,
        "language": "en",
        "text": EN_QUOTE,
        "translator_kind": "machine",
        "engine": "",
    }
    url = reverse("desk:translation_create", args=[claim.slug])
    answer = client.post(url, data)
    assert answer.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Translation.objects.exists()
    # Someone else's claim's response: not found.
    other = create_response(quote="Інше")
    assert client.post(url, {**data, "source": other.pk}).status_code == HTTPStatus.NOT_FOUND
    answer = client.post(url, {**data, "engine": "DeepL"})
    assert answer.status_code == HTTPStatus.FOUND
    made = Translation.objects.get()
    page = client.get(desk).content.decode()
    assert "machine: DeepL" in page and "pending" in page
    # The translator cannot approve it; a second editor does.
    client.force_login(people["reviewer"])
    approve_url = reverse("desk:review_approve", args=[claim.slug])
    review_page = client.get(reverse("desk:review_claim", args=[claim.slug])).content.decode()
    assert "translation" in review_page and EN_QUOTE.replace("'", "&#x27;") in review_page
    client.post(approve_url, {"fingerprint": writing.claim_fingerprint(claim)})
    assert Translation.objects.public().filter(pk=made.pk).exists()

    # The quote is edited through the desk and approved: stale, shown so on the desk.
    client.force_login(people["editor"])
    writing.save_edit(
        denial,
        by=people["editor"],
        version=writing.desk_version(denial),
        values={"quote": "Це фейк, кажуть в ОП"},
    )
    page = client.get(desk).content.decode()
    assert "Original changed since this translation" in page  # already, while it waits
    client.force_login(people["reviewer"])
    client.post(approve_url, {"fingerprint": writing.claim_fingerprint(claim)})
    made.refresh_from_db()
    assert made.is_stale
    assert "It&#x27;s fake" not in english_page(claim)

    client.force_login(people["translator"])
    page = client.get(reverse("desk:translation_edit", args=[made.pk])).content.decode()
    assert "Original changed since this translation" in page
    assert "Це фейк, кажуть в ОП" in page
    confirm = reverse("desk:translation_confirm", args=[made.pk])
    stale_version = {"version": writing.desk_version(made) + 5}
    assert client.post(confirm, stale_version).status_code == HTTPStatus.CONFLICT
    answer = client.post(confirm, {"version": writing.desk_version(made)})
    assert answer.status_code == HTTPStatus.FOUND
    client.force_login(people["reviewer"])
    client.post(approve_url, {"fingerprint": writing.claim_fingerprint(claim)})
    made.refresh_from_db()
    assert not made.is_stale
    assert "It&#x27;s fake" in english_page(claim)


def test_desk_update_and_withdraw(client, chain, people):
    claim = chain["claim"]
    made = translate_quote(chain, people)
    client.force_login(people["editor"])
    url = reverse("desk:translation_edit", args=[made.pk])
    answer = client.post(
        url, {"text": "Fake!", "translator_kind": "editor", "version": made.version}
    )
    assert answer.status_code == HTTPStatus.FOUND
    made.refresh_from_db()
    assert (made.text, made.translator) == ("Fake!", people["editor"])  # private: written
    answer = client.post(url, {"text": "", "translator_kind": "editor", "version": made.version})
    assert answer.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    answer = client.post(url, {"text": "x", "translator_kind": "editor", "version": 1})
    assert answer.status_code == HTTPStatus.CONFLICT
    withdraw = reverse("desk:withdraw", args=["translation", made.pk])
    assert client.get(withdraw).status_code == HTTPStatus.OK
    answer = client.post(withdraw, {"reason": "Wrong", "version": made.version})
    assert answer.status_code == HTTPStatus.FOUND
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    assert (
        "Withdrawn:" in client.get(reverse("desk:claim_edit", args=[claim.slug])).content.decode()
    )


def test_a_verdict_summary_translation_goes_stale_when_the_draft_is_edited(chain, people):
    claim = chain["claim"]
    verdict = writing.create(
        Verdict,
        by=people["editor"],
        values={"claim": claim, "author": people["editor"], "summary": "Це не доведено."},
    )
    made = writing.add_translation(
        verdict, by=people["translator"], language="en", text="This is unproven."
    )
    assert made.source_language == "uk"  # detected: a verdict has no language field
    writing.save_edit(
        verdict, by=people["editor"], version=verdict.version, values={"summary": "Не доведено."}
    )
    made.refresh_from_db()
    assert made.is_stale
    assert HistoryEntry.objects.filter(
        action=HistoryAction.MARKED_STALE, object_id=str(made.pk)
    ).exists()


def test_the_published_summary_shows_translated_with_its_original(chain, people):
    claim = chain["claim"]
    verdict = published_verdict(claim, people)
    writing.add_translation(
        verdict, by=people["translator"], language="en", text="The office denied it."
    )
    assert "The office denied it." not in english_page(claim)
    approve(claim, people["reviewer"])
    page = english_page(claim)
    assert '<p class="summary" lang="en">The office denied it.</p>' in page
    assert f'<p lang="uk">{verdict.summary}</p>' in page  # one click away, in <details>
