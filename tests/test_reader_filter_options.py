"""The claim list's filter options: what they offer, how they are cached (single flight, stale
while revalidating), and how the selects render them."""

import threading
import time
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.template import engines
from django.urls import reverse

from claims import filters
from claims.filters import CHOICES_CACHE_KEY, CHOICES_LOCK_KEY, choice_lists
from claims.templatetags.filter_options import select_options
from tests.factories import (
    create_actor,
    create_claim,
    create_outlet,
    create_report,
    create_response,
    create_tag,
)

STALE = {"actors": [("stale", "Stale")], "outlets": [], "tags": [], "languages": []}
FRESH = {"actors": [("fresh", "Fresh")], "outlets": [], "tags": [], "languages": []}
HOSTILE = "\"><script>alert('x')</script>&amp;"


class Computation:
    """Stands in for the costly computation: counts its runs, and can be held up until the
    test lets it finish, or made to fail."""

    def __init__(self, result=FRESH, *, hold=False, fail=False):
        self.result, self.fail = result, fail
        self.runs = 0
        self.started = threading.Event()
        self.finish = threading.Event()
        if not hold:
            self.finish.set()

    def __call__(self):
        self.runs += 1
        self.started.set()
        assert self.finish.wait(10), "the test never let the computation finish"
        if self.fail:
            raise RuntimeError("the database went away")
        return self.result


@pytest.fixture
def computation(monkeypatch):
    def install(**kwargs) -> Computation:
        fake = Computation(**kwargs)
        monkeypatch.setattr(filters, "_compute_choices", fake)
        return fake

    return install


def store_stale() -> None:
    cache.set(CHOICES_CACHE_KEY, {"fresh_until": time.time() - 1, "choices": STALE}, 3600)


def in_threads(count: int) -> tuple[list[threading.Thread], list]:
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(choice_lists())) for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    return threads, results


def test_fresh_options_are_computed_once(computation):
    fake = computation()
    assert choice_lists() == FRESH
    assert choice_lists() == FRESH
    assert fake.runs == 1
    assert cache.get(CHOICES_LOCK_KEY) is None


def test_stale_options_are_served_while_one_request_recomputes_them(computation):
    store_stale()
    fake = computation(hold=True)
    threads, results = in_threads(8)
    assert fake.started.wait(5)
    # Everyone but the one recomputing is answered at once, from the stale copy.
    for thread in threads:
        thread.join(timeout=0.5)
    assert sum(thread.is_alive() for thread in threads) == 1
    assert results == [STALE] * 7
    fake.finish.set()
    for thread in threads:
        thread.join(timeout=5)
    assert results == [STALE] * 7 + [FRESH]
    assert fake.runs == 1
    assert choice_lists() == FRESH
    assert fake.runs == 1
    assert cache.get(CHOICES_LOCK_KEY) is None


def test_on_a_cold_cache_the_others_wait_for_the_one_computing(computation, monkeypatch):
    monkeypatch.setattr(filters, "COLD_POLL", 0.01)
    fake = computation(hold=True)
    threads, results = in_threads(6)
    assert fake.started.wait(5)
    time.sleep(0.2)
    assert results == []  # nobody answered without options, nobody computed them twice
    fake.finish.set()
    for thread in threads:
        thread.join(timeout=5)
    assert results == [FRESH] * 6
    assert fake.runs == 1


def test_on_a_cold_cache_a_request_computes_itself_when_waiting_is_in_vain(
    computation, monkeypatch
):
    monkeypatch.setattr(filters, "COLD_WAIT", 0.2)
    monkeypatch.setattr(filters, "COLD_POLL", 0.01)
    cache.add(CHOICES_LOCK_KEY, "a worker that died", 60)
    fake = computation()
    started = time.monotonic()
    assert choice_lists() == FRESH
    assert time.monotonic() - started >= 0.2
    assert fake.runs == 1
    assert cache.get(CHOICES_CACHE_KEY)["choices"] == FRESH


def test_a_waiting_request_takes_over_when_the_one_computing_gives_up(computation, monkeypatch):
    monkeypatch.setattr(filters, "COLD_POLL", 0.01)
    cache.add(CHOICES_LOCK_KEY, "a request that will fail", 60)
    fake = computation()
    threading.Timer(0.1, cache.delete, args=[CHOICES_LOCK_KEY]).start()
    assert choice_lists() == FRESH
    assert fake.runs == 1
    assert cache.get(CHOICES_LOCK_KEY) is None


def test_a_failed_recomputation_serves_the_stale_options_and_frees_the_lock(computation, caplog):
    store_stale()
    failing = computation(fail=True)
    assert choice_lists() == STALE
    assert failing.runs == 1
    assert "Could not compute the claim list's filter options" in caplog.text
    assert cache.get(CHOICES_LOCK_KEY) is None
    # The next request tries again.
    fake = computation()
    assert choice_lists() == FRESH
    assert fake.runs == 1


def test_a_failed_computation_on_a_cold_cache_leaves_the_page_working(client, computation):
    create_actor(name="Known Actor", slug="known-actor")
    computation(fail=True)
    response = client.get(reverse("claims:claim_list"), {"actor": "known-actor"})
    assert response.status_code == HTTPStatus.OK
    # Only the chosen actor is offered, and nothing broken was cached.
    assert response.context["choices"]["actors"] == [("known-actor", "Known Actor")]
    assert cache.get(CHOICES_CACHE_KEY) is None
    assert cache.get(CHOICES_LOCK_KEY) is None


def test_options_rank_actors_and_outlets_by_activity_then_name(monkeypatch):
    monkeypatch.setattr(filters, "MAX_CHOICES", 2)
    busy, delta, bravo, charlie = (
        create_actor(name=name, slug=name.lower()) for name in ("Busy", "Delta", "Bravo", "Charlie")
    )
    create_claim(claimant=busy, language="uk")
    create_response(responder=busy, claim=create_claim(language="en"))
    for actor in (delta, bravo, charlie):  # one claim each: tied, so the first by name wins
        create_claim(claimant=actor, language="")
    big, small = create_outlet(name="Big", slug="big"), create_outlet(name="Small", slug="small")
    for _ in range(3):
        create_report(outlet=big)
    create_report(outlet=small)
    create_report(outlet=create_outlet(name="Aardvark", slug="aardvark"))
    create_tag(name="war", slug="war")

    choices = filters._compute_choices()

    assert choices["actors"] == [("bravo", "Bravo"), ("busy", "Busy")]
    assert choices["outlets"] == [("aardvark", "Aardvark"), ("big", "Big")]
    assert choices["tags"] == [("war", "war")]
    assert choices["languages"] == ["en", "uk"]


def test_select_options_mark_the_selected_one():
    html = select_options([("a", "Alpha"), ("b", "Bravo")], "b")
    assert html == '<option value="a">Alpha</option><option value="b" selected>Bravo</option>'
    assert select_options(["en", "uk"], "uk") == (
        '<option value="en">en</option><option value="uk" selected>uk</option>'
    )
    assert select_options([("a", "Alpha")], "") == '<option value="a">Alpha</option>'


def test_select_options_escape_like_the_template_loop_they_replace():
    choices = [(HOSTILE, HOSTILE), ("plain", "<b>bold</b>"), ("x&y", "O'Brien & Sons")]
    loop = engines["django"].from_string(
        '{% for slug, name in choices %}<option value="{{ slug }}"'
        "{% if selected == slug %} selected{% endif %}>{{ name }}</option>{% endfor %}"
    )
    for selected in (HOSTILE, "plain", None):
        expected = loop.render({"choices": choices, "selected": selected})
        assert select_options(choices, selected) == expected
    assert "<script>" not in select_options(choices, None)
    assert "&lt;script&gt;" in select_options(choices, None)


def test_the_list_page_renders_hostile_names_escaped_and_selected(client):
    actor = create_actor(name=HOSTILE, slug="hostile-actor")
    create_claim(claimant=actor)
    outlet = create_outlet(name=f"{HOSTILE} outlet", slug="hostile-outlet")
    create_report(outlet=outlet)
    create_tag(name=f"{HOSTILE} tag", slug="hostile-tag")
    page = client.get(reverse("claims:claim_list"), {"actor": "hostile-actor"}).content.decode()
    assert "<script>alert" not in page
    escaped = "&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;amp;"
    assert f'<option value="hostile-actor" selected>{escaped}</option>' in page
    assert f'<option value="hostile-outlet">{escaped} outlet</option>' in page
    assert f'<option value="hostile-tag">{escaped} tag</option>' in page
