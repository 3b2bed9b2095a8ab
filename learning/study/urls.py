"""URLs of the study part of the learning app (lesson pages themselves are Wagtail pages)."""

from django.urls import path

from learning.study import views as study_views

urlpatterns: list = [
    path("my/learning/", study_views.my_learning, name="my_learning"),
]
