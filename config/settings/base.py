"""Settings shared by every environment, read from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Local state (SQLite database, embedded broker, beat schedule, backups): var/ by default.
VAR_DIR = Path(env("MINGBAI_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-insecure-secret-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Mingbai apps, in layer order: home → campaigns → exams → learning → people → core.
    "home",
    "campaigns",
    "exams",
    "learning",
    "people",
    # The bottom layer: database backends, security (lock-out, two-factor, CSP), audit log.
    "core",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # django-ninja's own copy of Swagger UI for /api/v1/docs/ (without it, a CDN is used).
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.MingbaiUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.middleware.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.security.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default, configured for a web process and Celery workers writing at once:
# WAL journal, IMMEDIATE transactions (no lock upgrade deadlocks) and a busy timeout.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mingbai.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    # Django's backend plus a fair write queue, so no writer starves into "database is locked".
    DATABASES["default"]["ENGINE"] = "core.db.sqlite"
    # Tests get an in-memory database per process, as with Django's own SQLite engine
    # (pytest-django only recognises that engine by name; without this, `pytest -n 2` fails).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that asks the socket instead of the server.
    DATABASES["default"]["ENGINE"] = "core.db.postgresql"
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Parameters bound by the server and statements prepared the fifth time a connection runs
    # them (an exam save, start and submit repeat the same few all day). Set
    # PG_PREPARED_STATEMENTS=false behind a pooler that cannot keep prepared statements.
    if env.bool("PG_PREPARED_STATEMENTS", default=True):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 5)
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("phone", "display_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Log-in protection, two-factor, sessions (issue 8; README "Security") ----------------------
# django-axes counts failed log-ins per account and per account + address, never per address
# alone: a whole village office shares one NAT address.
AUTHENTICATION_BACKENDS = [
    "core.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username"], ["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # our phone log-in form and Wagtail's admin log-in
AXES_USERNAME_CALLABLE = "core.security.policy.axes_username"
AXES_LOCKOUT_CALLABLE = "core.security.policy.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "code", "token"]
# The client address is REMOTE_ADDR; behind N trusted proxies (nginx) set AXES_PROXY_COUNT=N so
# the address comes from X-Forwarded-For (a client cannot forge it then).
_AXES_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = _AXES_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if _AXES_PROXY_COUNT else ["REMOTE_ADDR"]
)
# Staff (anyone who can reach the Wagtail admin) must verify a TOTP code or a recovery code once
# per session (core.security.middleware.StaffSessionMiddleware); learners are never asked.
MINGBAI_REQUIRE_2FA = env.bool("MINGBAI_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="明白 Mingbai")
OTP_TOTP_THROTTLE_FACTOR = 1
# Staff sessions end after 30 minutes without a request; learners stay logged in for 14 days.
MINGBAI_STAFF_IDLE_TIMEOUT = env.int("MINGBAI_STAFF_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Accounts created in the admin get a one-time activation code instead of a password.
WAGTAILUSERS_PASSWORD_ENABLED = False
ACTIVATION_CODE_TTL_HOURS = env.int("ACTIVATION_CODE_TTL_HOURS", default=72)

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail -------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="明白 · 法律明白人培养平台")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "mp3", "mp4", "m4a"]
WAGTAILDOCS_EXTENSIONS += ["wav", "webm"]  # lesson audio / video (learning.study.blocks)
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_COMMENTS_ENABLED = True
# Wagtail's own background tasks (search index, references) run through django-tasks;
# this backend hands them to Celery after the transaction commits.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="core.tasks_backend.CeleryBackend")}}

# --- Celery ---------------------------------------------------------------------------------------
# With no broker configured, an embedded broker (SQLAlchemy on a SQLite file) lets a real worker
# and beat run with nothing to install. CELERY_BROKER_URL=redis://... scales out.
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    default=(
        CELERY_BROKER_URL
        if CELERY_BROKER_URL.startswith("redis")
        else f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
    ),
)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
# Longer than the longest task, so an unacknowledged task is not redelivered while it runs.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600)}
    if CELERY_BROKER_URL.startswith("redis")
    else {}
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "home.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # Study credit roll-up (learning.study.tasks), nightly at 01:30 local time.
    "study-rollup-nightly": {
        "task": "learning.study.tasks.study_rollup_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    # Exams: safety net that submits attempts left open past deadline + grace (exams.tasks).
    "exams-expire-overdue-attempts": {
        "task": "exams.tasks.attempts_expire_overdue",
        "schedule": 60.0,
    },
}
# Study credit (learning.study.credit): a heartbeat credits the gap since the person's previous
# heartbeat only if it is at most this many seconds (the page beats every 30 s while visible).
STUDY_MAX_GAP_SECONDS = env.int("STUDY_MAX_GAP_SECONDS", default=60)

# --- Cache ----------------------------------------------------------------------------------------
CACHE_URL = env("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url("CACHE_URL")}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "mingbai",
        }
    }

# --- Content-Security-Policy (django-csp 4; core.security.middleware.SiteCSPMiddleware) -----
# Public site: scripts from our origin only, no inline scripts, no eval. Inline style attributes
# stay allowed (they cannot run code). /admin/ gets MINGBAI_ADMIN_CSP because Wagtail's admin
# ships inline <script> blocks; it is reached only by verified staff.
_CSP_COMMON = {
    "default-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**_CSP_COMMON, "script-src": ["'self'"]}}
MINGBAI_ADMIN_CSP = {**_CSP_COMMON, "script-src": ["'self'", "'unsafe-inline'"]}
# Documents are downloads (Content-Disposition: attachment) except PDF and plain text; Wagtail
# adds "Content-Security-Policy: default-src 'none'" to served documents.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# Documents must be what their extension says (first bytes sniffed; core.security.uploads).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.security.uploads.SniffedDocumentForm"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# --- Logging: personal data is never logged (see people.logging_filters) -------------------------
LOGGING_CONFIG = "core.logging_filters.configure"  # also masks records of every other handler
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "core.logging_filters.MaskPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (console in DEBUG, mail_admins) are replaced by ours.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "celery": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Platform defaults (editable in the admin where the plan says so) ---------------------------
MINGBAI_DISTRICT_NAME = env("MINGBAI_DISTRICT_NAME", default="梧桐桥区")
MINGBAI_CJK_FONT = env("MINGBAI_CJK_FONT", default="")
# Fernet keys for stored ID card numbers, comma-separated, first = current (see README "Personal data").
MINGBAI_ID_KEYS = env.list("MINGBAI_ID_KEYS", default=[])
