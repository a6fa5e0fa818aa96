"""
The drafting benchmark on the labelled set (tests/drafting): the figures must not fall below
what the drafting rules reach today. The floors are the measured figures, rounded down.
"""

import pytest

from bench.drafting import evaluate, labelled_cases, right

pytestmark = pytest.mark.django_db(databases=[])

# Measured with bench/drafting.py; raise them when the rules get better.
FLOORS = {
    "dev": {
        "denial precision": 1.0,
        "denial recall": 1.0,
        "stance accuracy": 1.0,
        "responder": 0.93,
        "claim": 0.89,
        "quote": 1.0,
        "claimant": 0.93,
        "attribution": 0.93,
    },
    # The held-out pages' first evaluation gave responder 0.5, quote 0.7, claimant 0.6 and
    # attribution 0.7 (claim 1.0); the general bugs it showed were then fixed, so these
    # floors are no longer figures on unseen pages.
    "held-out": {
        "denial precision": 1.0,
        "denial recall": 1.0,
        "stance accuracy": 0.94,
        "responder": 1.0,
        "claim": 1.0,
        "quote": 1.0,
        "claimant": 0.7,
        "attribution": 1.0,
    },
}


@pytest.fixture(scope="module")
def figures():
    return {split: evaluate(labelled_cases(split))["all"] for split in ("dev", "held-out")}


@pytest.mark.parametrize("split", ["dev", "held-out"])
def test_figures_do_not_fall(figures, split):
    for name, floor in FLOORS[split].items():
        assert figures[split][name] >= floor, name


@pytest.mark.parametrize("split", ["dev", "held-out"])
def test_no_trap_produces_a_denial(figures, split):
    denied, traps = figures[split]["traps denied"].split("/")
    assert int(traps) > 0 and int(denied) == 0


def test_the_set_covers_three_languages_and_more():
    labels = [label for label, _page in labelled_cases("all")]
    languages = [label["language"] for label in labels]
    assert len(labels) >= 60
    assert all(languages.count(code) >= 18 for code in ("en", "uk", "ru"))
    assert {"de", "fr", "pl"} <= set(languages)


@pytest.mark.parametrize(
    ("name", "drafted", "label", "expected"),
    [
        ("responder", "Офіс президента", ["Офіс президента"], True),
        ("responder", "Офісі президента", ["Офіс президента"], False),
        ("claimant", "", [], True),
        ("quote", "It’s fake", "It's fake", True),
        ("quote", "", None, True),
        ("quote", "Something else", None, False),
        ("claim", "Umerov refused to return to Ukraine", "Умєров відмовився", False),
        ("claim", "Умєрова відмовився повертатися", "Умєров відмовився повертатися", True),
    ],
)
def test_the_comparison(name, drafted, label, expected):
    assert right(name, drafted, label) is expected
