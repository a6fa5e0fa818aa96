"""Error pages that never touch the database, so they still render while it is down."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

# PostgreSQL error codes that mean the server cannot be reached or cannot take us now:
# connection exceptions, shutting down or starting up, too many connections.
POSTGRES_OUTAGE_CODES = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite result codes for a database file that cannot be opened, read, written or locked now.
SQLITE_OUTAGE_CODES = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED")


def is_outage(error: BaseException | None) -> bool:
    """Whether `error` says the database is unreachable, rather than that one statement failed.

    A statement the database refuses (SQLite's "LIKE or GLOB pattern too complex", a value out
    of range, a syntax error) is a bug or bad input: a 500, not a page asking to retry later.
    """
    if isinstance(error, InterfaceError):  # the connection is gone
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is None:
        return True  # raised by Django itself, not by a statement: assume the worst
    if hasattr(cause, "sqlite_errorname"):
        return str(cause.sqlite_errorname).startswith(SQLITE_OUTAGE_CODES)
    if hasattr(cause, "sqlstate"):
        # No code at all: the client could not connect, or lost the connection mid-query.
        return cause.sqlstate is None or cause.sqlstate.startswith(POSTGRES_OUTAGE_CODES)
    return True


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a plain 503 with Retry-After when the database is unreachable, else a 500."""
    if is_outage(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
