"""The admin chooser of articles (法条选择器): a Wagtail ChooserViewSet for Article.

Editors search with the law library's own Chinese search (a citation such as 民法典1043 picks
that article), so the chooser does not depend on Wagtail's search index.
"""

from __future__ import annotations

from django import forms
from django.db.models import Case, IntegerField, When
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from learning.laws.models import Article, Law
from learning.laws.search import search_articles


class ArticleFilterForm(BaseFilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "关键词或条文，如：居住权、民法典1043"}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        ids = [hit.article.pk for hit in search_articles(query, limit=50).hits]
        order = Case(
            *[When(pk=pk, then=i) for i, pk in enumerate(ids)], output_field=IntegerField()
        )
        return objects.filter(pk__in=ids).order_by(order)


class _ArticleChooseMixin:
    filter_form_class = ArticleFilterForm
    per_page = 20

    def get_object_list(self):
        return Article.objects.select_related("law").filter(law__status=Law.Status.CURRENT)

    def apply_object_list_ordering(self, objects):
        return objects.order_by("law__title", "sort_order")

    @property
    def columns(self):
        return [
            *super().columns,
            Column(
                "text",
                label="条文",
                accessor=lambda a: a.text[:60] + ("…" if len(a.text) > 60 else ""),
            ),
        ]


class ArticleChooseView(_ArticleChooseMixin, ChooseView):
    pass


class ArticleChooseResultsView(_ArticleChooseMixin, ChooseResultsView):
    pass


class ArticleChooserViewSet(ChooserViewSet):
    model = Article
    icon = "doc-full"
    choose_one_text = "选择法条"
    choose_another_text = "另选法条"
    edit_item_text = "编辑法条"
    page_title = "选择法条"
    choose_view_class = ArticleChooseView
    choose_results_view_class = ArticleChooseResultsView


article_chooser_viewset = ArticleChooserViewSet(
    "article_chooser", url_prefix="learning/article-chooser"
)
