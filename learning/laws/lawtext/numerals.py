"""Chinese numerals for article labels (条文序号): 第一千零四十三条 <-> 1043.

Statutes write positional numerals with 零 for a gap (一百零一, 一千零一十) and a bare 十
only at the very start (十, 十五, but 一百一十). Parsing is strict: the input must be the
canonical spelling, except that 两 (for 二), 〇/○ (for 零), a leading 一十 and Arabic or
full-width digits are accepted.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "ArticleNumber",
    "NumeralError",
    "article_label",
    "cn_to_int",
    "int_to_cn",
    "ordinal_label",
    "parse_article_label",
    "parse_ordinal",
]

DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {ch: i for i, ch in enumerate(DIGITS)} | {"两": 2, "〇": 0, "○": 0}
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_MAX = 10**8

_LABEL_RE = re.compile(
    r"^第?\s*(?P<num>[0-9"
    + NUMERAL_CHARS
    + r"]+)\s*条?\s*(?:之\s*(?P<suf>[0-9"
    + NUMERAL_CHARS
    + r"]+))?$"
)
_ORDINAL_RE = re.compile(
    r"^第\s*(?P<num>[0-9" + NUMERAL_CHARS + r"]+)\s*(?P<unit>分编|编|章|节|条|款|项)$"
)


class NumeralError(ValueError):
    """Input is not a numeral or label we can read (无法识别的数字或序号)."""


class ArticleNumber(NamedTuple):
    """An article's number and its 之N suffix: 第二十条之一 is (20, 1); plain articles have 0."""

    number: int
    suffix: int = 0


def _four(n: int) -> str:
    """1..9999 in full form (一十 kept; the caller drops a leading 一)."""
    out, gap = "", False
    digits = (n // 1000, n // 100 % 10, n // 10 % 10, n % 10)
    for unit, d in zip(("千", "百", "十", ""), digits, strict=True):
        if d == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += DIGITS[d] + unit
    return out


def int_to_cn(n: int) -> str:
    """0 <= n < 10**8 as a Chinese numeral: 10 -> 十, 110 -> 一百一十, 1010 -> 一千零一十."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < _MAX:
        raise NumeralError(f"数字超出范围（0 至 99999999）：{n!r}")
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = ""
    if high:
        text = _four(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _four(low)
    else:
        text = _four(low)
    return text[1:] if text.startswith("一十") else text


def _loose_value(text: str) -> int:
    """Value of a Chinese numeral without checking its spelling; the caller checks it."""
    total = section = digit = 0
    for ch in text:
        if ch in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[ch]
        elif ch in _UNIT_VALUE:
            section += (digit or (1 if ch == "十" else 0)) * _UNIT_VALUE[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            raise NumeralError(f"无法识别的数字：{text!r}")
    return total + section + digit


def cn_to_int(text: str) -> int:
    """'一千零四十三' / '1043' / '１０４３' -> 1043; NumeralError if it is not a numeral."""
    if not isinstance(text, str):
        raise NumeralError(f"无法识别的数字：{text!r}")
    s = text.strip().translate(_FULLWIDTH)
    if s.isascii() and s.isdigit():
        value = int(s)
        if value >= _MAX:
            raise NumeralError(f"数字超出范围（0 至 99999999）：{text!r}")
        return value
    if not s:
        raise NumeralError("数字为空")
    value = _loose_value(s)
    canonical = s.replace("两", "二").replace("〇", "零").replace("○", "零")
    if canonical.startswith("一十"):
        canonical = canonical[1:]
    if value >= _MAX or int_to_cn(value) != canonical:
        raise NumeralError(f"无法识别的数字：{text!r}（规范写法如“一百零一”“一千零一十”）")
    return value


def parse_article_label(text: str) -> ArticleNumber:
    """'第一千零四十三条' / '第1043条' / '一千零四十三' / '第二十条之一' -> ArticleNumber."""
    if not isinstance(text, str):
        raise NumeralError(f"无法识别的条文序号：{text!r}")
    m = _LABEL_RE.match(text.strip().translate(_FULLWIDTH))
    if not m:
        raise NumeralError(
            f"无法识别的条文序号：{text!r}（应如“第一千零四十三条”或“第二十条之一”）"
        )
    number = cn_to_int(m["num"])
    suffix = cn_to_int(m["suf"]) if m["suf"] else 0
    if number < 1 or (m["suf"] and suffix < 1):
        raise NumeralError(f"条文序号必须从一开始：{text!r}")
    return ArticleNumber(number, suffix)


def article_label(number: int, suffix: int = 0) -> str:
    """(1043, 0) -> '第一千零四十三条'; (20, 1) -> '第二十条之一'."""
    if isinstance(number, int) and number < 1:
        raise NumeralError(f"条文序号必须从一开始：{number!r}")
    label = f"第{int_to_cn(number)}条"
    return label + f"之{int_to_cn(suffix)}" if suffix else label


def parse_ordinal(text: str) -> tuple[int, str]:
    """'第三编' -> (3, '编'); units 分编/编/章/节/条/款/项."""
    m = _ORDINAL_RE.match(text.strip().translate(_FULLWIDTH)) if isinstance(text, str) else None
    if not m:
        raise NumeralError(f"无法识别的序号：{text!r}（应如“第三编”“第二章”）")
    value = cn_to_int(m["num"])
    if value < 1:
        raise NumeralError(f"序号必须从一开始：{text!r}")
    return value, m["unit"]


def ordinal_label(number: int, unit: str) -> str:
    """(3, '编') -> '第三编'."""
    return f"第{int_to_cn(number)}{unit}"
