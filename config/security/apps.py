from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "config.security"
    label = "mingbai_security"
    verbose_name = "安全"
