"""
Draft a claim and its response from an article's text, in English, Ukrainian and Russian.

The draft is only a starting point the editor confirms or corrects: which claim was made and
by whom, who responded, how (stance) and on whose authority (attribution), and the quote.
There is no draft when the text holds no response. Idioms that merely contain a denial word
("it can't be denied that", "denied an education", "does not deny", "there is no denying")
are not responses.
"""

import re
from dataclasses import asdict, dataclass

from claims.models import Attribution, Stance

from .extract import READ_CHARS, find_quotes


@dataclass
class Suggestion:
    claim: str
    claimant: str
    responder: str
    stance: str
    attribution: str
    quote: str
    speaker_name: str = ""
    evidence: str = ""  # the sentence the stance was read from

    def as_json(self) -> dict:
        return asdict(self)


# Stance cues, strongest first. Each is a regular expression over one sentence.
DENIAL_CUES = [
    # English
    r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing)|rebut(?:s|ted)?|debunk(?:s|ed)?)\b",
    r"\b(?:is|was|are|were)\s+[\"“«']?(?:completely\s+|absolutely\s+|totally\s+|simply\s+)?"
    r"(?:untrue|not true|false|fake|baseless|groundless|fabricated|a fabrication|a lie|"
    r"disinformation|misinformation|nonsense)\b",
    r"\b(?:it'?s|it’s|this is|that is)\s+(?:a\s+)?(?:fake|false|lie|untrue|not true|nonsense)\b",
    r"\b(?:dismiss(?:es|ed)?|reject(?:s|ed)?)\s+(?:the\s+|these\s+|such\s+|those\s+)?"
    r"(?:reports?|claims?|allegations?|accusations?|rumou?rs?|information|suggestions?)\b",
    r"\bno (?:truth|proof|basis|evidence)\b",
    # Ukrainian
    r"спростува\w*|спростову\w*|запереч(?:ує|ують|ив|ила|или|ення|увати)\b|"
    r"не відповіда\w* дійсності|неправд\w*|фейк\w*|безпідставн\w*|вигадк\w*|дезінформаці\w*",
    # Russian
    r"опроверг\w*|опроверга\w*|отрица(?:ет|ют|л|ла|ли|ние)\b|"
    r"не соответству\w* действительности|неправд\w*|безосновательн\w*|выдумк\w*|"
    r"дезинформаци\w*|ложь\b",
]
CONFIRM_CUES = [
    r"\bconfirm(?:s|ed|ing)?\b",
    r"\b(?:is|was) (?:true|correct|accurate)\b",
    r"підтверд\w*|підтверджу\w*|визна(?:в|ла|ли|є)\b",
    r"подтверд\w*|подтвержда\w*|призна(?:л|ла|ли|ёт|ет)\b",
]
PARTIAL_CUES = [
    r"\bpartially confirm\w*|\bpartly confirm\w*|\bpartly true\b|\bpartially true\b",
    r"частково підтверд\w*|частково правд\w*",
    r"частично подтверд\w*|отчасти подтверд\w*|частично правд\w*",
]
DECLINE_CUES = [
    r"\b(?:declin(?:e|es|ed)|refus(?:e|es|ed)|would not|did not|could not)\s+(?:immediately\s+)?"
    r"(?:to\s+)?(?:comment|respond to (?:a )?requests? for comment)\b|\bno comment\b",
    r"відмови\w*\s+(?:від\s+)?комент\w*|не коментує|утрима\w* від коментар\w*",
    r"отказа\w*\s+(?:от\s+)?комментар\w*|отказа\w*\s+комментировать|не комментиру\w*|"
    r"воздерж\w* от комментари\w*",
]
RETRACT_CUES = [
    r"\bretract(?:s|ed|ing)?\b|\bwithdr(?:ew|awn) (?:the|its|his|her) (?:report|claim|statement)\b",
    r"відкликала?\w* (?:свою )?(?:публікаці|заяв)\w*|спростува\w* власн\w*",
    r"отозва\w* (?:свою )?(?:публикаци|заявлени)\w*",
]
CLARIFY_CUES = [
    r"\bclarif(?:y|ies|ied|ying)\b|\bexplained that\b",
    r"уточни\w*|уточню\w*|роз[’'ʼ]?ясни\w*|поясни\w*",
    r"уточнил\w*|разъясни\w*|пояснил\w*",
]

# Phrases with a denial word that deny nothing.
DENIAL_TRAPS = [
    r"\b(?:can(?:no|')t|could(?:n't| not)|cannot)\s+be\s+denied\b",
    r"\bthere(?:'s| is) no denying\b|\bno one (?:can )?den(?:y|ies)\b|\bundeniabl\w*",
    r"\b(?:do|does|did|would|could|will)(?:n't|\s+not)\s+deny\b|\bnever denied\b|\bnot denied\b",
    r"\bden(?:y|ies|ied|ying)\s+(?:(?:him|her|them|us|me|you|people|children|students|"
    r"women|men|residents|voters|citizens|patients|refugees|migrants|immigrants)\s+)?"
    r"(?:a\s+|an\s+|the\s+|any\s+|their\s+|his\s+|her\s+)?"
    r"(?:education|entry|access|bail|visas?|permission|service|treatment|care|"
    r"right|rights|benefits?|asylum|parole|tenure|food|water|justice|opportunit\w+|"
    r"a chance|the chance|boarding|admission|credit|loans?|insurance|coverage)\b",
    r"\b(?:be|been|being|was|were|is|are)\s+denied\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:education|entry|access|bail|visas?|permission|service|treatment|care|right|rights|"
    r"benefits?|asylum|parole|boarding|admission)\b",
    r"не\s+(?:заперечу\w*|заперечив\w*|заперечила|спростову\w*|спростува\w*)",
    r"не\s+(?:отрица\w*|опроверга\w*|опроверг\w*)",
    r"не можна заперечити|неможливо заперечити|нельзя отрицать|невозможно отрицать",
    r"fake news\b(?! about)",
    r"\b(?:can(?:no|')t|cannot|won't|will not|would not|did not|didn't|never)\s+retract\w*",
]
NEGATED_CONFIRM = [
    r"\b(?:did|does|would|could|has|have)(?:n't|\s+not)\s+(?:yet\s+)?(?:confirm|acknowledge)",
    r"\bnot (?:been |yet )?confirmed\b|\bunconfirmed\b|\bcould not be (?:independently )?confirmed",
    r"не\s+(?:підтверд\w*|підтвердж\w*)|не\s+(?:подтверд\w*|подтвержд\w*)",
]

ANONYMOUS = re.compile(
    r"\b(?:an?\s+)?(?:informed\s+|senior\s+|knowledgeable\s+|anonymous\s+|unnamed\s+)?"
    r"(?:sources?|insiders?|officials?)\s+(?:in|at|from|within|close to|inside|familiar with)\s+"
    r"(?:the\s+)?(?P<org>[A-Z][\w’'.-]*)"
    r"|(?:on condition of anonymity|who (?:asked|declined) (?:not )?to be (?:named|identified)|"
    r"speaking anonymously|(?:informed|anonymous|unnamed) sources?)"
    r"|(?:поінформоване\s+|обізнане\s+|анонімне\s+)?джерел\w*\s+(?:в|у|із|з|при)\s+"
    r"(?P<org_uk>[А-ЯІЇЄҐ][\w’'ʼ.-]*)"
    r"|(?:информированн\w+\s+|осведомленн\w+\s+|анонимн\w+\s+)?источник\w*\s+(?:в|во|из|при)\s+"
    r"(?P<org_ru>[А-ЯЁ][\w’'.-]*)"
    r"|на условиях анонимности|на умовах анонімності|поінформоване джерело|"
    r"осведомленный источник",
    re.I,
)
SPOKESPERSON = re.compile(
    r"\b(?:spokes(?:person|man|woman)|press (?:secretary|officer|office|service)|"
    r"(?:a\s+)?representative)\b|речни\w*|прес-секретар\w*|прес-служб\w*|пресс-секретар\w*|"
    r"пресс-служб\w*|официальн\w+ представител\w*|офіційн\w+ представни\w*",
    re.I,
)
STATEMENT = re.compile(
    r"\b(?:(?:said|says) in a statement|in a (?:written |joint |official )?statement|"
    r"(?:issued|released|published) a statement|statement (?:said|says|read)|official statement)\b|"
    r"заяв[іиа]\b|у заяві|в заяві|повідомленн\w*|в заявлении|в сообщении|официальн\w+ заявлени\w*",
    re.I,
)
INSTITUTION_WORDS = re.compile(
    r"\b(?:Office|Ministry|Minist(?:er|ry)|Council|Service|Department|Government|Police|"
    r"Army|Forces|Administration|Agency|Authority|Committee|Commission|Court|Parliament|"
    r"Embassy|Kremlin|White House|Pentagon|Cabinet|Bureau|Party|Company|Headquarters|"
    r"Staff|Command|Prosecutor|Rada|Duma|Secretariat|Foundation|Airlines?|Corporation|Inc|Ltd)\b|"
    r"(?:Офіс|Міністерств|Міноборони|МЗС|Рада|Служб|Уряд|Кабмін|Генштаб|Поліці|Прокуратур|"
    r"Офис|Министерств|Минобороны|МИД|Кремл|Правительств|Служб|Генштаб|Полици|Прокуратур|"
    r"Госдум|Штаб|Командуван|Командован|СБУ|ГУР|НАБУ|СНБО|РНБО)",
)
NAME = r"[A-ZА-ЯІЇЄҐЁ][\w’'ʼ.-]+(?:\s+(?:of\s+(?:the\s+)?|for\s+)?[A-ZА-ЯІЇЄҐЁ][\w’'ʼ.-]+){0,5}"
# "Earlier, Clash Report said that …", "Раніше X повідомив, що …", "Ранее X сообщил, что …"
CLAIMANT_SAID = re.compile(
    rf"(?:^|[.;]\s+|(?:Earlier|Previously|Before that|Раніше|Ранее|Перед тим|Накануне|Напередодні)"
    rf",?\s+(?:(?:the\s+)?[a-zа-яіїєґё-]+\s+){{0,2}})(?P<who>{NAME})\s+(?:had\s+)?(?:said|reported|claimed|alleged|wrote|posted|"
    r"suggested|asserted|stated|published|повідомив|повідомила|повідомили|повідомляв|"
    r"повідомляла|заявив|заявила|заявили|написав|написала|стверджував|стверджувала|писав|"
    r"сообщил|сообщила|сообщили|сообщало|заявил|заявила|заявили|написал|написала|утверждал|"
    r"утверждала|писал|писала)\s*,?\s+(?:that|що|что|ніби|будто)\s+(?P<claim>[^.;!?]{8,300})"
)
ACCORDING_TO = re.compile(
    rf"(?:according to|за даними|за інформацією|згідно з|по данным|по информации|"
    rf"как сообщил[аи]?|як повідомив|як повідомила)\s+(?P<who>{NAME})",
    re.I,
)
REPORT_THAT = re.compile(
    r"\b(?:reports?|claims?|allegations?|accusations?|rumou?rs?|information|suggestions?|"
    r"speculation)\s+(?:that|about|of)\s+(?P<claim>[^.;!?]{8,300}?)"
    r"(?:\s+(?:is|was|are|were)\s+(?:untrue|not true|false|fake|baseless|groundless)|[.;!?]|$)"
    r"|(?:повідомлення|інформацію|інформація|заяви|чутки)\s+(?:про те,?\s+)?(?:що|про)\s+"
    r"(?P<claim_uk>[^.;!?]{8,300}?)(?:[.;!?]|$|,\s+(?:є|не))"
    r"|(?:сообщения|информацию|информация|заявления|слухи)\s+(?:о том,?\s+)?(?:что|о)\s+"
    r"(?P<claim_ru>[^.;!?]{8,300}?)(?:[.;!?]|$|,\s+(?:явля|не))",
    re.I,
)
CUE_THAT = re.compile(
    r"(?:confirm\w*|den(?:y|ies|ied)|acknowledg\w*|admit\w*|clarif\w*|підтверд\w*|"
    r"спростува\w*|визна\w*|подтверд\w*|опроверг\w*|призна\w*|уточни\w*)\s*,?\s+"
    r"(?:that|що|что)\s+(?P<claim>[^.;!?]{8,300})",
    re.I,
)
HEDGES = re.compile(
    r"\b(?:allegedly|reportedly|supposedly|purportedly|apparently)\s+|"
    r"(?:нібито|начебто|мовляв|буцімто|якобы|будто бы|предположительно|якобы)\s+",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’]?\s+(?=[\"“«„A-ZА-ЯІЇЄҐЁ0-9])")


def compile_all(patterns):
    return [re.compile(p, re.I) for p in patterns]


CUES = [
    (Stance.PARTIALLY_CONFIRMS, compile_all(PARTIAL_CUES)),
    (Stance.RETRACTS, compile_all(RETRACT_CUES)),
    (Stance.DECLINES_COMMENT, compile_all(DECLINE_CUES)),
    (Stance.DENIES, compile_all(DENIAL_CUES)),
    (Stance.CONFIRMS, compile_all(CONFIRM_CUES)),
    (Stance.CLARIFIES, compile_all(CLARIFY_CUES)),
]
TRAPS = compile_all(DENIAL_TRAPS)
CONFIRM_TRAPS = compile_all(NEGATED_CONFIRM)


STANCE_ORDER = [
    Stance.DENIES.value,
    Stance.RETRACTS.value,
    Stance.PARTIALLY_CONFIRMS.value,
    Stance.CONFIRMS.value,
    Stance.DECLINES_COMMENT.value,
    Stance.CLARIFIES.value,
]
DENYING = {Stance.DENIES.value, Stance.RETRACTS.value}


def sentences(text: str) -> list[str]:
    parts = []
    for paragraph in re.split(r"\n+", text or ""):
        parts.extend(s.strip() for s in SENTENCE_END.split(paragraph) if s.strip())
    return parts


CONNECTORS = {"of", "the", "for", "and", "de", "on"}
LEADING_ADVERBS = re.compile(
    r"^(?:Earlier|Previously|Before that|Meanwhile|However|Also|Раніше|Ранее|Перед тим|"
    r"Накануне|Напередодні|Також|Также|Однак|Однако)\b,?\s*",
    re.I,
)
TRAILING_ADVERBS = {
    "has",
    "have",
    "had",
    "also",
    "officially",
    "firmly",
    "strongly",
    "categorically",
    "flatly",
    "now",
    "still",
    "again",
    "immediately",
    "publicly",
    "quickly",
    "swiftly",
    "repeatedly",
    "later",
    "already",
    "вже",
    "також",
    "офіційно",
    "категорично",
    "официально",
    "также",
    "уже",
    "рішуче",
    "решительно",
}
# Lower-case Ukrainian and Russian words that continue a name in the genitive ("Офіс президента",
# "Министерства обороны") rather than start the predicate ("повідомило", "заявила").
CYRILLIC_GENITIVE = re.compile(
    r"^[а-яіїєґё’'ʼ-]+(?:ого|ої|их|ів|ей|ов|ії|ии|ці|ти|ки|ну|ни|ры|ри|ты|ня|а|я|у|ю|ы|і)$"
)
CYRILLIC_VERB = re.compile(r"(?:ла|ли|ло|ть|ся|сь|ає|ує|ює|ят|ать|ить|ил|ал|ав|ив|ів)$")


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_genitive(word: str) -> bool:
    """A lower-case Cyrillic word that can continue a name: not a verb form, not an adverb."""
    if not re.fullmatch(r"[а-яіїєґё’'ʼ-]{3,}", word) or CYRILLIC_VERB.search(word):
        return False
    return bool(CYRILLIC_GENITIVE.match(word)) or not word.endswith(("о", "е"))


def leading_name(text: str) -> str:
    """The name a phrase starts with: "President's Office told X" → "President's Office"."""
    words: list[str] = []
    lower_run = 0
    for word in (text or "").split():
        word_clean = word.strip(",.;:()")
        continues = word_clean.lower() in CONNECTORS or is_genitive(word_clean)
        if is_capitalised(word_clean) and not (lower_run and is_genitive(words[-1])):
            # After "Министерства обороны" a capitalised word starts a new name.
            words.append(word_clean)
        elif words and continues and lower_run < 3:
            words.append(word_clean)
            lower_run += word_clean.lower() not in CONNECTORS
        else:
            break
        if word != word_clean:
            break
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    return " ".join(words[:7])


NOT_NAMES = {
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "after",
    "but",
    "and",
    "then",
    "when",
    "while",
    "as",
    "if",
    "so",
    "yet",
    "now",
    "today",
    "later",
    "він",
    "вона",
    "вони",
    "воно",
    "ми",
    "он",
    "она",
    "они",
    "оно",
    "мы",
    "але",
    "но",
    "и",
    "і",
    "та",
    "коли",
    "когда",
    "після",
    "после",
}


def name_before(text: str) -> str:
    """The name that ends a phrase: "Пресс-секретарь Министерства обороны Иван Петров"."""
    # "Assange, who denies" → "Assange"
    text = re.sub(r",?\s+(?:who|which|що|який|яка|які|который|которая|которые)\s*$", "", text)
    words = re.sub(r"\s*,\s*$", "", text).split()
    while words and words[-1].lower().strip(",") in TRAILING_ADVERBS:
        words.pop()
    if words and words[-1].endswith(","):
        return ""
    picked: list[str] = []
    trailing_lower = 0
    while words and not is_capitalised(words[-1]) and is_genitive(words[-1]) and trailing_lower < 3:
        picked.insert(0, words.pop())
        trailing_lower += 1
    if not words or not is_capitalised(words[-1]):
        return ""
    while words and len(picked) < 7:
        word = words[-1]
        capital = is_capitalised(word) and not word.endswith((",", ".", ":", ";"))
        joins = word.lower() in CONNECTORS and len(words) > 1 and is_capitalised(words[-2])
        if not (capital or joins):
            break
        picked.insert(0, words.pop())
    name = LEADING_ADVERBS.sub("", " ".join(picked))
    return "" if name.lower().strip(",.") in NOT_NAMES else name


def tidy(name: str) -> str:
    name = LEADING_ADVERBS.sub("", name or "")
    name = re.sub(r"^(?:В|У|Во|In|At)\s+", "", name)
    name = re.sub(r"\s+", " ", name.replace("’", "'").replace("ʼ", "'")).strip(" ,.;:-")
    return re.sub(r"^(?:the|The)\s+", "", name)


def stance_of(sentence: str) -> tuple[str, re.Match] | None:
    """The stance a sentence expresses, with the cue that showed it, or None."""
    defused = sentence.replace("’", "'").replace("ʼ", "'")
    for trap in TRAPS:
        defused = trap.sub(lambda m: "·" * len(m.group(0)), defused)
    for trap in CONFIRM_TRAPS:
        defused = trap.sub(lambda m: "·" * len(m.group(0)), defused)
    for stance, patterns in CUES:
        for pattern in patterns:
            match = pattern.search(defused)
            if match:
                return stance.value, match
    return None


def is_institution(name: str) -> bool:
    return bool(INSTITUTION_WORDS.search(name)) or name.isupper()


def responder_of(sentence: str, cue: re.Match) -> tuple[str, str, str]:
    """(responder, attribution, speaker name) for a response sentence."""
    anonymous = ANONYMOUS.search(sentence)
    if anonymous:
        org = anonymous.group("org") or anonymous.group("org_uk") or anonymous.group("org_ru")
        if org:
            org = sentence[
                anonymous.start("org")
                if anonymous.group("org")
                else (
                    anonymous.start("org_uk")
                    if anonymous.group("org_uk")
                    else anonymous.start("org_ru")
                ) :
            ]
        return tidy(leading_name(org or "")), Attribution.ANONYMOUS_SOURCE.value, ""
    who = tidy(name_before(sentence[: cue.start()]))
    if not who:
        # "…, X said." after the cue.
        after = re.search(
            rf"(?P<who>{NAME})(?:,\s*[^,]{{2,80}},)?\s+(?:said|says|told|wrote|added|"
            r"сказав|сказала|заявив|заявила|сказал|заявил|написав|написал)\b",
            sentence[cue.end() :],
        )
        if after:
            who = tidy(after.group("who"))
    spokes = SPOKESPERSON.search(sentence)
    if spokes:
        org = re.search(
            r"(?:spokes(?:person|man|woman)|press (?:secretary|service|office)|representative)"
            r"\s+(?:for|of|at)\s+(?:the\s+)?(?P<org>.+)"
            r"|(?:пресс-секретар\w*|пресс-служб\w*|прес-секретар\w*|прес-служб\w*|речни\w*|"
            r"представител\w*|представни\w*)\s+(?P<org_cyr>.+)",
            sentence,
            re.I,
        )
        org_name = tidy(leading_name(org.group("org") or org.group("org_cyr"))) if org else ""
        if not org_name:
            # "Kremlin spokesman Dmitry Peskov"
            org_name = tidy(name_before(sentence[: spokes.start()]))
        if org_name and who and org_name.endswith(who) and org_name != who:
            org_name = org_name[: -len(who)].strip()
        if org_name and who and org_name.startswith(who):
            who = ""
        if org_name and who.startswith(org_name):
            who = who[len(org_name) :].strip()
        if not org_name and who and is_institution(who):
            org_name = who
        speaker = who if who and not is_institution(who) else ""
        return org_name or who, Attribution.SPOKESPERSON.value, speaker
    if STATEMENT.search(sentence):
        return who, Attribution.OFFICIAL_STATEMENT.value, ""
    if who and is_institution(who):
        return who, Attribution.OFFICIAL_STATEMENT.value, ""
    if who and len(who.split()) >= 2:
        return who, Attribution.NAMED_OFFICIAL.value, who
    return who, Attribution.UNATTRIBUTED.value, ""


def clean_claim(text: str) -> str:
    text = HEDGES.sub("", text.strip(' ,"“”«»'))
    # A claim is one assertion: keep the first clause of a long "X and Y" sentence.
    first, sep, _rest = text.partition(" and ")
    if sep and len(first.split()) >= 4:
        text = first
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    return text[:1].upper() + text[1:] if text else text


def claim_and_claimant(all_sentences: list[str], evidence: str, title: str) -> tuple[str, str]:
    claimant, claim = "", ""
    for sentence in all_sentences:
        said = CLAIMANT_SAID.search(sentence)
        if said and not stance_of_denial_only(said.group("claim")):
            claimant, claim = tidy(said.group("who")), said.group("claim")
            break
    if not claimant:
        for sentence in all_sentences:
            according = ACCORDING_TO.search(sentence)
            if according:
                claimant = tidy(according.group("who"))
                break
    if not claim:
        for source in (evidence, title, *all_sentences):
            found = REPORT_THAT.search(source or "")
            if found:
                claim = found.group("claim") or found.group("claim_uk") or found.group("claim_ru")
                break
    if not claim:
        for source in (evidence, title):
            found = CUE_THAT.search(source or "")
            if found:
                claim = found.group("claim")
                break
    if not claim and title:
        claim = title
    return clean_claim(claim or ""), claimant


def stance_of_denial_only(text: str) -> bool:
    found = stance_of(text)
    return bool(found and found[0] == Stance.DENIES.value and len(text.split()) < 4)


def pick_quote(all_sentences: list[str], index: int) -> str:
    """The quote in the response sentence, else in the sentences just after or before it."""
    for offset in (0, 1, -1, 2):
        position = index + offset
        if 0 <= position < len(all_sentences):
            quotes = find_quotes(all_sentences[position])
            if quotes:
                return max(quotes, key=len).rstrip(",.")
    return ""


def suggest(*, title: str, body: str, outlet: str = "") -> Suggestion | None:
    """Draft the chain from an article; None when the text holds no response."""
    # Read from the text's opening (READ_CHARS): tens of thousands of sentences would cost
    # seconds, and the response an editor wants is not past three long articles' worth.
    body_sentences = sentences(body[:READ_CHARS])
    responses = []
    for index, sentence in enumerate(body_sentences):
        found = stance_of(sentence)
        if found:
            responses.append((index, sentence, found))
    title_stance = stance_of(title) if title else None
    if not responses and not title_stance:
        return None
    # The headline's stance, when it has one, is what the article is about; otherwise a
    # denial anywhere in the text outranks the rest.
    found_stances = [r[2][0] for r in responses]
    stance = title_stance[0] if title_stance else min(found_stances, key=STANCE_ORDER.index)
    chosen = next((r for r in responses if r[2][0] == stance), None)
    responder, attribution, speaker = "", Attribution.UNATTRIBUTED.value, ""
    evidence, quote = "", ""
    for index, sentence, (_, cue) in [r for r in responses if r[2][0] == stance]:
        who, how, name = responder_of(sentence, cue)
        if who or how != Attribution.UNATTRIBUTED.value:
            responder, attribution, speaker = who, how, name
            evidence, quote = sentence, pick_quote(body_sentences, index)
            break
    if chosen and not evidence:
        evidence, quote = chosen[1], pick_quote(body_sentences, chosen[0])
    if not responder and title_stance:
        responder = responder_of(title, title_stance[1])[0]
    if outlet and responder and tidy(outlet).casefold() == responder.casefold():
        responder = ""
    claim, claimant = claim_and_claimant(body_sentences, evidence, title)
    if claimant and responder and claimant.casefold() == responder.casefold():
        claimant = ""
    if attribution == Attribution.NAMED_OFFICIAL.value and not speaker:
        attribution = Attribution.UNATTRIBUTED.value
    if stance not in DENYING and not responder:
        # A confirmation or clarification by nobody in particular is no official response.
        return None
    return Suggestion(
        claim=claim[:500],
        claimant=claimant[:200],
        responder=responder[:200],
        stance=stance,
        attribution=attribution,
        quote=quote[:1000],
        speaker_name=speaker[:200],
        evidence=evidence[:1000],
    )
