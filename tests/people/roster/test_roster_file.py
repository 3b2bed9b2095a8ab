"""Roster spreadsheet reading and row validation (people.roster.roster_file): no database."""

import csv
import io
import tracemalloc
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest

from core import spreadsheets
from core.identity import id_check_digit, make_test_id_number
from core.spreadsheets import SpreadsheetError
from people.roster.roster_file import (
    HEADERS,
    CleanRow,
    DuplicateFinder,
    RosterRow,
    find_duplicates,
    format_row_error,
    read_roster,
    template_csv,
    template_xlsx,
    validate_row,
)

HEADER = list(HEADERS.values())
MALE_ID = make_test_id_number("511112", date(1970, 3, 1), 15)
FEMALE_ID = make_test_id_number("511112", date(1985, 7, 9), 22)


def raw(**fields) -> RosterRow:
    values = {
        "row": 2,
        "name": "王五",
        "gender": "男",
        "id_number": MALE_ID,
        "mobile": "13900000002",
        "unit_code": "511112100201",
        "category": "村（社区）干部",
        "level": "骨干",
    }
    values.update(fields)
    return RosterRow(**values)


def csv_bytes(rows, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def example_rows():
    return [
        HEADER,
        ["张三", "男", MALE_ID, "13800000001", "U1", "村干部", "骨干"],
        ["李四", "", FEMALE_ID, "", "U2", "群众", ""],
    ]


# --------------------------------------------------------------------------- validate_row


def test_valid_row_is_cleaned():
    clean, errors = validate_row(
        raw(id_number=MALE_ID.lower(), mobile="+86 139-0000-0002", category="村(社区)干部")
    )
    assert errors == []
    assert clean == CleanRow(
        2, "王五", "M", MALE_ID, "13900000002", "511112100201", "cadre", "backbone"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("村（社区）干部", "cadre"),
        ("村(社区)干部", "cadre"),
        ("村干部", "cadre"),
        ("社区干部", "cadre"),
        ("国家工作人员", "civil_servant"),
        ("群众", "public"),
        (" 群 众 ", "public"),
    ],
)
def test_categories(text, code):
    clean, errors = validate_row(raw(category=text))
    assert errors == [] and clean.category == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("候选", "candidate"), ("普通", "ordinary"), ("骨干", "backbone"), ("", "")],
)
def test_levels(text, code):
    clean, errors = validate_row(raw(level=text))
    assert errors == [] and clean.level == code


def test_gender_derived_from_id_when_blank():
    clean, _ = validate_row(raw(gender="", id_number=FEMALE_ID))
    assert clean.gender == "F"
    clean, _ = validate_row(raw(gender=""))
    assert clean.gender == "M"


def test_mobile_optional():
    clean, errors = validate_row(raw(mobile=""))
    assert errors == [] and clean.mobile == ""


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"name": ""}, "姓名不能为空"),
        ({"name": "张" * 51}, "姓名不能超过50个字"),
        ({"name": "@张三"}, "姓名含有无效字符"),
        ({"id_number": ""}, "身份证号不能为空"),
        ({"id_number": "51111219700301"}, "身份证号应为18位"),
        ({"id_number": MALE_ID[:17] + ("0" if MALE_ID[17] != "0" else "1")}, "身份证号校验码错误"),
        (
            {"id_number": "5.11112197003011E+17"},
            "身份证号被存成了数字（科学计数法），末几位已丢失，请把该列设为文本后重新填写",
        ),
        ({"mobile": "1390000000"}, "手机号应为11位中国大陆手机号码"),
        ({"gender": "M"}, "性别应为“男”或“女”"),
        ({"gender": "女"}, "性别与身份证号不符"),
        ({"unit_code": ""}, "单位编码不能为空"),
        ({"unit_code": "U" * 65}, "单位编码不能超过64个字符"),
        ({"category": ""}, "类别不能为空"),
        ({"category": "农民"}, "类别“农民”无效，应为：村（社区）干部、国家工作人员、群众"),
        ({"level": "高级"}, "法律明白人等级“高级”无效，应为：候选、普通、骨干，或留空"),
        ({"name": '=HYPERLINK("x")'}, "姓名不能是公式或以“=”开头"),
        ({"id_number": '="' + MALE_ID + '"'}, "身份证号不能是公式或以“=”开头"),
        ({"unit_code": "=1+1"}, "单位编码不能是公式或以“=”开头"),
    ],
)
def test_bad_rows(fields, reason):
    clean, errors = validate_row(raw(**fields))
    assert clean is None
    assert errors == [reason]


def test_bad_birth_date_in_row():
    first17 = "51111219800230001"
    clean, errors = validate_row(raw(id_number=first17 + id_check_digit(first17), gender=""))
    assert clean is None and errors == ["身份证号出生日期无效"]


def test_every_problem_in_a_row_is_reported():
    clean, errors = validate_row(RosterRow(7, "", "X", "123", "abc", "", "", "高级"))
    assert clean is None
    assert len(errors) == 7
    assert format_row_error(7, errors[0]) == "第7行: 姓名不能为空"


def test_reprs_mask_personal_data():
    r = raw()
    clean, _ = validate_row(r)
    for obj in (r, clean):
        text = repr(obj)
        assert MALE_ID not in text and "13900000002" not in text
        assert MALE_ID[-4:] in text


# --------------------------------------------------------------------------- CSV


def read_all(data, filename):
    return list(read_roster(data, filename))


def test_csv_utf8_with_bom():
    rows = read_all(csv_bytes(example_rows(), "utf-8-sig"), "名单.csv")
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].name == "张三" and rows[0].id_number == MALE_ID
    assert rows[1].category == "群众"


def test_csv_utf8_without_bom():
    rows = read_all(csv_bytes(example_rows(), "utf-8"), "a.CSV")
    assert rows[0].name == "张三"


def test_csv_gb18030():
    data = csv_bytes(example_rows(), "gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = read_all(data, "a.csv")
    assert rows[0].name == "张三" and rows[0].category == "村干部"
    assert validate_row(rows[0])[1] == []


def test_csv_utf16_tab_separated():
    rows = read_all(csv_bytes(example_rows(), "utf-16", delimiter="\t"), "a.txt")
    assert rows[1].name == "李四"


def test_csv_undecodable():
    with pytest.raises(SpreadsheetError, match="编码"):
        read_all(",".join(HEADER).encode() + b"\n\xff\xff\x80\x80\n", "a.csv")


def test_row_numbers_skip_blank_rows_and_count_multiline_cells():
    rows = example_rows()
    data = csv_bytes([rows[0], ["", "", ""], rows[1], ["张\n三", "", FEMALE_ID], rows[2]])
    got = read_all(data, "a.csv")
    assert [r.row for r in got] == [3, 4, 5]
    assert got[1].name == "张\n三"


def test_header_below_a_title_row_and_columns_in_any_order():
    data = csv_bytes(
        [
            ["梧桐桥区法律明白人名单"],
            ["身份证号码", "类别", "姓名（必填）", "单位编码*", "备注"],
            [MALE_ID, "群众", "张三", "U1", "x"],
        ]
    )
    (row,) = read_all(data, "a.csv")
    assert (row.row, row.name, row.id_number, row.unit_code) == (3, "张三", MALE_ID, "U1")
    assert row.mobile == row.gender == row.level == ""


def test_missing_headers_are_named():
    data = csv_bytes([["姓名", "身份证号", "手机号"], ["张三", MALE_ID, ""]])
    with pytest.raises(SpreadsheetError) as e:
        read_all(data, "a.csv")
    assert str(e.value) == "缺少必填列：单位编码、类别"


def test_header_with_unknown_spellings_names_what_is_missing():
    data = csv_bytes([["名字", "证件号", "单位编码", "类别"], ["张三", MALE_ID, "U1", "群众"]])
    with pytest.raises(SpreadsheetError) as e:
        read_all(data, "a.csv")
    assert str(e.value) == "缺少必填列：姓名、身份证号"


def test_no_header_at_all():
    data = csv_bytes([["张三", MALE_ID, "U1", "群众"]] * 3)
    with pytest.raises(SpreadsheetError, match="找不到表头"):
        read_all(data, "a.csv")


def test_duplicate_header():
    with pytest.raises(SpreadsheetError, match="重复"):
        read_all(csv_bytes([HEADER + ["姓名"], ["a"]]), "a.csv")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "文件为空"),
        (b"\n\n,,\n", "a.csv", "文件为空"),
        (",".join(HEADER).encode(), "a.csv", "没有人员数据"),
        (b"abc", "a.pdf", "只支持"),
        (b"abc", "noext", "只支持"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xlsx", ".xls"),
        (b"abc", "a.xls", ".xls"),
        (b"not a zip", "a.xlsx", "不是有效"),
        (b"PK\x03\x04garbage", "a.xlsx", "损坏"),
    ],
)
def test_file_level_errors(data, filename, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_roster(data, filename)


def test_xlsx_renamed_to_csv():
    with pytest.raises(SpreadsheetError, match="扩展名"):
        read_roster(xlsx_bytes(example_rows()), "a.csv")


def test_file_errors_raised_before_iteration():
    """Header problems surface when read_roster is called, not on first next()."""
    with pytest.raises(SpreadsheetError):
        read_roster(csv_bytes([["x"]]), "a.csv")


def test_max_rows():
    rows = example_rows() + example_rows()[1:]
    it = read_roster(csv_bytes(rows), "a.csv", max_rows=3)
    with pytest.raises(SpreadsheetError, match="超过 3 行"):
        list(it)


# --------------------------------------------------------------------------- xlsx


def test_xlsx():
    rows = example_rows()
    rows[1][3] = 13800000001  # a number cell
    rows[2][4] = 511112100201.0
    got = read_all(xlsx_bytes(rows), "名单.xlsx")
    assert [r.row for r in got] == [2, 3]
    assert got[0].mobile == "13800000001"
    assert got[1].unit_code == "511112100201"
    assert all(validate_row(r)[1] == [] for r in got)


def test_xlsx_blank_rows_keep_sheet_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i, value in enumerate(example_rows()[1][:7], start=1):
        ws.cell(row=5, column=i, value=value)
    out = io.BytesIO()
    wb.save(out)
    (row,) = read_all(out.getvalue(), "a.xlsx")
    assert row.row == 5 and row.name == "张三"


def test_xlsx_id_number_saved_as_number():
    rows = example_rows()
    rows[1][2] = float(MALE_ID)
    (first, _) = read_all(xlsx_bytes(rows), "a.xlsx")
    assert "E+17" in first.id_number
    clean, errors = validate_row(first)
    assert clean is None and "科学计数法" in errors[0]


def test_xlsx_formula_cells_are_rejected():
    rows = example_rows()
    rows[1][0] = '=HYPERLINK("http://evil.example","点我")'
    rows[1][4] = "=A1&B1"
    rows[2][2] = '="' + FEMALE_ID + '"'
    got = read_all(xlsx_bytes(rows), "a.xlsx")
    assert got[0].name.startswith("=HYPERLINK")
    _, errors1 = validate_row(got[0])
    _, errors2 = validate_row(got[1])
    assert sorted(errors1) == ["单位编码不能是公式或以“=”开头", "姓名不能是公式或以“=”开头"]
    assert errors2 == ["身份证号不能是公式或以“=”开头"]


def test_xlsx_missing_headers():
    with pytest.raises(SpreadsheetError, match="缺少必填列：类别"):
        read_roster(xlsx_bytes([["姓名", "身份证号", "单位编码"], ["a", MALE_ID, "U"]]), "a.xlsx")


def test_xlsx_header_only():
    with pytest.raises(SpreadsheetError, match="没有人员数据"):
        read_roster(xlsx_bytes([HEADER]), "a.xlsx")


def test_xlsx_empty_sheet():
    with pytest.raises(SpreadsheetError, match="文件为空"):
        read_roster(xlsx_bytes([]), "a.xlsx")


def zip_with(entries) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for name, size in entries:
            with zf.open(name, "w", force_zip64=True) as f:
                chunk = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    f.write(chunk)
    return out.getvalue()


def test_zip_bomb_by_ratio():
    data = zip_with([("xl/worksheets/sheet1.xml", 64 << 20)])
    assert len(data) < 1 << 20
    with pytest.raises(SpreadsheetError, match="压缩炸弹"):
        read_roster(data, "bomb.xlsx")


def test_zip_bomb_by_declared_total_size(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_TOTAL_SIZE", 3 << 20)
    data = zip_with([(f"xl/media/{i}.bin", 2 << 20) for i in range(2)])
    with pytest.raises(SpreadsheetError, match="压缩炸弹"):
        read_roster(data, "bomb.xlsx")


def test_zip_with_too_many_entries(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ENTRIES", 5)
    data = zip_with([(f"x/{i}", 0) for i in range(10)])
    with pytest.raises(SpreadsheetError, match="压缩炸弹"):
        read_roster(data, "bomb.xlsx")


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(SpreadsheetError, match="不是有效"):
        read_roster(out.getvalue(), "a.xlsx")


# --------------------------------------------------------------------------- duplicates


def test_find_duplicates():
    rows = [
        raw(row=2, id_number=MALE_ID),
        raw(row=3, id_number=FEMALE_ID),
        raw(row=4, id_number=MALE_ID.lower()),
        raw(row=5, id_number=" " + MALE_ID),
        raw(row=6, id_number=""),
        raw(row=7, id_number=""),
    ]
    assert find_duplicates(rows) == {4: "身份证号与第2行重复", 5: "身份证号与第2行重复"}


def test_duplicate_finder_keeps_no_plain_numbers():
    finder = DuplicateFinder()
    assert finder.check(2, MALE_ID) is None
    assert finder.check(9, MALE_ID) == "身份证号与第2行重复"
    assert all(MALE_ID.encode() not in k for k in finder._first)


# --------------------------------------------------------------------------- templates


def test_template_csv_reads_back_valid():
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_all(data, "template.csv")
    assert len(rows) == 2
    assert [validate_row(r)[1] for r in rows] == [[], []]


def test_template_xlsx_reads_back_valid():
    data = template_xlsx()
    rows = read_all(data, "template.xlsx")
    assert len(rows) == 2
    cleaned = [validate_row(r)[0] for r in rows]
    assert [c.category for c in cleaned] == ["cadre", "civil_servant"]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER
    assert wb.worksheets[0]["C2"].number_format == "@"


# --------------------------------------------------------------------------- volume


def generated_rows(n):
    start = date(1950, 1, 1)
    categories = ["村（社区）干部", "国家工作人员", "群众"]
    levels = ["", "候选", "普通", "骨干"]
    for i in range(n):
        seq = i % 999 + 1
        id_number = make_test_id_number("511112", start + timedelta(days=i // 999), seq)
        yield [
            f"测试{i}",
            "男" if seq % 2 else "女",
            id_number,
            f"139{i:08d}",
            f"U{i % 300:03d}",
            categories[i % 3],
            levels[i % 4],
        ]


def test_stream_100k_csv_rows():
    n = 100_000
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(generated_rows(n))
    data = out.getvalue().encode("utf-8-sig")
    del out

    finder = DuplicateFinder()
    count = bad = dups = 0
    last = 0
    for row in read_roster(data, "big.csv"):
        clean, errors = validate_row(row)
        bad += bool(errors)
        dups += finder.check(row.row, row.id_number) is not None
        count += 1
        last = row.row
    assert (count, bad, dups, last) == (n, 0, 0, n + 1)


def test_csv_reading_is_streamed():
    """Reading never holds the decoded file: peak memory stays far below its size."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows([HEADER, *generated_rows(40_000)])
    data = out.getvalue().encode("utf-8")
    tracemalloc.start()
    try:
        total = sum(1 for _ in read_roster(data, "big.csv"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 40_000
    assert len(data) > 2_500_000
    assert peak < len(data) / 2, (peak, len(data))


def test_stream_xlsx_rows():
    n = 5_000
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for r in generated_rows(n):
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    rows = read_roster(out.getvalue(), "big.xlsx")
    count = sum(1 for r in rows if validate_row(r)[0] is not None)
    assert count == n
