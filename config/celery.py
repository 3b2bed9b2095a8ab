"""Celery application: tasks.py of every app are autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("mingbai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping(value: str = "pong") -> dict:
    """Round-trip check used by the worker test and health checks."""
    import socket

    return {"echo": value, "hostname": socket.gethostname(), "pid": os.getpid()}
