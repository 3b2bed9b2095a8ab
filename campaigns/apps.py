from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "普法宣传：一月一主题"

    def ready(self):
        from campaigns import signals  # noqa: F401
        from campaigns.quiz.services import quiz_daily_limit_check
        from exams.signals import attempt_starting

        attempt_starting.connect(
            quiz_daily_limit_check, dispatch_uid="campaigns.quiz_daily_limit", weak=False
        )
