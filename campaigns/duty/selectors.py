"""Reads of the 谁执法谁普法 duty reports, scoped by who is asking.

District users (people.roster.selectors.sees_everything: superuser, 区司法局管理员, district scope) see
every department; department staff (部门普法联络员) see only their own department — the
department of their StaffScope, or of the unit of their roster entry (Person).
"""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from campaigns.duty.models import DutyList, DutyReport, DutyScore, ReviewCriterion
from people.accounts.roles import DEPARTMENT_STAFF
from people.roster.models import StaffScope, Unit
from people.roster.selectors import departments, person_for_user, sees_everything, unit_department


def is_district_reviewer(user) -> bool:
    return sees_everything(user)


def user_department(user) -> Unit | None:
    """The department a department-staff account belongs to, or None."""
    if user is None or not user.is_authenticated:
        return None
    scope = (
        StaffScope.objects.filter(user_id=user.pk, unit__kind="department")
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    if scope is not None:
        return scope.unit
    person = person_for_user(user)
    return unit_department(person.unit) if person is not None else None


def duty_departments(user) -> QuerySet[Unit]:
    """Departments whose duty list and report the user may see and edit."""
    if is_district_reviewer(user):
        return departments().order_by("sort_order", "code")
    if not user.is_authenticated or not user.groups.filter(name=DEPARTMENT_STAFF).exists():
        return Unit.objects.none()
    department = user_department(user)
    if department is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=department.pk)


def criteria() -> list[ReviewCriterion]:
    return list(ReviewCriterion.objects.all())


def duty_summary(*, year: int, units) -> list[dict]:
    """年度汇总: per department, its list, report status, scores per criterion and total."""
    units = list(units)
    lists = {
        item.department_id: item
        for item in DutyList.objects.filter(year=year, department__in=units).prefetch_related(
            "activities"
        )
    }
    reports = {
        report.department_id: report
        for report in DutyReport.objects.filter(year=year, department__in=units)
        .select_related("review")
        .prefetch_related(
            Prefetch("review__scores", queryset=DutyScore.objects.select_related("criterion"))
        )
    }
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        review = getattr(report, "review", None) if report else None
        scores = (
            {score.criterion_id: score.score for score in review.scores.all()} if review else {}
        )
        duty_list = lists.get(unit.pk)
        rows.append(
            {
                "department": unit,
                "duty_list": duty_list,
                "planned": len(duty_list.activities.all()) if duty_list else 0,
                "report": report,
                "review": review,
                "scores": scores,
                "total": sum(scores.values(), Decimal(0)) if review else None,
            }
        )
    return rows
