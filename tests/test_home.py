"""The home page lists the seeded claims with their official position."""

from http import HTTPStatus
from io import StringIO

from django.core.management import call_command
from django.urls import reverse


def test_home_names_the_umerov_claim_and_its_denial(client):
    call_command("seed", stdout=StringIO())
    response = client.get(reverse("claims:home"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Umerov refused to return to Ukraine" in html
    assert "Denied" in html
    assert "Rated: Unproven" in html


def test_claim_page_shows_the_chain(client):
    call_command("seed", stdout=StringIO())
    response = client.get(
        reverse("claims:claim_detail", args=["umerov-refused-to-return-to-ukraine"])
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "President&#x27;s Office" in html
    assert "It&#x27;s fake" in html
    assert "anonymous source inside the institution" in html
    assert "Clash Report" in html


def test_unknown_claim_is_404(client):
    assert (
        client.get(reverse("claims:claim_detail", args=["no-such-claim"])).status_code
        == HTTPStatus.NOT_FOUND
    )
