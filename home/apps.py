from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "门户首页"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from home.models import NavigationLink, PlatformSettings
        from home.selectors import navigation_invalidate

        for model in (PlatformSettings, NavigationLink):
            post_save.connect(lambda **kw: navigation_invalidate(), sender=model, weak=False)
            post_delete.connect(lambda **kw: navigation_invalidate(), sender=model, weak=False)
