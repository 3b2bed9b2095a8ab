"""ID card and mobile number helpers (core.identity): pure functions, no database."""

from datetime import date

import pytest

from core.identity import (
    IdNumberError,
    MobileError,
    gender_from_id,
    id_check_digit,
    id_last4,
    id_number_digest,
    make_test_id_number,
    mask_id_number,
    mask_mobile,
    normalize_id_number,
    validate_id_number,
    validate_mobile,
)

# The example from GB 11643-1999 itself, and one whose check character is X.
GB_EXAMPLE = "11010519491231002X"
KEY = b"k" * 32


def test_check_digit_of_standard_example():
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"


@pytest.mark.parametrize("seq", range(0, 60))
def test_make_test_id_number_is_valid_and_covers_all_check_chars(seq):
    n = make_test_id_number(birth=date(1990, 5, 17), seq=seq)
    assert len(n) == 18
    assert n.startswith("51110219900517")
    assert validate_id_number(n) == n


def test_generated_numbers_reach_every_check_character():
    chars = {make_test_id_number(seq=s)[-1] for s in range(200)}
    assert chars == set("0123456789X")


@pytest.mark.parametrize(
    "bad", ["1101051949123100", "12345", "", "11010519491231002X1", "11010519491231002X 1"]
)
def test_wrong_length(bad):
    with pytest.raises(IdNumberError, match="身份证号应为18位"):
        validate_id_number(bad)


@pytest.mark.parametrize(
    "bad", ["11010519491231X02X", "A1010519491231002X", "1101051949123100-X", "1101051949123100XX"]
)
def test_wrong_characters(bad):
    with pytest.raises(IdNumberError, match="身份证号应为17位数字加1位数字或X"):
        validate_id_number(bad)


def test_wrong_check_digit():
    with pytest.raises(IdNumberError, match="身份证号校验码错误"):
        validate_id_number("110105194912310021")


def test_error_is_a_value_error():
    assert issubclass(IdNumberError, ValueError)
    assert issubclass(MobileError, ValueError)


@pytest.mark.parametrize(
    "first17",
    [
        "51110219800231001",  # 31 February
        "51110219801301001",  # month 13
        "51110218991231001",  # before 1900
        "51110221000101001",  # future
        "51110219800000001",
    ],
)
def test_bad_birth_dates(first17):
    with pytest.raises(IdNumberError, match="身份证号出生日期无效"):
        validate_id_number(first17 + id_check_digit(first17))


def test_birth_date_against_given_today():
    n = make_test_id_number(birth=date(2024, 6, 2))
    with pytest.raises(IdNumberError, match="出生日期"):
        validate_id_number(n, today=date(2024, 6, 1))
    assert validate_id_number(n, today=date(2024, 6, 2)) == n


def test_leap_day_birth():
    n = make_test_id_number(birth=date(2000, 2, 29))
    assert validate_id_number(n) == n


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "\ufeff11010519491231002X\u3000",
    ],
)
def test_normalisation(typed):
    assert validate_id_number(typed) == GB_EXAMPLE
    assert normalize_id_number(typed) == GB_EXAMPLE


def test_mask_id_number():
    assert mask_id_number("51110219800101123X") == "5111**********123X"
    assert mask_id_number("51110219800101123x") == "5111**********123X"
    assert mask_id_number("1234567") == "*******"
    assert mask_id_number("") == ""


def test_id_last4():
    assert id_last4("51110219800101123x") == "123X"


def test_gender_from_id():
    assert gender_from_id(make_test_id_number(seq=1)) == "M"
    assert gender_from_id(make_test_id_number(seq=2)) == "F"
    assert gender_from_id(GB_EXAMPLE) == "F"  # 17th digit 2
    with pytest.raises(IdNumberError):
        gender_from_id("123")


def test_make_test_id_number_arguments():
    assert make_test_id_number("110105", date(1949, 12, 31), 2) == GB_EXAMPLE
    with pytest.raises(ValueError):
        make_test_id_number("5111", date(1980, 1, 1), 1)
    with pytest.raises(ValueError):
        make_test_id_number(seq=1000)


def test_digest_is_keyed_and_normalised():
    d = id_number_digest(GB_EXAMPLE, KEY)
    assert len(d) == 64 and int(d, 16) >= 0
    assert id_number_digest("11010519491231002x", KEY) == d
    assert id_number_digest(" 110105 19491231002X", KEY) == d
    assert id_number_digest(GB_EXAMPLE, b"j" * 32) != d
    assert GB_EXAMPLE not in d


def test_digest_rejects_weak_or_wrong_keys():
    with pytest.raises(ValueError):
        id_number_digest(GB_EXAMPLE, b"short")
    with pytest.raises(TypeError):
        id_number_digest(GB_EXAMPLE, "a string key of some length")


@pytest.mark.parametrize(
    "typed",
    [
        "13800000001",
        "138 0000 0001",
        "138-0000-0001",
        "+8613800000001",
        "+86 138 0000 0001",
        "+86-138-0000-0001",
        "008613800000001",
        "8613800000001",
        "１３８００００００01",
        "＋8613800000001",
    ],
)
def test_mobile_forms(typed):
    assert validate_mobile(typed) == "13800000001"


@pytest.mark.parametrize(
    "bad",
    ["", "1380000000", "138000000012", "12800000001", "23800000001", "0838-1234567", "1380000000a"],
)
def test_bad_mobiles(bad):
    with pytest.raises(MobileError, match="手机号应为11位中国大陆手机号码"):
        validate_mobile(bad)


def test_mobile_prefixes_from_13_to_19():
    for p in "3456789":
        assert validate_mobile(f"1{p}912345678") == f"1{p}912345678"


def test_mask_mobile():
    assert mask_mobile("13800000001") == "138****0001"
    assert mask_mobile("+86 138-0000-0001") == "138****0001"
    assert mask_mobile("12345") == "*2345"
    assert mask_mobile("") == ""
