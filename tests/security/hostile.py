"""Hostile files for the importers: zip bombs, XML entity expansion, XXE, formulas, huge cells,
wrong encodings, damaged archives."""

import functools
import io
import zipfile

from core.identity import make_test_id_number

ROSTER_HEADER = "姓名,性别,身份证号,手机号,单位编码,类别,等级"

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'

MINIMAL_XLSX = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _sheet(body: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return (
        prolog + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def _row(n: int, cells: list[str]) -> str:
    inner = "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells)
    return f'<row r="{n}">{inner}</row>'


def xlsx_with_sheet(sheet_xml: str, extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in {**MINIMAL_XLSX, **(extra or {})}.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


@functools.cache
def zip_bomb_xlsx(size_mb: int = 200) -> bytes:
    """An .xlsx whose sheet inflates to size_mb of whitespace (a few hundred KB on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in MINIMAL_XLSX.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(_sheet("").encode()[:-30])
            chunk = b" " * (1024 * 1024)
            for _ in range(size_mb):
                f.write(chunk)
    return buf.getvalue()


@functools.cache
def lying_zip_bomb_xlsx() -> bytes:
    """A bomb whose local header claims a tiny uncompressed size."""
    data = bytearray(zip_bomb_xlsx(50))
    # Patch the declared sizes of the central directory entry of the sheet to 1000 bytes.
    name = b"xl/worksheets/sheet1.xml"
    idx = data.find(b"PK\x01\x02" + bytes(data[data.find(b"PK\x01\x02") + 4 :][:0]))
    while idx != -1:
        name_len = int.from_bytes(data[idx + 28 : idx + 30], "little")
        if bytes(data[idx + 46 : idx + 46 + name_len]) == name:
            data[idx + 24 : idx + 28] = (1000).to_bytes(4, "little")
        idx = data.find(b"PK\x01\x02", idx + 4)
    return bytes(data)


def roster_rows_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    lines = [ROSTER_HEADER] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def valid_row(seq: int = 1) -> list[str]:
    return ["张三", "男", make_test_id_number(seq=seq), "13800138000", "V1", "村干部", ""]


@functools.cache
def hostile_roster_files() -> dict[str, tuple[str, bytes]]:
    """name -> (filename, bytes)."""
    header = ROSTER_HEADER.split(",")
    return {
        "zip bomb": ("名册.xlsx", zip_bomb_xlsx()),
        "lying zip bomb": ("名册.xlsx", lying_zip_bomb_xlsx()),
        "billion laughs": (
            "名册.xlsx",
            xlsx_with_sheet(
                _sheet(_row(1, header) + _row(2, ["&lol9;"] * 7), prolog=BILLION_LAUGHS)
            ),
        ),
        "xxe": (
            "名册.xlsx",
            xlsx_with_sheet(_sheet(_row(1, header) + _row(2, ["&xxe;"] * 7), prolog=XXE)),
        ),
        "damaged zip": ("名册.xlsx", zip_bomb_xlsx(1)[:2000]),
        "not a zip": ("名册.xlsx", b"\x00\x01garbage" * 100),
        "formulas": (
            "名册.csv",
            roster_rows_csv(
                [
                    [
                        "=cmd|' /C calc'!A0",
                        "男",
                        '=HYPERLINK("http://x")',
                        "+1",
                        "@SUM(1)",
                        "-1",
                        "",
                    ],
                    valid_row(2),
                ]
            ),
        ),
        "huge cell": ("名册.csv", roster_rows_csv([["张" * 1_000_000, *valid_row(3)[1:]]])),
        "gbk": ("名册.csv", roster_rows_csv([valid_row(4)], encoding="gbk")),
        "utf-16": ("名册.csv", roster_rows_csv([valid_row(5)], encoding="utf-16")),
        "latin-1 junk": ("名册.csv", bytes(range(128, 256)) * 50),
        "nul bytes": ("名册.csv", b"\x00" * 5000),
        "many columns": ("名册.csv", (",".join(["x"] * 20000) + "\n").encode() * 3),
        "empty": ("名册.csv", b""),
        "xlsx named csv": ("名册.csv", zip_bomb_xlsx(1)),
        "csv named xlsx": ("名册.xlsx", roster_rows_csv([valid_row(6)])),
    }
