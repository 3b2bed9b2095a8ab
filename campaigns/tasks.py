"""Celery tasks of the campaigns app; they take ids and are safe to run twice."""

from celery import shared_task


@shared_task(name="campaigns.tasks.poster_generate", ignore_result=True)
def poster_generate(page_id: int) -> None:
    """Redraw the QR poster of a campaign or event page (on publish)."""
    from campaigns.services import poster_generate as generate

    generate(page_id=page_id)
