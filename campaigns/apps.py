from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "普法宣传：一月一主题"

    def ready(self):
        from . import signals  # noqa: F401
