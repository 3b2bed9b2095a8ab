"""StreamField blocks of the law library: ``ArticleQuoteBlock`` quotes an article chosen with
the admin chooser; it renders the current text with its citation link."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail import blocks

from learning.laws.lawtext.numerals import int_to_cn

__all__ = ["ArticleChooserBlock", "ArticleQuoteBlock"]

# This module is imported while models load (other apps' blocks use it), so it must not import
# learning.study.models, the chooser or the selectors at import time.


class ArticleChooserBlock(blocks.ChooserBlock):
    """An article picked with the admin chooser (learning.laws.chooser)."""

    target_model = "learning.Article"

    @cached_property
    def widget(self):
        from learning.laws.chooser import article_chooser_viewset

        return article_chooser_viewset.widget_class()

    class Meta:
        icon = "doc-full"


class ArticleQuoteBlock(blocks.StructBlock):
    """A quoted article (法条引用块)."""

    article = ArticleChooserBlock(label="法条")
    paragraph = blocks.IntegerBlock(
        label="只引用第几款", required=False, min_value=1, help_text="留空引用全条"
    )
    note = blocks.CharBlock(label="说明", required=False, max_length=200)

    class Meta:
        label = "法条引用"
        icon = "doc-full"
        template = "learning/law/blocks/article_quote.html"

    def get_context(self, value, parent_context=None):
        from learning.laws.selectors import article_by_slug

        context = super().get_context(value, parent_context=parent_context)
        chosen = value.get("article")
        current = chosen
        if chosen is not None and chosen.law.status != chosen.law.Status.CURRENT:
            # a newer version of the law was imported: quote the current text of this article
            current = article_by_slug(chosen.law.slug, chosen.number, chosen.suffix)
        paragraphs = list(current.paragraphs) if current else []
        number = value.get("paragraph")
        if number and 1 <= number <= len(paragraphs):
            paragraphs = [paragraphs[number - 1]]
        context.update(
            {
                "quoted": current,
                "paragraphs": paragraphs,
                "paragraph_label": f"第{int_to_cn(number)}款"
                if number and current and len(paragraphs) == 1
                else "",
                "paragraph_number": number,
                "removed": chosen is not None and current is None,
            }
        )
        return context
