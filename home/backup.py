"""Backups (备份与恢复): database + uploaded media in one .tar.gz archive.

* SQLite: a consistent snapshot through SQLite's online backup API (readers and writers keep
  working); restore copies the snapshot back into the live database with the same API.
* PostgreSQL: ``pg_dump --format=custom`` (one transaction, consistent) and ``pg_restore
  --clean --if-exists --single-transaction``; without the client tools, Django's ``dumpdata``
  (plain JSON, no natural keys) inside a REPEATABLE READ transaction, restored with ``flush`` +
  ``loaddata``.
* Media: every file under MEDIA_ROOT, taken after the database snapshot (so every file the
  snapshot refers to is there). Restore extracts with tarfile's "data" filter (no absolute
  paths, no "..", no links out of MEDIA_ROOT).

ID card numbers are stored encrypted (people.roster.crypto): a backup is as unreadable as the
database, and a restore needs the same MINGBAI_ID_KEYS. Archives are written with mode 0600.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rebuilt after a restore (wagtail_update_index); sessions are not worth keeping.
JSON_EXCLUDE = ["wagtailsearch.indexentry", "sessions.session"]


@dataclass
class BackupResult:
    path: Path
    engine: str
    database_member: str
    media_files: int
    size: int


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise ValidationError(f"不支持的数据库类型：{vendor}")
    return vendor


def _pg_env() -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_tools() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


def _dump_sqlite(target: Path) -> None:
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        with dest:
            connection.connection.backup(dest)
    finally:
        dest.close()


def _dump_postgres(target: Path) -> str:
    if _pg_tools():
        name = connection.settings_dict["NAME"]
        path = target.with_suffix(".pgdump")
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), name],
            env=_pg_env(),
            check=True,
            capture_output=True,
        )
        return path.name
    path = target.with_suffix(".json")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with open(path, "w", encoding="utf-8") as out:
            call_command("dumpdata", exclude=JSON_EXCLUDE, stdout=out, verbosity=0)
    return path.name


def _latest_migrations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
        return dict(cursor.fetchall())


def backup_create(*, output_dir: str | Path | None = None) -> BackupResult:
    """Write ``mingbai-backup-<time>.tar.gz`` into output_dir (default var/backups)."""
    engine = _engine()
    output = Path(output_dir or Path(settings.VAR_DIR) / "backups")
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    archive = output / f"mingbai-backup-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="mingbai-backup-") as tmp:
        db_path = Path(tmp) / "database.sqlite3"
        if engine == "sqlite":
            _dump_sqlite(db_path)
            member = db_path.name
        else:
            member = _dump_postgres(db_path)
        media_files = []
        if media_root.is_dir():
            media_files = sorted(p for p in media_root.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now().astimezone().isoformat(),
            "engine": engine,
            "database": member,
            "migrations": _latest_migrations(),
            "media_files": len(media_files),
        }
        fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(Path(tmp) / member, arcname=member)
            for path in media_files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
    return BackupResult(archive, engine, member, len(media_files), archive.stat().st_size)


def backup_manifest(archive: str | Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read().decode("utf-8"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise ValidationError(f"不是有效的备份文件：{exc}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ValidationError("备份文件的格式版本不受支持")
    return manifest


def _restore_sqlite(path: Path) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgres(path: Path) -> None:
    if path.suffix == ".pgdump":
        if not _pg_tools():
            raise ValidationError("恢复此备份需要 PostgreSQL 客户端工具 pg_restore")
        connection.close()
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise ValidationError(f"pg_restore 失败：{result.stderr[-2000:]}")
        return
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)


def backup_restore(*, archive: str | Path) -> dict:
    """Replace the database and media with the archive's contents; returns the manifest."""
    manifest = backup_manifest(archive)
    engine = _engine()
    if manifest["engine"] != engine:
        raise ValidationError(
            f"备份来自 {manifest['engine']} 数据库，当前是 {engine}：请用同一种数据库恢复"
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="mingbai-restore-") as tmp:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(tmp, filter="data")
        except (OSError, tarfile.TarError) as exc:
            raise ValidationError(f"备份文件损坏或含有不安全的路径，未做任何恢复：{exc}") from exc
        db_file = Path(tmp) / manifest["database"]
        if not db_file.is_file():
            raise ValidationError("备份文件中没有数据库")
        if engine == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgres(db_file)
        media_src = Path(tmp) / "media"
        if media_src.is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media_src, media_root, dirs_exist_ok=True)
    if manifest["database"].endswith(".json"):
        call_command("wagtail_update_index", verbosity=0)
    return manifest
