"""Settings for the supervision platform, read from the environment (django-environ).

Embedded defaults (no ``DATABASE_URL``, no ``CELERY_BROKER_URL``): SQLite in ``var/`` and Celery
tasks executed in-process, so ``make demo`` runs on a fresh machine. With them set: PostgreSQL,
Redis and a real worker. A malformed value raises ``ImproperlyConfigured`` at start-up.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .envcheck import StrictEnv

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = StrictEnv()


def _secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (Docker/K8s secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _secret("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.bool("REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set")
    # Local/demo/test only: a per-checkout key kept outside git.
    VAR_DIR.mkdir(exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "common.vendor_apps.AxesConfig",  # django-axes, its admin in our languages
    "django_otp",
    "common.vendor_apps.TOTPConfig",  # django-otp's TOTP devices, likewise
    "csp",
    "common",
    "accounts",
    "institutions",
    "qualifications",
    "inspections",
    "credit",
    "reports",
    "loaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.audit.AuditContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "accounts.context_processors.language_switch",
                "accounts.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in every process: a new PostgreSQL connection costs about 13 ms (issue
# 13), so a gunicorn worker, a Celery worker (config/celery.py) and beat keep theirs for
# DB_CONN_MAX_AGE seconds (0: one per request, as Django's default), checked before each reuse
# (a connection the database dropped is replaced instead of failing the request or task).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.StaffPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Simplified Chinese by default, English available (gettext; compiled at install time).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# Registry uploads (loaders.registry.reader): a file beyond these bounds is refused with a
# problem naming the bound, before or while it is read, never parsed without bound.
REGISTRY_UPLOAD_MAX_BYTES = env.int("REGISTRY_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
REGISTRY_UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int(  # all members of a workbook (a zip) together
    "REGISTRY_UPLOAD_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
REGISTRY_UPLOAD_MAX_COMPRESSION_RATIO = env.int(  # of any workbook member over 1 MiB
    "REGISTRY_UPLOAD_MAX_COMPRESSION_RATIO", default=100)
REGISTRY_UPLOAD_MAX_MEMBERS = env.int("REGISTRY_UPLOAD_MAX_MEMBERS", default=1000)
REGISTRY_UPLOAD_MAX_ROWS = env.int("REGISTRY_UPLOAD_MAX_ROWS", default=100_000)  # data rows
REGISTRY_UPLOAD_MAX_CELL_CHARS = env.int("REGISTRY_UPLOAD_MAX_CELL_CHARS", default=2000)
# Any uploaded file is dropped while it arrives once past this size (common/uploads.py).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=REGISTRY_UPLOAD_MAX_BYTES)
FILE_UPLOAD_HANDLERS = [
    "common.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Cache: Redis when configured (rate limits need a shared cache), else local memory.
REDIS_URL = env.url_value("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)

# Celery: a broker URL means a real worker; none means tasks run in-process (embedded default).
CELERY_BROKER_URL = env.url_value("CELERY_BROKER_URL", schemes=("redis", "rediss", "amqp",
                                                              "memory"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that then dies whole (machine lost, parent and children killed) stays
# unacknowledged in Redis; it is handed out again once it is this many seconds old. It must be
# longer than any task runs (a draw takes about a second, a report under a minute), else a
# running task would be delivered twice; both are idempotent, so that costs time, not data.
# A lost pool child alone is requeued at once (CELERY_TASK_REJECT_ON_WORKER_LOST).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
}
# Celery's Django fixup closes every connection before and after each task unless this is set;
# config/celery.py closes only unusable or obsolete ones instead (CONN_MAX_AGE, health checks).
CELERY_DB_REUSE_MAX = 10**9
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ROUTES = {
    "inspections.tasks.*": {"queue": "draws"},
    "reports.tasks.*": {"queue": "reports"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    "credit-expire-certificates-daily": {
        "task": "qualifications.tasks.certificates_mark_expired",
        "schedule": 24 * 3600,
    },
    # The bulk open-data files of the day (reports.opendata): one set per day, regenerated if
    # run again the same day; on demand: manage.py opendata_generate.
    "reports-opendata-daily": {
        "task": "reports.tasks.opendata_generate_task",
        "schedule": 24 * 3600,
    },
}

# Per-IP limits of the public pages and APIs (django-ratelimit rates: N/s, N/m, N/h, N/d).
OPEN_API_RATE = env.rate("OPEN_API_RATE", default="120/m")  # /api/v1/ and the schema
INSPECTIONS_PUBLIC_API_RATE = env.rate("INSPECTIONS_PUBLIC_API_RATE", default="120/m")
INSPECTIONS_PUBLIC_FILES_RATE = env.rate("INSPECTIONS_PUBLIC_FILES_RATE", default="300/m")
INSPECTIONS_VERIFY_PAGE_RATE = env.rate("INSPECTIONS_VERIFY_PAGE_RATE", default="10/m")
QUALIFICATIONS_PUBLIC_PAGE_RATE = env.rate("QUALIFICATIONS_PUBLIC_PAGE_RATE", default="30/m")
QUALIFICATIONS_PUBLIC_API_RATE = env.rate("QUALIFICATIONS_PUBLIC_API_RATE", default="60/m")
OPENDATA_KEEP_DAYS = env.int("OPENDATA_KEEP_DAYS", default=30)  # daily bulk sets kept

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.exception_handlers.api_exception_handler",
    # DRF's own throttles (none of the public API uses them: common.ratelimits does) take the
    # client address from REMOTE_ADDR, never from a client-supplied X-Forwarded-For.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TIC supervision platform API",
    "DESCRIPTION": (
        "Public read-only API, anonymous and limited per IP (429 with Retry-After). "
        "/api/public/: certificate and report-number checks, the public record of the draws "
        "(records, frozen pools, the verifier, a plan's results, the signed ledger). "
        "/api/v1/: open data — institutions, certificates, published plans, draws, published "
        "results, public credit records (paginated, filtered), and daily bulk files (CSV, "
        "JSON) with their SHA-256. Error messages follow Accept-Language (zh-hans default, "
        "en); /en/api/v1/ answers in English."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "PREPROCESSING_HOOKS": ["config.openapi.exclude_language_mirrors"],
    # The docs load Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "CertificateStatusEnum": "qualifications.models.CertificateStatus",
        "InstitutionStatusEnum": "institutions.models.InstitutionStatus",
        "PlanStatusEnum": "inspections.models.PlanStatus",
        "DrawStatusEnum": "inspections.models.DrawStatus",
    },
    "TAGS": [
        {"name": "open data", "description": "Open data lists and bulk files (/api/v1/)."},
        {"name": "public", "description": "Certificate and report-number checks."},
        {"name": "public record", "description": "Draws, pools, verifier, results, ledger."},
    ],
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
# History is read, never replayed: a correction is a new, visible revision made by a service.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The public ledger's Ed25519 signing key (PKCS#8 PEM). Embedded default: created on first use
# in var/; in production provision the file (``manage.py ledger_keygen``) and set
# LEDGER_SIGNING_KEY_CREATE=0 so that a missing key stops the act instead of starting a new chain
# under a new key.
LEDGER_SIGNING_KEY_FILE = Path(env.str("LEDGER_SIGNING_KEY_FILE",
                                       default=str(VAR_DIR / "ledger_ed25519.pem")))
LEDGER_SIGNING_KEY_CREATE = env.bool("LEDGER_SIGNING_KEY_CREATE", default=True)

# The platform's clock (common.clock): empty for the wall clock; an ISO 8601 moment
# (``2023-11-25T09:00+08:00``) starts this process's clock there, as the demo server does so
# that a newcomer acts in the 2023 story's days.
CLOCK_START = env.str("CLOCK_START", default="")
if CLOCK_START:
    import datetime as _dt

    try:
        _dt.datetime.fromisoformat(CLOCK_START)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"CLOCK_START={CLOCK_START!r} is not an ISO 8601 date and "
                                   "time (e.g. 2023-11-25T09:00+08:00)") from _exc

# Mail of the notifications (accounts.notifications): SMTP when EMAIL_HOST is set, else the
# console (the message is printed by the worker).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _secret("EMAIL_HOST_PASSWORD", default="") or ""
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=(
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@tic-supervision.invalid")
#: the site's address in mails (links to the page that acts on a notification)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Where the reference JSON (national plan 2023, self-inspection focus) is read from.
REFERENCE_DATA_DIR = BASE_DIR / "reference"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "PIL",
                                                          "axes")},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

from .security import *  # noqa: E402,F403 - identity, sessions, headers (config/security.py)
