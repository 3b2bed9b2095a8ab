"""Template tags of the law library: ``{% load law_tags %}{{ value|cite_links }}``."""

from django import template

from learning.laws.citations import linkify
from learning.laws.search import highlight

register = template.Library()


@register.filter(is_safe=True)
def cite_links(value):
    """Article citations in ``value`` as links (HTML kept; plain text escaped)."""
    return linkify(value)


@register.filter
def highlight_terms(value, terms):
    """Escape ``value`` and mark ``terms`` (a list) with <mark>."""
    return highlight(str(value or ""), list(terms or []))
