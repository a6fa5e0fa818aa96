"""
The words a claim is found by, written as one normalised document, and a reader's query in
the same terms, so that "Умєров" finds "Умєрова", "фейк" finds "фейком" and "Офіс президента"
finds "Офісі президента" on SQLite and PostgreSQL alike.

Every word is kept twice over:
- as written, folded: lower case (Cyrillic too), ё read as е, apostrophes (' ’ ʼ) dropped;
  names are never mangled, and an exact phrase can be found again;
- as keys for its inflected forms, marked with a leading "_" so that a key never meets a word
  as written: the lemmas pymorphy3 gives with its Ukrainian and Russian dictionaries (all of a
  known word's readings; for a word the dictionaries lack, such as most surnames, the three
  likeliest guesses and the word without its case ending, "_~умєров"), and for Latin words
  the Snowball English stem. Raw words and keys live
  apart because a lemmatiser may read a name as another word: Russian "Умеров" is also the
  genitive plural of "умер", and must not find claims about someone who died.

A query word matches a claim when the claim holds the word as written or shares one of its
keys; every query word must match. Which dictionary reads a Cyrillic word: і ї є ґ mean
Ukrainian, ы э ъ ё Russian; otherwise the dictionaries that know the word (both, if neither
does).

The document is " raw words of the text | of a quote | of a title … _key _key ": raw words in
order (fields apart, so a phrase never spans two), then the sorted keys. SQLite looks for
" word " in it (LIKE, case already folded); PostgreSQL indexes its tokens as a tsvector (GIN).
See claims/search.py and models/derived.py.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_TERMS = 12
KEY = "_"
FIELD_BREAK = "|"

# Letters and digits, with apostrophes inside a word (з'явилася, It's).
_WORD = re.compile(r"[^\W_]+(?:['’ʼ`\u02bc\u2018][^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ`\u02bc\u2018]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
UKRAINIAN_ONLY = frozenset("іїєґ")
RUSSIAN_ONLY = frozenset("ыэъё")
GUESSES = 3  # lemmas kept for a word no dictionary knows
# A word no dictionary knows (most surnames) also gets its stem without the case ending, so
# that Умєрову, Умєровим and Умєров meet even when the lemma guesses differ. Longest first;
# -ов, -ев, -ів are left alone: surnames end in them.
ENDINGS = sorted(
    [
        "а", "я", "у", "ю", "і", "и", "е", "є", "о", "ы", "ь", "й",
        "ові", "еві", "єві", "ом", "ем", "єм", "ою", "ею", "єю", "ої", "ей", "ій", "ий",
        "ого", "ому", "им", "ім", "ими", "ами", "ями", "ах", "ях", "ам", "ям", "ой", "ым",
        "ых", "ую",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
MIN_STEM = 4
# A query word's readings less likely than this are not searched for (Russian "Киев" is also
# the genitive plural of "кий", 6%): the document keeps them all, so a query for the rare
# reading's own word still finds it.
RARE_READING = 0.1


@lru_cache(maxsize=1)
def _analysers() -> dict:
    import pymorphy3

    return {"uk": pymorphy3.MorphAnalyzer(lang="uk"), "ru": pymorphy3.MorphAnalyzer(lang="ru")}


@lru_cache(maxsize=1)
def _english():
    return snowballstemmer.stemmer("english")


def _stem(word: str) -> str:
    """`word` without its case ending, keeping at least MIN_STEM letters (see ENDINGS)."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def fold(word: str) -> str:
    """A word as written, for matching: lower case, ё as е, without apostrophes."""
    return _APOSTROPHES.sub("", word.casefold().replace("ё", "е"))


def words(text: str) -> list[str]:
    return [fold(word) for word in _WORD.findall(text or "")]


def _lemmas(analyser, word: str, likeliest: bool) -> tuple[bool, list[str]]:
    """(whether the dictionary knows `word`, its lemmas: every known reading, or the likeliest
    guesses). With `likeliest`, a known word's rare readings are left out (see query())."""
    parses = analyser.parse(word)
    known = [parse for parse in parses if parse.is_known]
    if known:
        weight: dict[str, float] = {}
        for parse in known:
            weight[parse.normal_form] = weight.get(parse.normal_form, 0) + parse.score
        return True, [lemma for lemma, w in weight.items() if not likeliest or w >= RARE_READING]
    return False, [parse.normal_form for parse in parses[: GUESSES * 2]]


@lru_cache(maxsize=200_000)
def keys(word: str, likeliest: bool = False) -> tuple[str, ...]:
    """The keys of one word's inflected forms (see the module docstring), sorted."""
    lower = _APOSTROPHES.sub("'", word.casefold())
    if _CYRILLIC.search(lower):
        letters = set(lower)
        if letters & UKRAINIAN_ONLY:
            languages = ["uk"]
        elif letters & RUSSIAN_ONLY:
            languages = ["ru"]
        else:
            languages = ["uk", "ru"]
        readings = [_lemmas(_analysers()[language], lower, likeliest) for language in languages]
        if any(known for known, _ in readings):
            readings = [reading for reading in readings if reading[0]]
        found: list[str] = []
        for known, lemmas in readings:
            distinct = [fold(lemma) for lemma in dict.fromkeys(lemmas)]
            found += distinct if known else distinct[:GUESSES]
        if not any(known for known, _ in readings):
            found.append("~" + _stem(fold(lower)))
        return tuple(sorted({KEY + lemma for lemma in found if lemma}))
    if _LATIN.search(lower):
        return (KEY + _english().stemWord(fold(lower)),)
    return ()


@lru_cache(maxsize=200_000)
def _terms(word: str) -> tuple[str, tuple[str, ...]]:
    return fold(word), keys(word)


def document(texts: Iterable[str]) -> str:
    """The search document of a claim from its texts (claim text, quotes, report titles)."""
    tokens: list[str] = []
    found: set[str] = set()
    for text in texts:
        written = _WORD.findall(text or "")
        if written:
            if tokens:
                tokens.append(FIELD_BREAK)
            for word in written:
                folded, word_keys = _terms(word)
                tokens.append(folded)
                found.update(word_keys)
    return " " + " ".join([*tokens, *sorted(found)]) + " "


@dataclass(frozen=True)
class Query:
    """A reader's query: per word, the alternatives any one of which it may match."""

    alternatives: tuple[tuple[str, ...], ...]
    phrase: str  # the words as written, folded, in order

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    @property
    def needed(self) -> tuple[tuple[str, ...], ...]:
        """Per word, the tokens a match needs: its keys (a document holding the word as
        written holds its keys too), or the word itself when it has none (numbers, other
        scripts). Fewer alternatives also keep PostgreSQL's row estimates honest: "a | _a"
        counts every claim twice."""
        return tuple(options[1:] or options[:1] for options in self.alternatives)


def query(text: str) -> Query:
    written = _WORD.findall(text or "")[:MAX_TERMS]
    alternatives = tuple(
        dict.fromkeys((fold(word), *keys(word, likeliest=True))) for word in written
    )
    return Query(
        tuple(tuple(options) for options in alternatives),
        " ".join(fold(word) for word in written),
    )
