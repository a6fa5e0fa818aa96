"""Drafting the chain from text: the seed page, denials in three languages, confirmations, traps."""

import pytest

from claims.importer.extract import extract
from claims.importer.suggest import suggest
from claims.models import Attribution, Stance
from tests.importer_helpers import FIXTURES

pytestmark = pytest.mark.django_db(databases=[])


def test_the_seed_page_gives_the_seed_chain():
    article = extract((FIXTURES / "interfax_umerov.html").read_bytes())
    draft = suggest(title=article.title, body=article.body, outlet=article.outlet)
    assert draft.stance == Stance.DENIES == "denies"
    assert draft.attribution == Attribution.ANONYMOUS_SOURCE == "anonymous_source"
    assert draft.responder == "President's Office"
    assert draft.claimant == "Clash Report"
    assert draft.claim == "Umerov refused to return to Ukraine"
    assert draft.quote == "It's fake"


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Ministry denies report",
            'The Ministry of Defence denied reports that troops had left Kherson. "This is a '
            'lie," the ministry said in a statement.',
            {
                "stance": "denies",
                "responder": "Ministry of Defence",
                "attribution": "official_statement",
                "quote": "This is a lie",
                "claim": "Troops had left Kherson",
            },
        ),
        (
            "Flydubai bird strike disputed",
            '"There is no proof or basis for this," Jagannath Niroula, a CAAN spokesperson, said.',
            {"stance": "denies", "attribution": "spokesperson", "responder": "CAAN"},
        ),
        (
            "Офіс президента спростував інформацію про відставку",
            "Джерело в Офісі президента повідомило агентству, що інформація про відставку "
            "Умєрова не відповідає дійсності. «Це фейк», — сказав співрозмовник. Раніше Clash "
            "Report повідомив, що Умєров нібито відмовився повертатися в Україну.",
            {
                "stance": "denies",
                "attribution": "anonymous_source",
                "responder": "Офіс президента",
                "claimant": "Clash Report",
                "quote": "Це фейк",
                # The claim is what the denial names, not the claimant's wording.
                "claim": "Відставку Умєрова",
            },
        ),
        (
            "В Минобороны опровергли сообщения об отступлении",
            "Пресс-секретарь Министерства обороны Иван Петров опроверг сообщения о том, что "
            "армия отступила. «Это неправда», — заявил он. Ранее телеграм-канал Рыбарь "
            "сообщил, что армия отступила из города.",
            {
                "stance": "denies",
                "attribution": "spokesperson",
                "responder": "Министерство обороны",
                "claimant": "Рыбарь",
                "quote": "Это неправда",
                "claim": "Армия отступила",
            },
        ),
        (
            "Zelensky denies he plans to resign",
            'President Volodymyr Zelensky denied reports that he plans to resign. "I am not '
            'going anywhere," he told reporters.',
            {
                "stance": "denies",
                "attribution": "named_official",
                "responder": "Volodymyr Zelensky",
                "speaker_name": "Volodymyr Zelensky",
                "quote": "I am not going anywhere",
            },
        ),
    ],
)
def test_denials_in_three_languages(title, body, expected):
    draft = suggest(title=title, body=body)
    assert draft is not None
    for key, value in expected.items():
        assert getattr(draft, key) == value, key


@pytest.mark.parametrize(
    ("title", "body", "responder"),
    [
        (
            "Police confirm arrest",
            "Police confirmed that a 34-year-old man had been arrested.",
            "Police",
        ),
        (
            "Мінцифри підтвердило витік",
            "Міністерство цифрової трансформації підтвердило, що витік даних стався.",
            "Міністерство цифрової трансформації",
        ),
        (
            "В МИД подтвердили визит",
            "Министерство иностранных дел подтвердило, что визит состоится в пятницу.",
            "Министерство иностранных дел",
        ),
    ],
)
def test_confirmations(title, body, responder):
    draft = suggest(title=title, body=body)
    assert draft.stance == "confirms"
    assert draft.responder == responder


def test_other_stances():
    declined = suggest(
        title="Kremlin silent on talks",
        body="Kremlin spokesman Dmitry Peskov declined to comment on the reports.",
    )
    assert (declined.stance, declined.attribution, declined.responder, declined.speaker_name) == (
        "declines_comment",
        "spokesperson",
        "Kremlin",
        "Dmitry Peskov",
    )
    partial = suggest(
        title="Ministry partially confirms the figures",
        body="The Ministry of Health partially confirmed the figures.",
    )
    assert partial.stance == "partially_confirms"


@pytest.mark.parametrize(
    "body",
    [
        "It can't be denied that Facebook collects data about people who never signed up.",
        "It can’t be denied, though, that these tools are harder to use.",
        "Under the law no child will be denied an education.",
        "The Government does not deny that the legislation is flawed.",
        "There is no denying the scale of the problem.",
        "She did not deny sending some of the messages.",
        "Officials sought to deny him the right to accept the tickets.",
        "Уряд не заперечує, що закон має вади.",
        "Правительство не отрицает, что закон несовершенен.",
        "The president visited a school and spoke to students about exams.",
        "Privately, both camps acknowledge that victory is no sure thing.",
        "",
    ],
)
def test_no_suggestion_without_a_response(body):
    assert suggest(title="A day in politics", body=body) is None


@pytest.mark.parametrize(
    ("body", "stance"),
    [
        ("Die Bundesregierung hat den Bericht dementiert.", "denies"),
        ("Das Ministerium weist die Vorwürfe entschieden zurück.", "denies"),
        ("Der Sprecher bestritt, dass es ein Treffen gegeben habe.", "denies"),
        ("L'Elysée a démenti les informations du site.", "denies"),
        ("Le ministère dément toute livraison d'armes.", "denies"),
        ("Le gouvernement a rejeté les accusations de Moscou.", "denies"),
        ("Ministerstwo zdementowało doniesienia o zamknięciu konsulatu.", "denies"),
        ("Rzecznik zaprzeczył, jakoby do spotkania doszło.", "denies"),
        ("The minister dismissed questions about the sale as pure speculation.", "denies"),
        ("Die Regierung bestätigte den Bericht.", "confirms"),
        ("Le porte-parole n'a pas souhaité commenter.", "declines_comment"),
        ("Rzecznik odmówił komentarza.", "declines_comment"),
    ],
)
def test_denial_cues_in_german_french_and_polish(body, stance):
    draft = suggest(title="", body=body)
    assert draft is not None and draft.stance == stance


@pytest.mark.parametrize(
    "body",
    [
        "Es ist nicht zu leugnen, dass die Preise gestiegen sind.",
        "Niemand bestreitet, dass die Lage ernst ist.",
        "Die Regierung bestreitet nicht, dass das Gesetz Mängel hat.",
        "On ne peut nier l'ampleur des destructions.",
        "Personne ne nie que la reconstruction prendra des années.",
        "Le ministre ne nie pas les difficultés.",
        "Nie da się zaprzeczyć, że rolnicy mają powody do protestu.",
        "Nikt nie zaprzecza, że import wpływa na ceny.",
        "Nobody denies that these are the hardest benchmarks.",
        "Ніхто не заперечує, що відновлення триватиме тижнями.",
        "Никто не отрицает, что рост замедлится.",
        "The activist was denied entry at the border.",
        "Two activists were denied visas last year.",
        "The facts could not be denied by any of the administrations.",
    ],
)
def test_idiom_traps_in_six_languages_are_not_denials(body):
    draft = suggest(title="A day in politics", body=body)
    assert draft is None or draft.stance not in {"denies", "retracts"}


def test_a_teaser_is_not_the_article():
    body = (
        "The channel claimed the mobilisation age would drop to 20.\n"
        "Read also: Defense Ministry denies rumours about new call-up rules\n"
        "The ministry had not answered by the time of publication."
    )
    assert suggest(title="Channel says age will drop", body=body) is None


def test_an_empty_field_says_why():
    draft = suggest(
        title="Ukraine denies shelling claim",
        body="Ukraine has denied Russian claims that it shelled the plant.",
    )
    assert draft.stance == "denies" and draft.quote == ""
    assert "quote" in draft.notes


@pytest.mark.parametrize(
    ("body", "responder", "speaker"),
    [
        (
            "Інформація про облави в метро не відповідає дійсності, заявив прессекретар "
            "Національної поліції Олександр Гуменюк.",
            "Національна поліція",
            "Олександр Гуменюк",
        ),
        (
            "Речник Міністерства закордонних справ Георгій Тихий назвав фейком повідомлення "
            "про евакуацію посольства.",
            "Міністерство закордонних справ",
            "Георгій Тихий",
        ),
        (
            "АО «Укрзализныця» опровергло сообщения об отмене поездов в Польшу.",
            "Укрзализныця",
            "",
        ),
        (
            "Kyiv City Council on Tuesday said claims that the bridge would close were false.",
            "Kyiv City Council",
            "",
        ),
    ],
)
def test_responders_in_the_nominative_without_titles_or_legal_forms(body, responder, speaker):
    draft = suggest(title="", body=body)
    assert (draft.responder, draft.speaker_name) == (responder, speaker)


def test_a_claimants_full_name_given_only_in_the_genitive():
    draft = suggest(
        title="",
        body="Сибіга спростував заяву Сергія Лаврова про те, що Україна зірвала переговори. "
        "Лавров у середу заявив, що делегація покинула зал.",
    )
    assert draft.claimant == "Сергій Лавров"
