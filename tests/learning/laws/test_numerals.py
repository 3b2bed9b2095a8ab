"""Chinese numerals for article labels (learning.laws.lawtext.numerals)."""

import re
from pathlib import Path

import pytest

from learning.laws.lawtext.numerals import (
    ArticleNumber,
    NumeralError,
    article_label,
    cn_to_int,
    int_to_cn,
    ordinal_label,
    parse_article_label,
    parse_ordinal,
)
from learning.laws.services import default_law_texts_path

REPO = Path(__file__).resolve().parents[3]


def law_texts() -> Path:
    """The LawRefBook texts the project ships (or $MINGBAI_LAW_TEXTS)."""
    path = default_law_texts_path()
    assert path.is_dir(), f"law texts not found at {path}"
    return path


KNOWN = {
    1: "一",
    10: "十",
    11: "十一",
    19: "十九",
    20: "二十",
    99: "九十九",
    100: "一百",
    101: "一百零一",
    110: "一百一十",
    111: "一百一十一",
    200: "二百",
    1000: "一千",
    1001: "一千零一",
    1010: "一千零一十",
    1043: "一千零四十三",
    1100: "一千一百",
    1101: "一千一百零一",
    1260: "一千二百六十",
    2000: "二千",
    0: "零",
    10000: "一万",
    10010: "一万零一十",
    100010: "十万零一十",
    150000: "十五万",
    12345678: "一千二百三十四万五千六百七十八",
}


@pytest.mark.parametrize(("number", "text"), sorted(KNOWN.items()))
def test_known_numerals(number, text):
    assert int_to_cn(number) == text
    assert cn_to_int(text) == number


def test_round_trip_1_to_2000():
    seen = set()
    for n in range(1, 2001):
        text = int_to_cn(n)
        assert cn_to_int(text) == n, text
        seen.add(text)
        label = article_label(n)
        assert label == f"第{text}条"
        assert parse_article_label(label) == ArticleNumber(n, 0)
        assert parse_article_label(f"第{n}条") == (n, 0)
        assert parse_article_label(text) == (n, 0)
        assert parse_article_label(article_label(n, 2)) == (n, 2)
    assert len(seen) == 2000


def test_article_labels():
    assert parse_article_label("第一千零四十三条") == ArticleNumber(number=1043, suffix=0)
    assert parse_article_label("第二十条之一") == ArticleNumber(20, 1)
    assert parse_article_label("第1043条") == (1043, 0)
    assert parse_article_label("第１０４３条") == (1043, 0)
    assert parse_article_label("一千零四十三") == (1043, 0)
    assert parse_article_label(" 第一百二十条之六 ") == (120, 6)
    assert parse_article_label("第20条之1") == (20, 1)
    assert article_label(1043) == "第一千零四十三条"
    assert article_label(20, 1) == "第二十条之一"
    assert article_label(10) == "第十条"
    assert article_label(110) == "第一百一十条"


def test_accepted_variants():
    assert cn_to_int("一十五") == 15
    assert cn_to_int("两千") == 2000
    assert cn_to_int("一千〇一") == 1001
    assert cn_to_int("１２") == 12


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "百",
        "十十",
        "一百十",
        "一百一",
        "一千零",
        "二十零",
        "一二",
        "一百零零一",
        "abc",
        "第条",
        "三点五",
    ],
)
def test_bad_numerals(bad):
    with pytest.raises(NumeralError, match="数字"):
        cn_to_int(bad)


@pytest.mark.parametrize(
    "bad", ["", "第条", "第一千零零条", "第三章", "第零条", "第二十条之零", "条文", None, 12]
)
def test_bad_article_labels(bad):
    with pytest.raises(NumeralError) as info:
        parse_article_label(bad)
    assert isinstance(info.value, ValueError)
    assert re.search("[\u4e00-\u9fff]", str(info.value))


def test_int_to_cn_range():
    for bad in (-1, 10**8, 1.5, True):
        with pytest.raises(NumeralError):
            int_to_cn(bad)
    with pytest.raises(NumeralError):
        article_label(0)


def test_ordinals():
    assert parse_ordinal("第三编") == (3, "编")
    assert parse_ordinal("第一分编") == (1, "分编")
    assert parse_ordinal("第二十九章") == (29, "章")
    assert parse_ordinal("第八节") == (8, "节")
    assert ordinal_label(3, "编") == "第三编"
    assert ordinal_label(12, "章") == "第十二章"
    for bad in ("三编", "第编", "第十十章", "第三部分"):
        with pytest.raises(NumeralError):
            parse_ordinal(bad)


def test_labels_in_the_real_texts_are_canonical():
    """Every article and heading label in the law texts is written as article_label writes it."""
    heading = re.compile(r"^#+\s+(第\S+?(?:分编|编|章|节))")
    article = re.compile(r"^(第\S+?条(?:之\S+?)?)\s")
    count = 0
    for path in sorted(law_texts().rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := article.match(line):
                number, suffix = parse_article_label(m[1])
                assert article_label(number, suffix) == m[1], (path.name, line[:20])
                count += 1
            elif m := heading.match(line):
                number, unit = parse_ordinal(m[1])
                assert ordinal_label(number, unit) == m[1]
    assert count == 2257  # every 第X条 line, the 5 articles quoted in the 2018 amendment too
