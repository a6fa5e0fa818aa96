"""Ids from outside are checked as ids: twenty digits, a minus sign or a letter in any id-bearing
form field, filter or URL is bad input (a form error, a 404), never a 500 or a database error."""

import inspect
import re
from http import HTTPStatus

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims import filters as reader_filters
from claims.desk import forms as desk_forms
from claims.ids import (
    MAX_BIGINT,
    BoundedIntegerField,
    IdChoiceField,
    IdConverter,
    IdMultipleChoiceField,
    as_id,
)
from claims.importer import forms as importer_forms
from claims.models import Carriage, Claim, ImportJob, Report

from .factories import (
    create_carriage,
    create_claim,
    create_editor,
    create_report,
    create_response,
    create_verdict,
)

HOSTILE_IDS = [
    "99999999999999999999",
    "-99999999999999999999",
    str(MAX_BIGINT + 1),
    "-1",
    "0",
    "1.5",
    "1e3",
    "abc",
    "١٢",  # Arabic-Indic digits: int() reads them, no id is typed so
    "1_000",
    "0x10",
]
TOO_BIG_FOR_A_URL = ["99999999999999999999", str(MAX_BIGINT + 1), "0"]
FORM_MODULES = [desk_forms, importer_forms, reader_filters]


def id_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, (forms.ModelChoiceField, forms.IntegerField))
    ]


def our_form_classes() -> list[type]:
    found = []
    for module in FORM_MODULES:
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if not issubclass(value, forms.BaseForm) or value.__module__ != module.__name__:
                continue
            if issubclass(value, forms.BaseModelForm) and value._meta.model is None:
                continue  # a base class; its fields are walked in its subclasses
            found.append(value)
    return found


@pytest.mark.parametrize("form_class", our_form_classes(), ids=lambda cls: cls.__name__)
def test_every_id_field_of_our_forms_is_bounded(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field, IdMultipleChoiceField), f"{form_class.__name__}.{name}"
        elif isinstance(field, forms.ModelChoiceField):
            assert isinstance(field, IdChoiceField), f"{form_class.__name__}.{name}"
        elif isinstance(field, forms.IntegerField):
            assert isinstance(field, BoundedIntegerField), f"{form_class.__name__}.{name}"


def test_as_id():
    assert as_id("42") == as_id(42) == as_id(" 42 ") == 42
    assert as_id(str(MAX_BIGINT)) == MAX_BIGINT
    for value in [*HOSTILE_IDS, True, -5, MAX_BIGINT + 1, None, ""]:
        assert as_id(value) is None, value


def form_builders() -> list:
    """Build each form with id fields, new and editing, around the given data."""
    claim = create_claim()
    carriage = create_carriage(claim=claim)
    response = create_response(claim=claim)
    verdict = create_verdict(claim=claim)
    return [
        lambda data: desk_forms.ClaimForm(data, instance=claim),
        lambda data: desk_forms.ReportForm(data, instance=carriage.report),
        lambda data: desk_forms.CarriageForm(data, claim=claim),
        lambda data: desk_forms.CarriageForm(data, claim=claim, instance=carriage),
        lambda data: desk_forms.ResponseForm(data, claim=claim),
        lambda data: desk_forms.ResponseForm(data, claim=claim, instance=response),
        lambda data: desk_forms.VerdictForm(data, instance=verdict),
        lambda data: desk_forms.WithdrawForm(data),
        lambda data: importer_forms.ConfirmForm(data, similar=[claim]),
        lambda data: desk_forms.TranslationForm(data),
        lambda data: desk_forms.TranslationForm(data, editing=True),
        lambda data: desk_forms.ConfirmTranslationForm(data),
        lambda data: desk_forms.NarrativeForm(data),
    ]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_every_id_field_refuses_what_cannot_be_an_id(value):
    checked = set()
    for build in form_builders():
        for name in id_fields(build({})):
            form = build({name: value})
            assert not form.is_valid()
            assert name in form.errors, (type(form).__name__, name)
            checked.add((type(form).__name__, name))
    # Every id field of every form class was walked.
    for form_class in our_form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, (forms.ModelChoiceField, forms.IntegerField)):
                assert (form_class.__name__, name) in checked


# Through the views, as an editor posts them.


@pytest.fixture
def editor(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = create_editor()
    client.force_login(user)
    return user


def desk_posts() -> list[tuple[str, str]]:
    """(url, field) for every desk and importer form field that carries an id."""
    claim = create_claim()
    carriage = create_carriage(claim=claim)
    response = create_response(claim=claim)
    verdict = create_verdict(claim=create_claim())
    job = ImportJob.objects.create(
        url="https://example.com/a", status="ready", result={"suggestion": {"claim": claim.text}}
    )
    posts = [
        (reverse("desk:carriage_create", args=[claim.slug]), "report"),
        (reverse("desk:carriage_create", args=[claim.slug]), "cites"),
        (reverse("desk:carriage_edit", args=[carriage.pk]), "report"),
        (reverse("desk:carriage_edit", args=[carriage.pk]), "cites"),
        (reverse("desk:carriage_edit", args=[carriage.pk]), "version"),
        (reverse("desk:response_create", args=[claim.slug]), "report"),
        (reverse("desk:response_edit", args=[response.pk]), "report"),
        (reverse("desk:response_edit", args=[response.pk]), "version"),
        (reverse("desk:claim_edit", args=[claim.slug]), "version"),
        (reverse("desk:report_edit", args=[carriage.report.pk]), "version"),
        (reverse("desk:verdict_edit", args=[verdict.pk]), "version"),
        (reverse("desk:withdraw", args=["carriage", carriage.pk]), "version"),
        (reverse("desk:withdraw", args=["response", response.pk]), "version"),
        (reverse("importer:job_confirm", args=[job.pk]), "existing_claim"),
    ]
    return posts


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_desk_posts_with_hostile_ids_are_form_errors(client, editor, value):
    for url, field in desk_posts():
        response = client.post(url, {field: value, "role": "repeat", "reason": "why"})
        assert response.status_code in {
            HTTPStatus.UNPROCESSABLE_ENTITY,
            HTTPStatus.CONFLICT,
        }, (url, field, response.status_code)


def test_the_carriage_form_with_twenty_digits_says_so(client, editor):
    claim = create_claim()
    create_report()
    response = client.post(
        reverse("desk:carriage_create", args=[claim.slug]),
        {"report": "99999999999999999999", "role": "repeat"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_reader_filters_with_hostile_ids_are_ignored_with_a_message(client, value):
    for name in ("actor", "outlet", "tag", "page", "rating", "position"):
        for url in (reverse("claims:claim_list"), reverse("claims:claim_export_json")):
            response = client.get(url, {name: value})
            assert response.status_code == HTTPStatus.OK, (url, name)


# URLs


def url_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_numeric_url_part_is_an_id():
    numeric = [route for route, _ in url_patterns() if "<int:" in route]
    assert numeric == []
    assert any("<id:" in route for route, _ in url_patterns())


@pytest.mark.parametrize("value", TOO_BIG_FOR_A_URL)
def test_urls_with_ids_that_cannot_exist_are_404(client, editor, value):
    routes = [route for route, _ in url_patterns() if "<id:" in route]
    assert routes
    for route in routes:
        path = "/" + re.sub(r"<id:\w+>", value, route)
        path = re.sub(r"<withdrawable:\w+>", "claim", path)
        assert client.get(path).status_code == HTTPStatus.NOT_FOUND, path
        assert client.post(path).status_code == HTTPStatus.NOT_FOUND, path


def test_the_id_converter_bounds():
    converter = IdConverter()
    assert converter.to_python("1") == 1
    assert converter.to_python(str(MAX_BIGINT)) == MAX_BIGINT
    for value in ("0", str(MAX_BIGINT + 1), "99999999999999999999"):
        with pytest.raises(ValueError):
            converter.to_python(value)


# Queries and the admin: a number no id column holds matches nothing, on both databases.


@pytest.mark.parametrize("value", [10**20, -(10**20), MAX_BIGINT + 1])
def test_queries_with_impossible_ids_match_nothing(value):
    carriage = create_carriage()
    assert list(Report.objects.filter(pk__in=[value])) == []
    assert list(Report.objects.filter(pk__in=[value, carriage.report.pk])) == [carriage.report]
    assert list(Carriage.objects.filter(report_id=value)) == []
    assert list(Carriage.objects.filter(report=value)) == []
    assert list(Carriage.objects.filter(report__in=[value, carriage.report.pk])) == [carriage]
    assert list(Claim.objects.filter(subjects__in=[value])) == []
    assert Carriage.objects.exclude(report__in=[value]).count() == 1


@pytest.fixture
def admin_user(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password")
    client.force_login(user)
    return user


@pytest.mark.parametrize("value", TOO_BIG_FOR_A_URL[:2])
def test_the_admin_takes_impossible_ids_without_a_500(client, admin_user, value):
    create_carriage()
    for url in (
        f"/admin/claims/report/?id__in={value}",
        f"/admin/claims/carriage/?report={value}",
        f"/admin/claims/carriage/?report__id__exact={value}",
        f"/admin/claims/claim/?tags={value}",
    ):
        assert client.get(url).status_code == HTTPStatus.OK, url
    assert client.get(f"/admin/claims/report/{value}/change/").status_code == HTTPStatus.FOUND
    # The chain is read-only in the admin (it is written through the review gate only).
    for model, data in (
        ("carriage", {"report": value, "claim": value}),
        ("claim", {"subjects": [value], "tags": [value], "claimant": value}),
    ):
        response = client.post(f"/admin/claims/{model}/add/", data)
        assert response.status_code == HTTPStatus.FORBIDDEN, model
    response = client.post("/admin/claims/outlet/add/", {"actor": value})
    assert response.status_code == HTTPStatus.OK  # the form again, with errors
    assert "errornote" in response.content.decode()
