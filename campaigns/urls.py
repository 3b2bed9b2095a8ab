"""Public URLs of this app (mounted at the site root by config/urls.py, before Wagtail's pages)."""

from django.urls import path, re_path

from campaigns import views
from campaigns.duty import views as duty_views
from campaigns.feeds import CampaignAtomFeed, CampaignFeed
from campaigns.quiz import views as quiz_views

urlpatterns = [
    path("campaigns/feed/", CampaignFeed(), name="campaigns_feed"),
    path("campaigns/feed/atom/", CampaignAtomFeed(), name="campaigns_feed_atom"),
    path("campaigns/events.ics", views.events_ics, name="campaigns_events_ics"),
    path("campaigns/reach/", views.reach_year, name="campaigns_reach"),
    path("campaigns/reach/<int:year>/", views.reach_year, name="campaigns_reach_year"),
    path("campaigns/duty/", duty_views.duty_index, name="campaigns_duty"),
    path("campaigns/duty/<int:year>/", duty_views.duty_index, name="campaigns_duty_year"),
    path(
        "campaigns/duty/<int:year>/summary.xlsx",
        duty_views.duty_summary_export,
        name="campaigns_duty_export",
    ),
    path(
        "campaigns/duty/<int:year>/<int:department_id>/",
        duty_views.duty_detail,
        name="campaigns_duty_detail",
    ),
    path(
        "campaigns/duty/<int:year>/<int:department_id>/list/",
        duty_views.duty_list_edit,
        name="campaigns_duty_list_edit",
    ),
    path(
        "campaigns/duty/<int:year>/<int:department_id>/report/",
        duty_views.duty_report_edit,
        name="campaigns_duty_report_edit",
    ),
    path(
        "campaigns/duty/<int:year>/<int:department_id>/review/",
        duty_views.duty_review,
        name="campaigns_duty_review",
    ),
    path("campaigns/quiz/<int:pk>/", quiz_views.quiz_detail, name="campaigns_quiz"),
    path("campaigns/quiz/<int:pk>/start/", quiz_views.quiz_start, name="campaigns_quiz_start"),
    # Campaign pages (Wagtail), routed in one query; keep this pattern last.
    re_path(r"^campaigns/(?P<rest>(?:[\w-]+/){1,3})$", views.page_serve),
]
