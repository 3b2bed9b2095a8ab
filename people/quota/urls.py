"""Public URLs of this app (mounted at the site root by config/urls.py, before Wagtail's pages)."""

from django.urls import path

from people.quota import views as quota_views

urlpatterns = [
    path("quota/", quota_views.quota_dashboard, name="quota_dashboard"),
    path("quota/export.csv", quota_views.quota_export, {"fmt": "csv"}, name="quota_export_csv"),
    path("quota/export.xlsx", quota_views.quota_export, {"fmt": "xlsx"}, name="quota_export_xlsx"),
    path("quota/unit/<str:code>/", quota_views.quota_dashboard, name="quota_dashboard_unit"),
]
