"""Celery tasks of the home app."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="home.tasks.publish_scheduled_pages", ignore_result=True)
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (every minute).

    Wagtail's own `publish_scheduled` command does the work; it is safe to run twice because a
    revision that has been published is no longer scheduled.
    """
    call_command("publish_scheduled")
