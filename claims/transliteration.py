"""
Readable Latin slugs from Ukrainian, Russian or any other text.

- Ukrainian: the official transliteration of the Cabinet of Ministers of Ukraine, resolution
  No. 55 of 27 January 2010 (the passport and road-sign standard): Є, Ї, Й, Ю, Я are "Ye",
  "Yi", "Y", "Yu", "Ya" at the start of a word and "ie", "i", "i", "iu", "ia" elsewhere; "зг"
  is "zgh" (so that it is not read as "ж"); the soft sign and the apostrophe are dropped.
  Згорани → Zghorany, Єнакієве → Yenakiieve, Юрій → Yurii, Київ → Kyiv.
- Russian: ICAO Doc 9303 as used for Russian passports since 2013 (Order 320 of the Federal
  Migration Service): one table, no position rules; ё is "e", ъ is "ie", ь is dropped.
  Умеров → Umerov, Объявление → Obieiavlenie.
- Anything else: Unicode compatibility decomposition (NFKD) with the combining marks dropped
  (Příliš → Prilis); what still is not Latin is dropped by slugify.

Which table a text gets: the object's own language when it has one (uk, ru…); otherwise the
letters decide: і ї є ґ only occur in Ukrainian, ы э ъ ё only in Russian; Cyrillic without
either is read as Ukrainian, the newsroom's main language, unless it is a phrase of three
words or more that the language detector (claims/languages.py) finds Russian (a lone word is
too short to judge: Житомир).
"""

import hashlib
import re
import unicodedata

from django.utils.text import slugify

UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
RUSSIAN_ONLY = frozenset("ыэъёЫЭЪЁ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
APOSTROPHES = "'’ʼ`\u02bc\u2018"

UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia",
}  # fmt: skip
# At the start of a word.
UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip


def script_language(text: str) -> str:
    """ "uk" or "ru" for Cyrillic text, "" for text without Cyrillic."""
    if not CYRILLIC.search(text):
        return ""
    letters = set(text)
    if letters & UKRAINIAN_ONLY:
        return "uk"
    if letters & RUSSIAN_ONLY:
        return "ru"
    if len(text.split()) < 3:
        return "uk"
    from claims.languages import detect_language

    return "ru" if detect_language(text) == "ru" else "uk"


def _cased(latin: str, original: str, following: str) -> str:
    """`latin` in the case of `original`: "Zh" for Ж in a word, "ZH" in an all-capital one."""
    if not original.isupper() or not latin:
        return latin
    if len(latin) > 1 and not following.isupper():
        return latin.capitalize()
    return latin.upper()


def _ukrainian(text: str) -> str:
    out = []
    for n, char in enumerate(text):
        lower = char.lower()
        if lower not in UKRAINIAN:
            # Apostrophes inside a word are dropped (Знам'янка → Znamianka).
            if char in APOSTROPHES and 0 < n < len(text) - 1 and text[n - 1].isalpha():
                continue
            out.append(char)
            continue
        previous = text[n - 1] if n else ""
        following = text[n + 1] if n + 1 < len(text) else ""
        at_start = not previous or not (previous.isalpha() or previous in APOSTROPHES)
        if lower == "г" and previous.lower() == "з":
            latin = "gh"
        elif at_start and lower in UKRAINIAN_INITIAL:
            latin = UKRAINIAN_INITIAL[lower]
        else:
            latin = UKRAINIAN[lower]
        out.append(_cased(latin, char, following))
    return "".join(out)


def _russian(text: str) -> str:
    out = []
    for n, char in enumerate(text):
        lower = char.lower()
        if lower in RUSSIAN:
            following = text[n + 1] if n + 1 < len(text) else ""
            out.append(_cased(RUSSIAN[lower], char, following))
        else:
            out.append(char)
    return "".join(out)


def to_latin(text: str, language: str = "") -> str:
    """`text` in Latin letters, by the table for `language` (or its letters, see above)."""
    language = (language or "").split("-")[0].lower()
    if language not in ("uk", "ru") and CYRILLIC.search(text):
        language = script_language(text)
    if language == "uk":
        text = _ukrainian(text)
    elif language == "ru":
        text = _russian(text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slug_from(text: str, language: str = "", *, max_length: int = 80, kind: str = "") -> str:
    """A URL slug for `text`: "ofis-prezydenta" for "Офіс президента". Text with no letter
    that can be written in Latin gets `kind` and a short digest of the text ("tag-3f2a91"),
    never a bare "item"."""
    base = slugify(to_latin(text, language))[:max_length].strip("-")
    if base:
        return base
    digest = hashlib.sha256(text.encode()).hexdigest()[:6]
    return f"{kind or 'x'}-{digest}"
