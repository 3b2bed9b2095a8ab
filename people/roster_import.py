"""Roster import (名单导入): validate every row, then write all or nothing.

``roster_import_file`` reads a .xlsx / .csv roster with people.roster_file, checks each row
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

from django.db import transaction
from django.utils import timezone

from .crypto import candidate_digests, protect_id
from .models import Person, PersonEvent, TrainingRecord, Unit
from .roster_file import (
    CleanRow,
    DuplicateFinder,
    RosterFileError,
    format_row_error,
    read_roster,
    validate_row,
)
from .selectors import scope_queryset, sees_everything

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
    except RosterFileError as exc:
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


def _apply(rows, actor, today, result: ImportResult, *, write: bool) -> None:
    reason = "名单导入认定"
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        digests = {}
        for clean, _unit_id in batch:
            digests[clean.row] = candidate_digests(clean.id_number)
        existing = {
            p.id_digest: p
            for p in Person.objects.filter(
                id_digest__in=[d for ds in digests.values() for d in ds]
            ).only(
                "id",
                "id_digest",
                "name",
                "gender",
                "mobile",
                "unit_id",
                "category",
                "level",
                "trained_on",
                "backbone_on",
            )
        }
        new_people: list[tuple[Person, str]] = []
        changed: list[Person] = []
        events: list[PersonEvent] = []
        records: list[tuple[Person, str]] = []
        for clean, unit_id in batch:
            person = next((existing[d] for d in digests[clean.row] if d in existing), None)
            wanted = clean.level
            if person is None:
                person = Person(
                    name=clean.name,
                    gender=clean.gender,
                    mobile=clean.mobile,
                    unit_id=unit_id,
                    category=clean.category,
                    level=wanted,
                    trained_on=today if wanted in ("ordinary", "backbone") else None,
                    backbone_on=today if wanted == "backbone" else None,
                    **(protect_id(clean.id_number) if write else {}),
                )
                new_people.append((person, wanted))
                result.created += 1
                continue
            dirty = False
            moved = person.unit_id != unit_id
            for name, value in (
                ("name", clean.name),
                ("gender", clean.gender),
                ("mobile", clean.mobile or person.mobile),
                ("category", clean.category),
                ("unit_id", unit_id),
            ):
                if getattr(person, name) != value:
                    setattr(person, name, value)
                    dirty = True
            if wanted == "candidate" and person.level == "":
                person.level = "candidate"
                dirty = True
            if wanted in ("ordinary", "backbone") and LEVEL_RANK[wanted] > LEVEL_RANK[person.level]:
                # Same result as services.person_recompute with the added record.
                records.append((person, wanted))
                person.trained_on = min(filter(None, (person.trained_on, today)))
                if wanted == "backbone":
                    person.backbone_on = min(filter(None, (person.backbone_on, today)))
                person.level = "backbone" if person.backbone_on else "ordinary"
                dirty = True
            if dirty:
                changed.append(person)
                events.append(
                    PersonEvent(
                        person=person,
                        kind="moved" if moved else "updated",
                        occurred_on=today,
                        unit_id=unit_id,
                        reason="名单导入",
                        recorded_by=actor,
                    )
                )
                result.updated += 1
            else:
                result.unchanged += 1
        if not write:
            continue
        if new_people:
            Person.objects.bulk_create([p for p, _ in new_people], batch_size=BATCH)
            for person, wanted in new_people:
                events.append(
                    PersonEvent(
                        person=person,
                        kind="joined",
                        occurred_on=today,
                        unit_id=person.unit_id,
                        level=person.level,
                        reason="名单导入",
                        recorded_by=actor,
                    )
                )
                if wanted in ("ordinary", "backbone"):
                    records.append((person, wanted))
        new_records = []
        for person, level in records:
            new_records.append(
                TrainingRecord(
                    person=person,
                    level=level,
                    source="import",
                    occurred_on=today,
                    reason=reason,
                    reference=f"roster-import:{level}",
                    recorded_by=actor,
                )
            )
        TrainingRecord.objects.bulk_create(new_records, batch_size=BATCH, ignore_conflicts=True)
        if changed:
            now = timezone.now()
            for person in changed:
                person.updated_at = now
            Person.objects.bulk_update(
                changed,
                [
                    "name",
                    "gender",
                    "mobile",
                    "unit_id",
                    "category",
                    "level",
                    "trained_on",
                    "backbone_on",
                    "updated_at",
                ],
                batch_size=BATCH,
            )
        PersonEvent.objects.bulk_create(events, batch_size=BATCH)
