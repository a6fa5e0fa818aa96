"""Password spraying: one address failing for many usernames is locked out, while one person
mistyping their own password locks only their username at that address."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from claims.lockout import client_address

from .factories import create_editor

PASSWORD = "a-long-test-password"
OFFICE, ELSEWHERE = "203.0.113.7", "198.51.100.9"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_USERNAME_LIMIT = 4


def log_in(client, username: str, password: str, address: str = OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def spray(client, count: int, address: str = OFFICE) -> None:
    for n in range(count):
        response = log_in(client, f"guessed-{n}", "Winter2026!", address)
        assert response.status_code in {
            HTTPStatus.UNPROCESSABLE_ENTITY,
            HTTPStatus.TOO_MANY_REQUESTS,
        }


def test_one_address_failing_for_many_usernames_is_locked_out(client, settings):
    create_editor(username="olena")
    spray(client, settings.LOGIN_ADDRESS_USERNAME_LIMIT)
    # Even the right password of a real editor is refused from that address now...
    response = log_in(client, "olena", PASSWORD)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "too many different accounts failed" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # ...and not from anywhere else.
    assert log_in(client, "olena", PASSWORD, ELSEWHERE).status_code == HTTPStatus.FOUND


def test_the_last_sprayed_attempt_already_gets_the_lockout_page(client, settings):
    spray(client, settings.LOGIN_ADDRESS_USERNAME_LIMIT - 1)
    response = log_in(client, "one-more", "Winter2026!")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_fewer_usernames_than_the_limit_lock_nobody_out(client, settings):
    create_editor(username="olena")
    spray(client, settings.LOGIN_ADDRESS_USERNAME_LIMIT - 1)
    assert log_in(client, "olena", PASSWORD).status_code == HTTPStatus.FOUND


def test_one_person_mistyping_locks_only_their_username_at_that_address(client, settings):
    create_editor(username="olena")
    create_editor(username="taras")
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        log_in(client, "olena", "typo")
    assert log_in(client, "olena", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert log_in(client, "taras", PASSWORD).status_code == HTTPStatus.FOUND
    client.post(reverse("logout"))
    assert log_in(client, "olena", PASSWORD, ELSEWHERE).status_code == HTTPStatus.FOUND


def test_an_office_whose_people_mistype_and_then_log_in_is_not_locked(client, settings):
    people = [
        create_editor(username=f"editor{n}")
        for n in range(settings.LOGIN_ADDRESS_USERNAME_LIMIT * 2)
    ]
    for person in people:
        log_in(client, person.username, "typo")
        log_in(client, person.username, "typo again")
        assert log_in(client, person.username, PASSWORD).status_code == HTTPStatus.FOUND
        client.post(reverse("logout"))


def test_the_address_lock_ends_with_the_cool_off(client, settings):
    create_editor(username="olena")
    spray(client, settings.LOGIN_ADDRESS_USERNAME_LIMIT)
    assert log_in(client, "olena", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
        attempt.save()
    assert log_in(client, "olena", PASSWORD).status_code == HTTPStatus.FOUND


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"  # not the client's own claim, 6.6.6.6
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: not trusted
    assert client_address(request) == "10.0.0.1"
