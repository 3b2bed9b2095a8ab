"""Wagtail admin of the law library: the article chooser, the 法律库 menu (laws, articles with
their everyday names, aliases, required-laws lists) and citation warnings after saving."""

from __future__ import annotations

from django.contrib import messages
from django.utils.html import format_html_join
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learning.laws.checks import broken_in_object
from learning.laws.chooser import article_chooser_viewset
from learning.laws.models import Article, Law, LawAlias, RequiredLawList
from learning.laws.selectors import law_names_changed
from learning.laws.services import article_everyday_names_set

MAX_LISTED = 10


@hooks.register("register_admin_viewset")
def register_article_chooser():
    return article_chooser_viewset


class LawViewSet(SnippetViewSet):
    model = Law
    icon = "doc-full-inverse"
    menu_label = "法律"
    list_display = ["title", "short_title", "category", "version_date", "status", "article_count"]
    list_filter = ["status", "category"]
    search_fields = ["title", "short_title"]
    panels = [FieldPanel("short_title"), FieldPanel("category")]
    inspect_view_enabled = True


class ArticleViewSet(SnippetViewSet):
    """Articles are imported; editors only add everyday names (俗称) for search."""

    model = Article
    icon = "doc-full"
    menu_label = "法条与俗称"
    list_display = [
        "__str__",
        Column("everyday_names", label="俗称与关键词"),
        Column("changed_from_previous", label="较上一版本有修改"),
    ]
    list_filter = ["law", "changed_from_previous"]
    panels = [FieldPanel("everyday_names")]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Article.objects.select_related("law").filter(law__status=Law.Status.CURRENT)


class LawAliasViewSet(SnippetViewSet):
    model = LawAlias
    icon = "tag"
    menu_label = "法律别名"
    list_display = ["name", "title"]
    panels = [FieldPanel("name"), FieldPanel("title")]


class RequiredLawListViewSet(SnippetViewSet):
    model = RequiredLawList
    icon = "list-ul"
    menu_label = "应知应会清单"
    list_display = ["title", "audience", "department", "year", "is_active"]
    list_filter = ["audience", "is_active"]
    panels = [
        FieldPanel("title"),
        FieldPanel("audience"),
        FieldPanel("department"),
        FieldPanel("year"),
        FieldPanel("description"),
        FieldPanel("is_active"),
        InlinePanel("items", label="法律与法条"),
    ]


class LawLibraryGroup(SnippetViewSetGroup):
    menu_label = "法律库"
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (LawViewSet, ArticleViewSet, LawAliasViewSet, RequiredLawListViewSet)


register_snippet(LawLibraryGroup)


def warn_broken_citations(request, obj) -> None:
    """Flag citations of articles that do not exist to the editor who just saved ``obj``."""
    broken = broken_in_object(obj)
    if not broken:
        return
    items = format_html_join(
        "", "<li>{}</li>", ((b.citation.message,) for b in broken[:MAX_LISTED])
    )
    more = f"（另有 {len(broken) - MAX_LISTED} 处）" if len(broken) > MAX_LISTED else ""
    messages.warning(
        request,
        format_html_join(
            "", "{}{}<ul>{}</ul>", [("内容中有引用了不存在法条的地方，请核对：", more, items)]
        ),
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def check_page_citations(request, page):
    warn_broken_citations(request, page.specific)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def after_snippet_saved(request, instance):
    if isinstance(instance, Article):
        article_everyday_names_set(article=instance, names=instance.everyday_names)
    elif isinstance(instance, LawAlias):
        law_names_changed()


@hooks.register("after_delete_snippet")
def after_snippet_deleted(request, instances):
    if any(isinstance(i, LawAlias) for i in instances):
        law_names_changed()
