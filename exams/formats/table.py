"""Spreadsheet template (xlsx and csv) with Chinese headers: 题型, 题干, 选项A–F, 答案, ….

Row numbers are spreadsheet rows (header = row 1). CSV may be UTF-8 (with or without BOM)
or GB18030 (what Chinese Excel saves). xlsx is opened only after its zip entries pass a
size check, with ``read_only=True`` and ``data_only=False`` so formulas can be rejected.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator

from exams.formats import (
    DIFFICULTY_NAMES,
    OPTION_KEYS,
    TRUE_FALSE_OPTIONS,
    ExportResult,
    FormatError,
    ImportErrorRow,
    QuestionData,
    decode_text,
    parse_difficulty,
)

HEADERS = [
    "题型",
    "题干",
    *(f"选项{k}" for k in OPTION_KEYS),
    "答案",
    "解析",
    "难度",
    "标签",
    "法条",
]
REQUIRED = ("题型", "题干", "答案")
TYPE_NAMES = {"single": "单选", "multiple": "多选", "truefalse": "判断", "fill": "填空"}
_TYPE_WORDS = {
    **dict.fromkeys(("单选", "单选题", "单项选择", "单项选择题"), "single"),
    **dict.fromkeys(("多选", "多选题", "多项选择", "多项选择题"), "multiple"),
    **dict.fromkeys(("判断", "判断题"), "truefalse"),
    **dict.fromkeys(("填空", "填空题"), "fill"),
}
_TRUE = {"正确", "对", "√", "✓", "✔", "A", "T", "TRUE", "是"}
_FALSE = {"错误", "错", "×", "✗", "✘", "X", "B", "F", "FALSE", "否"}
LIST_SEPARATORS = r"[；;、,，\n]+"
FILL_SEPARATORS = r"[|｜；;\n]+"

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_ENTRIES = 1000
BOMB_MESSAGE = "文件异常（疑似压缩炸弹）"

Row = tuple[int, list[str], list[str]]  # (row number, cell texts, formula cell refs)


# ---------------------------------------------------------------- reading


def read_csv(data: bytes) -> tuple[list[QuestionData], list[ImportErrorRow]]:
    """Parse CSV bytes (UTF-8/UTF-8-BOM/GB18030, comma or tab separated)."""
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[Row]:
        try:
            for number, cells in enumerate(reader, 1):
                yield number, [c.strip() for c in cells], []
        except csv.Error as exc:
            raise FormatError([ImportErrorRow(reader.line_num, f"CSV格式错误：{exc}")]) from exc

    return _parse_rows(rows())


def check_zip(data: bytes) -> None:
    """Reject non-zip data and archives that would inflate to something huge."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FormatError([ImportErrorRow(0, "不是有效的xlsx文件")]) from exc
    total = sum(i.file_size for i in infos)
    inflated = any(
        i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if len(infos) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED or inflated:
        raise FormatError([ImportErrorRow(0, BOMB_MESSAGE)])


def read_xlsx(data: bytes) -> tuple[list[QuestionData], list[ImportErrorRow]]:
    """Parse the first worksheet of an xlsx file; formula cells are errors."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    check_zip(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FormatError([ImportErrorRow(0, "无法读取xlsx文件，请确认文件未损坏")]) from exc

    def rows() -> Iterator[Row]:
        for number, cells in enumerate(wb.worksheets[0].iter_rows(), 1):
            texts, formulas = [], []
            for col, cell in enumerate(cells, 1):
                if cell.data_type == "f":
                    formulas.append(f"{get_column_letter(col)}{number}")
                texts.append(_cell_text(cell.value))
            yield number, texts, formulas

    try:
        return _parse_rows(rows())
    except FormatError:
        raise
    except Exception as exc:
        raise FormatError([ImportErrorRow(0, "无法读取xlsx文件，请确认文件未损坏")]) from exc
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "正确" if value else "错误"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def _parse_rows(rows: Iterable[Row]) -> tuple[list[QuestionData], list[ImportErrorRow]]:
    it = iter(rows)
    header = next(it, None)
    if header is None:
        raise FormatError([ImportErrorRow(0, "文件为空")])
    columns = _header_columns(header[1])
    questions, errors = [], []
    for number, cells, formulas in it:
        if not any(cells):
            continue
        if formulas:
            refs = "、".join(formulas)
            errors.append(ImportErrorRow(number, f"单元格{refs}是公式，请“粘贴为数值”后再导入"))
            continue
        values = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        question, msgs = _parse_row(number, values)
        errors += [ImportErrorRow(number, m) for m in msgs]
        if question and not msgs:
            questions.append(question)
    return questions, errors


def _header_columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    errors = []
    for i, cell in enumerate(cells):
        name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell))
        if name in HEADERS:
            if name in columns:
                errors.append(ImportErrorRow(1, f"表头“{name}”重复"))
            columns[name] = i
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        msg = f"缺少列：{'、'.join(missing)}（表头应为：{', '.join(HEADERS)}）"
        errors.append(ImportErrorRow(1, msg))
    if errors:
        raise FormatError(errors)
    return columns


def _split(text: str, pattern: str = LIST_SEPARATORS) -> list[str]:
    return [part.strip() for part in re.split(pattern, text) if part.strip()]


def _parse_row(number: int, v: dict[str, str]) -> tuple[QuestionData | None, list[str]]:
    errs: list[str] = []
    raw_type = v.get("题型", "")
    qtype = _TYPE_WORDS.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw_type)))
    if qtype is None:
        errs.append(f"未知题型“{raw_type}”，应为单选、多选、判断或填空")
    texts = [v.get(f"选项{k}", "") for k in OPTION_KEYS]
    last = max((i for i, t in enumerate(texts) if t), default=-1)
    gaps = [OPTION_KEYS[i] for i in range(last) if not texts[i]]
    if gaps and qtype != "truefalse":
        errs.append(f"选项不连续：选项{'、'.join(gaps)}为空，但其后还有选项")
    options = [(k, t) for k, t in zip(OPTION_KEYS, texts, strict=True) if t]
    raw_answer = v.get("答案", "")
    answer: list[str] = []
    if qtype == "truefalse":
        if options and [t for _, t in options] not in (["正确", "错误"], ["对", "错"]):
            errs.append("判断题不需要填写选项（或选项A、B为“正确”“错误”）")
        options = list(TRUE_FALSE_OPTIONS)
        word = unicodedata.normalize("NFKC", raw_answer).strip().upper()
        if word in _TRUE or word in _FALSE:
            answer = ["A" if word in _TRUE else "B"]
        elif word:
            errs.append(f"判断题答案“{raw_answer}”无效，应为正确/错误、对/错或√/×")
    elif qtype == "fill":
        answer = _split(raw_answer, FILL_SEPARATORS)
    elif qtype:
        letters = re.sub(r"[\s,;、/|]+", "", unicodedata.normalize("NFKC", raw_answer).upper())
        if not re.fullmatch(r"[A-Z]*", letters):
            errs.append(f"答案“{raw_answer}”格式不正确，应为选项字母，如A或ABD")
        else:
            answer = list(dict.fromkeys(letters))
    difficulty = parse_difficulty(v.get("难度", ""))
    if difficulty is None:
        errs.append(f"难度“{v.get('难度', '')}”无效，应为易/中/难或1/2/3")
    if errs:
        return None, errs
    return QuestionData(
        type=qtype,
        stem=v.get("题干", ""),
        options=options,
        answer=answer,
        explanation=v.get("解析", ""),
        difficulty=difficulty,
        tags=_split(v.get("标签", "")),
        citations=_split(v.get("法条", "")),
        source_line=number,
    ), []


# ---------------------------------------------------------------- writing


def question_row(q: QuestionData) -> list[str]:
    """One template row for a question."""
    options = dict(q.options) if q.type in ("single", "multiple") else {}
    if q.type == "truefalse":
        answer = "正确" if q.answer == ["A"] else "错误"
    elif q.type == "fill":
        answer = "；".join(q.answer)
    else:
        answer = "".join(q.answer)
    return [
        TYPE_NAMES[q.type],
        q.stem,
        *(options.get(k, "") for k in OPTION_KEYS),
        answer,
        q.explanation,
        DIFFICULTY_NAMES[q.difficulty],
        "；".join(q.tags),
        "；".join(q.citations),
    ]


def write_csv(questions: list[QuestionData]) -> ExportResult:
    """UTF-8 with BOM so that Excel opens it correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([_csv_safe(c) for c in question_row(q)] for q in questions)
    return ExportResult(out.getvalue().encode("utf-8-sig"))


def _csv_safe(cell: str) -> str:
    # Keep spreadsheet programs from evaluating text as a formula (CSV injection);
    # readers strip the leading tab again.
    if cell[:1] in ("=", "+", "@") or re.match(r"-[^\d.]", cell):
        return "\t" + cell
    return cell


def write_xlsx(questions: list[QuestionData], *, help_sheet: bool = False) -> ExportResult:
    """xlsx with a header row, dropdowns for 题型/难度 and text-only cells."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "题目"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for q in questions:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in question_row(q)])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # never store user text as a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [8, 50, *[18] * len(OPTION_KEYS), 8, 30, 6, 16, 20]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    for column, choices in (("A", "单选,多选,判断,填空"), ("K", "易,中,难")):
        rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        rule.add(f"{column}2:{column}5000")
        ws.add_data_validation(rule)
    if help_sheet:
        info = wb.create_sheet("填写说明")
        for line in HELP_LINES:
            info.append([line])
        info.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return ExportResult(out.getvalue())


HELP_LINES = [
    "第一行是表头，请勿修改；从第二行起每行一题，示例行可删除。",
    "题型：单选、多选、判断、填空（也可写单选题、多选题、判断题、填空题）。",
    "选项：选择题从选项A起依次填写，至少2个、最多6个，中间不能空缺；判断题和填空题不填选项。",
    "答案：单选填一个字母，如A；多选填两个以上字母，如ABD或A,B；判断填正确/错误（对/错、√/×）；"
    "填空填标准答案，多个可接受答案用“；”或“|”分隔。",
    "难度：易、中、难（或1、2、3），不填为中。",
    "标签、法条：多个用“；”“、”或换行分隔，法条如“民法典第1077条”。",
    "请不要使用公式；题干最多2000字。",
]

EXAMPLES = [
    QuestionData(
        type="single",
        stem="协议离婚时，自婚姻登记机关收到离婚登记申请之日起多少日内，"
        "任何一方不愿意离婚的，可以撤回离婚登记申请？",
        options=[("A", "十日"), ("B", "十五日"), ("C", "三十日"), ("D", "六十日")],
        answer=["C"],
        explanation="民法典规定了三十日的离婚冷静期。",
        difficulty=1,
        tags=["民法典", "婚姻家庭"],
        citations=["民法典第1077条"],
    ),
    QuestionData(
        type="multiple",
        stem="下列哪些属于宪法规定的公民基本权利？",
        options=[
            ("A", "选举权和被选举权"),
            ("B", "宗教信仰自由"),
            ("C", "受教育的权利"),
            ("D", "依照法律纳税"),
        ],
        answer=["A", "B", "C"],
        explanation="依照法律纳税是公民的基本义务。",
        difficulty=2,
        tags=["宪法"],
        citations=["宪法第34条", "宪法第36条", "宪法第46条", "宪法第56条"],
    ),
    QuestionData(
        type="truefalse",
        stem="每年12月4日是国家宪法日。",
        options=list(TRUE_FALSE_OPTIONS),
        answer=["A"],
        explanation="2014年全国人大常委会决定将12月4日设立为国家宪法日。",
        difficulty=1,
        tags=["宪法", "宪法宣传周"],
    ),
    QuestionData(
        type="fill",
        stem="十八周岁以上的自然人为____人。",
        answer=["成年"],
        explanation="不满十八周岁的自然人为未成年人。",
        difficulty=1,
        tags=["民法典", "总则"],
        citations=["民法典第17条"],
    ),
]


def template_xlsx() -> bytes:
    """Blank import template with one example row per type and a 填写说明 sheet."""
    return write_xlsx(EXAMPLES, help_sheet=True).data


def template_csv() -> bytes:
    """CSV template (UTF-8 with BOM) with one example row per type."""
    return write_csv(EXAMPLES).data
