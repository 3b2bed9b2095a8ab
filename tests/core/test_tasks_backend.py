"""Wagtail's background tasks reach Celery through the django-tasks backend after commit."""

import pytest
from django.db import transaction
from django_tasks import task

from core import tasks_backend

CALLS = []


@task()
def record_call(value):
    CALLS.append(value)


@pytest.mark.django_db(transaction=True)
def test_celery_backend_runs_task_after_commit(settings):
    backend = tasks_backend.CeleryBackend("default", {})
    CALLS.clear()
    with transaction.atomic():
        backend.enqueue(record_call, ["已提交"], {})
        assert CALLS == []  # not before the commit
    assert CALLS == ["已提交"]  # eager Celery in tests runs it at once


@pytest.mark.django_db(transaction=True)
def test_celery_backend_drops_task_on_rollback():
    backend = tasks_backend.CeleryBackend("default", {})
    CALLS.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        backend.enqueue(record_call, ["回滚"], {})
        raise RuntimeError
    assert CALLS == []
