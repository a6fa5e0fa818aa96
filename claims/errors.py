"""Error pages that never touch the database, so they still render while it is down."""

import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a plain 503 with Retry-After when the database is unreachable, else a 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
