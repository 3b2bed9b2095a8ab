"""Roster import (名单导入): validate every row, then write all or nothing.

``roster_import_file`` reads a .xlsx / .csv roster with people.roster.roster_file, checks each row
(format, duplicates within the file, unit code exists and is a village / group /
department, and within the actor's scope), and — only when no row is bad and not a dry
run — creates new people and updates those matched by ID number (keyed digest), in one
transaction, in batches. A level of 普通/骨干 becomes a training record of source "import"
(an administrator's decision by upload); 候选 marks a candidate. Counts say how many people
were created, updated or unchanged; a dry run reports the same counts without writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from core.spreadsheets import SpreadsheetError
from people.roster.crypto import candidate_digests, digest_keys, protect_id
from people.roster.models import Person, Unit
from people.roster.roster_file import (
    CleanRow,
    DuplicateFinder,
    format_row_error,
    read_roster,
    validate_row,
)
from people.roster.selectors import scope_queryset, sees_everything

BATCH = 1000
CODE_CHUNK = 500
PERSON_UNIT_KINDS = ("village", "group", "department")
LEVEL_RANK = {"": 0, "candidate": 1, "ordinary": 2, "backbone": 3}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def roster_import_file(
    *,
    data: bytes,
    filename: str,
    dry_run: bool,
    actor=None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate a roster file and (unless ``dry_run`` or a row is bad) apply it."""
    today = today or timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    try:
        rows = _validate(data, filename, actor, today, result, progress)
    except SpreadsheetError as exc:
        result.errors.append(str(exc))
        return result
    if result.errors:
        return result
    if dry_run:
        _apply(rows, actor, today, result, write=False)
    else:
        with transaction.atomic():
            _apply(rows, actor, today, result, write=True)
    return result


def _validate(data, filename, actor, today, result, progress) -> list[tuple[CleanRow, int]]:
    finder = DuplicateFinder()
    clean_rows: list[CleanRow] = []
    codes: set[str] = set()
    for index, raw in enumerate(read_roster(data, filename), start=1):
        clean, reasons = validate_row(raw, today=today)
        duplicate = finder.check(raw.row, raw.id_number)
        if duplicate:
            reasons.append(duplicate)
        if reasons:
            result.errors.append(format_row_error(raw.row, "；".join(reasons)))
        elif clean is not None:
            clean_rows.append(clean)
            codes.add(clean.unit_code)
        if progress and index % BATCH == 0:
            progress(index)
    result.rows = len(clean_rows) + len(result.errors)
    units = _units_by_code(codes, actor)
    out: list[tuple[CleanRow, int]] = []
    for clean in clean_rows:
        unit = units.get(clean.unit_code)
        if unit is None:
            result.errors.append(format_row_error(clean.row, f"单位编码“{clean.unit_code}”不存在"))
        elif unit == "kind":
            result.errors.append(
                format_row_error(
                    clean.row, f"单位编码“{clean.unit_code}”不是村（社区）、村民小组或部门"
                )
            )
        elif unit == "scope":
            result.errors.append(format_row_error(clean.row, f"无权导入到单位“{clean.unit_code}”"))
        else:
            out.append((clean, unit))
    if result.errors:
        result.errors.sort(key=_row_number)
    return out


def _row_number(message: str) -> int:
    try:
        return int(message[1 : message.index("行")])
    except ValueError:
        return 0


def _units_by_code(codes: set[str], actor) -> dict[str, int | str]:
    """Code -> unit id, or "kind" (wrong kind) / "scope" (outside the actor's units)."""
    found: dict[str, int | str] = {}
    ordered = sorted(codes)
    scoped = actor is not None and not sees_everything(actor)
    for start in range(0, len(ordered), CODE_CHUNK):
        chunk = ordered[start : start + CODE_CHUNK]
        rows = Unit.objects.filter(code__in=chunk).values_list("code", "id", "kind")
        allowed = set()
        if scoped:
            allowed = set(
                scope_queryset(Unit.objects.filter(code__in=chunk), actor).values_list(
                    "id", flat=True
                )
            )
        for code, unit_id, kind in rows:
            if kind not in PERSON_UNIT_KINDS:
                found[code] = "kind"
            elif scoped and unit_id not in allowed:
                found[code] = "scope"
            else:
                found[code] = unit_id
    return found


_FIELDS = ("name", "gender", "mobile", "unit_id", "category", "level", "trained_on", "backbone_on")
_UPDATE_SQL = (
    "UPDATE people_person SET name = %s, gender = %s, mobile = %s, unit_id = %s, "
    "category = %s, level = %s, trained_on = %s, backbone_on = %s, updated_at = %s WHERE id = %s"
)


def _apply(rows, actor, today, result: ImportResult, *, write: bool) -> None:
    actor_id = actor.pk if actor is not None else None
    ops = connection.ops
    keys = digest_keys()
    now = ops.adapt_datetimefield_value(timezone.now())
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        digests = [candidate_digests(clean.id_number, keys) for clean, _unit_id in batch]
        existing = {
            row[1]: row
            for row in Person.objects.filter(
                id_digest__in=[d for ds in digests for d in ds]
            ).values_list("id", "id_digest", *_FIELDS)
        }
        new_people: list[tuple[Person, str]] = []
        updates: list[tuple] = []
        events: list[tuple[int, str, str, int]] = []  # person, kind, level, unit
        records: list[tuple[int, str]] = []
        for (clean, unit_id), candidates in zip(batch, digests, strict=True):
            found = next((existing[d] for d in candidates if d in existing), None)
            wanted = clean.level
            trained = wanted in ("ordinary", "backbone")
            if found is None:
                person = Person(
                    name=clean.name,
                    gender=clean.gender,
                    mobile=clean.mobile,
                    unit_id=unit_id,
                    category=clean.category,
                    level=wanted,
                    trained_on=today if trained else None,
                    backbone_on=today if wanted == "backbone" else None,
                    **(protect_id(clean.id_number) if write else {}),
                )
                new_people.append((person, wanted))
                result.created += 1
                continue
            pk, _digest, *old = found
            values = dict(zip(_FIELDS, old, strict=True))
            before = dict(values)
            values.update(
                name=clean.name,
                gender=clean.gender,
                mobile=clean.mobile or values["mobile"],
                unit_id=unit_id,
                category=clean.category,
            )
            if wanted == "candidate" and values["level"] == "":
                values["level"] = "candidate"
            if trained and LEVEL_RANK[wanted] > LEVEL_RANK[values["level"]]:
                # Same result as services.person_recompute with the added record.
                records.append((pk, wanted))
                values["trained_on"] = min(filter(None, (values["trained_on"], today)))
                if wanted == "backbone":
                    values["backbone_on"] = min(filter(None, (values["backbone_on"], today)))
                values["level"] = "backbone" if values["backbone_on"] else "ordinary"
            if values == before:
                result.unchanged += 1
                continue
            result.updated += 1
            for name in ("trained_on", "backbone_on"):
                values[name] = ops.adapt_datefield_value(values[name])
            updates.append((*(values[f] for f in _FIELDS), now, pk))
            kind = "moved" if values["unit_id"] != before["unit_id"] else "updated"
            events.append((pk, kind, "", unit_id))
        if not write:
            continue
        if new_people:
            Person.objects.bulk_create([p for p, _ in new_people], batch_size=BATCH)
            for person, wanted in new_people:
                events.append((person.pk, "joined", person.level, person.unit_id))
                if wanted in ("ordinary", "backbone"):
                    records.append((person.pk, wanted))
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(_UPDATE_SQL, updates)
        today_db = ops.adapt_datefield_value(today)
        with connection.cursor() as cursor:
            if records:  # ON CONFLICT: a record already made by an earlier run is kept
                cursor.executemany(
                    "INSERT INTO people_trainingrecord (person_id, level, source, occurred_on, "
                    "reason, reference, recorded_by_id, created_at) "
                    "VALUES (%s, %s, 'import', %s, '名单导入认定', %s, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    [
                        (pk, level, today_db, f"roster-import:{level}", actor_id, now)
                        for pk, level in records
                    ],
                )
            cursor.executemany(
                "INSERT INTO people_personevent (person_id, kind, occurred_on, level, unit_id, "
                "reason, recorded_by_id, created_at) VALUES (%s, %s, %s, %s, %s, '名单导入', %s, %s)",
                [
                    (pk, kind, today_db, level, unit, actor_id, now)
                    for pk, kind, level, unit in events
                ],
            )
