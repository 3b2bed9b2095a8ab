"""Spreadsheet (xlsx/csv) question import and export."""

import io
import zipfile

import openpyxl
import pytest

from exams.formats import (
    FormatError,
    QuestionData,
    detect_format,
    export_questions,
    parse_questions,
    read_questions,
    write_questions,
)
from exams.formats.table import EXAMPLES, HEADERS, template_csv, template_xlsx

HEADER_LINE = ",".join(HEADERS)


def sample_questions():
    return [
        QuestionData(
            "single",
            "“=1+1”在题干开头也不是公式？\n第二行 <b>不是标签</b> & 符号",
            [("A", "=SUM(A1)"), ("B", "-x"), ("C", "选项，含逗号")],
            ["A"],
            explanation="解析\n两行",
            difficulty=3,
            tags=["民法典", "物权"],
            citations=["民法典第209条"],
        ),
        QuestionData(
            "multiple",
            "下列属于法律明白人职责的有？",
            [
                ("A", "宣传法律"),
                ("B", "化解矛盾"),
                ("C", "代替法院判案"),
                ("D", "引导群众依法办事"),
            ],
            ["A", "B", "D"],
            difficulty=1,
        ),
        QuestionData("truefalse", "宪法是国家的根本法。", [("A", "正确"), ("B", "错误")], ["A"]),
        QuestionData("truefalse", "村规民约可以违反法律。", [("A", "正确"), ("B", "错误")], ["B"]),
        QuestionData("fill", "我国的根本大法是____。", [], ["宪法", "中华人民共和国宪法"]),
    ]


def csv_bytes(*rows, encoding="utf-8"):
    return ("\n".join([HEADER_LINE, *rows]) + "\n").encode(encoding)


def xlsx_bytes(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def error_lines(exc_info):
    return [str(e) for e in exc_info.value.errors]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_keeps_every_field(fmt):
    questions = sample_questions()
    data = write_questions(questions, fmt)
    back = read_questions(data, fmt)
    assert [q.fingerprint() for q in back] == [q.fingerprint() for q in questions]
    for before, after in zip(questions, back):
        assert (after.explanation, after.difficulty, after.tags, after.citations) == (
            before.explanation,
            before.difficulty,
            before.tags,
            before.citations,
        )
    assert [q.source_line for q in back] == [2, 3, 4, 5, 6]


def test_xlsx_export_stores_text_not_formulas():
    wb = openpyxl.load_workbook(io.BytesIO(write_questions(sample_questions(), "xlsx")))
    cell = wb.active["C2"]
    assert cell.value == "=SUM(A1)" and cell.data_type == "s"


def test_csv_export_guards_against_formula_injection():
    text = write_questions(sample_questions(), "csv").decode("utf-8-sig")
    assert "\t=SUM(A1)" in text and "\t-x" in text


def test_templates_have_one_example_per_type():
    for data, fmt in ((template_xlsx(), "xlsx"), (template_csv(), "csv")):
        questions = read_questions(data)
        assert detect_format("", data[:512]) == fmt
        assert [q.type for q in questions] == ["single", "multiple", "truefalse", "fill"]
        assert [q.fingerprint() for q in questions] == [q.fingerprint() for q in EXAMPLES]
    assert template_csv().startswith(b"\xef\xbb\xbf" + "题型,题干,选项A".encode())
    assert openpyxl.load_workbook(io.BytesIO(template_xlsx())).sheetnames == ["题目", "填写说明"]


def test_csv_gb18030_from_chinese_excel():
    data = csv_bytes(
        "判断,宪法是国家的根本法。,,,,,,,对,,难,宪法、根本法,宪法序言",
        '多选题,以下正确的是？,甲,乙,丙,,,,"A,C",,2,,',
        encoding="gb18030",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    tf, multi = read_questions(data, "csv")
    assert (tf.type, tf.answer, tf.difficulty, tf.tags) == (
        "truefalse",
        ["A"],
        3,
        ["宪法", "根本法"],
    )
    assert tf.citations == ["宪法序言"]
    assert (multi.type, multi.answer) == ("multiple", ["A", "C"])


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""])
def test_csv_utf8_with_or_without_bom(bom):
    data = bom + csv_bytes('单选题,题干,一,二,,,,,ｂ,,易,"a；b\nc",民法典第1077条；民法典第1078条')
    (q,) = read_questions(data, "csv")
    assert (q.answer, q.difficulty, q.tags) == (["B"], 1, ["a", "b", "c"])
    assert q.citations == ["民法典第1077条", "民法典第1078条"]


def test_answer_spellings():
    rows = [
        "多选,一,甲,乙,丙,丁,,,a b d,,,,",
        "多选,二,甲,乙,丙,丁,,,A、C,,,,",
        "判断,三,,,,,,,×,,,,",
        "判断,四,正确,错误,,,,,√,,,,",
        "填空,五,,,,,,,甲|乙；丙,,,,",
    ]
    answers = [q.answer for q in read_questions(csv_bytes(*rows), "csv")]
    assert answers == [["A", "B", "D"], ["A", "C"], ["B"], ["A"], ["甲", "乙", "丙"]]


def test_every_bad_row_is_reported_with_its_row_number():
    long_stem = "长" * 2001
    data = csv_bytes(
        "单选,好题,甲,乙,,,,,A,,,,",  # row 2 is fine
        "问答,什么是法？,,,,,,,法,,,,",
        "单选,,甲,乙,,,,,A,,,,",
        "单选,题四,甲,乙,丙,丁,,,E,,,,",
        "单选,题五,甲,乙,,,,,AB,,,,",
        "多选,题六,甲,乙,丙,,,,A,,,,",
        "单选,题七,甲,,,,,,A,,,,",
        "单选,题八,甲,,丙,,,,A,,,,",
        "单选,题九,甲,乙,,,,,A,,很难,,",
        f"单选,{long_stem},甲,乙,,,,,A,,,,",
        "单选, 好题 ,甲,乙,,,,,a,,,,",
        ",,,,,,,,,,,,",  # blank rows are skipped
        "判断,题十三,,,,,,,也许,,,,",
        "单选,题十四,甲,乙,,,,,1,,,,",
    )
    with pytest.raises(FormatError) as exc_info:
        read_questions(data, "csv")
    assert error_lines(exc_info) == [
        "第3行: 未知题型“问答”，应为单选、多选、判断或填空",
        "第4行: 题干为空",
        "第5行: 答案“E”不在选项中",
        "第6行: 单选题只能有一个答案，实际为“AB”",
        "第7行: 多选题至少需要两个正确答案",
        "第8行: 选项少于2个",
        "第9行: 选项不连续：选项B为空，但其后还有选项",
        "第10行: 难度“很难”无效，应为易/中/难或1/2/3",
        "第11行: 题干过长（2001字，最多2000字）",
        "第12行: 与第2行的题目重复",
        "第14行: 判断题答案“也许”无效，应为正确/错误、对/错或√/×",
        "第15行: 答案“1”格式不正确，应为选项字母，如A或ABD",
    ]
    assert str(exc_info.value).startswith("第3行: 未知题型")


def test_skip_bad_rows_keeps_the_good_ones():
    result = parse_questions(csv_bytes("单选,好,甲,乙,,,,,A,,,,", "单选,坏,甲,乙,,,,,C,,,,"), "csv")
    assert [q.stem for q in result.questions] == ["好"]
    assert [str(e) for e in result.errors] == ["第3行: 答案“C”不在选项中"]


def test_missing_and_duplicate_headers():
    with pytest.raises(FormatError) as exc_info:
        read_questions("题型,题干,题干\n单选,x\n".encode(), "csv")
    lines = error_lines(exc_info)
    assert lines[0] == "第1行: 表头“题干”重复"
    assert lines[1].startswith("第1行: 缺少列：答案")


def test_xlsx_rows_numbers_and_numeric_cells():
    data = xlsx_bytes(
        [
            ["单选", "题一", "甲", "乙", None, None, None, None, "B", None, 3, None, None],
            [None] * 13,
            ["判断", "题三", None, None, None, None, None, None, "错", None, 1.0, "x", None],
            ["多选", "题四", "甲", "乙", None, None, None, None, "AC", None, None, None, None],
        ]
    )
    with pytest.raises(FormatError) as exc_info:
        read_questions(data)
    assert error_lines(exc_info) == ["第5行: 答案“C”不在选项中"]
    result = parse_questions(data)
    assert [(q.source_line, q.difficulty) for q in result.questions] == [(2, 3), (4, 1)]


def test_xlsx_formula_cells_are_rejected():
    data = xlsx_bytes(
        [
            ["单选", "题一", "=1+1", "乙", None, None, None, None, "A"],
            ["单选", "=B2", "甲", "乙", None, None, None, None, '=CHAR(65)&""'],
            ["单选", "题三", "甲", "乙", None, None, None, None, "A"],
        ]
    )
    with pytest.raises(FormatError) as exc_info:
        read_questions(data)
    assert error_lines(exc_info) == [
        "第2行: 单元格C2是公式，请“粘贴为数值”后再导入",
        "第3行: 单元格B3、I3是公式，请“粘贴为数值”后再导入",
    ]


def _with_extra_entry(data, name, payload):
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, payload)
    return out.getvalue()


def test_xlsx_zip_bomb_is_rejected_before_opening():
    huge = _with_extra_entry(template_xlsx(), "xl/media/image1.bin", b"\0" * (51 * 1024 * 1024))
    assert len(huge) < 200_000
    with pytest.raises(FormatError) as exc_info:
        read_questions(huge, "xlsx")
    assert error_lines(exc_info) == ["文件异常（疑似压缩炸弹）"]


def test_xlsx_high_compression_ratio_is_rejected():
    dense = _with_extra_entry(template_xlsx(), "xl/worksheets/sheet9.xml", b"<a/>" * 1_000_000)
    with pytest.raises(FormatError, match="疑似压缩炸弹"):
        read_questions(dense, "xlsx")


def test_damaged_xlsx():
    with pytest.raises(FormatError, match="不是有效的xlsx文件"):
        read_questions(b"PK\x03\x04 not really a zip")
    with pytest.raises(FormatError, match="无法读取xlsx文件"):
        read_questions(_zip({"hello.txt": b"hi"}), "xlsx")


def _zip(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, payload in entries.items():
            zf.writestr(name, payload)
    return out.getvalue()


def test_read_from_path_and_file_object(tmp_path):
    path = tmp_path / "题库.xlsx"
    path.write_bytes(template_xlsx())
    assert len(read_questions(path)) == 4
    assert len(read_questions(str(path))) == 4
    with open(path, "rb") as fh:
        assert len(read_questions(fh)) == 4


def test_empty_and_oversized_files():
    with pytest.raises(FormatError, match="文件中没有题目"):
        read_questions(csv_bytes(), "csv")
    with pytest.raises(FormatError, match="文件过大"):
        read_questions(b"x" * (20 * 1024 * 1024 + 1), "csv")


def test_detect_format():
    assert detect_format("a.XLSX", b"") == "xlsx"
    assert detect_format("upload", b"PK\x03\x04...") == "xlsx"
    assert detect_format("a.csv", b"") == "csv"
    assert detect_format("a.txt", "题型,题干,选项A".encode("gb18030")) == "csv"
    assert detect_format("questions.xml", b"") == "moodle-xml"
    assert detect_format("", b"<?xml version='1.0'?><quiz/>") == "moodle-xml"
    assert detect_format("a.txt", "题干\nA. 甲\nB. 乙\nANSWER: A\n".encode()) == "aiken"
    assert detect_format("a.txt", "// c\n题干{=甲 ~乙}\n".encode()) == "gift"
    assert detect_format("a.gift", b"") == "gift"
    with pytest.raises(FormatError, match="旧版Excel"):
        detect_format("a.xls", b"\xd0\xcf\x11\xe0rest")
    with pytest.raises(FormatError, match="无法识别文件格式"):
        detect_format("a.txt", b"hello")


def test_export_of_invalid_question_is_reported_not_written():
    bad = QuestionData("single", "题干", [("A", "甲"), ("B", "乙")], ["C"])
    result = export_questions([EXAMPLES[0], bad], "csv")
    assert [(s.index, s.reason) for s in result.skipped] == [(2, "答案“C”不在选项中")]
    with pytest.raises(FormatError) as exc_info:
        write_questions([EXAMPLES[0], bad], "xlsx")
    assert error_lines(exc_info) == ["第2题: 答案“C”不在选项中"]


def test_fingerprint_normalises_width_and_whitespace():
    a = QuestionData("single", "题干 （ＡＢＣ）\n", [("A", "甲"), ("B", "乙 ")], ["A"])
    b = QuestionData("single", "题干  (ABC)", [("A", "甲"), ("B", "乙")], ["A"], difficulty=3)
    c = QuestionData("single", "题干 (ABC)", [("A", "甲"), ("B", "乙")], ["B"])
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()
    assert len(a.fingerprint()) == 64
