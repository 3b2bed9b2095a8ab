"""Roster import: service, import_roster command, admin upload with preview, Celery task."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.identity import make_test_id_number
from people.accounts.roles import TOWN_STAFF, ensure_roles
from people.roster.importing import roster_import_file
from people.roster.models import Person, PersonEvent, RosterImport, StaffScope, TrainingRecord
from people.roster.selectors import person_find_by_id_number
from people.roster.tasks import roster_import_run
from tests.people.tree import small_tree

pytestmark = pytest.mark.django_db
HEADER = "姓名,性别,身份证号,手机号,单位编码,类别,法律明白人等级\n"
ID1 = make_test_id_number("511102", date(1971, 2, 3), 11)  # male
ID2 = make_test_id_number("511102", date(1982, 4, 5), 22)  # female
ID3 = make_test_id_number("511102", date(1990, 6, 7), 33)


def good_csv(level1="骨干"):
    return (
        HEADER
        + f"张三,男,{ID1},13800138000,G1,村（社区）干部,{level1}\n"
        + f"李四,女,{ID2},,V2,群众,候选\n"
        + f"王五,,{ID3},139 0000 0001,DEP1,国家工作人员,\n"
    )


def run(tmp_path, text, *args, encoding="utf-8", name="roster.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_then_reimport_is_unchanged(tmp_path):
    t = small_tree()
    out, _ = run(tmp_path, good_csv())
    assert "created=3 updated=0 unchanged=0" in out
    zhang = person_find_by_id_number(ID1)
    assert zhang.unit == t["g1"] and zhang.level == "backbone" and zhang.mobile == "13800138000"
    record = TrainingRecord.objects.get(person=zhang)
    assert (record.source, record.level) == ("import", "backbone")
    li = person_find_by_id_number(ID2)
    assert li.level == "candidate" and li.trained_on is None and li.gender == "F"
    wang = person_find_by_id_number(ID3)
    assert wang.category == "civil_servant" and wang.mobile == "13900000001" and wang.gender == "M"
    assert PersonEvent.objects.filter(kind="joined").count() == 3

    out, _ = run(tmp_path, good_csv())
    assert "created=0 updated=0 unchanged=3" in out
    assert Person.objects.count() == 3 and TrainingRecord.objects.count() == 1


def test_reimport_updates_matched_by_id_number(tmp_path):
    small_tree()
    run(tmp_path, good_csv(level1="普通"))
    changed = (
        good_csv(level1="骨干")
        .replace("张三", "张叁")
        .replace(f"{ID3},139 0000 0001,DEP1", f"{ID3},,G3")
    )
    out, _ = run(tmp_path, changed, encoding="gb18030")
    assert "created=0 updated=2 unchanged=1" in out
    zhang = person_find_by_id_number(ID1)
    assert zhang.name == "张叁" and zhang.level == "backbone"
    assert TrainingRecord.objects.filter(person=zhang).count() == 2
    wang = person_find_by_id_number(ID3)
    assert wang.unit.code == "G3" and wang.mobile == "13900000001"  # blank mobile keeps it
    assert PersonEvent.objects.filter(person=wang, kind="moved").exists()


def test_bom_and_xlsx(tmp_path):
    small_tree()
    out, _ = run(tmp_path, good_csv(), encoding="utf-8-sig")
    assert "created=3" in out
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in good_csv().strip().split("\n"):
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    out, _ = run(tmp_path, buf.getvalue(), name="roster.xlsx")
    assert "unchanged=3" in out


def test_dry_run_reports_counts_and_writes_nothing(tmp_path):
    small_tree()
    out, _ = run(tmp_path, good_csv(), "--dry-run")
    assert "created=3 updated=0 unchanged=0" in out and "未写入" in out
    assert Person.objects.count() == 0 and TrainingRecord.objects.count() == 0


def test_every_kind_of_bad_row_is_reported_and_nothing_written(tmp_path):
    small_tree()
    bad_check = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
    text = (
        HEADER
        + f"好人,,{ID2},,G1,群众,\n"  # row 2 fine
        + f"甲,,{bad_check},,G1,群众,\n"  # 3 check digit
        + f"乙,,{ID3},,NOPE,群众,\n"  # 4 unknown unit
        + f"丙,,{ID2},,G1,群众,\n"  # 5 duplicate of row 2
        + f"丁,,{make_test_id_number(seq=44)},12345,G1,群众,\n"  # 6 mobile
        + f",,{make_test_id_number(seq=55)},,G1,群众,\n"  # 7 missing name
        + f"戊,,{make_test_id_number(seq=66)},,G1,农民,\n"  # 8 category
        + f"己,,{make_test_id_number(seq=77)},,G1,群众,高级\n"  # 9 level
        + f"庚,,{make_test_id_number(seq=88)},,T1,群众,\n"  # 10 a town is not a person's unit
        + "辛,,,,G1,群众,\n"  # 11 missing ID number
    )
    with pytest.raises(CommandError):
        run(tmp_path, text)
    path = tmp_path / "roster.csv"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().split("\n")
    assert [line.split(":")[0] for line in lines] == [f"第{n}行" for n in range(3, 12)]
    assert "校验码" in lines[0]
    assert "单位编码“NOPE”不存在" in lines[1]
    assert "与第2行重复" in lines[2]
    assert "手机号" in lines[3]
    assert "姓名不能为空" in lines[4]
    assert "类别" in lines[5]
    assert "法律明白人等级" in lines[6]
    assert "不是村（社区）" in lines[7]
    assert "身份证号不能为空" in lines[8]
    assert Person.objects.count() == 0 and PersonEvent.objects.count() == 0


def test_file_level_errors(tmp_path):
    small_tree()
    with pytest.raises(CommandError):
        run(tmp_path, "名字,电话\n张三,1\n")
    with pytest.raises(CommandError):
        call_command("import_roster", str(tmp_path / "missing.csv"))


def test_scope_is_enforced_for_the_uploader(make_user):
    t = small_tree()
    user = make_user(phone="13900000301", is_staff=True)
    StaffScope.objects.create(user=user, unit=t["t1"])
    text = HEADER + f"张三,,{ID1},,G3,群众,\n"
    result = roster_import_file(data=text.encode(), filename="a.csv", dry_run=False, actor=user)
    assert result.errors == ["第2行: 无权导入到单位“G3”"]
    assert Person.objects.count() == 0


@pytest.fixture
def staff(make_user):
    t = small_tree()
    groups = ensure_roles()
    user = make_user(phone="13900000302", is_staff=True)
    user.groups.add(groups[TOWN_STAFF])
    StaffScope.objects.create(user=user, unit=t["t1"])
    return user


def test_admin_upload_preview_then_confirm(client, staff):
    client.force_login(staff)
    assert client.get(reverse("people_roster_import")).status_code == 200
    text = HEADER + f"张三,,{ID1},,G1,群众,骨干\n" + f"李四,,{ID2},,V2,群众,\n"
    upload = SimpleUploadedFile("r.csv", text.encode("gb18030"), content_type="text/csv")
    response = client.post(reverse("people_roster_import"), {"file": upload, "dry_run": "on"})
    job = RosterImport.objects.get()
    assert response.status_code == 302 and job.state == "preview" and job.created_count == 2
    assert Person.objects.count() == 0
    body = client.get(reverse("people_roster_import_detail", args=[job.pk])).content.decode()
    assert "预检通过" in body and "确认导入" in body
    response = client.post(reverse("people_roster_import_confirm", args=[job.pk]))
    assert response.status_code == 302
    done = RosterImport.objects.exclude(pk=job.pk).get()
    assert done.state == "done" and done.created_count == 2 and bytes(done.content) == b""
    assert Person.objects.count() == 2
    status = client.get(reverse("people_roster_import_status", args=[done.pk])).json()
    assert status["finished"] and status["percent"] == 100


def test_admin_upload_with_errors_lists_them(client, staff):
    client.force_login(staff)
    text = HEADER + f"张三,,{ID1},,G3,群众,\n"
    upload = SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv")
    client.post(reverse("people_roster_import"), {"file": upload})
    job = RosterImport.objects.get()
    assert job.state == "failed" and job.errors == ["第2行: 无权导入到单位“G3”"]
    body = client.get(reverse("people_roster_import_detail", args=[job.pk])).content.decode()
    assert "第2行" in body and "未写入任何数据" in body
    assert Person.objects.count() == 0


def test_templates_download(client, staff):
    client.force_login(staff)
    response = client.get(reverse("people_roster_template_xlsx"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get(reverse("people_roster_template_csv"))
    assert response.content.decode("utf-8-sig").startswith("姓名,性别,身份证号")


def test_big_files_run_as_a_task_safe_to_run_twice(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("people.roster.admin_import.INLINE_BYTES", 10)
    client.force_login(staff)
    text = HEADER + f"张三,,{ID1},,G1,群众,骨干\n"
    upload = SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("people_roster_import"), {"file": upload})
    assert len(callbacks) == 1
    job = RosterImport.objects.get()
    assert job.state == "done" and Person.objects.count() == 1
    assert roster_import_run(job.pk) == "done"  # a second run changes nothing
    assert Person.objects.count() == 1 and TrainingRecord.objects.count() == 1


def test_a_pending_job_can_be_resumed(staff):
    text = HEADER + f"张三,,{ID1},,G1,群众,\n"
    job = RosterImport.objects.create(
        filename="r.csv", content=text.encode(), dry_run=False, state="running", created_by=staff
    )
    assert roster_import_run(job.pk) == "done"
    assert roster_import_run(job.pk) == "done"
    assert Person.objects.count() == 1


def test_updated_rows_keep_proper_dates(tmp_path):
    small_tree()
    run(tmp_path, good_csv(level1="普通"))
    before = person_find_by_id_number(ID1)
    run(tmp_path, good_csv(level1="骨干").replace("张三", "张叁"))
    after = person_find_by_id_number(ID1)
    assert after.trained_on == before.trained_on and after.backbone_on is not None
    assert after.updated_at > before.updated_at
