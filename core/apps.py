from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer every app may use: database backends, caches, logging filters,
    security middleware and policy, the tasks backend, audit log, personal-data primitives."""

    name = "core"
    verbose_name = "平台基础"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.security.staff import remember_staff

        def _remember(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                remember_staff(request, user)

        user_logged_in.connect(_remember, weak=False, dispatch_uid="mingbai_remember_staff")
