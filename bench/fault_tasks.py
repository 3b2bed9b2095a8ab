"""A purpose-built long, idempotent Celery task for bench/fault_celery_kill.py.

Loaded only by the fault run's worker (``celery worker --include bench.fault_tasks``), never
in production. It records every start (with the worker process id), sleeps through its
"long" part, then records completion with get_or_create on a unique key: a redelivered run
after a crash finishes the job once, a second delivery after completion does nothing.
"""

import os
import time
import uuid
from datetime import timedelta

from celery import shared_task


@shared_task(name="bench.fault_long_task", acks_late=True)
def fault_long_task(job_id: str, seconds: float = 8.0) -> str:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    expire = timezone.now() + timedelta(days=1)
    done_key = f"fault-done-{job_id}"
    if Session.objects.filter(session_key=done_key).exists():
        return "already-done"
    Session.objects.create(
        session_key=f"fault-start-{job_id}-{uuid.uuid4().hex[:8]}",
        session_data=str(os.getpid()),
        expire_date=expire,
    )
    time.sleep(seconds)  # the long part, where the worker is killed
    Session.objects.get_or_create(
        session_key=done_key, defaults={"session_data": str(os.getpid()), "expire_date": expire}
    )
    return "done"
