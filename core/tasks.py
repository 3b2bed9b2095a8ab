"""Celery tasks of the core layer: they take plain values and are safe to run twice."""

from celery import shared_task


@shared_task(name="core.run_django_task", ignore_result=True)
def run_django_task(module_path: str, args: list, kwargs: dict) -> None:
    """Run a django-tasks task (by its dotted path) inside a Celery worker."""
    from django.utils.module_loading import import_string

    task = import_string(module_path)
    task.call(*args, **kwargs)
