"""Over-long input is a form error with a message on both databases, and the "database
unavailable" page is kept for a database that really cannot be reached."""

import copy
from http import HTTPStatus

import pytest
from django.db import DatabaseError, connection, connections
from django.test import RequestFactory
from django.urls import reverse

from claims.errors import is_outage, server_error
from claims.models import Claim

from .factories import create_actor, create_claim, create_editor, create_outlet, create_tag

# SQLite refuses a LIKE pattern over 50,000 bytes; every name lookup on SQLite is a LIKE.
HUGE = "x" * 60_000


@pytest.fixture
def editor(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = create_editor()
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def names():
    """SQLite checks a LIKE pattern's length only when it has a row to compare it with."""
    create_actor()
    create_outlet()
    create_tag()


def edit_claim(client, **fields):
    claim = create_claim()
    return client.post(
        reverse("desk:claim_edit", args=[claim.slug]),
        {"text": claim.text, "version": claim.version, **fields},
    )


def test_an_over_long_claimant_is_a_form_error(client, editor):
    response = edit_claim(client, claimant=HUGE)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("field", ["subjects", "tags"])
def test_over_long_lists_of_names_are_form_errors(client, editor, field):
    for value in (HUGE, f"{create_actor().name}, {HUGE}"):
        response = edit_claim(client, **{field: value})
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "characters" in response.content.decode()


def test_one_over_long_name_in_a_short_list_is_named_as_such(client, editor):
    response = edit_claim(client, subjects="y" * 300)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "No actor has a name that long" in response.content.decode()


def test_responses_and_carriages_refuse_over_long_names(client, editor):
    claim = create_claim()
    response = client.post(
        reverse("desk:response_create", args=[claim.slug]),
        {"responder": HUGE, "stance": "denies", "attribution": "official_statement"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 200 characters" in response.content.decode()
    response = client.post(
        reverse("desk:carriage_create", args=[claim.slug]),
        {"new_report_outlet": HUGE, "new_report_title": "A title", "role": "repeat"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 200 characters" in response.content.decode()


def test_the_claim_finder_refuses_an_over_long_query(client, editor):
    create_claim(text="Umerov refused to return")
    for headers in ({}, {"HX-Request": "true", "HX-Target": "claim-finder-results"}):
        response = client.get(reverse("desk:dashboard"), {"q": HUGE}, headers=headers)
        assert response.status_code == HTTPStatus.OK
        assert "at most 500 characters" in response.content.decode()
    found = client.get(reverse("desk:dashboard"), {"q": "umerov"})
    assert "Umerov refused to return" in found.content.decode()


def test_autocomplete_offers_nothing_for_an_over_long_name(client, editor):
    create_actor(name="Rustem Umerov")
    for kind in ("actors", "outlets", "tags"):
        for typed in (HUGE, "Rustem\x00"):  # PostgreSQL refuses NUL in a string
            response = client.get(reverse("desk:autocomplete", args=[kind]), {"q": typed})
            assert response.status_code == HTTPStatus.OK
            assert "<option" not in response.content.decode()
    response = client.get(reverse("desk:autocomplete", args=["actors"]), {"q": "umer"})
    assert "Rustem Umerov" in response.content.decode()


def test_new_names_refuse_over_long_names(client, editor):
    for kind in ("actors", "outlets", "tags"):
        response = client.post(
            reverse("desk:name_create", args=[kind]),
            {f"new-{kind}-name": HUGE, f"new-{kind}-kind": "person"},
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "characters" in response.content.decode()


def test_an_over_long_reader_search_is_cut_and_says_so(client):
    create_claim(text="Umerov refused to return")
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(
            reverse("claims:claim_list"), {"q": "refused " + HUGE}, headers=headers
        )
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "Only the first 200 characters were searched." in html
        assert "were not understood" not in html
    short = client.get(reverse("claims:claim_list"), {"q": "refused"}).content.decode()
    assert "characters were searched" not in short
    assert "Umerov refused to return" in short


def test_reader_filters_with_over_long_values_still_answer(client):
    for name in ("q", "actor", "outlet", "tag", "language", "date_from", "sort", "page"):
        response = client.get(reverse("claims:claim_list"), {name: HUGE})
        assert response.status_code == HTTPStatus.OK, name
    response = client.get(reverse("claims:claim_list"), {"actor": HUGE})
    assert "Some filters were not understood" in response.content.decode()


# The outage page


def statement_error() -> DatabaseError:
    """A statement this database refuses while it is perfectly reachable."""
    try:
        if connection.vendor == "sqlite":
            create_claim()  # SQLite checks a LIKE pattern's length only against a row
            Claim.objects.filter(text__icontains=HUGE).exists()  # LIKE pattern too complex
        else:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 1")
                cursor.execute("SELECT pg_sleep(1)")  # canceled: an OperationalError too
    except DatabaseError as error:
        return error
    raise AssertionError("the statement was not refused")


def unreachable_database_error() -> DatabaseError:
    """What connecting to a database that is not there raises, on this backend."""
    settings = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = "/nonexistent-directory/factcheck.sqlite3"
    else:
        settings["HOST"], settings["PORT"] = "127.0.0.1", "1"
        settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "connect_timeout": 2}
        settings["OPTIONS"].pop("pool", None)
    unreachable = type(connections["default"])(settings, alias="unreachable")
    try:
        unreachable.ensure_connection()
    except DatabaseError as error:
        return error
    finally:
        unreachable.close()
    raise AssertionError("connected to a database that should not be there")


def error_page(error: DatabaseError):
    try:
        raise error
    except DatabaseError:
        return server_error(RequestFactory().get("/"))


def test_a_refused_statement_is_a_500_not_an_outage():
    error = statement_error()
    assert not is_outage(error)
    page = error_page(error)
    assert page.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Retry-After" not in page


def test_an_unreachable_database_is_an_outage():
    error = unreachable_database_error()
    assert is_outage(error)
    page = error_page(error)
    assert page.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert page["Retry-After"] == "30"


def test_nul_in_a_name_or_the_finder_is_a_form_error(client, editor):
    # PostgreSQL refuses NUL in a string: the forms refuse it first, on both databases.
    response = edit_claim(client, claimant="Rustem\x00", subjects="Rustem\x00")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Null characters are not allowed" in response.content.decode()
    response = client.get(reverse("desk:dashboard"), {"q": "Umerov\x00"})
    assert response.status_code == HTTPStatus.OK
    assert "Null characters are not allowed" in response.content.decode()
