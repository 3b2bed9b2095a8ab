from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "普法宣传：一月一主题"

    def ready(self):
        from exams.signals import attempt_starting

        from . import signals  # noqa: F401
        from .quiz_services import quiz_daily_limit_check

        attempt_starting.connect(
            quiz_daily_limit_check, dispatch_uid="campaigns.quiz_daily_limit", weak=False
        )
