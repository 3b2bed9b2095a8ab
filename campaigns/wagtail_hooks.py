"""Wagtail admin of the campaigns app: quizzes and review criteria as snippets, menu links."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campaigns.duty.models import ReviewCriterion
from campaigns.quiz.models import CampaignQuiz


class CampaignQuizViewSet(SnippetViewSet):
    model = CampaignQuiz
    icon = "tasks"
    menu_label = "答题活动"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "exam", "daily_limit"]


class ReviewCriterionViewSet(SnippetViewSet):
    model = ReviewCriterion
    icon = "list-ol"
    menu_label = "评议指标"
    list_display = ["name", "max_score", "sort_order"]


register_snippet(CampaignQuizViewSet)
register_snippet(ReviewCriterionViewSet)


@hooks.register("register_admin_menu_item")
def duty_menu_item():
    return MenuItem(
        "谁执法谁普法", reverse("campaigns_duty"), icon_name="clipboard-list", order=320
    )


@hooks.register("register_admin_menu_item")
def reach_menu_item():
    return MenuItem("宣传覆盖面", reverse("campaigns_reach"), icon_name="view", order=330)
