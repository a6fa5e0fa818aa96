"""
How alike two claims are, from their sentence vectors and their words: one score from 0 to 1.

The vector's cosine finds the same claim across languages, but it also rates a claim and its
opposite ("Umerov returned…" next to "Umerov refused to return…") or the same claim about
someone else as nearly the same. The words correct it:
- names, compared in Latin letters and reduced to a consonant skeleton, so that "Умєрова",
  "Умеров" and "Umerov" meet (claims/transliteration.py), add to the score;
- shared word stems and lemmas (claims/search_terms.py) add to it within a script;
- numbers and months that differ on both sides ("18" against "25", January against
  September) take from it;
- one side negated or refused and the other not ("refused to return" against "returned")
  takes from it.

The weights and the threshold were chosen on the development half of tests/similarity and
are reported on the held-out half as well (bench/similarity.py, bench/README.md).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from claims import search_terms
from claims.transliteration import to_latin

# Suggest a claim from this score up (see bench/README.md for how it was picked).
THRESHOLD = 0.85

# The cosine counts from this many standard deviations above unrelated claims' (for the pair
# of languages), and is full at Z_FLOOR + Z_SPAN.
Z_FLOOR = 2.5
Z_SPAN = 4.0
NAME_WEIGHT = 0.2
WORD_WEIGHT = 0.1
FACT_PENALTY = 0.3
POLARITY_PENALTY = 0.2

STOPWORDS = {
    "the", "a", "an", "of", "to", "in", "on", "and", "or", "that", "is", "was", "for", "with",
    "by", "at", "as", "his", "her", "its", "their", "from", "has", "had", "have", "be", "been",
    "і", "й", "та", "в", "у", "на", "що", "з", "до", "не", "и", "во", "что", "с", "к",
}  # fmt: skip
_NAME = re.compile(r"\b[A-ZА-ЯІЇЄҐЁ][\w'’ʼ-]{2,}")
_NUMBER = re.compile(r"\d[\d,. ]*\d|\d")
MONTHS = {
    # English, Ukrainian and Russian stems, by month number.
    1: ("january", "січ", "январ"), 2: ("february", "лют", "феврал"),
    3: ("march", "берез", "март"), 4: ("april", "квіт", "апрел"),
    5: ("may", "трав", "мая", "май"), 6: ("june", "черв", "июн"),
    7: ("july", "лип", "июл"), 8: ("august", "серп", "август"),
    9: ("september", "верес", "сентябр"), 10: ("october", "жовт", "октябр"),
    11: ("november", "листопад", "ноябр"), 12: ("december", "груд", "декабр"),
}  # fmt: skip
# Words that turn a claim into its negation or refusal, by stem.
NEGATIONS = (
    "not", "no", "never", "n't", "refus", "cancel", "called off", "stop", "halt", "denied",
    "не", "ні", "ніколи", "відмов", "скасу", "скасов", "зупин", "припин",
    "нет", "никогда", "отказ", "отмен", "прекрат", "останов",
)  # fmt: skip
_SKELETON = (("kh", "h"), ("zh", "j"), ("ch", "c"), ("sh", "s"), ("ts", "c"), ("h", "g"))


@dataclass(frozen=True)
class Profile:
    """What the words of one claim say, beside its vector."""

    names: frozenset[str]
    stems: frozenset[str]
    lemmas: frozenset[str]
    facts: frozenset[str]
    negated: bool


def skeleton(name: str) -> str:
    """A name in Latin consonants: "Умєрова", "Умеров", "Umerov" → "umrv"."""
    latin = to_latin(name).casefold()
    for written, sound in _SKELETON:
        latin = latin.replace(written, sound)
    letters = re.sub(r"[^a-z]", "", latin)
    if not letters:
        return ""
    rest = re.sub(r"[aeiouy]", "", letters[1:])
    rest = re.sub(r"(.)\1+", r"\1", rest)
    return (letters[0] + rest)[:4]


def words(text: str) -> set[str]:
    return {
        word[:6]  # a crude stem: "refused"/"refuses" and "України"/"Україну" meet
        for word in re.findall(r"\w+", text.casefold())
        if word not in STOPWORDS and len(word) > 1
    }


def token_overlap(a: str, b: str) -> float:
    return _overlap(frozenset(words(a)), frozenset(words(b)))


def _facts(text: str) -> frozenset[str]:
    folded = text.casefold()
    found = {re.sub(r"\D", "", number) for number in _NUMBER.findall(text)}
    for month, stems in MONTHS.items():
        if any(re.search(rf"\b{stem}", folded) for stem in stems):
            found.add(f"month-{month}")
    return frozenset(found)


def _negated(text: str) -> bool:
    folded = text.casefold().replace("’", "'")
    for stem in NEGATIONS:
        pattern = rf"\b{re.escape(stem)}\b" if len(stem) <= 3 else rf"\b{re.escape(stem)}"
        if stem == "n't":
            pattern = r"n't\b"
        if re.search(pattern, folded):
            return True
    return False


@lru_cache(maxsize=20_000)
def profile(text: str) -> Profile:
    names = {skeleton(name) for name in _NAME.findall(text)}
    lemmas = {
        key
        for word in search_terms.words(text)
        if word not in STOPWORDS and len(word) > 2
        for key in search_terms.keys(word)
    }
    return Profile(
        names=frozenset(name for name in names if len(name) >= 3),
        stems=frozenset(words(text)),
        lemmas=frozenset(lemmas),
        facts=_facts(text),
        negated=_negated(text),
    )


def _overlap(left: frozenset, right: frozenset) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def score(
    cosine: float, query: Profile, claim: Profile, *, unrelated: tuple[float, float]
) -> float:
    """The combined score of a claim for a query, 0 to 1 (see the module docstring);
    `unrelated` is the encoder's (mean, deviation) for the two texts' languages."""
    mean, deviation = unrelated
    meaning = min(1.0, max(0.0, ((cosine - mean) / deviation - Z_FLOOR) / Z_SPAN))
    names = _overlap(query.names, claim.names)
    shared = max(_overlap(query.stems, claim.stems), _overlap(query.lemmas, claim.lemmas))
    value = min(1.0, meaning + NAME_WEIGHT * names + WORD_WEIGHT * shared)
    if query.facts and claim.facts and not query.facts & claim.facts:
        value -= FACT_PENALTY
    if query.negated != claim.negated:
        value -= POLARITY_PENALTY
    return round(min(1.0, max(0.0, value)), 4)
