"""Celery application: tasks.py of every app and sub-home are autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("mingbai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # tasks.py of every installed app
# Sub-homes inside an app keep their own tasks.py (DESIGN.md "Layout").
app.autodiscover_tasks(
    [
        "people.accounts",
        "people.roster",
        "people.quota",
        "learning.laws",
        "learning.study",
        "campaigns.duty",
        "campaigns.quiz",
    ]
)


@app.task(name="config.ping")
def ping(value: str = "pong") -> dict:
    """Round-trip check used by the worker test and health checks."""
    import socket

    return {"echo": value, "hostname": socket.gethostname(), "pid": os.getpid()}
