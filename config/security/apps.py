from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "config.security"
    label = "mingbai_security"
    verbose_name = "安全"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from people.staff import remember_staff

        def _remember(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                remember_staff(request, user)

        user_logged_in.connect(_remember, weak=False, dispatch_uid="mingbai_remember_staff")
