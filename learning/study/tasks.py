"""Celery tasks of the learning app (study part): the nightly roll-up of study credit."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(name="learning.study.tasks.study_rollup_nightly", ignore_result=True)
def study_rollup_nightly(year: int | None = None) -> dict:
    """Rebuild the yearly totals (年度学时汇总) from the raw daily rows; safe to run twice.

    Without a year it rolls up yesterday's year and today's (the night after 31 December
    still finishes the old year).
    """
    from learning.study.services import study_rollup

    if year is not None:
        return {str(year): study_rollup(year=int(year))}
    today = timezone.localdate()
    years = sorted({(today - dt.timedelta(days=1)).year, today.year})
    return {str(y): study_rollup(year=y) for y in years}
