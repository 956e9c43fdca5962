"""Settings for the coproduction platform, read from the environment (12-factor).

Every variable is listed, with its default, in the README's environment table.
The defaults are the embedded set-up (SQLite, a file-system Celery broker) so that
one command runs the platform on a laptop; production sets DATABASE_URL and REDIS_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets annotations such as QuerySet[Project] or File[bytes] be evaluated when the code runs, as the
# type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Read as it is: django-environ would treat a key starting with "$" as a reference to another variable.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-with-debug-off"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Writable state of the embedded set-up: broker folders, results, uploads.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin, with the pages config/admin.py composes
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "web.lockouts.LockoutsConfig",  # django-axes, named in the reader's language
    "csp",
    # Domain apps, lowest layer first: a lower app never imports a higher one.
    "audit",
    "partners",
    "jobs",
    "service_list",
    "coproduction",
    "accountability",
    "evaluation",
    "notifications",
    # The demo generator sits above every domain app and writes through their services.
    "demo",
    # Pages: the shell, then one app per audience. They import the domain apps; none imports them.
    "web",
    "dashboard",
    "partner_portal",
    "resident_portal",
    "transparency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.security_log.SecurityLogMiddleware",
    # A view that finds the database unavailable answers 503 (the API's own views: common.api).
    "common.database_outage.DatabaseUnavailableMiddleware",
    "partners.middleware.PersonalDataAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "web.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Database: a SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share the file: wait for locks rather than
    # failing, take the write lock up front, and let readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a Celery worker started by a test sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compilation: off. The platform's statements are short, and where the planner overestimated
    # a job's correlated counts, compiling cost more than it saved (2.6 s instead of 1.1 s for the
    # free-riding rule at district scale, before its counts became one GROUP BY).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partners.User"
# axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in pages live under /accounts/; "/" sends each role to its own home.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "transparency:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Compiled by `manage.py compiletranslations` (Babel), so no system gettext is needed.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Uploads (report attachments, check-in photos) live outside the static root.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Larger uploads go to a temporary file that stops growing at ATTACHMENT_MAX_BYTES.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "coproduction.attachments.BoundedTemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The years a date given to the API may fall in: beyond them a date is a typing slip, never a service's.
PLAUSIBLE_YEARS = (env.int("PLAUSIBLE_FIRST_YEAR", default=2000), env.int("PLAUSIBLE_LAST_YEAR", default=2100))
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# Hours an organisation has to answer a resident's complaint before it counts as a breach.
COMPLAINT_RESPONSE_HOURS = env.int("COMPLAINT_RESPONSE_HOURS", default=72)

# Days a call for partners stays open at least, so that every organisation has time to apply.
CALL_MIN_APPLICATION_DAYS = env.int("CALL_MIN_APPLICATION_DAYS", default=7)

# Redis serves as broker, result store and shared cache when REDIS_URL is set.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is unreachable: the API's throttles then let requests through uncounted.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's file-system transport, but a worker told to stop stops polling at once (Ctrl-C under honcho).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    _queue_dir = str(VAR_DIR / "celery" / "queue")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _queue_dir,
        "data_folder_out": _queue_dir,
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # The visibility timeout is how long a job taken by a worker that was killed waits before Redis hands it to
    # another. It must outlast the longest job, or Redis hands a running job out twice (harmless: the second
    # delivery finds the run's lease alive and waits it out, then is skipped), but not by hours. The longest job
    # at district scale
    # (bench/RESULTS.md: 100 communities, 200,000 duties) is detect_risks, 1.3 s; a city of about 16 such
    # districts would take some 20 s, and sending the supervision reports' e-mails over a slow SMTP server adds
    # to that. Ten minutes leaves a margin of about 30 times.
    # Short socket timeouts so that a web request enqueuing work never hangs on an unreachable broker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
# A job's message is acknowledged when the job ends, and put back in the queue when its worker is lost: the
# periodic jobs are idempotent, so running one again after a kill is safe (coproduction/jobs.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A running job renews its run's lease every third of this; a run whose lease has lapsed lost its worker, and
# the next run of the job takes over (coproduction/jobs.py). Short, since the lease is renewed by a thread of
# its own whatever the job does; long enough to ride out a stalled database connection.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=60)
# For fault tests only: a folder where a test pauses a job at a named step (jobs.execution.job_step).
JOB_PAUSE_DIR = env("JOB_PAUSE_DIR", default="")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Without EMAIL_URL, a laptop's mail goes to files under VAR_DIR/mail/ rather than scrolling the
# console (the demo's jobs send dozens of supervision reports); production sets EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://" if DEBUG else "consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_FILE_PATH = EMAIL_CONFIG.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="coproduction@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site as people reach it, for the links in the mail it sends.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

# The REST API under /api/v1/: session for the browser, tokens for organisations' systems.
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "common.api_schema.ErrorDocumentingSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "common.bounds.BoundedSearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.PagePagination",
    # JSON bodies are refused when too deep or too large before Python's parser sees them.
    "DEFAULT_PARSER_CLASSES": [
        "common.bounds.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # Throttle counters live in the default cache (Redis when REDIS_URL is set).
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api.AnonThrottle",
        "common.api.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="60/min"),
        "user": env("API_USER_RATE", default="600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Community service coproduction API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc come from the project's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several fields get one stable name each.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "partners.models.OrganisationKind.choices",
        "TaskKindEnum": "coproduction.models.TaskKind.choices",
    },
}

# Proxies in front of the platform that append the caller's address to X-Forwarded-For
# (0: callers connect directly and REMOTE_ADDR is theirs). Used by throttling, lockout and the
# security log; a client-sent X-Forwarded-For is never trusted beyond this count.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = PROXY_COUNT

# Sign-in lockout (django-axes, failures kept in the database): AXES_FAILURE_LIMIT failures for
# one username from one address lock that pair for the cool-off. Counting the pair, not the
# address alone, keeps a guesser from locking out a whole office behind one NAT, and not the
# username alone, keeps anyone from locking a user out from anywhere. A success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "common.security_log.client_ip"
# Successes are not worth a row each; failures and lockouts are kept (and logged to coproduction.security).
AXES_DISABLE_ACCESS_LOG = True

# Content Security Policy: scripts, styles, fonts and data only from the platform itself, no
# inline script or style, no framing, forms post only here. The API docs pages and the printable
# supervision report loosen it for themselves only (see config/urls.py and their views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Lax: cookies go with top-level navigation from other sites (links into the platform) but not
# with their form posts or embedded requests.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Pages and the API docs read the token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Container healthchecks call /healthz over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors_on_one_line": {"()": "common.log_filters.ClientErrorsOnOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors_on_one_line"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print each record a second time beside the root's.
        "django": {"handlers": [], "level": "INFO"},
        # Failed sign-ins, lockouts and refusals (common/security_log.py): propagated records reach
        # the root's console handler whatever LOG_LEVEL says.
        "coproduction.security": {"level": "INFO"},
        # axes' own notes repeat those records; its start-up banner is noise on every command.
        "axes": {"level": "WARNING"},
    },
}
