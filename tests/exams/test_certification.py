"""Passing an assessment trains the person at once; one certificate per passed attempt."""

import io

import pytest
from PIL import Image

from exams.models import Certificate
from exams.services import answer_save, attempt_start, attempt_submit
from exams.services.certificates import mask_name
from exams.tasks import certificate_render
from tests.exams.conftest import key_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sit(exam, user, correct=True):
    attempt = attempt_start(exam=exam, user=user)
    for i, (qid, key) in enumerate(key_answers(attempt, correct=correct).items(), 1):
        answer_save(attempt=attempt, question_id=qid, answer=key, seq=i)
    return attempt


def test_passing_the_assessment_creates_the_training_record_and_certificate(
    units, make_person, exam, django_capture_on_commit_callbacks
):
    from people.roster.models import TrainingRecord

    person = make_person(units["village"], name="欧阳娜娜")
    attempt = sit(exam, person.user)
    with django_capture_on_commit_callbacks(execute=True):
        result = attempt_submit(attempt=attempt)
    assert result["passed"] and result["band"] == "优秀"
    record = TrainingRecord.objects.get(person=person)
    assert (record.source, record.level, record.reference) == (
        "exam",
        "ordinary",
        f"attempt:{attempt.pk}",
    )
    cert = Certificate.objects.get(attempt=attempt)
    assert cert.name == "欧阳娜娜" and cert.band == "优秀"
    img = Image.open(io.BytesIO(cert.image.read()))
    assert img.format == "PNG" and img.size == (1600, 1130)
    assert cert.pdf.read(5) == b"%PDF-"
    # The task running again (a redelivery) makes no second certificate or record.
    certificate_render(attempt.pk)
    certificate_render(attempt.pk)
    assert Certificate.objects.count() == 1
    assert TrainingRecord.objects.filter(person=person).count() == 1


def test_failing_or_practice_gives_no_record_and_no_certificate(
    units, make_person, make_exam, django_capture_on_commit_callbacks
):
    from people.roster.models import TrainingRecord

    person = make_person(units["village"])
    assessment = make_exam()
    practice = make_exam(title="练习", purpose="practice")
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=sit(assessment, person.user, correct=False))
        attempt_submit(attempt=sit(practice, person.user))
    assert not TrainingRecord.objects.exists()
    assert not Certificate.objects.exists()


def test_certificate_pages(client, units, make_person, exam, django_capture_on_commit_callbacks):
    person = make_person(units["village"], name="李小明")
    attempt = sit(exam, person.user)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt)
    cert = Certificate.objects.get()
    # Public verification page: masked name.
    page = client.get(f"/certificates/verify/{cert.code}/").content.decode()
    assert "李*明" in page and "李小明" not in page and "真实有效" in page
    assert client.get("/certificates/verify/NOSUCHCODE/").status_code == 404
    # Only the owner downloads the files.
    assert client.get(f"/my/certificates/{cert.code}.png").status_code == 302
    client.force_login(person.user)
    assert client.get("/my/certificates/").status_code == 200
    resp = client.get(f"/my/certificates/{cert.code}.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    other = make_person(units["village"], name="别人")
    client.force_login(other.user)
    assert client.get(f"/my/certificates/{cert.code}.png").status_code == 404


def test_mask_name():
    assert [mask_name(n) for n in ("张", "张三", "李小明", "欧阳娜娜")] == [
        "张",
        "张*",
        "李*明",
        "欧**娜",
    ]


def test_missing_font_is_a_clear_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    from exams.services.certificates import cjk_font_path

    settings.MINGBAI_CJK_FONT = "/nonexistent/font.ttc"
    with pytest.raises(ImproperlyConfigured, match="MINGBAI_CJK_FONT"):
        cjk_font_path()
