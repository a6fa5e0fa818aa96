"""
Errors as RFC 9457 problem details (`application/problem+json`): a status, a short title, a
detail for people, and for validation errors the fields at fault. Never a traceback and
never an HTML page, whatever went wrong.
"""

import json
import logging
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

PROBLEM_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)


def problem(
    status: int, detail: str = "", *, errors: list | None = None, headers: dict | None = None
) -> HttpResponse:
    body: dict = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_errors(errors: list[dict]) -> list[dict]:
    """Ninja's (pydantic's) errors as {"location": "query.page_size", "message": "..."}."""
    return [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "is not valid")),
        }
        for error in errors
    ]


def install(api) -> None:
    """Make every error the API can raise answer as problem details."""
    from django.http import Http404
    from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(HTTPStatus.NOT_FOUND, "Nothing is published at this address.")

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = exc.message
        if isinstance(exc, Throttled):
            detail = "Too many requests from this address or key; wait and try again."
        elif isinstance(exc, AuthenticationError) and exc.message == "Unauthorized":
            detail = "This endpoint needs an API key in the X-API-Key header."
        return problem(exc.status_code, detail)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "Some parameters are not valid.",
            errors=validation_errors(exc.errors),
        )

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.")

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(Exception, unexpected)
