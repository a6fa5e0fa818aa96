"""URLs under /api/: version 1, its documentation page, bulk downloads, and problem-details
answers for any other address under /api/."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path, reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from . import bulk
from .problems import problem
from .v1 import api


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI from our own static files (no CDN), configured without inline script. The
    page around it is for people: in the language their browser asks for, not the API's."""
    translation.activate(translation.get_language_from_request(request))
    settings = {"url": reverse("api-v1:openapi-json"), "layout": "BaseLayout", "deepLinking": True}
    return render(request, "claims/api_docs.html", {"swagger_settings": settings})


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem(HTTPStatus.NOT_FOUND, "There is no API endpoint at this address.")


urlpatterns = [
    path("v1/docs/", docs, name="api_docs"),
    path("v1/bulk/", bulk.index, name="bulk_index"),
    path("v1/bulk/<str:name>", bulk.download, name="bulk_download"),
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
