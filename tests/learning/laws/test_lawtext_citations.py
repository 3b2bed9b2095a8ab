"""Finding article citations in text (learning.laws.lawtext.citations)."""

import pytest

from learning.laws.lawtext.citations import Citation, find_citations, parse_citation_query

NAMES = ["民法典", "中华人民共和国民法典", "宪法", "村民委员会组织法"]


def cites(text, names=NAMES):
    return [
        (c.law_name, c.article_number, c.suffix, c.paragraph, c.text)
        for c in find_citations(text, law_names=names)
    ]


def test_full_title_in_book_marks():
    (c,) = find_citations("依照《中华人民共和国民法典》第一千零四十三条规定，家庭应当…")
    assert c == Citation(
        2, 22, "中华人民共和国民法典", 1043, 0, None, "《中华人民共和国民法典》第一千零四十三条"
    )
    assert "依照《中华人民共和国民法典》第一千零四十三条规定"[c.start : c.end] == c.text


def test_short_title_arabic_number():
    assert cites("《民法典》第1043条", names=None) == [
        ("民法典", 1043, 0, None, "《民法典》第1043条")
    ]


def test_bare_name_with_paragraph():
    assert cites("根据民法典第一千零四十三条第二款，夫妻应当互相忠实") == [
        ("民法典", 1043, 0, 2, "民法典第一千零四十三条第二款")
    ]


def test_bare_names_need_the_list():
    assert cites("宪法第二十七条", names=None) == []
    assert cites("宪法第二十七条") == [("宪法", 27, 0, None, "宪法第二十七条")]


def test_any_book_title():
    assert cites("《村民委员会组织法》第二十四条", names=None) == [
        ("村民委员会组织法", 24, 0, None, "《村民委员会组织法》第二十四条")
    ]
    assert cites("《中华人民共和国刑法》第一百二十条之六", names=None) == [
        ("中华人民共和国刑法", 120, 6, None, "《中华人民共和国刑法》第一百二十条之六")
    ]


def test_longest_name_first():
    assert cites("中华人民共和国民法典第十条") == [
        ("中华人民共和国民法典", 10, 0, None, "中华人民共和国民法典第十条")
    ]


def test_no_double_match():
    assert cites("《民法典》第三条规定，民事主体的合法权益受法律保护。") == [
        ("民法典", 3, 0, None, "《民法典》第三条")
    ]
    assert cites("第三条规定的情形，依照本法第十条处理。") == []  # no law named


def test_suffix_and_list_inherit_the_law():
    assert cites("《刑法》第二十条之一、第二十一条和第二十二条之二", names=None) == [
        ("刑法", 20, 1, None, "《刑法》第二十条之一"),
        ("刑法", 21, 0, None, "第二十一条"),
        ("刑法", 22, 2, None, "第二十二条之二"),
    ]
    assert cites("宪法第十条、第十一条") == [
        ("宪法", 10, 0, None, "宪法第十条"),
        ("宪法", 11, 0, None, "第十一条"),
    ]


def test_list_of_paragraphs_inherits_the_article():
    found = find_citations("民法典第一千零四十三条第一款、第二款规定", law_names=NAMES)
    assert [(c.article_number, c.paragraph, c.text) for c in found] == [
        (1043, 1, "民法典第一千零四十三条第一款"),
        (1043, 2, "第二款"),
    ]
    assert found[1].start == 15 and found[1].end == 18


def test_list_stops_at_other_words():
    assert [c.article_number for c in find_citations("《民法典》第十条规定，第十一条另有规定")] == [
        10
    ]


def test_several_citations_in_one_text():
    text = "《民法典》第一千零四十三条与宪法第四十九条都规定了家庭；另见《反家庭暴力法》第二条。"
    assert [(c.law_name, c.article_number) for c in find_citations(text, law_names=NAMES)] == [
        ("民法典", 1043),
        ("宪法", 49),
        ("反家庭暴力法", 2),
    ]


def test_malformed_numerals_are_skipped():
    assert cites("《民法典》第十十条和宪法第一百条") == [("宪法", 100, 0, None, "宪法第一百条")]


def test_name_without_article_is_not_a_citation():
    assert cites("《民法典》是一部法典，宪法修正案第一条", names=["宪法"]) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("民法典1043", ("民法典", 1043, 0, None)),
        ("民法典第一千零四十三条", ("民法典", 1043, 0, None)),
        ("宪法第27条", ("宪法", 27, 0, None)),
        ("《民法典》第1043条第2款", ("民法典", 1043, 0, 2)),
        ("  民法典 1043 ", ("民法典", 1043, 0, None)),
        ("刑法第二十条之一", ("刑法", 20, 1, None)),
        ("宪法27条第二款", ("宪法", 27, 0, 2)),
        ("民法典１０４３", ("民法典", 1043, 0, None)),
    ],
)
def test_query(query, expected):
    c = parse_citation_query(query)
    assert (c.law_name, c.article_number, c.suffix, c.paragraph) == expected
    assert query[c.start : c.end] == c.text == query.strip()


@pytest.mark.parametrize(
    "query", ["", "民法典", "1043", "第1043条", "民法典第十十条", "家庭 暴力", "民法典第0条"]
)
def test_not_a_query(query):
    assert parse_citation_query(query) is None
