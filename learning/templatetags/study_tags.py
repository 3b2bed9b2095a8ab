"""Template filters of lesson pages (课时模板标签)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.rich_text import RichText, expand_db_html

from learning.study.blocks import OPTION_LETTERS

register = template.Library()


def _linkify(html):
    """Link citations (《民法典》第一千零四十三条) to the law library."""
    from learning.laws.citations import linkify

    return linkify(html)


@register.filter
def lesson_richtext(value):
    """Rich text with its citations linked to the law library."""
    html = value.source if isinstance(value, RichText) else str(value or "")
    return _linkify(mark_safe(expand_db_html(html)))  # noqa: S308 (editor rich text)


@register.filter
def cite_text(value):
    """A plain-text citation ("民法典第一千零六十二条"), escaped, linked when it resolves."""
    return _linkify(conditional_escape(value))


@register.filter
def option_letter(index):
    try:
        return OPTION_LETTERS[int(index)]
    except (IndexError, TypeError, ValueError):
        return "?"


@register.simple_tag
def prefetch_lesson_body(page) -> str:
    """Batch the body's images, renditions and documents (only runs on a cache miss)."""
    from learning.study.prefetch import prefetch_lesson_body as prefetch

    prefetch(page)
    return ""


@register.filter
def distribution(group, required_points):
    """Counts of a report group's learners per points band."""
    return group.distribution(int(required_points))
