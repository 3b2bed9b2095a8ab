"""Writes of the 谁执法谁普法 duty reports: duty lists, annual reports, the district's review."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.choices import AUDIENCE_LABELS
from campaigns.duty.models import (
    DutyActivity,
    DutyList,
    DutyReport,
    DutyReview,
    DutyScore,
    ReviewCriterion,
)
from core.audit import audit_log

REVIEW_CRITERIA = (
    ("组织领导与责任落实", 20),
    ("普法责任清单执行", 30),
    ("宣传活动开展", 30),
    ("创新做法与实际成效", 20),
)
ACTIVITY_LINE = re.compile(r"^\s*(\d{1,2})\s*[|｜]\s*([^|｜]+?)\s*(?:[|｜]\s*(.*?)\s*)?$")


def criteria_ensure() -> list[ReviewCriterion]:
    """The review criteria (评议指标); created once, editable in the admin afterwards."""
    if not ReviewCriterion.objects.exists():
        for order, (name, max_score) in enumerate(REVIEW_CRITERIA):
            ReviewCriterion.objects.create(name=name, max_score=max_score, sort_order=order)
    return list(ReviewCriterion.objects.all())


def _check_year(year: int) -> None:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("年度不正确。")


def activities_parse(text: str) -> list[dict]:
    """Parse planned activities, one a line: "月份|活动名称|对象" (对象 optional)."""
    activities, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = ACTIVITY_LINE.match(line)
        if not match or not 1 <= int(match.group(1)) <= 12:
            errors.append(
                f"第{number}行格式不对，应为“月份|活动名称|对象”，月份为1到12：{line.strip()}"
            )
            continue
        if len(match.group(2)) > 100:
            errors.append(f"第{number}行活动名称超过100个字。")
            continue
        activities.append(
            {
                "month": int(match.group(1)),
                "title": match.group(2),
                "audience": (match.group(3) or "")[:60],
            }
        )
    if errors:
        raise ValidationError(errors)
    return activities


def activities_format(duty_list: DutyList | None) -> str:
    if duty_list is None:
        return ""
    return "\n".join(
        "|".join(filter(None, (str(a.month), a.title, a.audience)))
        for a in duty_list.activities.all()
    )


@transaction.atomic
def duty_list_save(
    *,
    department,
    year: int,
    user,
    laws=(),
    other_laws: str = "",
    audiences=(),
    duties: str = "",
    activities=(),
) -> DutyList:
    """Create or replace a department's duty list for a year (普法责任清单)."""
    _check_year(year)
    if department.kind != "department":
        raise ValidationError("只能为区级部门填写普法责任清单。")
    unknown = [key for key in audiences if key not in AUDIENCE_LABELS]
    if unknown:
        raise ValidationError(f"未知的普法对象：{'、'.join(unknown)}")
    laws = list(laws)
    if not laws and not other_laws.strip():
        raise ValidationError("请至少填写一部执法依据的法律法规。")
    duty_list, _ = DutyList.objects.select_for_update().get_or_create(
        department=department,
        year=year,
        defaults={"updated_by": user},
    )
    duty_list.other_laws = other_laws.strip()
    duty_list.audiences = list(audiences)
    duty_list.duties = duties.strip()
    duty_list.updated_by = user
    duty_list.save()
    duty_list.laws.set(laws)
    duty_list.activities.all().delete()
    DutyActivity.objects.bulk_create(
        [DutyActivity(duty_list=duty_list, **activity) for activity in activities]
    )
    return duty_list


@transaction.atomic
def duty_report_save(
    *,
    department,
    year: int,
    user,
    summary: str,
    activities_held: int = 0,
    people_reached: int = 0,
    submit: bool = False,
) -> DutyReport:
    """Save (and optionally submit) a department's annual report (履职报告)."""
    _check_year(year)
    if department.kind != "department":
        raise ValidationError("只能为区级部门填写履职报告。")
    if not summary.strip():
        raise ValidationError("请填写履职情况。")
    if activities_held < 0 or people_reached < 0:
        raise ValidationError("活动场次和人次不能为负数。")
    report = DutyReport.objects.select_for_update().filter(department=department, year=year).first()
    if report is not None and report.status == DutyReport.Status.REVIEWED:
        raise ValidationError("报告已经评议，不能再修改。")
    if report is None:
        report = DutyReport(department=department, year=year)
    report.summary = summary.strip()
    report.activities_held = activities_held
    report.people_reached = people_reached
    if submit:
        report.status = DutyReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = user
    report.save()
    return report


@transaction.atomic
def duty_review_save(*, report: DutyReport, reviewer, scores: dict, comment: str) -> DutyReview:
    """The district's review (评议): a score for every criterion and a comment."""
    report = DutyReport.objects.select_for_update().get(pk=report.pk)
    if report.status == DutyReport.Status.DRAFT:
        raise ValidationError("报告尚未提交，不能评议。")
    if not comment.strip():
        raise ValidationError("请填写评议意见。")
    all_criteria = criteria_ensure()
    errors, values = [], {}
    for criterion in all_criteria:
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.1"))
        except (InvalidOperation, TypeError, ValueError):
            errors.append(f"请为“{criterion.name}”打分。")
            continue
        if not 0 <= value <= criterion.max_score:
            errors.append(f"“{criterion.name}”的得分应在0到{criterion.max_score}之间。")
            continue
        values[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    review, _ = DutyReview.objects.update_or_create(
        report=report,
        defaults={"comment": comment.strip(), "reviewer": reviewer, "reviewed_at": timezone.now()},
    )
    for criterion_id, value in values.items():
        DutyScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": value}
        )
    report.status = DutyReport.Status.REVIEWED
    report.save(update_fields=["status"])
    audit_log(
        report,
        "mingbai.duty_report.review",
        user=reviewer,
        data={
            "review": review.pk,
            "total": str(sum(values.values(), Decimal(0))),
            "scores": {str(k): str(v) for k, v in values.items()},
        },
    )
    return review


def _cell(text: str) -> str:
    """Text for a spreadsheet cell; never a formula (CSV/formula injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def duty_summary_xlsx(*, year: int, rows: list[dict], criteria: list[ReviewCriterion]) -> bytes:
    """年度汇总表 as .xlsx: one row per department, one column per criterion, total."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年汇总"
    header = ["部门", "责任清单", "计划活动", "履职报告", "开展活动（场）", "受教育人数（人次）"]
    header += [f"{c.name}（{c.max_score}分）" for c in criteria] + ["总分", "评议意见"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        report = row["report"]
        review = row["review"]
        sheet.append(
            [
                _cell(row["department"].name),
                "已填写" if row["duty_list"] else "未填写",
                row["planned"],
                report.get_status_display() if report else "未填写",
                report.activities_held if report else None,
                report.people_reached if report else None,
            ]
            + [float(row["scores"][c.pk]) if c.pk in row["scores"] else None for c in criteria]
            + [
                float(row["total"]) if row["total"] is not None else None,
                _cell(review.comment) if review else "",
            ]
        )
    sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
