"""Checking citations in content (引用核查): every page's rich text and StreamField text, and
text fields other apps register.

Other apps register model text fields with the Wagtail hook ``register_citation_fields``::

    @hooks.register("register_citation_fields")
    def citation_fields():
        return [(Question, ["stem", "explanation"])]

``check_citations`` and the editor warnings after saving use ``broken_in_object``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from wagtail import hooks
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText

from learning.laws.citations import BrokenCitation, find_broken

__all__ = [
    "BrokenInContent",
    "broken_in_object",
    "iter_all_broken",
    "object_texts",
    "registered_fields",
]


@dataclass(frozen=True)
class BrokenInContent:
    obj: models.Model
    field: str
    citation: BrokenCitation

    def describe(self) -> str:
        kind = "页面" if isinstance(self.obj, Page) else self.obj._meta.verbose_name
        where = f"{kind}“{self.obj}”（#{self.obj.pk}）的{self.field}"
        return f"{where}：{self.citation.message}"


def _value_texts(value) -> Iterator[str]:
    """Text inside a StreamField value, recursively."""
    if value is None:
        return
    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, str):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _value_texts(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from _value_texts(child)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            yield from _value_texts(child)
    elif isinstance(value, dict):
        for child in value.values():
            yield from _value_texts(child)


def _field_texts(obj: models.Model, field: models.Field) -> Iterator[str]:
    value = getattr(obj, field.attname, None)
    if isinstance(field, StreamField):
        yield from _value_texts(value)
    elif isinstance(value, str):
        yield value


def object_texts(obj: models.Model, fields: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """(field label, text) of ``obj``: the named fields, or for a page every rich text,
    StreamField and text field the page type adds."""
    if fields is None:
        own = [
            f
            for f in obj._meta.get_fields()
            if getattr(f, "concrete", False)
            and isinstance(f, RichTextField | StreamField | models.TextField)
            and f.model is not Page
        ]
    else:
        own = [obj._meta.get_field(name) for name in fields]
    for field in own:
        label = str(getattr(field, "verbose_name", field.name))
        for text in _field_texts(obj, field):
            if text and "第" in text:
                yield label, text


def broken_in_object(obj: models.Model, fields: list[str] | None = None) -> list[BrokenInContent]:
    found = []
    for label, text in object_texts(obj, fields):
        found += [BrokenInContent(obj, label, b) for b in find_broken(text)]
    return found


def registered_fields() -> list[tuple[type[models.Model], list[str]]]:
    out = []
    for fn in hooks.get_hooks("register_citation_fields"):
        out.extend(fn())
    return out


def iter_all_broken() -> Iterator[BrokenInContent]:
    """Broken citations in every page (its current content) and every registered field."""
    for page in Page.objects.all().order_by("path").specific().iterator(chunk_size=200):
        yield from broken_in_object(page)
    for model, fields in registered_fields():
        for obj in model._default_manager.all().order_by("pk").iterator(chunk_size=500):
            yield from broken_in_object(obj, fields)
