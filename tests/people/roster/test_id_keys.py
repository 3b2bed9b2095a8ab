"""ID number keys: encryption under MINGBAI_ID_KEYS and rotation with rotate_id_keys."""

import io
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from core.identity import make_test_id_number
from people.roster.crypto import decrypt_id, is_current
from people.roster.models import Person
from people.roster.selectors import person_find_by_id_number
from tests.people.tree import person, small_tree

pytestmark = pytest.mark.django_db


def test_rotation_reencrypts_and_lookups_work_throughout(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MINGBAI_ID_KEYS = [old]
    t = small_tree()
    p = person(t["g1"])
    plain = decrypt_id(p.id_cipher)
    old_digest = p.id_digest

    settings.MINGBAI_ID_KEYS = [new, old]  # new key first; old still readable
    assert decrypt_id(p.id_cipher) == plain and not is_current(p.id_cipher)
    assert person_find_by_id_number(plain) == p  # found by the old key's digest

    out = io.StringIO()
    call_command("rotate_id_keys", stdout=out)
    assert "已重新加密 1 条" in out.getvalue()
    p.refresh_from_db()
    assert is_current(p.id_cipher) and p.id_digest != old_digest

    settings.MINGBAI_ID_KEYS = [new]  # old key retired
    assert decrypt_id(p.id_cipher) == plain
    assert person_find_by_id_number(plain) == p
    out = io.StringIO()
    call_command("rotate_id_keys", stdout=out)
    assert "已重新加密 0 条，1 条已是当前密钥" in out.getvalue()


def test_recompute_people_rebuilds_derived_fields():
    t = small_tree()
    p = person(t["g1"], level="backbone", on=date(2025, 2, 1))
    Person.objects.filter(pk=p.pk).update(level="", trained_on=None, backbone_on=None)
    out = io.StringIO()
    call_command("recompute_people", stdout=out)
    assert "1 人" in out.getvalue()
    p.refresh_from_db()
    assert (p.level, p.trained_on, p.backbone_on) == (
        "backbone",
        date(2025, 2, 1),
        date(2025, 2, 1),
    )
    assert make_test_id_number()  # keeps the helper import honest
