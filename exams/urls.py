"""Public URLs of this app (mounted at the site root by config/urls.py, before Wagtail's pages)."""

from django.urls import path, re_path

from exams import views

urlpatterns = [
    path("my/exams/", views.my_exams, name="my_exams"),
    path("my/exams/<int:exam_id>/start/", views.exam_start, name="exam_start"),
    path("my/attempts/<int:attempt_id>/", views.attempt_page, name="exam_attempt"),
    path("my/attempts/<int:attempt_id>/submit/", views.attempt_submit, name="exam_attempt_submit"),
    path("my/attempts/<int:attempt_id>/result/", views.attempt_result, name="exam_attempt_result"),
    path("my/certificates/", views.my_certificates, name="my_certificates"),
    re_path(
        r"^my/certificates/(?P<code>[A-Z0-9]{6,20})\.(?P<fmt>png|pdf)$",
        views.certificate_file,
        name="certificate_file",
    ),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
