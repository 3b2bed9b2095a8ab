"""The one spreadsheet writer (core.spreadsheets): formula-safe cells, CSV with a BOM."""

import csv
import io

import openpyxl
import pytest

from core.spreadsheets import Sheet, SpreadsheetError, csv_bytes, neutralise, read_cells, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点我")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_neutralised_in_csv(text):
    data = csv_bytes(["姓名"], [[text]])
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Chinese
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["姓名"]
    assert rows[1][0] == "\t" + text
    assert neutralise(text) == "\t" + text


@pytest.mark.parametrize("text", ["-12.5", "-3", "张三", "5111"])
def test_ordinary_values_are_kept(text):
    assert neutralise(text) == text


def test_numbers_none_and_booleans_in_csv():
    data = csv_bytes(["a", "b", "c", "d"], [[-5, None, True, False]])
    assert data.decode("utf-8-sig").splitlines()[1] == "-5,,是,否"


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_stores_formula_like_text_as_text(text):
    data = xlsx_bytes([Sheet("名单", ["姓名", "分数"], [[text, 90]])])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value.strip() == text.strip()
    assert ws["B2"].value == 90


def test_xlsx_sheets_titles_widths_and_fills():
    data = xlsx_bytes(
        [
            Sheet(
                "2026年/名额",
                ["单位", "人数"],
                [["甲村", 3], ["乙村", 5]],
                widths=[20, 8],
                fills=["FDE8E7", None],
            ),
            Sheet("说明", ["说明"], [["第一行"]]),
        ]
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["2026年 名额", "说明"]
    ws = wb["2026年 名额"]
    assert ws.column_dimensions["A"].width == 20
    assert ws["B2"].fill.fgColor.rgb.endswith("FDE8E7")
    assert ws.freeze_panes == "A2"


def test_reader_round_trips_what_the_writer_wrote():
    data = csv_bytes(["姓名", "编码"], [["张三", "V1"]])
    assert list(read_cells(data, "x.csv")) == [(1, ["姓名", "编码"]), (2, ["张三", "V1"])]
    data = xlsx_bytes([Sheet("s", ["姓名", "编码"], [["张三", "V1"]])])
    assert list(read_cells(data, "x.xlsx")) == [(1, ["姓名", "编码"]), (2, ["张三", "V1"])]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "文件为空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", "旧版 .xls"),
        (b"name\n", "a.pdf", "只支持"),
        (b"not a zip", "a.xlsx", "不是有效的 .xlsx"),
        (b"\xff\xfe\x00", "a.csv", "无法识别文件编码"),
    ],
)
def test_reader_refuses_bad_files_in_chinese(data, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        list(read_cells(data, name))


def test_gb18030_csv_is_read():
    data = "姓名,单位\n张三,龙泉村\n".encode("gb18030")
    assert list(read_cells(data, "a.csv"))[1] == (2, ["张三", "龙泉村"])
