"""Logging in and out of the desk, the django-axes lockout, and the create_user command."""

from http import HTTPStatus
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.roles import is_editor, is_reviewer

from .factories import create_editor, create_user

PASSWORD = "a-long-test-password"


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == HTTPStatus.OK
    assert 'name="username"' in response.content.decode()


def test_editor_logs_in_to_the_desk(client):
    create_editor(username="olena")
    response = client.post(reverse("login"), {"username": "olena", "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("desk:dashboard")
    assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.OK


def test_login_follows_next_on_this_site_only(client):
    create_editor(username="olena")
    data = {"username": "olena", "password": PASSWORD}
    response = client.post(reverse("login"), {**data, "next": "/desk/claims/new/"})
    assert response["Location"] == "/desk/claims/new/"
    client.logout()
    response = client.post(reverse("login"), {**data, "next": "https://evil.example/"})
    assert response["Location"] == reverse("desk:dashboard")


def test_anonymous_desk_visit_comes_back_after_login(client):
    page_url = reverse("desk:claim_create")
    response = client.get(page_url)
    assert response["Location"] == f"{reverse('login')}?next={page_url}"
    page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{page_url}"' in page


def test_wrong_password_is_a_422_with_the_form(client):
    create_editor(username="olena")
    response = client.post(reverse("login"), {"username": "olena", "password": "wrong"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client):
    user = create_editor()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.FOUND


def test_nav_shows_desk_and_logout_to_editors(client):
    assert "Log in" in client.get(reverse("claims:home")).content.decode()
    client.force_login(create_editor(username="olena"))
    html = client.get(reverse("claims:home")).content.decode()
    assert f'href="{reverse("desk:dashboard")}"' in html
    assert "Log out olena" in html


class TestLockout:
    def test_locked_out_after_repeated_failures(self, client, settings):
        create_editor(username="olena")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = client.post(reverse("login"), {"username": "olena", "password": "nope"})
            assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        response = client.post(reverse("login"), {"username": "olena", "password": "nope"})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        # Even the right password is refused now, and no session is opened.
        response = client.post(reverse("login"), {"username": "olena", "password": PASSWORD})
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert "Too many failed log-ins" in response.content.decode()
        assert "_auth_user_id" not in client.session
        attempt = AccessAttempt.objects.get(username="olena")
        assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def test_lockout_is_per_username(self, client, settings):
        create_editor(username="olena")
        create_editor(username="taras")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "olena", "password": "nope"})
        response = client.post(reverse("login"), {"username": "taras", "password": PASSWORD})
        assert response.status_code == HTTPStatus.FOUND

    def test_success_resets_the_count(self, client, settings):
        create_editor(username="olena")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(reverse("login"), {"username": "olena", "password": "nope"})
        assert client.post(reverse("login"), {"username": "olena", "password": PASSWORD})[
            "Location"
        ] == reverse("desk:dashboard")
        client.post(reverse("logout"))
        response = client.post(reverse("login"), {"username": "olena", "password": "nope"})
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


class TestCreateUserCommand:
    def test_creates_a_reviewer_who_can_log_in(self, client):
        out = StringIO()
        call_command(
            "create_user", "maria", role="reviewer", password="correct-horse-battery", stdout=out
        )
        user = get_user_model().objects.get(username="maria")
        assert is_reviewer(user) and is_editor(user)
        assert "Created maria with the reviewer role" in out.getvalue()
        response = client.post(
            reverse("login"), {"username": "maria", "password": "correct-horse-battery"}
        )
        assert response["Location"] == reverse("desk:dashboard")

    def test_editor_role_cannot_review(self):
        call_command("create_user", "ivan", role="editor", no_input=True, stdout=StringIO())
        user = get_user_model().objects.get(username="ivan")
        assert is_editor(user) and not is_reviewer(user)
        assert not user.has_usable_password()

    def test_weak_password_is_refused(self):
        with pytest.raises(CommandError):
            call_command("create_user", "ivan", role="editor", password="short", stdout=StringIO())

    def test_user_without_role_has_no_desk(self, client):
        client.force_login(create_user())
        assert client.get(reverse("desk:dashboard")).status_code == HTTPStatus.FORBIDDEN
