"""PostgreSQL backend with a health check that costs no round trip (ENGINE "core.db.postgresql").

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before the first query of
each request with ``SELECT 1``: one more round trip for every API request, a fifth of the work
of an exam save. Here the check first asks the socket: an idle connection has nothing to read,
so a socket that is readable (PostgreSQL sent "terminating connection" on a restart or
``pg_terminate_backend``, or closed it) or a connection psycopg already knows is broken or not
idle is checked the usual way with ``SELECT 1``, which then fails and Django reconnects. A
connection whose peer vanished without a word passes both checks alike (``SELECT 1`` would
hang until the TCP timeout); its first query fails and Django drops it at the end of that
request.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base

try:
    from psycopg.pq import ConnStatus, TransactionStatus
except ImportError:  # psycopg2: no such shortcut, always the full check
    ConnStatus = TransactionStatus = None


def _socket_quiet(conn) -> bool:
    """Whether an idle psycopg 3 connection's socket has nothing to read (no poll wait)."""
    if ConnStatus is None or conn.closed or conn.broken:
        return False
    pgconn = conn.pgconn
    if pgconn.status != ConnStatus.OK or pgconn.transaction_status != TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (OSError, ValueError):
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        if _socket_quiet(self.connection):
            return True
        return super().is_usable()
