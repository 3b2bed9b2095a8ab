"""Data for the security tests: a small roster with real (fictitious) ID numbers, an exam run."""

from datetime import timedelta

from django.utils import timezone

from core.identity import make_test_id_number


def make_roster(n=6, actor=None):
    """Units and n persons created through people's services; returns (persons, id numbers)."""
    from people.roster.models import Unit
    from people.roster.services import person_create

    district = Unit.objects.create(kind="district", code="SD", name="安全区")
    town = Unit.objects.create(kind="town", code="ST1", name="安全镇", parent=district)
    village = Unit.objects.create(kind="village", code="SV1", name="安全村", parent=town)
    persons, ids = [], []
    for i in range(n):
        id_number = make_test_id_number(region="511102", seq=100 + i)
        persons.append(
            person_create(
                name=f"测试{i}",
                id_number=id_number,
                unit=village,
                category="cadre",
                mobile=f"1371234{i:04d}",
                actor=actor,
            )
        )
        ids.append(id_number)
    return persons, ids


def make_exam_run(users):
    """A published assessment exam and one submitted attempt per user."""
    from exams.models import Exam
    from exams.services import attempt_start, attempt_submit
    from tests.exams.conftest import make_bank, make_paper

    make_bank()
    now = timezone.now()
    exam = Exam.objects.create(
        title="安全测试考核",
        purpose="assessment",
        paper=make_paper(),
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        time_limit_minutes=30,
        attempts_allowed=3,
    )
    attempts = []
    for user in users:
        attempt = attempt_start(exam=exam, user=user)
        attempt_submit(attempt=attempt)
        attempts.append(attempt)
    return exam, attempts
