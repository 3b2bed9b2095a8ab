"""Reading a roster spreadsheet (人员名单) of persons: .xlsx or .csv, streamed.

Pure Python, no Django. ``read_roster`` yields raw ``RosterRow`` objects one at a time,
so a file of 100,000+ rows is read in little memory; ``validate_row`` checks one row;
``DuplicateFinder`` / ``find_duplicates`` flag repeated ID numbers within the file.
Checks that need the database (does the unit exist? is the person already there?) are
the caller's. File-level problems raise ``SpreadsheetError``; row problems are reasons
(Chinese) that the caller prefixes with ``第N行: `` (see ``format_row_error``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain

from core.identity import (
    IdNumberError,
    MobileError,
    make_test_id_number,
    mask_id_number,
    mask_mobile,
    normalize_id_number,
    validate_id_number,
    validate_mobile,
)
from core.spreadsheets import INVISIBLE, SpreadsheetError, read_cells

# Field name -> column header, in template order.
HEADERS = {
    "name": "姓名",
    "gender": "性别",
    "id_number": "身份证号",
    "mobile": "手机号",
    "unit_code": "单位编码",
    "category": "类别",
    "level": "法律明白人等级",
}
REQUIRED_COLUMNS = ("name", "id_number", "unit_code", "category")
# Other spellings seen in real rosters.
_HEADER_ALIASES = {
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "身份证": "id_number",
    "手机号码": "mobile",
    "手机": "mobile",
    "联系电话": "mobile",
    "单位代码": "unit_code",
    "人员类别": "category",
    "等级": "level",
}

CATEGORY_CHOICES = {"cadre": "村（社区）干部", "civil_servant": "国家工作人员", "public": "群众"}
LEVEL_CHOICES = {"candidate": "候选", "ordinary": "普通", "backbone": "骨干"}
_CATEGORIES = {
    "村(社区)干部": "cadre",
    "村干部": "cadre",
    "社区干部": "cadre",
    "国家工作人员": "civil_servant",
    "群众": "public",
} | {code: code for code in CATEGORY_CHOICES}
_LEVELS = {"候选": "candidate", "候选人": "candidate", "普通": "ordinary", "骨干": "backbone"} | {
    code: code for code in LEVEL_CHOICES
}
_GENDERS = {"男": "M", "男性": "M", "女": "F", "女性": "F"}

NAME_MAX = 50
UNIT_CODE_MAX = 64
MAX_ROWS = 300_000
HEADER_SEARCH_ROWS = 5  # a title row or two may sit above the header


_SCI_NOTATION_RE = re.compile(r"\d(\.\d+)?E\+?\d+", re.IGNORECASE)
_PAREN_NOTE_RE = re.compile(r"[(（][^()（）]*[)）]$")


@dataclass(frozen=True, slots=True, repr=False)
class RosterRow:
    """One data row as typed, cells as stripped strings; ``row`` is the sheet row number."""

    row: int
    name: str
    gender: str
    id_number: str
    mobile: str
    unit_code: str
    category: str
    level: str

    def __repr__(self) -> str:  # never show personal data in logs or tracebacks
        return (
            f"RosterRow(row={self.row}, id_number={mask_id_number(self.id_number)!r}, "
            f"mobile={mask_mobile(self.mobile)!r}, unit_code={self.unit_code!r})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class CleanRow:
    """A valid row: normalised numbers, gender 'M'/'F', category and level as codes."""

    row: int
    name: str
    gender: str
    id_number: str
    mobile: str
    unit_code: str
    category: str
    level: str

    def __repr__(self) -> str:
        return (
            f"CleanRow(row={self.row}, id_number={mask_id_number(self.id_number)!r}, "
            f"mobile={mask_mobile(self.mobile)!r}, unit_code={self.unit_code!r}, "
            f"category={self.category!r}, level={self.level!r})"
        )


def format_row_error(row: int, reason: str) -> str:
    """``第N行: reason``."""
    return f"第{row}行: {reason}"


# --------------------------------------------------------------------------- reading


def read_roster(data: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> Iterator[RosterRow]:
    """Stream the rows of a roster file (.xlsx or .csv, chosen by name and checked by content).

    The header row (the first non-empty row, or one of the first few if a title sits above
    it) is parsed before this returns, so a wrong type, damaged file, missing columns or a
    file without data rows raise ``SpreadsheetError`` here. Rows are then yielded lazily;
    blank rows are skipped but row numbers stay those of the sheet (header = row 1).
    Damage found later, or more than ``max_rows`` data rows, raise during iteration.
    """
    cells = read_cells(data, filename)
    columns, rest = _find_header(cells)
    rows = _roster_rows(rest, columns, max_rows)
    try:
        first = next(rows)
    except StopIteration:
        raise SpreadsheetError("文件中没有人员数据") from None
    return chain([first], rows)


def _header_key(cell: str) -> str:
    key = re.sub(r"[\s*＊" + INVISIBLE + "]", "", cell)
    key = _PAREN_NOTE_RE.sub("", key)  # "手机号（选填）" -> "手机号"
    return key


def _map_header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    """Field -> column index for the recognised headers, plus duplicate-column errors."""
    known = {h: f for f, h in HEADERS.items()} | _HEADER_ALIASES
    columns: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(cells):
        field = known.get(_header_key(cell))
        if field is None:
            continue
        if field in columns:
            errors.append(f"“{HEADERS[field]}”列重复出现")
        else:
            columns[field] = index
    return columns, errors


def _find_header(
    cells: Iterator[tuple[int, list[str]]],
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    seen = []
    for number, row in cells:
        if not any(row):
            continue
        columns, errors = _map_header(row)
        if "id_number" in columns or "name" in columns or len(columns) >= 2:
            if errors:
                raise SpreadsheetError("表头有误：" + "；".join(errors))
            missing = [HEADERS[f] for f in REQUIRED_COLUMNS if f not in columns]
            if missing:
                raise SpreadsheetError("缺少必填列：" + "、".join(missing))
            return columns, cells
        seen.append(number)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise SpreadsheetError("文件为空")
    names = "、".join(HEADERS[f] for f in REQUIRED_COLUMNS)
    raise SpreadsheetError(f"找不到表头，缺少必填列：{names}（第一行应为列名）")


def _roster_rows(
    cells: Iterator[tuple[int, list[str]]], columns: dict[str, int], max_rows: int
) -> Iterator[RosterRow]:
    fields = tuple(HEADERS)
    indexes = [columns.get(f) for f in fields]
    count = 0
    for number, row in cells:
        if not any(row):
            continue
        count += 1
        if count > max_rows:
            raise SpreadsheetError(f"文件超过 {max_rows} 行，请拆分后分批导入")
        width = len(row)
        values = [row[i] if i is not None and i < width else "" for i in indexes]
        yield RosterRow(number, *values)


# --------------------------------------------------------------------------- validation


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("（", "(").replace("）", ")")


def validate_row(raw: RosterRow, *, today: date | None = None) -> tuple[CleanRow | None, list[str]]:
    """Check one row; return ``(CleanRow, [])`` or ``(None, reasons)`` with every problem."""
    errors: list[str] = []
    formula = {
        field
        for field in HEADERS
        if getattr(raw, field).startswith("=")  # a formula, or text that would run as one
    }
    for field in formula:
        errors.append(f"{HEADERS[field]}不能是公式或以“=”开头")

    name = raw.name
    if "name" not in formula:
        if not name:
            errors.append("姓名不能为空")
        elif len(name) > NAME_MAX:
            errors.append(f"姓名不能超过{NAME_MAX}个字")
        elif name[0] in "+-@" or any(ord(c) < 32 or ord(c) == 127 for c in name):
            errors.append("姓名含有无效字符")

    id_number = ""
    if "id_number" not in formula:
        if not raw.id_number:
            errors.append("身份证号不能为空")
        elif _SCI_NOTATION_RE.fullmatch(raw.id_number):
            errors.append(
                "身份证号被存成了数字（科学计数法），末几位已丢失，请把该列设为文本后重新填写"
            )
        else:
            try:
                id_number = validate_id_number(raw.id_number, today=today)
            except IdNumberError as e:
                errors.append(str(e))

    mobile = ""
    if raw.mobile and "mobile" not in formula:
        try:
            mobile = validate_mobile(raw.mobile)
        except MobileError as e:
            errors.append(str(e))

    gender = ""
    id_gender = ("M" if int(id_number[16]) % 2 else "F") if id_number else ""
    if raw.gender and "gender" not in formula:
        gender = _GENDERS.get(_compact(raw.gender), "")
        if not gender:
            errors.append("性别应为“男”或“女”")
        elif id_gender and gender != id_gender:
            errors.append("性别与身份证号不符")
    gender = gender or id_gender

    unit_code = raw.unit_code
    if "unit_code" not in formula:
        if not unit_code:
            errors.append("单位编码不能为空")
        elif len(unit_code) > UNIT_CODE_MAX:
            errors.append(f"单位编码不能超过{UNIT_CODE_MAX}个字符")

    category = ""
    if "category" not in formula:
        if not raw.category:
            errors.append("类别不能为空")
        else:
            category = _CATEGORIES.get(_compact(raw.category), "")
            if not category:
                errors.append(
                    f"类别“{raw.category[:20]}”无效，应为：" + "、".join(CATEGORY_CHOICES.values())
                )

    level = ""
    if raw.level and "level" not in formula:
        key = _compact(raw.level)
        key = key.removesuffix("法律明白人") or key
        level = _LEVELS.get(key, "")
        if not level:
            errors.append(
                f"法律明白人等级“{raw.level[:20]}”无效，应为："
                + "、".join(LEVEL_CHOICES.values())
                + "，或留空"
            )

    if errors:
        return None, errors
    clean = CleanRow(raw.row, name, gender, id_number, mobile, unit_code, category, level)
    return clean, []


# --------------------------------------------------------------------------- duplicates


class DuplicateFinder:
    """Flags the second and later occurrences of an ID number, one row at a time.

    Keeps only a 16-byte keyed digest per ID number (not the number itself) and the
    row it was first seen on, so a whole file can be checked in a single pass.
    """

    def __init__(self) -> None:
        self._key = secrets.token_bytes(16)
        self._first: dict[bytes, int] = {}

    def check(self, row: int, id_number: str) -> str | None:
        """The reason if ``id_number`` was seen on an earlier row, else None."""
        n = normalize_id_number(id_number)
        if not n:
            return None
        digest = hashlib.blake2b(n.encode(), digest_size=16, key=self._key).digest()
        first = self._first.setdefault(digest, row)
        return None if first == row else f"身份证号与第{first}行重复"


def find_duplicates(rows: Iterable[RosterRow | CleanRow]) -> dict[int, str]:
    """Row number -> reason for every row whose ID number repeats an earlier row's."""
    finder = DuplicateFinder()
    found = {}
    for r in rows:
        reason = finder.check(r.row, r.id_number)
        if reason:
            found[r.row] = reason
    return found


# --------------------------------------------------------------------------- templates


def _template_rows() -> list[list[str]]:
    first = make_test_id_number("511102", date(1975, 3, 8), 11)
    second = make_test_id_number("511102", date(1988, 10, 21), 24)
    return [
        list(HEADERS.values()),
        ["张三", "男", first, "13800000001", "511112100201", "村（社区）干部", "骨干"],
        ["李四", "女", second, "", "511112000000", "国家工作人员", ""],
    ]


def template_csv() -> bytes:
    """A CSV template (UTF-8 with BOM so Excel shows Chinese): header and two example rows."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(_template_rows())
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """An .xlsx template: header, two example rows, text-formatted number columns, dropdowns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "人员名单"
    rows = _template_rows()
    for r in rows:
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = {"A": 12, "B": 8, "C": 24, "D": 16, "E": 16, "F": 18, "G": 16}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    # ID number, mobile and unit code as text, so Excel does not turn them into numbers.
    for letter in "CDE":
        ws.column_dimensions[letter].number_format = "@"
        for cell in ws[letter]:
            cell.number_format = "@"
    lists = {
        "B": "男,女",
        "F": ",".join(CATEGORY_CHOICES.values()),
        "G": ",".join(LEVEL_CHOICES.values()),
    }
    for letter, choices in lists.items():
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        dv.add(f"{letter}2:{letter}{MAX_ROWS}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet("填写说明")
    for line in (
        ["必填：姓名、身份证号、单位编码、类别。"],
        ["性别可不填，将按身份证号判断；填写时须与身份证号一致。"],
        ["手机号可不填；填写时须为11位中国大陆手机号。"],
        ["类别：" + "、".join(CATEGORY_CHOICES.values())],
        ["法律明白人等级：" + "、".join(LEVEL_CHOICES.values()) + "，或留空。"],
        ["身份证号、手机号、单位编码请保持文本格式，不要使用公式。"],
        ["示例行（张三、李四）为虚构数据，导入前请删除。"],
    ):
        notes.append(line)
    notes.column_dimensions["A"].width = 60

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
