"""SQLite backend with a fair write queue (ENGINE "core.db.sqlite").

Django's SQLite backend with our SQLITE_OPTIONS opens every transaction with BEGIN IMMEDIATE,
and a writer that finds the database busy waits in SQLite's busy handler, which sleeps up to
100 ms between tries. Under many writers (64 gunicorn/Celery processes) someone else almost
always holds the lock at the moment a sleeper wakes, so one writer can starve past the busy
timeout and get "database is locked" (bench/fault_sqlite_writers.py showed it).

Here a transaction first takes an exclusive flock() on ``<database>.writelock``: waiters sleep
in the kernel and are woken when the holder commits, instead of polling, so the write lock is
handed on promptly and no writer starves. The flock is held only between BEGIN and
COMMIT/ROLLBACK; single autocommit statements and in-memory databases are unchanged.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None
    _write_lock_held = False

    def _write_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writelock"

    def _acquire_write_lock(self) -> None:
        path = self._write_lock_path()
        if path is None or self._write_lock_held:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Sleep in the kernel until the holder commits; holders keep transactions short.
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._write_lock_held = True

    def _release_write_lock(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False

    def _start_transaction_under_autocommit(self):
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except Exception:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
