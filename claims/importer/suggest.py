"""
Draft a claim and its response from an article's text: English, Ukrainian and Russian in
full, German, French and Polish for the stance.

The draft is only a starting point the editor confirms or corrects: which claim was made and
by whom, who responded, how (stance) and on whose authority (attribution), and the quote.
It is drafted around the response sentence: the responder is the subject of the denial (or of
the trailing "…, the ministry said"), "a source in X" is X with an anonymous attribution, the
claim is what was denied ("reports that X"), the claimant is who said it first ("Earlier, X
said…"), the quote is the responder's own quoted words. Where a field cannot be read with
confidence it is left empty and `notes` says why, rather than guessed.

There is no draft when the text holds no response. Idioms that merely contain a denial word
("there is no denying", "nobody denies", "denied entry", "не заперечує", "nicht zu leugnen")
are not responses, and neither are "Read also" teasers.
"""

import re
from dataclasses import asdict, dataclass, field

from claims.models import Attribution, Stance

from .extract import READ_CHARS


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
    # Why a field was left empty or may be wrong, for the review screen.
    notes: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# Stance cues, each a regular expression over one sentence.

DENIAL_CUES = [
    # English
    r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing)|rebut(?:s|ted)?|debunk(?:s|ed)?)\b",
    # "Reports that X are untrue": something reported must be what is called false.
    r"\b(?:reports?|claims?|allegations?|accusations?|information|story|stories|rumou?rs?|"
    r"video|photo|image|document|assertions?|news|suggestions?|speculation|statements?)\b"
    r".{0,250}?\b(?:is|was|are|were|been)\s+[\"“«']?"
    r"(?:completely\s+|absolutely\s+|totally\s+|simply\s+)?"
    r"(?:untrue|not true|false|fake|baseless|groundless|fabricated|a fabrication|a lie|lies|"
    r"disinformation|misinformation|nonsense)\b",
    r"\b(?:it'?s|(?:it|this|that) (?:is|was))\s+(?:a\s+|completely\s+|absolutely\s+)?"
    r"(?:fake|false|lie|untrue|not true|nonsense)\b",
    r"\b(?:dismiss(?:es|ed)?|reject(?:s|ed)?)\s+(?:as\s+[\w-]+\s+)?(?:the\s+|these\s+|such\s+|"
    r"those\s+|media\s+|russian\s+)?(?:reports?|claims?|allegations?|accusations?|rumou?rs?|"
    r"information|suggestions?)\b",
    r"\b(?:call(?:s|ed|ing)?|describ\w+)\s+(?:the\s+|these\s+|such\s+|them|it|this|that)?\s*"
    r"(?:reports?\s+|claims?\s+)?(?:as\s+)?(?:a\s+|an\s+)?[\"“']?(?:fake|lies?|false|untrue|"
    r"disinformation|(?:[\w-]+\s+){0,2}provocation)\b",
    # "there is no proof", "says 'no proof'" (not "he had no proof of …")
    r"\b(?:there(?:'s| is| was| has been)|is|says?|said)\s+['‘\"“]?"
    r"no (?:truth|proof|basis|evidence)\b",
    # "dismissed questions about the deal as speculation"
    r"\bdismiss(?:es|ed|ing)?\s+(?:questions?|suggestions?|talk|speculation)\s+(?:about|over|on|"
    r"of|that)\b[^.]{0,120}?\bas\s+(?:\w+\s+){0,2}(?:nonsense|fake|false|baseless|speculation|"
    r"rumou?rs?|absurd|ridiculous|lies?|fiction|fantasy|untrue)\b",
    # Ukrainian
    r"спростува\w*|спростову\w*|запереч(?:ує|ують|ив|ила|или|ило|ення|увати)\b|"
    r"відкину\w*\s+(?:звинувачен|заяв|інформаці|повідомлен)\w*|"
    r"не відповіда\w* дійсності|неправд\w*|фейк\w*|безпідставн\w*|вигадк\w*|дезінформаці\w*",
    # Russian
    r"опроверг\w*|опроверга\w*|отрица(?:ет|ют|л|ла|ли|ло|ние)\b|обвини\w* во лжи|"
    r"отверг\w*\s+(?:обвинени|заявлени|информаци|сообщени)\w*|"
    r"не соответству\w* действительности|неправд\w*|безосновательн\w*|выдумк\w*|"
    r"дезинформаци\w*|\bложь\w*|\bлжи\b",
    # German
    r"\bdementier\w*|\bweis(?:t|en)\b[^.]{0,80}\bzurück\b|\bwies(?:en)?\b[^.]{0,80}\bzurück\b|"
    r"\bbestreit\w*|\bbestritt\w*|\b(?:ist|sind|sei|seien)\s+(?:völlig\s+)?(?:falsch|unwahr|"
    r"erfunden)\b|\bFalschmeldung\w*|\bentbehr\w* jeder Grundlage",
    # French
    r"\bdém(?:ent|enti|entie|entent|entir)\b|\bdémenti\w*|\bdément\w*|"
    r"\b(?:nie|nient|a nié|ont nié)\b|\b(?:rejette|rejettent|a rejeté|ont rejeté)\s+(?:les\s+)?"
    r"(?:informations|accusations|allégations|affirmations)|\b(?:est|sont)\s+(?:totalement\s+)?"
    r"(?:faux|fausses?|infondée?s?)\b|\bfausse information\b|\binfox\b",
    # Polish
    r"\bdement(?:uje|ują|ował\w*|i)\b|\bzdementował\w*|\bzaprzecz\w*|"
    r"\bodrzuci\w*\s+(?:zarzuty|oskarżenia|doniesienia)|\b(?:to\s+)?nieprawda\b|"
    r"\bnieprawdziw\w*|\bfałszyw\w*",
]
CONFIRM_CUES = [
    r"\bconfirm(?:s|ed|ing)?\b",
    r"\b(?:is|was) (?:true|correct|accurate)\b",
    r"підтверд\w*|підтверджу\w*|визна(?:в|ла|ли|є)\b",
    r"подтверд\w*|подтвержда\w*|призна(?:л|ла|ли|ёт|ет)\b",
    r"\bbestätig\w*|\bconfirm\w*|\bpotwierdz\w*|\bpotwierdzi\w*",
]
PARTIAL_CUES = [
    r"\bpartially confirm\w*|\bpartly confirm\w*|\bpartly true\b|\bpartially true\b",
    r"частково підтверд\w*|частково правд\w*",
    r"частично подтверд\w*|отчасти подтверд\w*|частично правд\w*",
    r"\bteilweise bestätig\w*|\bpartiellement confirm\w*|\bczęściowo potwierdzi\w*",
]
# A confirmation that also calls the report overblown is a partial one.
OVERSTATED = re.compile(
    r"exaggerat\w*|overblown|перебільш\w*|преувелич\w*|übertrieben|exagér\w*|przesadzon\w*|"
    r"\b(?:but|however|однак|але|однако|но)\b[^.]{0,80}(?:den(?:y|ied|ies)|спростува\w*|"
    r"опроверг\w*|not true|неправд\w*)",
    re.I,
)
DECLINE_CUES = [
    r"\b(?:declin(?:e|es|ed|ing)|refus(?:e|es|ed|ing))\s+(?:immediately\s+)?(?:to\s+)?"
    r"comment\b|\bno comment\b|\bwould not comment\b",
    r"відмови\w*\s+(?:від\s+)?комент\w*|утрима\w* від коментар\w*",
    r"отказа\w*\s+(?:от\s+)?комментар\w*|отказа\w*\s+комментировать|"
    r"воздерж\w* от комментари\w*",
    r"\bwollte sich nicht\b[^.]{0,40}äußern|\blehnte\b[^.]{0,40}Stellungnahme ab|"
    r"\bn'a pas souhaité (?:commenter|réagir)|\bs'est refusée? à tout commentaire|"
    r"\bodmówi\w* komentarza",
]
RETRACT_CUES = [
    r"\bretract(?:s|ed|ing)?\b|\bwithdr(?:ew|awn) (?:the|its|his|her) (?:report|claim|statement)\b",
    r"відкликала?\w* (?:свою )?(?:публікаці|заяв)\w*|спростува\w* власн\w*",
    r"отозва\w* (?:свою )?(?:публикаци|заявлени)\w*",
]
CLARIFY_CUES = [
    r"\bclarif(?:y|ies|ied|ying|ication)\b",
    r"уточни\w*|уточню\w*|роз[’'ʼ]?ясни\w*",
    r"уточнил\w*|разъясни\w*",
    r"\bklargestellt\b|\bstellte klar\b|\bprécis\w* que\b|\bsprostowa\w*",
]

# Phrases with a denial word that deny nothing.
DENIAL_TRAPS = [
    r"\b(?:can(?:no|')t|could(?:n't| not)|cannot)\s+be\s+denied\b",
    r"\bthere(?:'s| is) no denying\b|\b(?:no one|nobody|none)\s+(?:can\s+|could\s+)?den(?:y|ies)\b|"
    r"\bundeniabl\w*",
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
    r"не можна заперечити|неможливо заперечити|нельзя отрицать|невозможно отрицать|"
    r"ніхто не заперечу\w*|никто не отрица\w*",
    r"fake news\b(?! about)",
    r"\b(?:can(?:no|')t|cannot|won't|will not|would not|did not|didn't|never)\s+retract\w*",
    # German, French, Polish idioms
    r"nicht zu (?:leugnen|bestreiten)|lässt sich nicht (?:leugnen|bestreiten)|"
    r"(?:niemand|keiner)\s+bestreitet|\bunbestreitbar\w*|\bunbestritten\w*|"
    r"\bbestreite\w*\s+nicht\b|\bbestritt\w*\s+nicht\b|\bnicht\s+bestritten\b",
    r"\bon ne (?:peut|saurait) (?:pas )?nier\b|\bpersonne ne (?:nie|conteste)\b|"
    r"\bne (?:nie|nient|dément) pas\b|\bindéniabl\w*|\bincontestabl\w*",
    r"\bnie da się zaprzeczyć|\bnie można zaprzeczyć|\bnikt nie zaprzecza\w*|"
    r"\bnie zaprzecz\w*|\bniezaprzeczaln\w*",
]
NEGATED_CONFIRM = [
    r"\b(?:did|does|would|could|has|have)(?:n't|\s+not)\s+(?:yet\s+)?(?:confirm|acknowledge)",
    r"\bnot (?:been |yet )?confirmed\b|\bunconfirmed\b|\bcould not (?:independently )?confirm",
    r"не\s+(?:підтверд\w*|підтвердж\w*)|не\s+(?:подтверд\w*|подтвержд\w*)|не змогли\s+\w+",
]


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


def defuse(sentence: str) -> str:
    """The sentence with its idiom traps blanked out (same length, so offsets still hold)."""
    defused = sentence.replace("’", "'").replace("ʼ", "'")
    for trap in (*TRAPS, *CONFIRM_TRAPS):
        defused = trap.sub(lambda m: "·" * len(m.group(0)), defused)
    return defused


def stance_of(sentence: str) -> tuple[str, re.Match] | None:
    """The stance a sentence expresses, with the cue that showed it, or None."""
    defused = defuse(sentence)
    for stance, patterns in CUES:
        # The cue that comes first in the sentence: "X rejected the accusations as false"
        # is read from "rejected", which names X as the responder.
        matches = [match for pattern in patterns if (match := pattern.search(defused))]
        if matches:
            match = min(matches, key=lambda m: m.start())
            if stance == Stance.CONFIRMS and OVERSTATED.search(defused):
                return Stance.PARTIALLY_CONFIRMS.value, match
            return stance.value, match
    return None


# ---------------------------------------------------------------------------------------------
# Sentences and quotations

QUOTE_SPANS = re.compile(
    r"«(?:[^«»]|«[^«»]*»)*»|“[^“”]*”|„[^„“”]*[“”]|‚[^‚‘’]*[‘’]|"
    r"(?<![\w])\"[^\"\n]*\"(?![\w])|(?<![\w])'[^'\n]{3,}'(?![\w])"
)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’]?\s+(?=[\"“«„‚A-ZА-ЯІЇЄҐЁÀ-ÖØ-Þ0-9])")
TEASER = re.compile(
    r"^(?:read (?:also|more)|see also|more about|related|also read|читайте також|"
    r"читайте также|більше про|больше по теме|по темі|по теме|lesen sie auch|mehr zum thema|"
    r"lire aussi|sur le même sujet|czytaj (?:także|też|więcej)|zobacz (?:też|także))\b\s*:?",
    re.I,
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in QUOTE_SPANS.finditer(text)]


ABBREVIATION = re.compile(
    r"(?:\b(?:Lt|Gen|Col|Maj|Capt|Sgt|Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
    r"Sep|Sept|Oct|Nov|Dec|No|vs|etc|Inc|Ltd|Co|Jr|Sr|U\.S|U\.K|e\.g|i\.e|ім|им|тис|млн|млрд|грн|"
    r"руб|г|р|ст|вул|ул|пл|т\.е|т\.д|т\.п|св|проф|акад|ген|полк|бул|Nr|bzw|z\.B|ul|godz|tzw)|"
    r"(?:^|\s)[A-ZА-ЯІЇЄҐЁ]|\b(?:[A-Z]\.){1,3}[A-Z])\.$"
)


def paragraph_sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences, never split inside a quotation or after an abbreviation."""
    spans = quote_spans(paragraph)
    parts, start = [], 0
    for end in SENTENCE_END.finditer(paragraph):
        if any(a < end.start() < b - 1 for a, b in spans):
            continue
        if ABBREVIATION.search(paragraph[max(0, end.start() - 8) : end.start()]):
            continue
        parts.append(paragraph[start : end.start()].strip())
        start = end.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def paragraphs_of(text: str) -> list[str]:
    """The body's paragraphs without "Read also" teasers."""
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n+", text or "")]
    return [p for p in paragraphs if p and not TEASER.match(p)]


def sentences(text: str) -> list[str]:
    return [s for p in paragraphs_of(text) for s in paragraph_sentences(p)]


def quotations(sentence: str) -> list[re.Match]:
    return list(QUOTE_SPANS.finditer(sentence))


def inner(quote: str) -> str:
    return re.sub(r"\s+", " ", quote[1:-1]).strip(" ,")


def looks_like_name(quote: str) -> bool:
    """«Інтерфакс-Україна», "Bild": a quoted name, not quoted words."""
    words = quote.split()
    return len(words) <= 3 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


# ---------------------------------------------------------------------------------------------
# Names

NAME_WORD = r"(?:[A-ZА-ЯІЇЄҐЁÀ-ÖØ-ÞŁŚŻŹĆŃ][\w’'ʼ.&+-]*|«[^«»]{1,60}»|\"[^\"]{1,60}\")"
NAME = rf"{NAME_WORD}(?:\s+(?:of\s+(?:the\s+)?|for\s+|de\s+|des\s+)?{NAME_WORD}){{0,5}}"
CONNECTORS = {"of", "the", "for", "and", "de", "on", "des", "du"}
INSTITUTION_WORDS = re.compile(
    r"\b(?:Office|Ministry|Minist(?:er|ry)|Council|Service|Department|Government|Police|"
    r"Army|Forces|Administration|Agency|Authority|Committee|Commission|Court|Parliament|"
    r"Embassy|Kremlin|White House|Pentagon|Cabinet|Bureau|Party|Company|Headquarters|"
    r"Staff|Command|Prosecutor|Rada|Duma|Secretariat|Foundation|Airlines?|Corporation|Inc|Ltd|"
    r"Centre|Center|Bank|Group|Fund|Bundesregierung|Regierung|Ministerium|Elysée|Ministère|"
    r"Ministerstwo|MSZ|Naftogaz|Ukrzaliznytsia|Ukrenergo|Energoatom)\b|"
    r"(?:Офіс|Міністерств|Міноборони|МЗС|Рада|Служб|Уряд|Кабмін|Кабінет|Генштаб|Генеральн|"
    r"Поліці|Полици|Прокуратур|Офис|Министерств|Минобороны|Минздрав|МИД|Кремл|Правительств|"
    r"Генштаб|Прокуратур|Госдум|Штаб|Командуван|Командован|СБУ|ГУР|НАБУ|СНБО|РНБО|Центр|"
    r"Нацбанк|НБУ|Банк|Мінфін|Минфин|Міненерго|Минэнерго|Адміністраці|Администраци|Угрупован|"
    r"Нафтогаз|Укренерго|Укрзалізниц|Укрзализныц|Газпром|Компані|Компани|Фонд|Комітет|Комитет)",
)
NOT_NAMES = {
    "he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those", "after",
    "but", "and", "then", "when", "while", "as", "if", "so", "yet", "now", "today", "later",
    "earlier", "meanwhile", "however", "also", "він", "вона", "вони", "воно", "ми", "але", "і",
    "й", "та", "коли", "після", "раніше", "також", "однак", "он", "она", "они", "оно", "мы",
    "но", "и", "когда", "после", "ранее", "также", "однако", "er", "sie", "es", "wir", "il",
    "elle", "ils", "on", "on.", "ona", "oni", "in", "at", "by", "from", "to",
}  # fmt: skip
TITLES = re.compile(
    r"^(?:(?:Defen[cs]e|Foreign|Interior|Health|Energy|Finance|Economy|Justice|Prime|Deputy|"
    r"Former|Ex-|First|Vice|Presidential|Kremlin|Government|Polish|Ukrainian|Russian|State)\s+)*"
    r"(?:President|Minister|Prime Minister|Premier|Governor|Mayor|Adviser|Advisor|Spokes\w+|"
    r"Secretary|Chairman|Chairwoman|Head|Director|Lawmaker|MP|Senator|General|Gen\.|Lt\.|"
    r"Commander|Ambassador|Chief|Deputy)\s+",
)
PERSON_DESCRIPTORS = re.compile(
    r"^(?:(?:the\s+)?(?:former|ex-|deputy|first)\s+)?(?:[a-z-]+\s+){0,3}?(?:minister|president|"
    r"adviser|advisor|spokes\w+|lawmaker|mp|governor|mayor|blogger|journalist|activist|"
    r"secretary|chairman|head|director|commander|general)\s+(?=[A-ZА-ЯІЇЄҐЁ])",
)
DESCRIPTORS = re.compile(
    r"^(?:the\s+|a\s+|an\s+)?(?:(?:several|some|many|two|three|local|russian|ukrainian|"
    r"hungarian|turkish|anonymous|pro-russian|belarusian|analytical|news|state|online|"
    r"telegram|russian-language|independent)\s+)*"
    r"(?:telegram[- ]channels?|channels?|news\s+sites?|websites?|site|outlet|newspaper|"
    r"media|agency|news agency|state agency|broadcaster|blogger|lawmaker|mp|tabloid|portal|"
    r"publication|project|page|account|group)\s+|"
    r"^(?:(?:кілька|декілька|несколько|анонімн\w+|анонимн\w+|російськ\w+|российск\w+|"
    r"білоруськ\w+|белорусск\w+|аналітичн\w+|аналитическ\w+|місцев\w+|местн\w+|"
    r"пропагандистськ\w+|пропагандистск\w+|угорськ\w+|венгерск\w+)\s+)*"
    r"(?:телеграм-канал\w*|канал\w*|видання|издание|газета|сайт|портал|агентство|"
    r"блогер\w*|нардеп|народн\w+ депутат\w*|депутат\w*|паблік\w*|паблик\w*|проєкт|проект|"
    r"журналіст\w*|журналист\w*|пабліки|чат\w*)\s+|"
    r"^(?:die\s+|der\s+|das\s+|le\s+|la\s+|les\s+|l')?(?:\"[^\"]+\"-)?(?:(?:russische|russe|"
    r"rosyjski)\s+)?(?:zeitung|site|portal|gazeta|kanał|channel)\s+",
    re.I,
)


def is_capitalised(word: str) -> bool:
    """A capital, a quoted name, or a camel-cased brand ("wPolityce")."""
    return word[:1].isupper() or word[:1] in '«"' or bool(re.match(r"[a-z]{1,2}[A-Z]", word))


# Lower-case Ukrainian and Russian words that continue a name in the genitive ("Офіс президента",
# "Министерства обороны") rather than start the predicate ("повідомило", "заявила").
CYRILLIC_GENITIVE = re.compile(
    r"^[а-яіїєґё’'ʼ-]+(?:ого|ої|их|ів|ей|ов|ії|ии|ці|ти|ки|ну|ни|ры|ри|ты|ня|а|я|у|ю|ы|і)$"
)
CYRILLIC_VERB = re.compile(
    r"(?:ла|ли|ло|ть|ся|сь|ає|ує|ює|ят|ать|ить|ил|ал|ав|ив|ів|ув|ыл|ет|ит|ут|ют|ат|є)$"
)
CYRILLIC_ADVERBS = {
    "вже", "також", "офіційно", "категорично", "официально", "также", "уже", "рішуче",
    "решительно", "раніше", "ранее", "напередодні", "накануне", "сьогодні", "сегодня", "вчора",
    "вчера", "агентству", "агентства", "журналістам", "журналистам",
}  # fmt: skip


NOT_GENITIVE = {
    "при", "для", "про", "без", "під", "над", "від", "до", "за", "на", "по", "из", "от", "как",
    "что", "що", "які", "яка", "який", "который", "которая", "та", "і", "й", "и", "або", "или",
    "але", "но",
}  # fmt: skip


# Genitive plurals in institution names that end like past-tense verbs ("справ", "сил").
NAME_GENITIVES = {
    "справ", "сил", "військ", "дел", "питань", "вопросов", "відносин", "отношений", "ресурсів",
    "ресурсов", "розслідувань", "расследований", "комунікацій", "коммуникаций", "прав",
}  # fmt: skip


def is_genitive(word: str) -> bool:
    """A lower-case Cyrillic word that can continue a name: not a verb form, not an adverb."""
    if word in NAME_GENITIVES:
        return True
    if word in CYRILLIC_ADVERBS or word in NOT_GENITIVE:
        return False
    if not re.fullmatch(r"[а-яіїєґё’'ʼ-]{3,}", word):
        return False
    if len(word) > 4 and CYRILLIC_VERB.search(word):
        return False
    return bool(CYRILLIC_GENITIVE.match(word)) or not word.endswith(("о", "е"))


# Capitalised genitives that end an institution's name: "Служба безпеки України".
PLACE_GENITIVE = re.compile(
    r"^(?:України|Украины|Росії|России|РФ|США|Польщі|Польши|Білорусі|Беларуси|Білорусії|"
    r"Казахстану|Казахстана|Молдови|Молдовы|Грузії|Грузии|Угорщини|Венгрии|Німеччини|Германии|"
    r"ЗСУ|ВСУ|РНБО|СНБО|Києва|Киева|Харкова|Харькова|Одеси|Одессы|ЄС|ЕС|ООН|НАТО)$"
)


def leading_name(text: str) -> str:
    """The name a phrase starts with: "President's Office told X" → "President's Office"."""
    words: list[str] = []
    lower_run = capitals = 0
    for word in (text or "").split():
        word_clean = word.strip(",.;:()")
        capitals += is_capitalised(word_clean)
        if word_clean.startswith("«") and "»" not in word_clean:
            # A quoted name runs to its closing mark: «Нафтогаз України»
            rest = text[text.find(word) :]
            closing = rest.find("»")
            if closing > 0:
                return " ".join([*words, rest[: closing + 1]])
        continues = word_clean.lower() in CONNECTORS or is_genitive(word_clean)
        after_genitive = lower_run and is_genitive(words[-1])
        if is_capitalised(word_clean) and (not after_genitive or PLACE_GENITIVE.match(word_clean)):
            # After "Министерства обороны" a capitalised word starts a new name, unless it is
            # the country or body the name belongs to.
            words.append(word_clean)
            if after_genitive:
                break
        elif words and continues and lower_run < (3 if capitals == 1 else 1):
            words.append(word_clean)
            lower_run += word_clean.lower() not in CONNECTORS
        else:
            break
        if word != word_clean and not word.endswith("."):
            break
    while words and words[-1].lower() in CONNECTORS:
        words.pop()
    return " ".join(words[:7])


TRAILING_WORDS = {
    "has", "have", "had", "also", "officially", "firmly", "strongly", "categorically", "flatly",
    "now", "still", "again", "immediately", "publicly", "quickly", "swiftly", "repeatedly",
    "later", "already", "himself", "herself", "itself", "hat", "hatte", "haben", "a", "ont",
    *CYRILLIC_ADVERBS,
}  # fmt: skip
TIME_TAIL = re.compile(
    r"(?:\s+(?:on|late on|early on|earlier on)\s+(?:\w+\.?\s+\d{1,2}|\w+day|\d{1,2}\s+\w+)"
    r"|\s+(?:у|в|во)\s+(?:понеділок|вівторок|середу|четвер|п'ятницю|суботу|неділю|"
    r"понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
    r"|\s+(?:am|on)\s+\w+(?:\s+in\s+\w+)?|\s+(?:mercredi|jeudi|vendredi|lundi|mardi)"
    r"|\s+(?:in a statement|in a video address|in a statement on \w+))+\s*$",
    re.I,
)


def name_before(text: str) -> str:
    """The name that ends a phrase: "Пресс-секретарь Министерства обороны Иван Петров"."""
    text = re.sub(r",?\s+(?:who|which|що|який|яка|які|который|которая|которые)\s*$", "", text)
    text = TIME_TAIL.sub("", text)
    words = re.sub(r"\s*,\s*$", "", text).split()
    while words and words[-1].lower().strip(",") in TRAILING_WORDS:
        words.pop()
    if not words or words[-1].endswith(","):
        return ""
    picked: list[str] = []
    while words and len(picked) < 8:
        word = words[-1]
        if word.endswith("»") and "«" not in word:
            # A quoted name of several words: АО «Нафтогаз України»
            joined = " ".join(words)
            start = joined.rfind("«")
            if start >= 0:
                chunk = joined[start:].split()
                picked[:0] = chunk
                del words[-len(chunk) :]
                continue
        capital = is_capitalised(word) and not word.endswith((",", ":", ";"))
        capital = capital and not (word.endswith(".") and len(word) > 3 and picked)
        joins = word.lower() in CONNECTORS and len(words) > 1 and is_capitalised(words[-2])
        # Lower-case genitives inside a Cyrillic name: "Міністерство оборони України".
        genitive = (
            is_genitive(word)
            and len(words) > 1
            and (is_capitalised(words[-2]) or (is_genitive(words[-2]) and len(words) > 2))
        )
        if not (capital or joins or genitive):
            break
        picked.insert(0, words.pop())
    while picked and not is_capitalised(picked[0]):
        picked.pop(0)
    if picked and picked[0] in {"В", "У", "Во", "In", "At", "W", "À"}:
        # "В администрации района …": the institution is read by institution_after_in.
        return ""
    name = " ".join(picked)
    name = re.sub(
        r"^(?:Earlier|Previously|Meanwhile|However|Also|Раніше|Ранее|Також|Также|Wcześniej|Zuvor),?\s*",
        "",
        name,
    )
    return "" if name.lower().strip(",.") in NOT_NAMES else name


# The nominative of a Ukrainian or Russian institution named in another case:
# "в Офісі президента" → "Офіс президента", "в Министерстве обороны" → "Министерство обороны".
HEAD_NOUNS = [
    (r"(Офіс|Офис|Кабмін|Кабмин|Кабінет|Кабинет|Уряд|Генштаб|Штаб|Центр|Комітет|Комитет|"
     r"Нацбанк|Банк|Мінфін|Минфин|Фонд|Суд|Департамент|Парламент|Газпром|Нафтогаз|Сенат)"
     r"(?:і|у|ом|е|а|ові)", r"\1"),
    (r"(Кремл)(?:і|е|я|ю|ем)", r"\1ь"),
    (r"(Міністерств|Министерств|Правительств|Агентств|Відомств|Ведомств|Посольств)(?:і|а|у|ом|е)",
     r"\1о"),
    (r"(Угрупованн|Управлінн|Командуванн)(?:і|ю|ям)", r"\1я"),
    (r"(Управлени|Командовани)(?:и|я|ю|ем)", r"\1е"),
    (r"(Служб|Рад|Прокуратур|Дум|Госдум)(?:і|и|у|ою|е|ы|ой)", r"\1а"),
    (r"(Адміністраці|Администраци|Поліці|Полици|Компані|Компани|Комісі|Комисси|Нацполіці|"
     r"Укрзалізниц|Укрзализныц)(?:ї|и|ю|єю|ей|і|ы)", r"\1я"),
]  # fmt: skip
# (language, feminine, inflected, nominative) for the adjective before the head noun.
ADJECTIVES = [
    ("uk", False, r"(\w+)(?:ому|ого|ім|им)", r"\1ий"),
    ("uk", True, r"(\w+)(?:ій|ої|у|ою)", r"\1а"),
    ("ru", False, r"(\w+)(?:ом|ого|ому|ым)", r"\1ый"),
    ("ru", True, r"(\w+)(?:ой|ую)", r"\1ая"),
]
UKRAINIAN_LETTERS = re.compile(r"[іїєґ]", re.I)


def nominative(name: str) -> str:
    words = name.split()
    if not words or not re.match(r"[А-ЯІЇЄҐЁ]", words[0]):
        return name
    for index, word in enumerate(words[:2]):
        for pattern, nominative_form in HEAD_NOUNS:
            if re.fullmatch(pattern, word, re.I):
                words[index] = re.sub(pattern, nominative_form, word, flags=re.I)
                if index == 1:
                    language = "uk" if UKRAINIAN_LETTERS.search(name) else "ru"
                    feminine = words[1].endswith(("а", "я"))
                    for adjective_language, adjective_feminine, inflected, form in ADJECTIVES:
                        if (adjective_language, adjective_feminine) != (language, feminine):
                            continue
                        if re.fullmatch(inflected, words[0]):
                            words[0] = re.sub(inflected, form, words[0])
                            break
                return " ".join(words)
    return name


def tidy(name: str) -> str:
    name = re.sub(r"^(?:Earlier|Previously|Meanwhile|However|Also),?\s*", "", name or "")
    name = re.sub(r"^(?:В|У|Во|In|At|À|W)\s+", "", name)
    name = re.sub(r"\s+", " ", name.replace("’", "'").replace("ʼ", "'")).strip(" ,.;:-—–")
    name = (
        re.sub(r"^(?:the|The|L'|l')\s*", "", name)
        if re.match(r"^(?:the|The)\s|^[Ll]'", name)
        else name
    )
    name = nominative(name)
    # "АО «Укрзализныця»", "NJSC Naftogaz": the company, without its legal form.
    name = re.sub(
        r"^(?:АО|АТ|ПАО|ПАТ|ПрАТ|НАК|ТОВ|ООО|ОАО|ДП|КП|JSC|NJSC|PJSC|LLC)\s+(?=«)", "", name
    )
    if name.startswith("«") and name.endswith("»") and name.count("«") == 1:
        name = name[1:-1]
    return name


def split_person(name: str) -> tuple[str, str]:
    """(what comes before, the person) when a phrase ends with a person's name:
    "МИД Казахстана Айбек Смадияров" → ("МИД Казахстана", "Айбек Смадияров")."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    last = words[-2:]
    looks_personal = all(
        re.fullmatch(r"[A-ZА-ЯІЇЄҐЁ][a-zа-яіїєґё'’-]+", w)
        and not INSTITUTION_WORDS.search(w)
        and not PLACE_GENITIVE.match(w)
        for w in last
    )
    if not looks_personal:
        return name, ""
    return " ".join(words[:-2]), " ".join(last)


def bare_person(name: str) -> str:
    """ "Defense Minister Denys Shmyhal" → "Denys Shmyhal"; institutions stay as they are."""
    stripped = TITLES.sub("", name)
    if stripped != name and len(stripped.split()) >= 2:
        return stripped
    before, person = split_person(name)
    return person if person and before else name


def is_person(name: str) -> bool:
    return (
        bool(NAMED_PERSON.match(name))
        and not is_institution(name)
        and not any(PLACE_GENITIVE.match(w) for w in name.split())
    )


def is_institution(name: str) -> bool:
    return bool(INSTITUTION_WORDS.search(name)) or (name.isupper() and len(name) > 1)


# ---------------------------------------------------------------------------------------------
# Who responded, and on whose authority

SOURCE_IN = re.compile(
    r"\b(?:an?\s+)?(?:informed\s+|senior\s+|knowledgeable\s+|anonymous\s+|unnamed\s+|"
    r"high-ranking\s+)?(?:sources?|insiders?|officials?)\s+(?:in|at|from|within|close to|inside)\s+"
    r"(?:the\s+)?(?P<org>[A-Z][^,;]{1,80})"
    r"|(?:поінформован\w+\s+|обізнан\w+\s+|анонімн\w+\s+|високопоставлен\w+\s+)?джерел\w*\s+"
    r"(?:в|у|із|з|при)\s+(?P<org_uk>[А-ЯІЇЄҐ«][^,;—–]{1,80})"
    r"|(?:информированн\w+\s+|осведомленн\w+\s+|анонимн\w+\s+|высокопоставленн\w+\s+)?"
    r"источник\w*\s+(?:в|во|из|при)\s+(?P<org_ru>[А-ЯЁ«][^,;—–]{1,80})"
    r"|(?:Quelle|Kreise)\w*\s+(?:in|aus)\s+(?:der|dem)\s+(?P<org_de>[A-ZÄÖÜ][^,;]{1,80})"
    r"|source\s+(?:au sein|à|au|dans)\s+(?:de\s+)?(?:la\s+|le\s+|l')?(?P<org_fr>[A-ZÉ][^,;]{1,80})"
    r"|źródł\w+\s+w\s+(?P<org_pl>[A-ZŁŚŻ][^,;]{1,80})",
    re.I,
)
ANONYMOUS_WORDS = re.compile(
    r"\b(?:on condition of anonymity|who (?:asked|declined) (?:not )?to be (?:named|identified)|"
    r"speaking anonymously|the agency's source|the source said|(?:informed|anonymous|unnamed) "
    r"sources?)\b|на условиях анонимности|на умовах анонімності|співрозмовник\w*|"
    r"собеседник\w*|поінформован\w+ джерел\w*|осведомленн\w+ источник\w*",
    re.I,
)
SPOKES_WORDS = (
    r"spokes(?:person|man|woman)|press (?:secretary|officer|office|service)|"
    r"(?:official\s+)?representative|речни\w*|речниц\w*|прес-?секретар\w*|прессекретар\w*|"
    r"прес-?служб\w*|пресс-секретар\w*|пресс-служб\w*|официальн\w+ представител\w*|"
    r"офіційн\w+ представни\w*|Regierungssprecher\w*|Sprecher\w*|porte-parole|rzeczni\w*"
)
SPOKESPERSON = re.compile(rf"\b(?:{SPOKES_WORDS})", re.I)
SPOKES_OF = re.compile(
    r"(?:spokes(?:person|man|woman)|press (?:secretary|service|office)|representative)"
    r"\s+(?:for|of|at)\s+(?:the\s+)?(?P<org>[^,;]+)"
    r"|(?:пресс-секретар\w*|пресс-служб\w*|прес-?секретар\w*|прессекретар\w*|прес-?служб\w*|"
    r"речни\w*|речниц\w*|представител\w*|представни\w*)\s+(?P<org_cyr>[А-ЯІЇЄҐЁ«][^,;—–]+)"
    r"|(?:Sprecher\w*|porte-parole|rzeczni\w*)\s+(?:des\s+|der\s+|de\s+(?:la\s+|l')?)?"
    r"(?P<org_eu>[A-ZÉŁ][^,;]+)",
    re.I,
)
STATEMENT = re.compile(
    r"\b(?:(?:said|says) in a statement|in a (?:written |joint |official )?statement|"
    r"(?:issued|released|published) a statement|statement (?:said|says|read)|"
    r"official statement|on its (?:website|telegram channel|channel|page)|said on its)\b|"
    r"у заяві|в заяві|йдеться в|у повідомленні|в повідомленні|в заявлении|в сообщении|"
    r"говорится в|официальн\w+ заявлени\w*|телеграм-канал\w* (?:міністерства|ведомства)",
    re.I,
)
NAMED_PERSON = re.compile(r"^[A-ZА-ЯІЇЄҐЁ][\w'-]+(?:\s+[A-ZА-ЯІЇЄҐЁ][\w'.-]+){1,3}$")
# Generic references that point back at the responder named earlier.
GENERIC_REFERENCE = re.compile(
    r"^(?:the\s+)?(?:ministry|company|council|service|office|agency|government|department|"
    r"bureau|operator|administration|embassy|kremlin|army|military|police|group|bank|"
    r"міністерств\w*|компані\w*|відомств\w*|служб\w*|министерств\w*|ведомств\w*|компани\w*)$",
    re.I,
)


# Institutions written in lower case after "в"/"у": "в администрации района", "у мерії".
LOWER_INSTITUTION = (
    r"администрац\w+|адміністрац\w+|мэри\w|мері\w|правительств\w+|министерств\w+|"
    r"міністерств\w+|уряді|компани\w+|компані\w+|посольств\w+|відомств\w+|ведомств\w+|"
    r"офісі|офисе|мерии|мэрии"
)
IN_INSTITUTION = re.compile(
    rf"(?:^|\s|,)(?:В|У|в|у|Во|во)\s+(?=[А-ЯІЇЄҐЁ«]|(?:{LOWER_INSTITUTION})\b)"
)
GENERIC_BODIES = re.compile(
    r"^(?:the\s+)?(government|ministry|kremlin|cabinet|presidential office|army|military|police)\b",
    re.I,
)
ARTICLE_BEFORE = re.compile(r"\b(?:einen|einem|eine|einer|den|dem|ein|la|le|les|un|une)\s+\S+\s*$")
SAID_IN = re.compile(
    r"(?:повідомили|заявили|зазначили|сказали|наголосили|сообщили|отметили|заявили|"
    r"подчеркнули|пояснили)\s+(?:агентству\s+|журналістам\s+|журналистам\s+)?"
    r"(?:в|у|во)\s+(?P<org>[^,.;—–]{2,80})"
)


def lower_led_name(text: str) -> str:
    """leading_name for a phrase that may start in lower case ("администрации района")."""
    text = text.strip()
    return leading_name(text[:1].upper() + text[1:]) if text else ""


ENGLISH_BODY = re.compile(
    r"(?P<who>[A-Z][\w'’.-]+(?:\s+[a-z]+){0,2}\s+(?:ministry|office|council|government|police|"
    r"service|agency|embassy|administration|army|command|department))"
    r"(?:\s+(?:has|have|had))?\s*$"
)


def english_body(text: str) -> str:
    """ "Poland's interior ministry has": a lower-case institution named after its owner."""
    found = ENGLISH_BODY.search(TIME_TAIL.sub("", text.strip()))
    return found.group("who") if found else ""


def institution_after_in(sentence: str, cue: re.Match) -> str:
    """ "В Офісі президента спростували …", "У МЗС заявили …": the institution before the cue."""
    before = sentence[: cue.start()]
    found = list(IN_INSTITUTION.finditer(before))
    return lower_led_name(before[found[-1].end() :]) if found else ""


def said_after(sentence: str, cue: re.Match) -> str:
    """The responder named after the cue: "…, the ministry said", "…, повідомили в X"."""
    rest = sentence[cue.end() :]
    inside = SAID_IN.search(rest)
    if inside:
        return lower_led_name(
            re.sub(r"^(?:пресс-служб\w*|прес-?служб\w*)\s+", "", inside.group("org"))
        )
    after = re.search(
        rf"(?:,|—|–)\s*(?:an?\s+|the\s+)?(?:[a-z-]+\s+){{0,3}}?(?P<who>{NAME}|[a-z]+(?:\s+[a-z]+)?)"
        r"(?:,\s*[^,]{2,80},)?\s+(?:said|says|told|wrote|added|"
        r"сказав|сказала|заявив|заявила|сказал|заявил|написав|написал|"
        r"a déclaré|sagte|powiedział)\b"
        rf"|(?:said|told|заявив|заявила|заявил|заявила|сказав|сказал)\s+(?P<who2>{NAME})",
        rest,
    )
    if not after:
        return ""
    who = after.group("who") or after.group("who2")
    return who if is_capitalised(who) or GENERIC_BODIES.match(who) else ""


PREDICATIVE = re.compile(
    r"^(?:reports?|claims?|allegations?|accusations?|information|story|stories|rumou?rs?|it|this|"
    r"that|these|those|video|photo|image|document|assertions?|news|suggestions?|speculation|"
    r"statements?|is|was|are|were|been|there|says?|said|не відповіда|не соответству|неправд|"
    r"фейк|безпідставн|вигадк|дезінформ|дезинформ|ложь|лжи|ist|sind|sei|est|sont|to nieprawda|"
    r"nieprawd|fałszyw|безосновательн|выдумк)",
    re.I,
)


def responder_of(sentence: str, cue: re.Match) -> tuple[str, str, str]:
    """(responder, attribution, speaker name) for a response sentence."""
    anonymous = SOURCE_IN.search(sentence)
    if anonymous and anonymous.start() > cue.start() and not PREDICATIVE.match(cue.group(0)):
        # "The Pentagon rejected …, and sources in the camp told …": the subject answers.
        subject = tidy(name_before(sentence[: cue.start()]))
        if subject and (is_institution(subject) or is_person(bare_person(subject))):
            anonymous = None
    if anonymous:
        group = next(g for g in anonymous.groupdict() if anonymous.group(g))
        org = re.split(
            r"\s+(?:told|said|says|told|повідомил\w*|сказал\w*|заявил\w*|сказав\w*|заявив\w*)\b",
            anonymous.group(group),
        )[0]
        name = leading_name(org)
        if not name and GENERIC_BODIES.match(org):
            name = GENERIC_BODIES.match(org).group(1)
        return tidy(name), Attribution.ANONYMOUS_SOURCE.value, ""
    before = sentence[: cue.start()]
    who = "" if PREDICATIVE.match(cue.group(0)) else tidy(name_before(before))
    if not who and PREDICATIVE.match(cue.group(0)):
        # "Kyiv City Council on Tuesday said claims that … were false"
        said = re.search(r"^(?P<who>.+?)\s+(?:said|says|stated|insisted)\s*(?:that\s*)?$", before)
        if said:
            who = tidy(name_before(said.group("who")) or english_body(said.group("who")))
    if who and ARTICLE_BEFORE.search(before):
        # German and French capitalise or name objects: "hat einen Bericht dementiert".
        who = tidy(leading_name(re.sub(r"^(?:Die|Der|Das|Le|La|Les|L')\s*", "", sentence)))
    if not who:
        who = tidy(said_after(sentence, cue))
    if not who:
        who = tidy(institution_after_in(sentence, cue))
    spokes = SPOKESPERSON.search(sentence)
    if spokes:
        org = SPOKES_OF.search(sentence)
        org_name = ""
        org_text = ""
        if org:
            org_text = org.group("org") or org.group("org_cyr") or org.group("org_eu")
            org_name = tidy(leading_name(org_text))
        if not org_name:
            # "Kremlin spokesman Dmitry Peskov", "Foreign Ministry spokesman Heorhii Tykhyi"
            org_name = tidy(name_before(sentence[: spokes.start()]))
            org_name = re.sub(r"^(?:Prime|Deputy)\s+", "", org_name)
        speaker = ""
        if org_name:
            before, person = split_person(org_name)
            if person and before:
                org_name, speaker = tidy(before), person
        after_title = re.match(
            rf"\s*(?:[a-zа-яіїєґё]\w*\s+)?(?P<name>{NAME})", sentence[spokes.end() :]
        )
        if not speaker and after_title and is_person(after_title.group("name").rstrip(".,;:")):
            speaker = after_title.group("name").rstrip(".,;:")
        if not speaker and org_text:
            # "прессекретар Національної поліції Олександр Гуменюк"
            raw = leading_name(org_text)
            after_org = re.match(rf"\s*(?P<name>{NAME})", org_text[org_text.find(raw) + len(raw) :])
            if raw and after_org and is_person(after_org.group("name").rstrip(".,;:")):
                speaker = after_org.group("name").rstrip(".,;:")
        if not org_name and who and is_institution(who):
            org_name = who
        if (org_name and is_institution(org_name)) or (org_name and not who):
            return org_name, Attribution.SPOKESPERSON.value, speaker
    if who and TITLES.match(who) and is_person(bare_person(who)):
        person = bare_person(who)
        return person, Attribution.NAMED_OFFICIAL.value, person
    if STATEMENT.search(sentence) and who:
        return who, Attribution.OFFICIAL_STATEMENT.value, ""
    if who and is_institution(who):
        return who, Attribution.OFFICIAL_STATEMENT.value, ""
    if who and is_person(bare_person(who)):
        person = bare_person(who)
        return person, Attribution.NAMED_OFFICIAL.value, person
    return who, Attribution.UNATTRIBUTED.value, ""


# ---------------------------------------------------------------------------------------------
# The claim and who made it

HEDGES = re.compile(
    r"\b(?:allegedly|reportedly|supposedly|purportedly|apparently)\s+|"
    r"(?:нібито|начебто|мовляв|буцімто|якобы|будто бы|предположительно)\s+|"
    r"\b(?:angeblich|prétendument|rzekomo)\s+",
    re.I,
)
REPORT_NOUNS = (
    r"(?:media\s+)?(?:reports?|claims?|allegations?|accusations?|rumou?rs?|information|"
    r"suggestions?|speculation|statements?|assertions?|the claim|the allegation|the report)"
)
FALSITY = (
    r"(?:untrue|not true|false|fake|a fake|baseless|groundless|a lie|lies|disinformation|"
    r"nonsense|fabricated|\"?completely untrue\"?)"
)
WHAT_WAS_DENIED = [
    # "denied reports that X", "Reports that X are untrue"
    rf"\b{REPORT_NOUNS}\s+(?:that|of|about)\s+(?P<claim>.{{8,300}}?)"
    rf"(?:,?\s+(?:is|was|are|were)\s+(?:\"?completely\s+|absolutely\s+|totally\s+)?[\"“]?{FALSITY}|"
    r",\s+(?:calling|saying|as alleged|an? \w+ source|the \w+ said)|[.;!?]?$)",
    r"\b(?:den(?:y|ies|ied)|rejected|dismissed|refuted)\s+(?:\w+\s+)?(?:claims?\s+)?(?:that|he|she)\s+"
    r"(?P<claim>.{8,300}?)(?:[.;!?]?$|,\s+(?:calling|saying|as alleged))",
    r"(?:звинувачен\w*|обвинени\w*)\s+(?:[\w«»'’-]+\s+){0,3}?(?:в|у|во)\s+"
    r"(?P<claim_accused>.{8,300}?)(?:,\s+(?:назвав|назвавши|назвали|назвав)|[.;!?]?$)",
    r"(?:запереч\w*|спростува\w*|опроверг\w*|отрица\w*)\s*,\s+(?:що|что)\s+"
    r"(?P<claim_denied>.{8,300}?)[.;!?]?$",
    # "Fake: X", "Фейк: X" (a debunk's headline)
    r"^\W*(?:fake|false|фейк|неправда|фейк|ложь|dezinformacja|falsch)\s*[:—–-]\s*"
    r"(?P<claim_labelled>.{8,300}?)[.!]?$",
    r"\bno (?:proof|evidence)['’\"”]?\s+(?:that\s+)?(?P<claim_proof>[^,;]{8,200}?)[.;]?$",
    r"\baccus\w+\s+(?P<claim_accused_en>\w+\s+of\s+[^,;]{8,200}?),\s+which\b",
    r"\bden(?:y|ies|ied|ying)\s+(?P<claim_ing>[a-z]+ing\b.{4,300}?)"
    r"(?:,\s+as\s|\s+and\s+(?:said|says|added|insisted)\b|[.;]?$)",
    r"\b(?:Claims?|Reports?|Allegations?)\s+that\s+(?P<claim>.{8,300}?)\s+(?:are|is|were|was)\s+",
    # "The report that X is untrue", "A report that X is untrue"
    r"\b(?:the|a)\s+(?:report|claim|information)\s+that\s+(?P<claim>.{8,300}?),?\s+(?:is|was)\s+",
    # "The Kremlin … denied a report that X", handled above; "X is fake" on its own
    # Ukrainian
    r"(?:повідомлен\w*|інформаці\w*|заяв\w*|чутк\w*|твердженн\w*|звинувачен\w*)\s+"
    r"(?:[\w«»'’-]+\s+){0,5}?(?:про те,?\s+)?(?:що|про|щодо)\s+(?P<claim_uk>.{8,300}?)"
    r"(?:,\s+(?:не відповіда|є\s|є$|назвавши|назвали|—)|,?\s+є\s+(?:фейком|вигадкою|неправдою)|"
    r"\s+не відповіда\w* дійсності|"
    r",\s+(?:поширювану|які|що)\s|[.;!?]?$)",
    # Russian
    r"(?:сообщени\w*|информаци\w*|заявлени\w*|слух\w*|утверждени\w*|обвинени\w*)\s+"
    r"(?:[\w«»'’-]+\s+){0,5}?(?:(?:о том,?\s+)?(?:что|о|об|про)\s+)(?P<claim_ru>.{8,300}?)"
    r"(?:,\s+(?:не соответству|явля|—)|,?\s+(?:являются|является)\s+|"
    r"\s+не соответству\w* действительности|[.;!?]?$)",
    # German, French, Polish
    r"\b(?:Bericht\w*|Meldung\w*|Behauptung\w*)(?:\s+\w+)?,?\s+(?:wonach|dass)\s+(?P<claim_de>.{8,300}?)"
    r"(?:[.;!?]?$|,\s+(?:sagte|hieß))",
    r"\b(?:informations?|affirmations?|allégations?|accusations?)\s+(?:selon lesquelles|"
    r"selon laquelle|affirmant que)\s+(?P<claim_fr>.{8,300}?)(?:[.;!?]?$)",
    r"\b(?:doniesienia|informacje|informację|pogłoski|zarzuty)\s+(?:o\s+|że\s+|, że\s+)"
    r"(?P<claim_pl>.{8,300}?)(?:[.;!?]?$)",
]
WHAT_WAS_DENIED = [re.compile(p, re.I) for p in WHAT_WAS_DENIED]
CLAIM_VERBS = (
    r"said|reported|claimed|alleged|wrote|posted|suggested|asserted|stated|published|"
    r"повідомив|повідомила|повідомило|повідомили|повідомляв|повідомляла|заявив|заявила|заявило|"
    r"заявили|написав|написала|написало|написали|стверджував|стверджувала|стверджують|писав|"
    r"поширив|поширила|поширили|сообщил|сообщила|сообщило|сообщили|сообщало|заявил|заявила|"
    r"заявило|написал|написала|написало|написали|утверждал|утверждала|утверждают|писал|писала|"
    r"распространил|распространила|распространили|berichtet|berichtete|meldete|schrieb|"
    r"affirmé|rapporté|écrit|affirmait|napisał|napisała|podał|podała|poinformował|"
    r"claim|claims|поширюють|поширює|стверджують|пишуть|распространяют|утверждают|пишут"
)
EARLIER = (
    r"(?:Earlier|Previously|Before that|Раніше|Ранее|Перед тим|Накануне|Напередодні|Zuvor|"
    r"Auparavant|Wcześniej)"
)
CLAIMANT_BY = re.compile(
    r"\b(?:first\s+)?(?:made|published|spread|posted|reported|appeared|shared|circulated|"
    r"alleged)\b[^.]{0,40}?\bby\s+(?P<who>.{2,120})"
    r"|\bappeared\b[^.]{0,40}?\b(?:on|in)\s+(?P<where>[^,]{2,120}),\s+which\b"
    r"|(?:з'явил\w*|з’явил\w*|появил\w*|поширил\w*|распространил\w*)\s+(?:в|у|во)\s+"
    r"(?P<where_cyr>[^,.;]{2,80})"
)


APPOSITION = re.compile(
    r"^(?:the\s+|The\s+)?(?:(?:Secretary|Head|head|Chairman|chairman|Director|director|Minister|"
    r"minister|Commander|commander|Chief|chief|Governor|governor|Mayor|mayor|Speaker|speaker|"
    r"President|president|former|Former|CEO)\b[^,]{0,120}?),\s+"
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+),\s+(?P<rest>.+)$"
)


def clean_claim(text: str) -> str:
    text = HEDGES.sub("", text.strip(' ,"“”«»„'))
    # "Secretary of the NSDC, Rustem Umerov, refused …" → "Umerov refused …", as a headline
    # (and the seed chain) would put it.
    apposition = APPOSITION.match(text)
    if apposition:
        text = f"{apposition.group('name').split()[-1]} {apposition.group('rest')}"
    text = re.sub(r",?\s+as alleged by .*$|,?\s+as (?:reported|claimed) by .*$", "", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    return text[:1].upper() + text[1:] if text else text


# A denied object that only points back ("any of that", "the accusation"): the claim is in
# another sentence, so the draft leaves it for the editor.
ANAPHORA = re.compile(
    r"^(?:ever\s+)?(?:said|did|done|made)\s+(?:any of\s+|all of\s+)?(?:that|this|it|them)$|"
    r"^(?:it|this|that|them|everything|all|the|these|those|such)\s*"
    r"(?:accusations?|allegations?|claims?|reports?|charges?)?$",
    re.I,
)


def denied_claim(sentence: str) -> str:
    """What a response sentence says was denied, or ""."""
    for pattern in WHAT_WAS_DENIED:
        found = pattern.search(sentence)
        if found:
            claim = next(v for k, v in found.groupdict().items() if v)
            # The claim ends where the sentence's own attribution begins.
            claim = re.split(
                r",\s+(?:an?\s+\w+\s+source|the\s+\w+\s+said|[a-z]+\s+spokes\w+|"
                r"(?:повідомил|сообщил|заявил|сказал)\w*)",
                claim,
            )[0]
            claim = re.sub(r"\s+from\s+[\w\s]+(?:and|but)\s*$", "", claim)
            claim = re.split(r",\s+(?:but|though|although|however|але|однак|но|однако)\s", claim)[0]
            if "claim_accused_en" in found.groupdict() and found.group("claim_accused_en"):
                # "accusing it of backing the attack" → "it backing the attack"
                claim = re.sub(r"\s+of\s+", " ", claim, count=1)
            if ANAPHORA.match(claim):
                return ""
            return clean_claim(claim)
    return ""


GENERIC_CLAIMANTS = {"Telegram channels", "Телеграм-канали", "Телеграм-каналы"}
REPORT_WORDS = re.compile(
    r"^(?:reports?|claims?|information|rumou?rs?|повідомлен\w*|інформаці\w*|чутк\w*|"
    r"сообщени\w*|информаци\w*|слух\w*|відео|видео|video)$",
    re.I,
)
TIME_WORDS = (
    r"(?:(?:у|в|во)\s+(?:понеділок|вівторок|середу|четвер|п'ятницю|суботу|неділю|понедельник|"
    r"вторник|среду|четверг|пятницу|субботу|воскресенье)|on \w+day|напередодні|накануне|"
    r"сьогодні|сегодня|вчора|вчера)"
)


def strip_descriptor(name: str) -> str:
    name = re.sub(rf"^{EARLIER},?\s*", "", name.strip(" .,;:"))
    name = re.sub(rf"^{TIME_WORDS},?\s*", "", name, flags=re.I)
    name = re.sub(r"^(?:Die|Der|Das)?\s*[\"«„]([^\"»“]+)[\"»“]-\w+$", r"\1", name)
    channels = re.fullmatch(
        r"(?:(?:several|some|a few|many|multiple|anonymous|russian|pro-russian|ukrainian)\s+)*"
        r"(telegram channels)|"
        r"(?:(?:кілька|декілька|кількох|декількох|низка|анонімн\w+|російськ\w+)\s+)*"
        r"(телеграм-канал(?:и|ів|ах))|(?:(?:несколько|нескольких|ряд|анонимн\w+|российск\w+)\s+)*"
        r"(телеграм-канал(?:ы|ов|ах))",
        name,
        re.I,
    )
    if channels:
        found = next(g for g in channels.groups() if g)
        ukrainian = bool(UKRAINIAN_LETTERS.search(name))
        plural = {"ів": "и", "ов": "ы", "ах": "и" if ukrainian else "ы"}.get(found[-2:], "")
        found = found[:-2] + plural if plural else found
        return found[:1].upper() + found[1:]
    for _ in range(2):
        name = DESCRIPTORS.sub("", name).strip()
        name = PERSON_DESCRIPTORS.sub("", name).strip()
    return name


def claimant_in(sentence: str) -> tuple[str, str]:
    """(claimant, what they said) when the sentence reports an earlier claim."""
    said = re.search(
        rf"(?:^|[.;]\s+|{EARLIER},?\s+)(?P<pre>.{{0,120}}?)\s*(?:had\s+|hatte\s+|avait\s+)?"
        rf"\b(?:{CLAIM_VERBS})\b(?P<post>.{{0,160}})",
        sentence,
    )
    if not said:
        return "", ""
    pre, post = said.group("pre").strip(" ,"), said.group("post")
    claim = ""
    that = re.search(
        r"(?:^|,\s*|\s)(?:that|що|что|, що|, что|dass|que|że|, że|о|об|про)\s+"
        r"(?P<claim>[^.;!?]{8,300})",
        post,
    )
    if that:
        claim = that.group("claim")
    pre = re.sub(r"\s+(?:on|in)\s+\w+day\s*$|\s+(?:у|в)\s+\w+\s*$", "", pre)
    pre = re.sub(
        r",?\s+(?:citing|with reference to|з посиланням|со ссылкой|unter Berufung).*$", "", pre
    )
    generic = strip_descriptor(pre)
    if generic in GENERIC_CLAIMANTS:
        return generic, claim
    # "Про евакуацію написало видання X", "Відео … поширив блогер X": the subject follows.
    object_first = re.match(
        r"(?:про|о|об|відео|видео|повідомлення|інформацію|сообщения|информацию|фото)\b", pre, re.I
    )
    who = "" if object_first else name_before(pre)
    if not who and len(pre.split()) <= 4:
        who = leading_name(generic)
    who = strip_descriptor(tidy(who))
    if REPORT_WORDS.match(who):
        who = ""
    if not who or who.lower() in NOT_NAMES:
        # Verb before subject: "Про евакуацію написало видання «Известия»"
        subject = re.sub(
            r"^\s*(?:(?:у|в|во)\s+\w+|напередодні|накануне|в неділю|в понеділок|"
            r"у вівторок|on \w+day)\s*",
            "",
            post.split(",")[0],
        )
        who = strip_descriptor(tidy(leading_name(strip_descriptor(subject.strip()))))
    if who.lower() in NOT_NAMES or len(who) < 2:
        return "", claim
    return who, claim


NAME_BEFORE_QUOTE = re.compile(
    r"(?:сайт|видання|издание|канал\w*|газет\w*|агентств\w*|портал|АО|НАК|ПАО|ООО|ТОВ|"
    r"компані\w*|компани\w*|проєкт|проект|newspaper|site|channel|outlet|portal)\s*$",
    re.I,
)


def mask_quotes(sentence: str) -> str:
    """Quoted words blanked out, so that what a quote says is not read as the sentence's;
    quoted names ("сайт «Судовий репортер»") stay."""

    def blank(match: re.Match) -> str:
        words = inner(match.group(0))
        named = NAME_BEFORE_QUOTE.search(sentence[max(0, match.start() - 30) : match.start()])
        return match.group(0) if looks_like_name(words) or named else "…"

    return QUOTE_SPANS.sub(blank, sentence)


def same_actor(a: str, b: str) -> bool:
    """ "Podolyak" and "Mykhailo Podolyak", "Міноборони" and "Міністерство оборони" match."""
    a_words = {w.casefold()[:5] for w in re.findall(r"\w{4,}", a or "")}
    b_words = {w.casefold()[:5] for w in re.findall(r"\w{4,}", b or "")}
    return bool(a_words & b_words)


def claim_and_claimant(
    all_sentences: list[str], response: int, title: str, responder: str
) -> tuple[str, str]:
    claim = denied_claim(all_sentences[response]) if response >= 0 else ""
    claimant, earlier_claim = "", ""
    others = [
        mask_quotes(s)
        for i, s in enumerate(all_sentences)
        if i != response and not (stance_of(s) and stance_of(s)[0] in DENYING and i < response)
    ]
    earlier = [s for s in others if re.search(EARLIER, s)]
    own = [all_sentences[response]] if response >= 0 else []
    passes = [
        (own, lambda s: (by_whom(s), "")),
        (earlier, claimant_in),
        (others, lambda s: (by_whom(s), "")),
        (others, claimant_in),
    ]
    for candidates, read in passes:
        for sentence in candidates:
            who, said = read(sentence)
            if who and not same_actor(who, responder) and who.lower() not in NOT_NAMES:
                claimant, earlier_claim = who, said
                break
        if claimant:
            break
    if claimant:
        claimant = full_name(bare_person(claimant), all_sentences)
    if not claim and earlier_claim:
        claim = clean_claim(earlier_claim)
    if not claim and title:
        claim = denied_claim(title)
    return claim, claimant


def full_name(name: str, all_sentences: list[str]) -> str:
    """ "Bezuhla" → "Mariana Bezuhla" when the text names her in full."""
    if " " in name or not re.fullmatch(r"[A-ZА-ЯІЇЄҐЁ][\w'’-]+", name):
        return name
    for sentence in all_sentences:
        found = re.search(rf"\b([A-ZА-ЯІЇЄҐЁ][a-zа-яіїєґё'’-]+)\s+{re.escape(name)}\b", sentence)
        if found and not INSTITUTION_WORDS.search(found.group(1)):
            return f"{found.group(1)} {name}"
    # Ukrainian and Russian texts often give the full name only in another case:
    # "заяву … Віктора Орбана" → "Віктор Орбан", "главы МИД Сергея Лаврова" → "Сергей Лавров".
    if re.match(r"[А-ЯІЇЄҐЁ]", name):
        inflected = rf"\b([А-ЯІЇЄҐЁ][а-яіїєґё'’-]+)\s+{re.escape(name)}(?:а|я|у|ю|ом|ем|ой|ої|ій)\b"
        for sentence in all_sentences:
            found = re.search(inflected, sentence)
            if found and not INSTITUTION_WORDS.search(found.group(1)):
                return f"{first_name_nominative(found.group(1))} {name}"
    return name


def first_name_nominative(word: str) -> str:
    """A first name in the genitive back in the nominative, by its ending."""
    for ending, nominative_ending in (("ія", "ій"), ("ея", "ей"), ("ії", "ія"), ("ы", "а")):
        if word.endswith(ending):
            return word[: -len(ending)] + nominative_ending
    if word.endswith("а"):
        return word[:-1]
    if word.endswith("и"):
        return word[:-1] + "а"
    return word


def by_whom(sentence: str) -> str:
    by = CLAIMANT_BY.search(sentence)
    if not by:
        return ""
    if by.group("where"):
        return strip_descriptor(tidy(name_before(by.group("where"))))
    if by.group("where_cyr"):
        where = re.split(r"\s+(?:із|з|со|с)\s+(?:посиланням|ссылкой)", by.group("where_cyr"))[0]
        generic = strip_descriptor(where)
        return generic if generic in GENERIC_CLAIMANTS else ""
    who = re.sub(r"\s*\(([A-ZА-ЯІЇЄҐЁ]{2,})\).*$", "", by.group("who"))
    return strip_descriptor(tidy(leading_name(tidy(strip_descriptor(who)))))


# ---------------------------------------------------------------------------------------------
# The quote

SAY_VERBS = (
    r"said|says|told|wrote|added|explained|stressed|noted|insisted|posted|сказав|сказала|"
    r"сказало|сказали|заявив|заявила|заявило|заявили|зазначив|зазначила|зазначили|повідомили|"
    r"повідомив|повідомила|пояснили|пояснив|написав|написала|написало|наголосив|наголосили|"
    r"йдеться|сказал|заявил|сообщили|сообщил|написал|написала|отметил|отметили|говорится|"
    r"подчеркнул|sagte|erklärte|schrieb|hieß|a déclaré|a dit|a précisé|a-t-il|a-t-elle|"
    r"powiedział|powiedziała|dodał|napisał"
)
SAID_AFTER = re.compile(
    rf"^\s*[,.!?]?\s*(?:[—–-]+\s*)?(?P<pre>[^.;:\"“”«»—–]{{0,80}}?)\s*\b(?P<verb>{SAY_VERBS})\b"
    r"(?P<rest>[^.;:\"“«]{0,100})",
    re.I,
)
SAID_BEFORE = re.compile(
    rf"(?P<who>[^.;:]{{0,120}}?)\s+(?:{SAY_VERBS})\b[^.;:«“\"]{{0,60}}"
    r"(?::|\bthat|,? що|,? что|,? że)\s*$",
    re.I,
)
CLAIMANT_SPEAKERS = re.compile(
    r"\b(?:channel|blogger|site|outlet|newspaper|tabloid)\b|канал\w*|блогер\w*|видання|издание|"
    r"газет\w*|паблік\w*|паблик\w*",
    re.I,
)


def speaker_of(text: str, start: int, end: int) -> str:
    """Whoever the words between start and end are attributed to, as written, or ""."""
    after = SAID_AFTER.match(text[end : end + 200])
    if after:
        return after.group("pre").strip(" ,") or after.group("rest").strip(" ,")
    before = SAID_BEFORE.search(text[:start])
    return before.group("who").strip() if before else ""


def acronym(name: str) -> str:
    """ "Центр протидії дезінформації" → "ЦПД"."""
    letters = [w[0].upper() for w in re.findall(r"\w{3,}", name or "")]
    return "".join(letters) if len(letters) >= 2 else ""


def points_at(speaker: str, responders: tuple[str, ...], claimant: str) -> bool | None:
    """True when the speaker is the responder, False when it is someone else, None if unknown."""
    if not speaker:
        return None
    low = speaker.casefold()
    for name in responders:
        if name and any(w.casefold()[:5] in low for w in re.findall(r"\w{4,}", name)):
            return True
        if acronym(name) and re.search(rf"\b{acronym(name)}\b", speaker):
            return True
    if STATEMENT.search(speaker):
        return True
    if claimant and any(w.casefold()[:5] in low for w in re.findall(r"\w{4,}", claimant)):
        return False
    if CLAIMANT_SPEAKERS.search(speaker):
        return False
    if SPOKESPERSON.search(speaker):
        return True
    if re.search(
        r"\b(?:he|she|they|the (?:\w+ )?(?:ministry|company|council|service|office|source|"
        r"agency's source|spokes\w+|operator|press service|bureau|government|department|"
        r"president|minister))\b|він|вона|він|співрозмовник|джерело|он\b|она\b|собеседник|"
        r"источник|в пресс-служб|в прес-служб|у пресслужб|в заяв|у заяв|в сообщени|в повідомлен|"
        r"міністерств|министерств|ведомств|відомств|er\b|sie\b|il\b|elle\b|minister",
        low,
    ):
        return True
    return None


CALLING = re.compile(
    r"\b(?:calling|called|describing|described|terming|termed|labelling|labeling)\b[^“\"«.]{0,40}$"
    r"|(?:називаючи|назвавши|назвав|назвала|назвали|называя|назвав|назвал|назвала|назвали)"
    r"[^«“\".]{0,40}$",
    re.I,
)


def pick_quote(
    paragraphs: list[list[str]], where: tuple[int, int], responders: tuple[str, ...], claimant: str
) -> tuple[str, str]:
    """The responder's quoted words: in the response sentence or the paragraphs around it."""
    paragraph_index, sentence_index = where
    fallback = None
    order = [paragraph_index, paragraph_index + 1, paragraph_index + 2, paragraph_index - 1]
    for offset, index in enumerate(order):
        if not 0 <= index < len(paragraphs):
            continue
        text = " ".join(paragraphs[index])
        for match in quotations(text):
            words = inner(match.group(0))
            if len(words) < 3 or looks_like_name(words) or not re.search(r"\w", words):
                continue
            speaker = speaker_of(text, match.start(), match.end())
            verdict = points_at(speaker, responders, claimant)
            in_response = offset == 0 and match.group(0) in paragraphs[index][sentence_index]
            if in_response and CALLING.search(text[max(0, match.start() - 60) : match.start()]):
                verdict = True  # "denied the accusations, calling them a "propaganda show""
            if verdict:
                return words.rstrip(","), speaker
            if verdict is None and in_response and len(words.split()) >= 2:
                if len(words.split()) >= 4:
                    return words.rstrip(","), speaker
                # "called the reports "completely untrue"": the responder's full words may
                # follow in the next paragraph.
                fallback = fallback or (words.rstrip(","), speaker)
    return fallback or ("", "")


# ---------------------------------------------------------------------------------------------


def norm_text(text: str) -> str:
    return re.sub(r"\W+", " ", text or "").strip().casefold()


def resolve_reference(responder: str, paragraphs: list[list[str]], title: str) -> str:
    """ "the ministry" → the ministry named earlier in the text or the headline."""
    if not GENERIC_REFERENCE.match(responder or ""):
        return responder
    head = responder.split()[-1].casefold()[:6]
    for sentence in [title, *(s for p in paragraphs for s in p)]:
        for found in re.finditer(NAME, sentence or ""):
            name = tidy(found.group(0))
            if head in name.casefold() and len(name.split()) > 1:
                return name
    return responder


def suggest(*, title: str, body: str, outlet: str = "") -> Suggestion | None:
    """Draft the chain from an article; None when the text holds no response."""
    # The response is read from the text's opening (READ_CHARS, three long articles' worth),
    # so a page of tens of thousands of sentences costs no more than a long article. Text
    # extractors often keep the headline as the body's first line.
    opening = paragraphs_of((body or "")[:READ_CHARS])
    body_paragraphs = [p for p in opening if not title or norm_text(p) != norm_text(title)]
    paragraphs = [paragraph_sentences(p) for p in body_paragraphs]
    flat = [(p, s, text) for p, sents in enumerate(paragraphs) for s, text in enumerate(sents)]
    responses = [(i, found) for i, (_, _, text) in enumerate(flat) if (found := stance_of(text))]
    title_stance = stance_of(title) if title else None
    if not responses and not title_stance:
        return None
    found_stances = [found[0] for _, found in responses]
    stance = title_stance[0] if title_stance else min(found_stances, key=STANCE_ORDER.index)
    if title_stance and stance not in found_stances and found_stances:
        # A headline stance the text never bears out ("… says blogger after military
        # denies …") still names the story; the text's strongest stance is the response.
        stance = min(found_stances, key=STANCE_ORDER.index) if stance not in DENYING else stance
    notes: dict[str, str] = {}
    responder, attribution, speaker = "", Attribution.UNATTRIBUTED.value, ""
    chosen = -1
    for index, (found_stance, cue) in responses:
        if found_stance != stance:
            continue
        who, how, name = responder_of(flat[index][2], cue)
        if chosen < 0:
            chosen = index
        if who or how != Attribution.UNATTRIBUTED.value:
            responder, attribution, speaker, chosen = who, how, name, index
            break
    if not responder and title_stance:
        responder, attribution, speaker = responder_of(title, title_stance[1])
    responder = resolve_reference(responder, paragraphs, title)
    if responder and " " not in responder and not is_institution(responder):
        full = full_name(responder, [text for _, _, text in flat])
        if full != responder and is_person(full):
            responder = speaker = full
            if attribution == Attribution.UNATTRIBUTED.value:
                attribution = Attribution.NAMED_OFFICIAL.value
    if attribution != Attribution.ANONYMOUS_SOURCE.value and chosen >= 0:
        # "…, the agency's source said" in the sentences right after the response
        following = " ".join(text for _, _, text in flat[chosen : chosen + 2])
        if ANONYMOUS_WORDS.search(following) and not SPOKESPERSON.search(flat[chosen][2]):
            attribution = Attribution.ANONYMOUS_SOURCE.value
    if not responder and attribution == Attribution.ANONYMOUS_SOURCE.value and chosen >= 0:
        for _, _, text in flat[max(0, chosen - 2) : chosen + 2]:
            if SOURCE_IN.search(text):
                responder = responder_of(text, re.search(r"$", text))[0]
                break
    if outlet and responder and tidy(outlet).casefold() == responder.casefold():
        responder = ""
    evidence = flat[chosen][2] if chosen >= 0 else title
    claim, claimant = claim_and_claimant([t for _, _, t in flat], chosen, title, responder)
    if claim and responder and re.match(r"[A-Z]?[a-z]+ing\b", claim):
        # "denied receiving a bribe": the denier is the claim's subject.
        claim = f"{responder} {claim[:1].lower()}{claim[1:]}"
    if claimant and responder and claimant.casefold() == responder.casefold():
        claimant = ""
    quote = said_by = ""
    if chosen >= 0:
        quote, said_by = pick_quote(paragraphs, flat[chosen][:2], (responder, speaker), claimant)
    if (
        said_by
        and attribution
        in {
            Attribution.OFFICIAL_STATEMENT.value,
            Attribution.UNATTRIBUTED.value,
        }
        and SPOKESPERSON.search(said_by)
    ):
        # "…," the company's press service said.
        attribution = Attribution.SPOKESPERSON.value
    if attribution == Attribution.NAMED_OFFICIAL.value and not speaker:
        attribution = Attribution.UNATTRIBUTED.value
    if stance not in DENYING and not responder:
        # A confirmation or clarification by nobody in particular is no official response.
        return None
    if not responder:
        notes["responder"] = "No one is named as making the response."
    if not claim:
        notes["claim"] = "The text does not say what was denied in a form that can be lifted."
    if not claimant:
        notes["claimant"] = "The text names no earlier source of the claim."
    if not quote:
        notes["quote"] = "No quoted words from the responder near the response."
    return Suggestion(
        claim=claim[:500],
        claimant=claimant[:200],
        responder=responder[:200],
        stance=stance,
        attribution=attribution,
        quote=quote[:1000],
        speaker_name=speaker[:200],
        evidence=evidence[:1000],
        notes=notes,
    )
