from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "学法：法律库与课程"
