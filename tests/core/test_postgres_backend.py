"""core.db.postgresql: the health check asks the socket, and still catches a dead connection."""

import time

import pytest
from django.db import close_old_connections, connection

from people.roster.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend (CI runs the suite on PostgreSQL too)")
    assert connection.settings_dict["ENGINE"] == "core.db.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_an_idle_healthy_connection_is_usable_without_a_round_trip(monkeypatch):
    _backend_pid()
    raw = connection.connection

    def no_queries(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(raw, "cursor", no_queries)
    monkeypatch.setattr(raw, "execute", no_queries)
    assert connection.is_usable()


def test_a_connection_the_server_terminated_is_replaced_at_the_next_request():
    import psycopg

    old_pid = _backend_pid()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    # The terminated backend says so on the socket; give the message a moment to arrive.
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.is_usable()

    close_old_connections()  # what Django does at the start of every request
    Unit.objects.count()  # the request's first query runs on a fresh connection, no error
    assert _backend_pid() != old_pid


def test_a_repeated_statement_is_prepared():
    """psycopg prepares a statement once a connection has run it five times."""
    for _ in range(6):
        Unit.objects.filter(pk=1).exists()
    prepared = connection.connection.execute(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
        ["%people_unit%"],
    )
    assert prepared.fetchone()[0] == 1
