"""Mainland ID card numbers (居民身份证号码, GB 11643-1999) and mobile numbers.

Pure Python, no Django: validation, normalisation, masking for display, and a keyed
digest so a stored ID number can be looked up without being readable in a database dump.
Error messages are Chinese because they are shown to the people who typed the numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

MSG_ID_LENGTH = "身份证号应为18位"
MSG_ID_FORMAT = "身份证号应为17位数字加1位数字或X"
MSG_ID_CHECK = "身份证号校验码错误"
MSG_ID_BIRTH = "身份证号出生日期无效"
MSG_MOBILE = "手机号应为11位中国大陆手机号码"

# ISO 7064 MOD 11-2: weight of position i (0-based, left to right) is 2**(17-i) mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"

# Full-width digits and X (as typed with a Chinese input method) -> ASCII.
_FULLWIDTH = {0xFF10 + i: str(i) for i in range(10)} | {0xFF38: "X", 0xFF58: "X", 0xFF0B: "+"}
# Characters str.strip() does not treat as whitespace but that spreadsheets leave behind.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_WS_RE = re.compile(r"[\s" + _INVISIBLE + "]+")
_ID_RE = re.compile(r"\d{17}[\dX]")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")


class IdNumberError(ValueError):
    """An ID card number that is malformed or fails the GB 11643 checks."""


class MobileError(ValueError):
    """A mobile number that is not an 11-digit mainland number."""


def normalize_id_number(s: str) -> str:
    """Strip whitespace, map full-width digits/X to ASCII and x to X; no validation."""
    return _WS_RE.sub("", str(s).translate(_FULLWIDTH)).upper()


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character ('0'-'9' or 'X') for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError(MSG_ID_FORMAT)
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def validate_id_number(s: str, *, today: date | None = None) -> str:
    """Return the normalised 18-character ID number or raise IdNumberError.

    Checks length, digits (last may be X), birth date (a real date, year >= 1900, not
    after ``today``) and the ISO 7064 MOD 11-2 check digit.
    """
    n = normalize_id_number(s)
    if len(n) != 18:
        raise IdNumberError(MSG_ID_LENGTH)
    if not n.isascii() or not _ID_RE.fullmatch(n):
        raise IdNumberError(MSG_ID_FORMAT)
    try:
        birth = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise IdNumberError(MSG_ID_BIRTH) from None
    if birth.year < 1900 or birth > (today or date.today()):
        raise IdNumberError(MSG_ID_BIRTH)
    if id_check_digit(n[:17]) != n[17]:
        raise IdNumberError(MSG_ID_CHECK)
    return n


def gender_from_id(s: str) -> str:
    """'M' or 'F' from a valid ID number: the 17th digit is odd for men."""
    return "M" if int(validate_id_number(s)[16]) % 2 else "F"


def mask_id_number(s: str) -> str:
    """Mask for display, first 4 and last 4 shown: ``5111**********123X``.

    Never raises: malformed input is masked too (wholly, if 8 characters or shorter).
    """
    n = normalize_id_number(s)
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def id_last4(s: str) -> str:
    """The last four characters of the normalised ID number (e.g. for a login hint)."""
    return normalize_id_number(s)[-4:]


def id_number_digest(id_number: str, key: bytes) -> str:
    """HMAC-SHA256 hex digest of the normalised ID number, for lookups and uniqueness.

    The key is a server secret of at least 16 bytes; without it the digest cannot be
    reversed by trying every possible ID number (a small space).
    """
    if not isinstance(key, bytes | bytearray):
        raise TypeError("key must be bytes")
    if len(key) < 16:
        raise ValueError("key must be at least 16 bytes")
    msg = normalize_id_number(id_number).encode("utf-8")
    return hmac.new(bytes(key), msg, hashlib.sha256).hexdigest()


def make_test_id_number(region: str = "511102", birth: date | None = None, seq: int = 1) -> str:
    """A valid (fictitious) ID number for demo data and tests; odd ``seq`` is male."""
    birth = birth or date(1980, 1, 1)
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be 6 digits")
    if not 0 <= seq <= 999:
        raise ValueError("seq must be between 0 and 999")
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def _normalize_mobile(s: str) -> str:
    n = _WS_RE.sub("", str(s).translate(_FULLWIDTH)).replace("-", "")
    for prefix in ("+86", "0086"):
        if n.startswith(prefix):
            return n[len(prefix) :]
    if len(n) == 13 and n.startswith("86"):
        return n[2:]
    return n


def validate_mobile(s: str) -> str:
    """Return the bare 11-digit mainland mobile number or raise MobileError.

    Accepts spaces, hyphens, full-width digits and a +86 / 0086 / 86 prefix.
    """
    n = _normalize_mobile(s)
    if not n.isascii() or not _MOBILE_RE.fullmatch(n):
        raise MobileError(MSG_MOBILE)
    return n


def mask_mobile(s: str) -> str:
    """Mask for display: ``138****0001``. Never raises (odd input is mostly starred)."""
    n = _normalize_mobile(s)
    if len(n) == 11:
        return n[:3] + "****" + n[-4:]
    if len(n) <= 4:
        return "*" * len(n)
    return "*" * (len(n) - 4) + n[-4:]
