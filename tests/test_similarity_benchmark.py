"""The cross-lingual similar-claim benchmark (bench/similarity.py) on tests/similarity, with
floors a little below the figures measured in bench/README.md: the same claim in the top 5
(within a language, and across English-Russian and English-Ukrainian), and traps above the
threshold. The pool here has 300 distractors instead of 1,500, to keep the test short; it
really encodes every text."""

import pytest

from bench.similarity import measure


@pytest.fixture(scope="module")
def figures():
    return measure(distractors=300)


@pytest.mark.parametrize("half", [0, 1], ids=["development", "held-out"])
def test_recall_at_5_within_a_language_and_across(figures, half):
    recall = {key: value for key, (value, _) in figures[half]["recall@5"].items()}
    for language in ("en", "uk", "ru"):
        assert recall[language] >= 0.9, language
    assert recall["en-ru"] >= RECALL_FLOORS[half]["en-ru"]
    assert recall["en-uk"] >= RECALL_FLOORS[half]["en-uk"]
    assert recall["ru-uk"] >= RECALL_FLOORS[half]["ru-uk"]


@pytest.mark.parametrize("half", [0, 1], ids=["development", "held-out"])
def test_traps_rarely_score_above_the_threshold(figures, half):
    assert figures[half]["trap_rate"] <= TRAP_CEILINGS[half]


def test_suggestions_above_the_threshold_are_mostly_right(figures):
    precision = figures[0]["precision"]
    for key in ("en-ru", "en-uk", "ru-uk"):
        assert precision[key][0] >= 0.8, key


RECALL_FLOORS = [
    {"en-ru": 0.8, "en-uk": 0.8, "ru-uk": 0.85},
    {"en-ru": 0.7, "en-uk": 0.8, "ru-uk": 0.85},
]
TRAP_CEILINGS = [0.1, 0.15]
