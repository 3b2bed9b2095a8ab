"""Reads of campaign quizzes (答题活动): participants and leaderboards by town and department."""

from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from campaigns.models import CampaignPage
from exams.models import Attempt


def quiz_participants_by_campaign(campaign_ids) -> dict[int, int]:
    """Distinct people who took each campaign's quiz."""
    quiz_of = dict(
        CampaignPage.objects.filter(pk__in=list(campaign_ids), quiz__isnull=False).values_list(
            "pk", "quiz__exam_id"
        )
    )
    if not quiz_of:
        return {}
    counts = dict(
        Attempt.objects.filter(exam_id__in=set(quiz_of.values()))
        .values("exam_id")
        .annotate(people=Count("user_id", distinct=True))
        .values_list("exam_id", "people")
    )
    return {campaign: counts.get(exam, 0) for campaign, exam in quiz_of.items()}


def _department_of(units: dict, unit_id):
    seen = 0
    unit = units.get(unit_id)
    while unit is not None and seen < 20:
        if unit.kind == "department":
            return unit
        unit = units.get(unit.parent_id)
        seen += 1
    return None


def _best_within_daily_limit(quiz) -> list[dict]:
    """Each person's best score, counting only their first `daily_limit` attempts of each day.

    The limit is enforced when a quiz is started here; counting this way also keeps attempts
    started elsewhere (the exams pages or API) from improving a place on the leaderboard.
    """
    attempts = (
        Attempt.objects.filter(exam_id=quiz.exam_id, state="submitted", person__isnull=False)
        .order_by("user_id", "started_at", "pk")
        .values_list("user_id", "person__unit_id", "started_at", "percent")
    )
    per_day: dict[tuple, int] = defaultdict(int)
    best: dict[int, dict] = {}
    for user_id, unit_id, started_at, percent in attempts:
        day = (user_id, timezone.localtime(started_at).date())
        per_day[day] += 1
        if per_day[day] > quiz.daily_limit:
            continue
        row = best.setdefault(user_id, {"person__unit_id": unit_id, "best": percent})
        if (percent or 0) > (row["best"] or 0):
            row["best"] = percent
    return list(best.values())


def leaderboards(quiz, *, use_cache: bool = True) -> dict:
    """排行榜: per town and per department, people taking part and their average best score.

    Each person counts once with their best submitted score; people without a roster entry
    (no unit) take part but are in no board. Cached for a minute.
    """
    key = f"campaigns:quiz:{quiz.pk}:boards"
    boards = cache.get(key) if use_cache else None
    if boards is not None:
        return boards
    from people.roster.models import Unit

    best = _best_within_daily_limit(quiz)
    unit_ids = {row["person__unit_id"] for row in best}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    parents = {u.parent_id for u in units.values()} - set(units)
    while parents - {None}:  # load ancestors level by level for the department lookup
        fetched = {u.pk: u for u in Unit.objects.filter(pk__in=parents - {None})}
        units.update(fetched)
        parents = {u.parent_id for u in fetched.values()} - set(units)
    towns = {
        u.pk: u for u in Unit.objects.filter(pk__in={u.town_id for u in units.values()} - {None})
    }

    def board(group_of):
        groups = defaultdict(list)
        for row in best:
            group = group_of(units.get(row["person__unit_id"]))
            if group is not None:
                groups[group].append(row["best"] or Decimal(0))
        rows = [
            {
                "name": unit.name,
                "people": len(scores),
                "average": (sum(scores) / len(scores)).quantize(Decimal("0.1")),
            }
            for unit, scores in groups.items()
        ]
        rows.sort(key=lambda r: (-r["average"], -r["people"], r["name"]))
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
        return rows

    boards = {
        "towns": board(lambda unit: towns.get(unit.town_id) if unit else None),
        "departments": board(lambda unit: _department_of(units, unit.pk) if unit else None),
        "participants": Attempt.objects.filter(exam_id=quiz.exam_id)
        .values("user_id")
        .distinct()
        .count(),
    }
    cache.set(key, boards, 60)
    return boards
