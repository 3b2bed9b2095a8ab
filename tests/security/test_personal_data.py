"""Personal data: no full ID number in a dump; mobile numbers masked in listings; no ID or
mobile number in any log output of the roster, an exam run, the account flows and demo data."""

import io
import logging

import pytest
from django.core.management import call_command

from core.identity import make_test_id_number
from core.logging_filters import ID_NUMBER_RE, MOBILE_RE
from people.accounts.services import account_activate, activation_issue
from tests.conftest import TEST_PASSWORD
from tests.security.helpers import make_exam_run, make_roster

pytestmark = pytest.mark.django_db


def test_dumpdata_contains_no_full_id_number():
    persons, ids = make_roster()
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    assert persons[0].id_masked in dump  # the masked form is there ...
    for id_number in ids:
        assert id_number not in dump  # ... the full number never


def test_users_list_masks_mobile_numbers(client, admin_user, make_user):
    make_user(phone="13712348888", display_name="")
    client.force_login(admin_user)
    response = client.get("/admin/users/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "137****8888" in html
    assert "13712348888" not in html
    # The full number still finds the account.
    found = client.get("/admin/users/", {"q": "13712348888"})
    assert "137****8888" in found.content.decode()


@pytest.fixture
def captured_logs():
    """Every record any logger emits, formatted as the console handler would."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    quiet = {name: logging.getLogger(name).level for name in ("wagtail", "celery", "django")}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    # django and celery do not propagate to root in our settings: listen there too.
    logging.getLogger("django").addHandler(handler)
    logging.getLogger("celery").addHandler(handler)
    yield stream
    root.removeHandler(handler)
    logging.getLogger("django").removeHandler(handler)
    logging.getLogger("celery").removeHandler(handler)
    root.setLevel(old_level)
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


def test_logs_never_contain_id_or_mobile_numbers(
    client, captured_logs, make_user, settings, tmp_path
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    # Roster: read a file with ID and mobile numbers, create the persons.
    from people.roster.roster_file import read_roster, template_xlsx, validate_row

    for row in read_roster(template_xlsx(), "名册.xlsx"):
        validate_row(row)
    persons, ids = make_roster()
    # A full roster import through the command (the unit SV1 comes from make_roster).
    from people.roster.models import Person
    from people.roster.roster_file import HEADERS

    rows = [list(HEADERS.values())] + [
        [
            "导入" + str(i),
            "",
            make_test_id_number(seq=300 + i),
            f"1331234{i:04d}",
            "SV1",
            "村（社区）干部",
            "",
        ]
        for i in range(5)
    ]
    roster = tmp_path / "名册.csv"
    roster.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    before = Person.objects.count()
    call_command("import_roster", str(roster), stdout=io.StringIO())
    assert Person.objects.count() == before + 5
    # An exam run by two learners.
    users = [make_user(phone=f"1351234000{i}") for i in range(2)]
    make_exam_run(users)
    # Account flows: wrong password (django-axes logs the attempt), log-in, activation.
    learner = make_user(phone="13512349999")
    client.post("/account/login/", {"username": learner.phone, "password": "wrong-1234"})
    client.post("/account/login/", {"username": learner.phone, "password": TEST_PASSWORD})
    fresh = make_user(phone="13512348888", password=None)
    issued = activation_issue(user=fresh)
    account_activate(phone=fresh.phone, code=issued.code, password="Lv-shi-2026!x")
    # Code that logs personal data by mistake, with a traceback naming it.
    log = logging.getLogger("people.roster")
    log.info("导入 %s 手机 %s", ids[0], persons[0].mobile)
    try:
        raise ValueError(f"身份证号 {ids[1]} 重复")
    except ValueError:
        log.exception("导入失败")
    # The demo data of every app.
    call_command("load_demo_data", password="Demo-pass-2026!", stdout=io.StringIO())

    output = captured_logs.getvalue()
    assert "AXES" in output  # the log-in attempts were logged ...
    assert "5111**********" in output and "导入失败" in output  # ... and masked
    assert not ID_NUMBER_RE.search(output), ID_NUMBER_RE.search(output)
    assert not MOBILE_RE.search(output), MOBILE_RE.search(output)
