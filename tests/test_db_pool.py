"""The pool's check before a loan: a look at the socket, a round trip only where it can't tell."""

import socket

import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from factcheck import db


class Lent:
    """A pooled connection as the check sees it, over one end of a socket pair."""

    def __init__(self):
        self.socket, self.server = socket.socketpair()
        self.closed = self.broken = False

    def fileno(self):
        return self.socket.fileno()


@pytest.fixture
def round_trips(monkeypatch):
    made = []
    monkeypatch.setattr(ConnectionPool, "check_connection", made.append)
    return made


@pytest.fixture
def lent():
    lent = Lent()
    yield lent
    lent.socket.close()
    lent.server.close()


def test_a_quiet_connection_checked_lately_is_lent_without_a_round_trip(lent, round_trips):
    db.check_connection(lent)  # never checked: a round trip
    db.check_connection(lent)
    db.check_connection(lent)
    assert round_trips == [lent]


def test_a_socket_with_something_to_read_gets_a_round_trip(lent, round_trips):
    db.check_connection(lent)
    lent.server.sendall(b"E")  # the server's goodbye on a restart
    db.check_connection(lent)
    assert round_trips == [lent, lent]


def test_a_socket_the_server_closed_gets_a_round_trip(lent, round_trips):
    db.check_connection(lent)
    lent.server.close()
    db.check_connection(lent)
    assert round_trips == [lent, lent]


def test_a_connection_not_checked_for_a_while_gets_a_round_trip(lent, round_trips, monkeypatch):
    db.check_connection(lent)
    lent.factcheck_checked_at -= db.ROUND_TRIP_EVERY + 1
    db.check_connection(lent)
    assert round_trips == [lent, lent]


def test_a_broken_connection_gets_a_round_trip(lent, round_trips):
    db.check_connection(lent)
    lent.broken = True
    db.check_connection(lent)
    assert round_trips == [lent, lent]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real server's connection")
@pytest.mark.django_db
def test_a_terminated_backend_is_replaced_before_a_reader_gets_it():
    params = connection.get_connection_params() | {"autocommit": True}
    params.pop("cursor_factory", None)
    pool = ConnectionPool(
        kwargs=params, min_size=1, max_size=1, check=db.check_connection, open=False
    )
    pool.open(wait=True)
    try:
        with pool.connection() as lent:
            gone = lent.info.backend_pid
        with connection.cursor() as cursor:
            # Returns once the backend has exited (or the 5 s timeout passed: an error).
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [gone])
        with pool.connection() as lent:
            assert lent.execute("SELECT pg_backend_pid()").fetchone()[0] != gone
    finally:
        pool.close()
