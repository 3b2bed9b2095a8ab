"""Celery tasks of the people app: they take ids and are safe to run twice."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from people.accounts.models import User
from people.roster.importing import roster_import_file
from people.roster.models import RosterImport

FINISHED = ("preview", "failed", "done")


@shared_task(name="people.roster_import_run")
def roster_import_run(job_id: int) -> str:
    """Validate (and unless a dry run, apply) one uploaded roster; a finished job is left alone."""
    with transaction.atomic():
        job = RosterImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in FINISHED:
            return job.state if job else "missing"
        job.state = "running"
        job.processed_rows = 0
        job.save(update_fields=["state", "processed_rows"])
    actor = User.objects.filter(pk=job.created_by_id).first()

    def progress(rows: int) -> None:
        RosterImport.objects.filter(pk=job_id).update(processed_rows=rows)

    result = roster_import_file(
        data=bytes(job.content),
        filename=job.filename,
        dry_run=job.dry_run,
        actor=actor,
        progress=progress,
    )
    state = "failed" if result.errors else ("preview" if job.dry_run else "done")
    RosterImport.objects.filter(pk=job_id).update(
        state=state,
        processed_rows=result.rows,
        total_rows=result.rows,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        errors=result.errors,
        finished_at=timezone.now(),
    )
    if state != "preview":  # the uploaded personal data is kept only until confirmed
        RosterImport.objects.filter(pk=job_id).update(content=b"")
    if state == "done":  # one audit entry per applied import, with its counts
        job.refresh_from_db()
        audit_log(
            job,
            "mingbai.roster.import",
            user=actor,
            data={
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return state
