"""backup / restore: database + media into an empty instance; nothing personal readable."""

import gzip
import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from tests.security.helpers import make_exam_run, make_roster

pytestmark = pytest.mark.django_db(transaction=True)


def archive_bytes(path: Path) -> bytes:
    """Every member of the archive, decompressed, concatenated (what a thief would read)."""
    out = io.BytesIO()
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                out.write(tar.extractfile(member).read())
    return out.getvalue()


def test_backup_restore_into_an_empty_instance(tmp_path, settings, site_tree, make_user):
    from exams.models import Attempt
    from people.roster.models import Person

    settings.MEDIA_ROOT = str(tmp_path / "media")
    media_file = Path(settings.MEDIA_ROOT) / "documents" / "通知.txt"
    media_file.parent.mkdir(parents=True)
    media_file.write_text("普法通知", encoding="utf-8")

    persons, ids = make_roster()
    users = [make_user(phone=f"1361234000{i}") for i in range(2)]
    _, attempts = make_exam_run(users)

    before = {
        "persons": sorted(Person.objects.values_list("pk", "name", "id_cipher")),
        "attempts": sorted(Attempt.objects.values_list("pk", "user_id", "state", "score")),
        "pages": sorted(Page.objects.values_list("pk", "url_path", "live")),
    }
    assert len(before["persons"]) == 6 and len(before["attempts"]) == 2

    call_command("backup", output=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("mingbai-backup-*.tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # readable by the owner only

    raw = archive_bytes(archive)
    for id_number in ids:
        assert id_number.encode() not in raw

    # An empty instance: no rows, no media.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Person.objects.exists() and not Page.objects.exists()

    call_command("restore", str(archive), noinput=True)

    after = {
        "persons": sorted(Person.objects.values_list("pk", "name", "id_cipher")),
        "attempts": sorted(Attempt.objects.values_list("pk", "user_id", "state", "score")),
        "pages": sorted(Page.objects.values_list("pk", "url_path", "live")),
    }
    assert after == before
    assert media_file.read_text(encoding="utf-8") == "普法通知"
    # Decryptable again with the same keys: the roster still finds people by ID number.
    from people.roster.selectors import person_find_by_id_number

    assert person_find_by_id_number(ids[0]).pk == persons[0].pk


def test_restore_refuses_a_bad_archive(tmp_path):
    bad = tmp_path / "x.tar.gz"
    bad.write_bytes(gzip.compress(b"not a tar"))
    with pytest.raises(CommandError, match="不是有效的备份文件"):
        call_command("restore", str(bad), noinput=True)


def test_restore_refuses_path_traversal(tmp_path, settings):
    """A doctored archive cannot write outside MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup", output=str(tmp_path / "b"))
    (archive,) = (tmp_path / "b").glob("*.tar.gz")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(evil, "w:gz") as dst:
        for member in src.getmembers():
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
        data = b"owned"
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = len(data)
        dst.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="不安全的路径"):
        call_command("restore", str(evil), noinput=True)
    assert not (tmp_path / "escaped.txt").exists()
