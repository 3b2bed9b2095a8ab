"""Shared fixtures of the law-library tests (imported by tests/learning/test_law_*.py)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from learning.laws.selectors import law_names_changed
from learning.laws.services import default_law_texts_path

GLOSSARY = Path(__file__).resolve().parents[3] / "learning" / "data" / "glossary.csv"


def law_texts() -> Path:
    path = default_law_texts_path()
    assert path.is_dir(), f"law texts not found at {path} (set MINGBAI_LAW_TEXTS)"
    return path


@pytest.fixture(scope="module")
def law_library(django_db_setup, django_db_blocker):
    """All of the shipped law texts and the glossary, imported once per test module."""
    from learning.laws.models import Law, LawAlias
    from learning.laws.services import glossary_load, law_aliases_load

    with django_db_blocker.unblock():
        call_command("import_laws", str(law_texts()), verbosity=0, stdout=open("/dev/null", "w"))
        glossary_load(GLOSSARY)
        law_aliases_load(GLOSSARY.parent / "law_aliases.csv")
    yield
    with django_db_blocker.unblock():
        from learning.laws.models import RequiredLawList

        RequiredLawList.objects.all().delete()
        Law.objects.all().delete()
        LawAlias.objects.all().delete()
        law_names_changed()


LAW_V1 = """# 中华人民共和国测试法

2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 本法适用于测试。

## 第二章 附则

第三条 本法自2020年1月1日起施行。
"""

LAW_V2 = """# 中华人民共和国测试法

2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过
2024年6月1日 第十四届全国人民代表大会常务委员会第二次会议修正

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 本法适用于测试和检验。

第二条之一 新增的一条。

## 第二章 附则

第三条 本法自2020年1月1日起施行。
"""
