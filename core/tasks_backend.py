"""A django-tasks backend that runs Wagtail's background tasks on Celery.

Wagtail 8 enqueues its own work (search index and reference index updates) through
``django_tasks``. This backend sends each one to the Celery task ``core.run_django_task``
once the surrounding transaction commits, so a worker never sees uncommitted rows.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from core.tasks import run_django_task


class CeleryBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(
            lambda: run_django_task.delay(task.module_path, list(args), dict(kwargs))
        )
        return result
