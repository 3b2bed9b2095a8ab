"""The one spreadsheet reader and writer (表格读写): every .xlsx/.csv the platform reads or writes.

Reading (``read_cells``): .xlsx or .csv chosen by name and checked by content; the xlsx zip is
checked for bombs on its declared sizes before anything is inflated; CSV may be UTF-8 (with or
without BOM), GB18030 (what Chinese Excel saves) or UTF-16; rows are streamed with their sheet
row numbers, every cell as stripped text (``cell_text``). File-level problems raise
``SpreadsheetError`` with a Chinese message.

Writing (``csv_bytes``, ``xlsx_bytes``, ``attachment``): text that a spreadsheet program would
evaluate (a cell beginning with ``= + - @``, a tab or a carriage return) is neutralised: CSV cells
get a leading tab (readers strip it), xlsx cells are stored as text, never as formulas. CSV is
UTF-8 with a BOM (so Excel shows Chinese) and CRLF line ends.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Zip-bomb limits for .xlsx, checked on the declared sizes (Python's zipfile never inflates an
# entry beyond its declared size).
XLSX_MAX_ENTRIES = 1_000
XLSX_MAX_ENTRY_SIZE = 400 * 2**20
XLSX_MAX_TOTAL_SIZE = 800 * 2**20
XLSX_MAX_RATIO = 200
XLSX_RATIO_MIN_SIZE = 8 * 2**20  # small entries may compress very well

_CSV_SNIFF_BYTES = 64 * 1024
_DECODE_CHUNK = 256 * 1024
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: wrong type, damaged, a zip bomb, unknown encoding."""


# --------------------------------------------------------------------------- reading


def read_cells(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Stream ``(sheet row number, cells as text)`` of the first sheet of an .xlsx or a .csv.

    The type is checked before this returns (wrong type, damaged or bomb files raise here);
    damage found later raises ``SpreadsheetError`` during iteration.
    """
    if not data:
        raise SpreadsheetError("文件为空")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or ext == "xls":
        raise SpreadsheetError(
            "不支持旧版 .xls 或加密的 Excel 文件，请另存为 .xlsx 或 .csv 后再上传"
        )
    if ext == "xlsx":
        if not is_zip:
            raise SpreadsheetError("文件不是有效的 .xlsx 文件")
        return _xlsx_cells(data)
    if ext in ("csv", "txt"):
        if is_zip:
            raise SpreadsheetError("文件内容是 Excel 格式，请把扩展名改为 .xlsx 后再上传")
        return _csv_cells(data)
    raise SpreadsheetError("只支持 .xlsx 或 .csv 文件")


def cell_text(value: object) -> str:
    """A cell value as a stripped string, keeping what Excel displays where it matters."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip().strip(INVISIBLE).strip()
        return text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"  # e.g. an ID number saved as a number: 5.11102198001011E+17
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = getattr(value, "text", None)  # openpyxl ArrayFormula
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    if type(value).__name__ == "DataTableFormula":
        return "=TABLE()"
    return str(value).strip()


def check_xlsx_zip(data: bytes) -> None:
    """Refuse damaged archives and zip bombs before openpyxl inflates anything."""
    bomb = SpreadsheetError("Excel 文件解压后过大或压缩比异常（疑似压缩炸弹），已拒绝处理")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError("文件已损坏或不是有效的 .xlsx 文件") from None
    if len(infos) > XLSX_MAX_ENTRIES:
        raise bomb
    total = 0
    for info in infos:
        size = info.file_size
        if size > XLSX_MAX_ENTRY_SIZE:
            raise bomb
        if size > XLSX_RATIO_MIN_SIZE and size > XLSX_MAX_RATIO * max(info.compress_size, 1):
            raise bomb
        total += size
    if total > XLSX_MAX_TOTAL_SIZE:
        raise bomb
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        raise SpreadsheetError("文件不是有效的 .xlsx 文件")


def _xlsx_cells(data: bytes) -> Iterator[tuple[int, list[str]]]:
    check_xlsx_zip(data)
    import openpyxl  # imported here: CSV-only callers need not pay for it

    try:
        wb = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for damaged files
        raise SpreadsheetError("无法读取 .xlsx 文件，文件可能已损坏") from None
    if not wb.worksheets:
        wb.close()
        raise SpreadsheetError("Excel 文件中没有工作表")
    return _xlsx_rows(wb)


def _xlsx_rows(wb) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # do not trust the stored sheet size
        # Read-only iteration fills gaps with empty rows, so counting gives sheet row numbers.
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(f"第{number + 1}行附近无法解析，Excel 文件可能已损坏") from None
    finally:
        wb.close()


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes strictly, checked chunk by chunk to keep memory flat."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    view = memoryview(data)
    try:
        for start in range(0, len(view), _DECODE_CHUNK):
            decoder.decode(view[start : start + _DECODE_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def csv_encoding(data: bytes) -> str:
    """UTF-16 (Excel's "Unicode text", with a BOM), else UTF-8, else GB18030."""
    candidates = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    encoding = next((e for e in candidates if _decodes(data, e)), None)
    if encoding is None:
        raise SpreadsheetError("无法识别文件编码，请将 CSV 另存为 UTF-8 或 GB18030（GBK）编码")
    return encoding


def _csv_cells(data: bytes) -> Iterator[tuple[int, list[str]]]:
    encoding = csv_encoding(data)
    head = data[:_CSV_SNIFF_BYTES].decode(encoding, errors="ignore").lstrip("\ufeff")
    first_line = head.splitlines()[0] if head else ""
    delimiter = max(",\t;", key=first_line.count)
    if not first_line.count(delimiter):
        delimiter = ","
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    return _csv_rows(text, delimiter)


def _csv_rows(text: io.TextIOWrapper, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        # Each record is one spreadsheet row, even when a quoted cell spans lines.
        for number, record in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, [cell_text(v) for v in record]
    except csv.Error:
        raise SpreadsheetError(f"第{number + 1}行无法解析，CSV 格式有误") from None


# --------------------------------------------------------------------------- writing


def neutralise(value: object) -> object:
    """A CSV cell that no spreadsheet program evaluates: formula-like text gets a leading tab."""
    if (
        isinstance(value, str)
        and value[:1] in _FORMULA_START
        or (isinstance(value, str) and value[:1] == "-" and not _NEGATIVE_NUMBER.fullmatch(value))
    ):
        return "\t" + value
    return value


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV, UTF-8 with BOM and CRLF, every cell neutralised; None → "", booleans → 是/否."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(_plain(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


@dataclass
class Sheet:
    """One worksheet: a bold header row, then rows; optional column widths and row fills."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[int] = ()
    fills: Sequence[str | None] = field(default_factory=list)  # RGB per data row, e.g. "FDE8E7"


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx workbook of ``sheets``; text cells are stored as text, never as formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.title))
        ws.append([str(h) for h in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        fills = list(sheet.fills)
        for index, row in enumerate(sheet.rows):
            values = []
            for value in row:
                value = _plain(value)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                values.append(value)
            ws.append(values)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
            if index < len(fills) and fills[index]:
                ws.cell(row=ws.max_row, column=len(values) or 1).fill = PatternFill(
                    "solid", fgColor=fills[index]
                )
        for number, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(number)].width = width
        ws.freeze_panes = "A2"
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]\*\?/\\:]", " ", title).strip() or "Sheet"
    return cleaned[:31]


def attachment(content: bytes, filename: str):
    """An HttpResponse that downloads ``content`` as ``filename`` (.xlsx or .csv)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    kind = XLSX_CONTENT_TYPE if filename.lower().endswith(".xlsx") else CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
