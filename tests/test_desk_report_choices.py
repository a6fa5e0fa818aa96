"""The desk at scale: report <select>s offer a bounded list (the newest reports, the claim's own,
the chosen one) yet accept any report by id, an older one is found by its URL, and the
dashboard's lists stop at a fixed length."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from claims.desk import forms
from claims.models import Carriage

from .factories import (
    create_carriage,
    create_claim,
    create_editor,
    create_report,
    create_verdict,
)


@pytest.fixture
def editor(client):
    user = create_editor()
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _few_offered(monkeypatch):
    monkeypatch.setattr(forms, "OFFERED_REPORTS", 3)


def options(page) -> str:
    return page.content.decode()


def test_carriage_form_offers_only_the_newest_reports(client, editor):
    claim = create_claim()
    old = create_report(title="An old report from last year")
    newest = [create_report(title=f"Fresh report {n}") for n in range(3)]
    page = client.get(reverse("desk:carriage_create", args=[claim.slug]))
    assert page.status_code == HTTPStatus.OK
    assert all(f'value="{report.pk}"' in options(page) for report in newest)
    assert f'value="{old.pk}"' not in options(page)


def test_carriage_form_accepts_a_report_it_does_not_list(client, editor):
    claim = create_claim()
    old = create_report(title="An old report from last year")
    for n in range(3):
        create_report(title=f"Fresh report {n}")
    response = client.post(
        reverse("desk:carriage_create", args=[claim.slug]), {"report": old.pk, "role": "repeat"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Carriage.objects.filter(claim=claim, report=old).exists()


def test_an_older_report_found_by_url_is_offered(client, editor):
    claim = create_claim()
    old = create_report(title="An old report", url="https://example.org/old")
    for n in range(3):
        create_report(title=f"Fresh report {n}")
    response = client.post(
        reverse("desk:carriage_create", args=[claim.slug]),
        {
            "role": "repeat",
            "new_report_title": "Same again",
            "new_report_url": "https://example.org/old",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "already logged" in options(response)
    assert f'value="{old.pk}"' in options(response)


def test_response_form_offers_the_claims_own_reports(client, editor):
    claim = create_claim()
    carried = create_carriage(claim=claim).report
    for n in range(3):
        create_report(title=f"Fresh report {n}")
    page = client.get(reverse("desk:response_create", args=[claim.slug]))
    assert f'value="{carried.pk}"' in options(page)


def test_dashboard_lists_are_bounded(client, editor, monkeypatch):
    from claims.desk import views

    monkeypatch.setattr(views, "DESK_LIST_SIZE", 2)
    drafts = [create_verdict(author=editor) for _ in range(3)]
    page = client.get(reverse("desk:dashboard")).content.decode()
    links = [reverse("desk:verdict_edit", args=[draft.pk]) for draft in drafts]
    assert sum(f'href="{link}"' in page for link in links) == 2
    assert "…and more: the first 2 are shown." in page
