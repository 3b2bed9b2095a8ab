"""Production: refuses to start without SECRET_KEY and ALLOWED_HOSTS from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
try:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        f"生产环境必须设置环境变量 SECRET_KEY 和 ALLOWED_HOSTS：{exc}"
    ) from exc
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置环境变量 ALLOWED_HOSTS（逗号分隔的主机名）")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("SECRET_KEY 太短或是开发用的默认值：请生成至少 50 个字符的随机值")

# Two-factor for every staff account cannot be switched off in production.
MINGBAI_REQUIRE_2FA = True
AXES_ENABLED = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"

# Explained, not ignored:
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's page preview (phone-size preview for editors) renders the page in a
    # same-origin iframe, so X-Frame-Options must be SAMEORIGIN rather than DENY.
    "security.W019",
    # The platform runs on government intranet host names that must not go on the public
    # browser HSTS preload list; HSTS itself is on (SECURE_HSTS_SECONDS).
    "security.W021",
]
