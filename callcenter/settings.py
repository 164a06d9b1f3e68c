"""Settings for Hotline 1900 0368, read from the environment (and `.env`).

Every setting has a default that runs a fresh checkout: SQLite in the project folder
and Celery tasks executed in-process. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, DEBUG=false and ALLOWED_HOSTS.
A value that cannot be read (DEBUG=Ture) stops startup with its name (callcenter.env).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from callcenter.env import env_bool, env_int, env_list, env_str
from callcenter.logconfig import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "axes",
    "csp",
    "corsheaders",
    "django_ratelimit",
    "django_eventstream",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "callcenter",
    "citizens",
    "knowledge",
    "tickets",
    "callbacks",
    "selfservice",
    "presence",
    "pbx",
    "reprints",
    "corrections",
    "privacy",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that a page's own polling does not keep an idle seat logged in.
    "callcenter.middleware.IdleSessionMiddleware",
    "callcenter.middleware.LanguageMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; only /api/v1/public/ is open.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Officers and supervisors with REQUIRE_2FA: no page before the second factor.
    "callcenter.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Pages and API answers carry personal data: no cache keeps them (callcenter.middleware).
    "callcenter.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "callcenter.urls"
WSGI_APPLICATION = "callcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "callcenter.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT (it costs more than it saves here). A statement running over
    # DB_STATEMENT_TIMEOUT seconds is cancelled, a 503 saying so (web processes: 25 s,
    # callcenter.wsgi/asgi; none elsewhere). A dead database: a 503 in seconds, no hang.
    DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 0, minimum=0)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit=off -c statement_timeout={DB_STATEMENT_TIMEOUT}s"
    )
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = 3
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several runserver threads write at once: wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# A read replica for the records searches (citizens.routers), with the same connection
# options and timeouts; unset: one database.
if env_str("RECORDS_REPLICA_URL", ""):
    _alike = ("CONN_MAX_AGE", "OPTIONS")
    DATABASES["records_replica"] = env.db("RECORDS_REPLICA_URL") | {
        key: DATABASES["default"][key] for key in _alike if key in DATABASES["default"]
    }
    DATABASES["records_replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["citizens.routers.RecordsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "callcenter.redis_cache.RedisCache",  # one client per pool
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a request a second at most, not a TCP timeout:
            # the permission, token and calendar caches then fall back to the database.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The wallboard's server-sent events (django-eventstream) go through Redis pub/sub, so a
# change in any process reaches boards served by any other (without Redis: polling).
EVENTSTREAM_CHANNELMANAGER_CLASS = "reporting.live.ChannelManager"
if REDIS_URL:
    _redis = urlsplit(REDIS_URL)
    EVENTSTREAM_REDIS = {
        "host": _redis.hostname or "localhost",
        "port": _redis.port or 6379,
        "db": int((_redis.path or "/0").strip("/") or 0),
        "password": _redis.password,
        "socket_connect_timeout": 1,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "callcenter.auth.CachedPermissionsBackend",
]
# Two-factor sign-in (TOTP, django-otp) for officers and supervisors: on in production,
# off in `make run` and the tests unless set. The API token endpoint then asks for `otp`.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Hotline 1900 0368"
# An API token ends this long after it was issued (the PBX machine user's does not).
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12, minimum=1)
# Personal data of tickets resolved longer ago is erased nightly (privacy.retention).
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24, minimum=1)
ACCESS_LOG_YEARS = env_int("ACCESS_LOG_YEARS", 5, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 wrong passwords for one username from one address lock that pair
# out for 15 minutes (pages, admin and the API token endpoint alike).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the TLS proxy every request comes from the proxy: with the number of trusted
# proxies set, the lockout keys on the address the proxy saw (X-Forwarded-For).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "callcenter.auth.client_ip"

# Seats are shared: a session ends after this long without a request (each pushes it back).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
WRAP_UP_SECONDS = env_int("WRAP_UP_SECONDS", 60, minimum=0)  # then ready again (SPEC §8.3)
SESSION_SAVE_EVERY_REQUEST = True
# In PostgreSQL, with Redis as a cache in front when there is one: a Redis outage logs
# no seat out (callcenter.sessions).
SESSION_ENGINE = "callcenter.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DB_FORMAT = "E164"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with a WWW-Authenticate header.
        "callcenter.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Deep nesting and lone surrogates are a 400, never a 500 (callcenter.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "callcenter.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "callcenter.parsers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "callcenter.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "callcenter.api.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hotline 1900 0368 API",
    "DESCRIPTION": "Tickets, calls and card-application records of the CCCD hotline.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, so the schema (and `check --deploy`) has no collisions.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Status",
        "ResolutionCodeEnum": "tickets.models.ResolutionCode",
        "ManualResolutionCodeEnum": "tickets.forms.MANUAL_RESOLUTION_CODES",
        "ReprintBatchStatusEnum": "reprints.models.ReprintBatch.Status",
        "AnswerCategoryEnum": "knowledge.models.Category",
        "TicketCategoryEnum": "tickets.choices.Category",
        "BreakReasonEnum": "presence.models.BreakReason",
        "ReprintReasonEnum": "reprints.models.Reason",
    },
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A dead worker's task (acks late) is handed out again after this long: keep it over the
# longest task's time limit and retry delay, or a running task goes to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
}
# Worker logs go through LOGGING below (JSON in production), like the web's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

CELERY_TASK_TIME_LIMIT = 300
CELERY_BEAT_SCHEDULE = {
    # After the shift on working days; the task itself waits for the supervisor's
    # interval (2 or 3 days) since the last batch.
    "reprint-batch": {
        "task": "reprints.tasks.scheduled_reprint_batch",
        "schedule": crontab(hour=17, minute=45, day_of_week="mon-fri"),
    },
    # Also sends what was put in the outbox while Redis was down (callcenter.celery).
    "sms-outbox": {
        "task": "reprints.tasks.send_sms_outbox",
        "schedule": float(env_int("SMS_RETRY_SECONDS", 300, minimum=1)),
    },
    # After the shift on working days (the task skips the calendar's closed days).
    "correction-lists": {
        "task": "corrections.tasks.scheduled_correction_lists",
        "schedule": crontab(hour=17, minute=50, day_of_week="mon-fri"),
    },
    # /healthz: the worker is stale after 2 minutes without it; a late one is worthless.
    "worker-heartbeat": {
        "task": "callcenter.tasks.heartbeat",
        "schedule": 30.0,
        "options": {"expires": 30},
    },
    # Finished days' statistics into the summary table (tickets.summary).
    "stats-summary": {"task": "reporting.tasks.refresh_stats_summary", "schedule": 600.0},
    # Wrap-ups that ran out and idle seats (agent status, SPEC §8.3).
    "presence-tick": {"task": "presence.tasks.presence_tick", "schedule": 10.0},
    # Personal data past RETENTION_MONTHS, access-log rows past ACCESS_LOG_YEARS (SPEC §9).
    "retention": {
        "task": "privacy.tasks.erase_expired_personal_data",
        "schedule": crontab(hour=2, minute=30),
    },
    "access-review-digest": {
        "task": "privacy.tasks.access_review_digest",
        "schedule": crontab(hour=6, minute=0),
    },
    # Expired sessions' rows (sessions are in the database, callcenter.sessions).
    "clear-sessions": {
        "task": "callcenter.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=0),
    },
}

# PBX bridges (SPEC §11, `manage.py pbx_bridge asterisk|freeswitch`): Asterisk AMI and
# the FreeSWITCH event socket; "configured" for /healthz when its host is set.
PBX_AMI_HOST = env_str("PBX_AMI_HOST", "")
PBX_AMI_PORT = env_int("PBX_AMI_PORT", 5038, minimum=1)
PBX_AMI_USERNAME = env_str("PBX_AMI_USERNAME", "hotline")
PBX_AMI_SECRET = env_str("PBX_AMI_SECRET", "")
PBX_ESL_HOST = env_str("PBX_ESL_HOST", "")
PBX_ESL_PORT = env_int("PBX_ESL_PORT", 8021, minimum=1)
PBX_ESL_PASSWORD = env_str("PBX_ESL_PASSWORD", "ClueCon")
# A keep-alive this often; unanswered for half of it, the connection is made again.
PBX_KEEPALIVE_SECONDS = env_int("PBX_KEEPALIVE_SECONDS", 20, minimum=1)

SMS_BACKEND = env_str("SMS_BACKEND", "callcenter.sms.LogBackend")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hotline@localhost")

# The hotline's working day; see callcenter.calendar.
SHIFT_START = env_str("SHIFT_START", "07:30")
SHIFT_END = env_str("SHIFT_END", "17:30")

# JSON lines on stdout in production, one object per record; phone, CCCD and ID numbers
# are masked in every line (callcenter.logging).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Off only for plain HTTP on a loopback address (a benchmark): `check --deploy` warns.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Scripts and styles only from the product's own static files: no inline script, style
# or event handler anywhere (templates/base.html turns off htmx's injected style). The
# API docs page loosens this for itself only (callcenter.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Citizen self-service (/tra-cuu/, the bot API /api/v1/public/): look-ups per client
# address (the address login throttling uses, see TRUSTED_PROXY_COUNT) and per name +
# date of birth, counted by django-ratelimit in the cache: Redis when there is one,
# else this process's memory (`make run` is one process).
SELF_SERVICE_RATE_PER_ADDRESS = env_str("SELF_SERVICE_RATE_PER_ADDRESS", "5/m")
SELF_SERVICE_RATE_PER_IDENTITY = env_str("SELF_SERVICE_RATE_PER_IDENTITY", "20/d")
RATELIMIT_USE_CACHE = "default"
# Django's RedisCache increments atomically (django-ratelimit lists only django-redis's).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# CORS stays closed unless an Official Account's web view is named here (its origin,
# e.g. https://oa.example.vn), and then only for the public API.
CORS_ALLOWED_ORIGINS = env_list("SELF_SERVICE_CORS_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/v1/public/.*$"
CORS_ALLOW_METHODS = ["POST", "OPTIONS"]
