"""
The PostgreSQL pool's check before it lends a connection.

psycopg_pool's own check is a round trip (`SELECT ''`) on every loan, that is on every
request: as much as the one query a reader page served from the cache makes. An idle
connection's socket has nothing to read unless the server said goodbye (a restart, a
terminated backend) or the connection dropped, so a look at the socket (microseconds) finds
those; the round trip is kept for a socket with something on it, and once every
`ROUND_TRIP_EVERY` seconds for what a look cannot see (a peer gone silent).
"""

import select
import time

from psycopg_pool import ConnectionPool

ROUND_TRIP_EVERY = 30  # seconds


def check_connection(connection) -> None:
    """Raise if the connection is unusable (the pool then opens another)."""
    now = time.monotonic()
    checked_at = getattr(connection, "factcheck_checked_at", None)
    if checked_at is not None and now - checked_at < ROUND_TRIP_EVERY and _quiet(connection):
        return
    ConnectionPool.check_connection(connection)
    connection.factcheck_checked_at = now


def _quiet(connection) -> bool:
    """Whether an idle connection's socket has nothing to read (no goodbye, no EOF)."""
    if connection.closed or connection.broken:
        return False
    poll = select.poll()
    poll.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return not poll.poll(0)
