"""Redress settings: one module, every knob from the environment.

The defaults run the demo with nothing but Python: SQLite in ``var/`` and Celery's
filesystem broker. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis
(broker and cache). With ``DEBUG=false`` the secure defaults below apply and
``manage.py check --deploy`` passes (see README "Deploying").
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("REDRESS_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# A local .env is convenient for development; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The demo key is only ever used with DEBUG on; config.checks refuses it otherwise.
DEMO_SECRET_KEY = "demo-only-insecure-key-do-not-use-in-production-5f0c1d"
SECRET_KEY = env.str("SECRET_KEY", default=DEMO_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Identity document numbers, contact values, home-country addresses and alternate contacts are encrypted with these
# Fernet keys: comma-separated, newest first, each "<id>:<key>" (or a bare key, whose id is then derived), so keys
# can be rotated (manage.py rotate_encryption_keys). Generate one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
# Without it (demo only) a key is derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# The key of the blind indexes (keyed digests of phone numbers, emails and document numbers, for duplicate checks).
# Not rotated with the encryption keys. Empty: derived from the oldest FIELD_ENCRYPTION_KEYS entry (as before).
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's JS/CSS as static files: the docs page needs no CDN
    "django_countries",
    "django_htmx",
    # Sign-in attempts, lockouts and their admin (paralegals.signin, docs/security.md).
    "axes",
    # The second factor: TOTP devices (authenticator apps) and single-use recovery codes (paralegals.two_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "paralegals",
    "claimants",
    "cases",
    "documents",
    # Last, so config/admin.py sees every app's ModelAdmin registered.
    "config",
]

MIDDLEWARE = [
    # A view that finds Redis, the database or the broker down answers 503 with Retry-After (config/unavailable.py).
    "config.unavailable.UnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in person's office time zone for the request (after authentication; costs no query).
    "config.middleware.OfficeTimeMiddleware",
    # Writes the language cookie from User.language when someone signs in (cases.core.saved_language).
    "cases.core.saved_language.SavedLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session left idle for SESSION_IDLE_MINUTES (after messages: it says why on the sign-in page).
    "paralegals.signin.IdleSessionMiddleware",
    # A session signed in with a password only is sent to the second step (code, or enrolment) until it is done;
    # reads the session and the user row already loaded, so it costs no query (paralegals.two_factor).
    "paralegals.two_factor.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a locked-out sign-in (request.axes_locked_out) into the lockout page or JSON.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# The domain packages inside the cases app (docs/architecture.md).
CASES_PACKAGES = ("core", "audit", "money", "deadlines", "portal", "statistics", "pages", "retention")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each domain package of cases keeps its own templates (docs/architecture.md).
        "DIRS": [BASE_DIR / "config" / "templates"]
        + [BASE_DIR / "cases" / package / "templates" for package in CASES_PACKAGES],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.deadlines.header.header_counts",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL + IMMEDIATE transactions let the web process and the Celery worker share
    # the demo database without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Covering indexes (INCLUDE columns) are a PostgreSQL speed-up; SQLite builds them without those columns, which is
    # all the demo needs. Not a warning worth printing on every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # Persistent connections: per-request connections cost ~5x throughput.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "redress_cache",
        }
    }

# Seconds a client is told to wait (Retry-After) when Redis, the database or the broker is down: the 503 answers of
# config/unavailable.py and the API.
UNAVAILABLE_RETRY_AFTER = env.int("UNAVAILABLE_RETRY_AFTER", default=30)

CELERY_DATA_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Above the longest task, so a slow task is not handed to a second worker.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
else:
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "control"):
        (CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker's pool process is replaced by a fresh one after this many tasks, or after the task during which its
# resident memory passed CELERY_WORKER_MAX_MEMORY_PER_CHILD KiB. Rendering PDFs keeps growing a process (392 MiB
# after 1,000 complaints); recycled, it peaked at 189 MiB (docs/operations.md, "Worker memory"). 0 turns a limit off.
# (The variables are not named CELERY_WORKER_*: the celery command reads those itself, as its worker options.)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_MAX_TASKS_PER_CHILD", default=100) or None
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_MAX_MEMORY_PER_CHILD", default=200_000) or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "paralegals.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    # Renders lost with a dead worker or broker are queued again (the document row is the record).
    "requeue-stuck-documents": {
        "task": "documents.tasks.requeue_stuck_documents",
        "schedule": 5 * 60,
    },
    # The reminder outbox sweep (cases.deadlines.reminders.sweep): claims due rows, sends, marks them sent. A sweep that
    # waited longer than one interval in the queue is dropped; the next one does the same work.
    "send-due-reminders": {
        "task": "cases.tasks.send_due_reminders",
        "schedule": env.int("REMINDER_SWEEP_SECONDS", default=60),
        "options": {"expires": env.int("REMINDER_SWEEP_SECONDS", default=60)},
    },
    # The periodic reminder rules (cases.deadlines.reminders.rules): overdue escalation, missed deadlines, inactive
    # cases, departures within 7 days, instalments due/missed. Idempotent: a second run writes nothing new.
    "run-reminder-rules": {
        "task": "cases.tasks.run_reminder_rules",
        "schedule": env.int("REMINDER_RULES_SECONDS", default=5 * 60),
    },
}
# The case tally's appended rows (cases.core.tally) folded into one per key; counts are right between runs too.
CELERY_BEAT_SCHEDULE["compact-case-tallies"] = {
    "task": "cases.tasks.compact_case_tallies",
    "schedule": env.int("CASE_TALLY_COMPACT_SECONDS", default=10 * 60),
    "options": {"expires": env.int("CASE_TALLY_COMPACT_SECONDS", default=10 * 60)},
}
CELERY_TIMEZONE = "UTC"

# Selects written in Python (config.forms): long option lists were most of the case page's time.
FORM_RENDERER = "config.forms.QuickSelectRenderer"

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "paralegals.User"
# Django's model backend, loading the user's office in the same query (the office time zone of every page).
# The first loads the office with the user (its time zone is used on every page); Django's own stays second so that
# sessions signed in before it keep working (they load the office with one more query until the next sign-in).
# The lockout check comes first (django-axes, through paralegals.backends.SignInGuardBackend): a locked
# (username, address) pair is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "paralegals.backends.SignInGuardBackend",
    "paralegals.backends.OfficeModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session lasts at most SESSION_COOKIE_AGE after sign-in, and ends sooner when left idle for SESSION_IDLE_MINUTES
# (paralegals.signin.IdleSessionMiddleware: the last-activity stamp is written at most once a minute, not on every
# request).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# Password reset links (Django's): valid this long, and only until the password changes (so once).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Guessing passwords (django-axes, docs/security.md): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for AXES_COOLOFF_MINUTES, whatever the password. The pair, not the username
# alone: an attacker elsewhere cannot lock the real person out. Admins see and lift lockouts under "Axes".
AXES_VERBOSE = False  # no start-up banner in every manage.py command and worker
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Every failed sign-in is kept (admin: "Access failures"), also after a lockout is lifted.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "paralegals.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "paralegals.signin.client_ip"
# Masked in the failed attempts axes keeps (the second step's one-time or recovery code, besides the password).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# The second factor (paralegals.two_factor, docs/security.md "Two-factor sign-in"): required for coordinators,
# administrators and superusers, and for the paralegals of offices that ask for it (Office.two_factor_required).
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Redress")
# After n wrong codes in a row a device accepts no code for 2^(n-1) seconds (per person, from any address).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Behind a reverse proxy, the META key holding the client address it adds (the last address in it is used);
# empty: REMOTE_ADDR. Defaults to the status check's setting: one proxy in front of both.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default=env.str("PORTAL_CLIENT_IP_HEADER", default=""))

# --- Languages ------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The staff interface.
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("fr", _("French")),
]
# The languages a claimant can choose; documents and the status check use them.
CLAIMANT_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("ky", _("Kyrgyz")),
    ("uz", _("Uzbek")),
    ("ar", _("Arabic")),
    ("ne", _("Nepali")),
    ("my", _("Burmese")),
    ("km", _("Khmer")),
    ("th", _("Thai")),
    ("id", _("Indonesian")),
    ("tl", _("Tagalog")),
    ("ht", _("Haitian Creole")),
    ("bn", _("Bengali")),
    ("fr", _("French")),
]
# The status check's own catalog (context "portal") in every claimant language; app catalogs are found by Django.
LOCALE_PATHS = [BASE_DIR / "config" / "locale", BASE_DIR / "cases" / "portal" / "locale"]
# The zone of people without an office (global coordinators, administrators) and of background work; staff pages
# are shown in the signed-in person's office zone (config.middleware).
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
# One date and time format per language (Django's), English made day-first with a 24-hour clock (config/formats/en).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and private files -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The worker's status-check page, printed (and as a QR code) on intake receipts.
STATUS_PORTAL_URL = env.str("STATUS_PORTAL_URL", default="http://127.0.0.1:8000/status/")
# Evidence uploads: Django refuses more files than this in one request before our own (lower) cap.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Evidence lives outside any public path and is served only through views that check access.
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private")))
# Where `manage.py backup` writes its directories when no --output is given (docs/operations.md). Copy them off the
# machine: a backup next to the data it protects is lost with it.
BACKUP_ROOT = Path(env.str("BACKUP_ROOT", default=str(VAR_DIR / "backups")))

# --- Status check (cases.portal) ----------------------------------------------------
# Attempts allowed per case reference (counted on the normalised reference, known or not) within the window; the
# next one locks the reference for PORTAL_LOCK_SECONDS (staff can unlock it on the case page).
PORTAL_REFERENCE_LIMIT = env.int("PORTAL_REFERENCE_LIMIT", default=5)
PORTAL_REFERENCE_WINDOW_SECONDS = env.int("PORTAL_REFERENCE_WINDOW_SECONDS", default=60 * 60)
PORTAL_LOCK_SECONDS = env.int("PORTAL_LOCK_SECONDS", default=60 * 60)
# These three keep guessing a PIN for a known reference below 1 in 1,000 a year (docs/security.md shows the sums;
# cases.portal.limiter.yearly_guess_bound computes them).
# Wrong tries per address: past it the address's wrong tries get "too many tries", but a right reference and PIN
# from it still gets through (workers behind one carrier NAT, VPN or Tor exit share an address). No site-wide limit.
PORTAL_IP_LIMIT = env.int("PORTAL_IP_LIMIT", default=100)
PORTAL_IP_WINDOW_SECONDS = env.int("PORTAL_IP_WINDOW_SECONDS", default=15 * 60)
# Behind a reverse proxy, the META key holding the client address it adds (e.g. HTTP_X_FORWARDED_FOR; the last
# address in it is used, the one the proxy saw). Empty: REMOTE_ADDR.
PORTAL_CLIENT_IP_HEADER = env.str("PORTAL_CLIENT_IP_HEADER", default="")
# "My phone number changed" requests per case per day.
PORTAL_PHONE_REQUEST_LIMIT = env.int("PORTAL_PHONE_REQUEST_LIMIT", default=3)
# How long the status stays open after a lookup; "Done" ends it sooner.
PORTAL_SESSION_SECONDS = env.int("PORTAL_SESSION_SECONDS", default=10 * 60)
# The paralegal's follow-up deadline after a phone number change request.
PORTAL_PHONE_FOLLOW_UP_DAYS = env.int("PORTAL_PHONE_FOLLOW_UP_DAYS", default=2)

# --- Email ----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Redress <noreply@localhost>")
# Where the staff app is reached from outside: reminder emails link to f"{SITE_URL}/cases/<id>/".
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Reminder channels (cases.deadlines.reminders.channels) -------------------------------------------
# Dotted paths like EMAIL_BACKEND. The demo writes SMS/WhatsApp to var/outbox/; production sets
# SMS_BACKEND=WHATSAPP_BACKEND=cases.deadlines.reminders.channels.ProviderBackend and the Twilio-compatible provider
# below.
_DEMO_CHANNEL_BACKEND = (
    "cases.deadlines.reminders.channels.FileBackend" if DEBUG else "cases.deadlines.reminders.channels.ConsoleBackend"
)
REMINDER_EMAIL_BACKEND = env.str("REMINDER_EMAIL_BACKEND", default="cases.deadlines.reminders.channels.EmailBackend")
SMS_BACKEND = env.str("SMS_BACKEND", default=_DEMO_CHANNEL_BACKEND)
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND", default=_DEMO_CHANNEL_BACKEND)
REMINDER_OUTBOX_DIR = Path(env.str("REMINDER_OUTBOX_DIR", default=str(VAR_DIR / "outbox")))
SMS_PROVIDER_URL = env.str("SMS_PROVIDER_URL", default="")
SMS_PROVIDER_ACCOUNT = env.str("SMS_PROVIDER_ACCOUNT", default="")
SMS_PROVIDER_TOKEN = env.str("SMS_PROVIDER_TOKEN", default="")
SMS_FROM = env.str("SMS_FROM", default="")
WHATSAPP_FROM = env.str("WHATSAPP_FROM", default="")
# Seconds one send may take (HTTP and SMTP timeout).
REMINDER_SEND_TIMEOUT = env.int("REMINDER_SEND_TIMEOUT", default=10)
# A claimed reminder whose send did not finish (worker killed) is tried again after this many seconds. Keep it above
# REMINDER_SEND_TIMEOUT; a shorter lease risks a second send while the first is still in flight.
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", default=15 * 60)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)

# --- Security -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging: never personal data -------------------------------------------------
# Request bodies, query strings and model values stay out of logs; 500 mails are off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # No query string, case reference or calendar key from a URL in a request's log record (docs/security.md).
    "filters": {"redact_requests": {"()": "config.log_redaction.RequestRecords"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
            "filters": ["redact_requests"],
        },
        "django.security.csrf": {"filters": ["redact_requests"]},
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- REST framework -------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a request without credentials a 401 (not a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.NewestFirst",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "config.api.metadata.WithoutActions",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="60/min"),
        "user": env.str("API_RATE_USER", default="600/min"),
        # Scopes for the expensive writes: uploads are read and checked whole; filings render PDFs.
        "uploads": env.str("API_RATE_UPLOADS", default="30/min"),
        "filings": env.str("API_RATE_FILINGS", default="30/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Redress API",
    "DESCRIPTION": (
        "Cases, evidence, filings, money and deadlines of Redress, for partner integrations. "
        "Authenticate with `Authorization: Bearer <key>` (a token from the admin or `manage.py create_api_token`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, so the schema's enums read like the domain.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "cases.core.stages.Stage.choices",
        "OpenStageEnum": "config.api.serializers_cases.OPEN_STAGES",
        "OutcomeEnum": "cases.core.stages.Outcome.choices",
        "RespondentKindEnum": "cases.models.RespondentKind.choices",
        "EvidenceKindEnum": "documents.models.EvidenceKind.choices",
        "DocumentKindEnum": "documents.models.DocumentKind.choices",
        "DocumentStatusEnum": "documents.models.DocumentStatus.choices",
        "EntryKindEnum": "cases.models.EntryKind.choices",
        "ItemKindEnum": "cases.models.ItemKind.choices",
        "ChannelKindEnum": "claimants.models.ChannelKind.choices",
        "WageBasisEnum": "cases.models.WageBasis.choices",
        "CountryEnum": "config.api.serializers_cases.COUNTRIES",
        "LanguageEnum": "config.api.serializers_cases.CLAIMANT_LANGUAGES",
    },
}

# --- Redress ----------------------------------------------------------------------
# Admin change lists count at most this many rows (a capped COUNT keeps 1M-row tables fast).
ADMIN_COUNT_CAP = env.int("ADMIN_COUNT_CAP", default=10_000)
# The one currency reports convert into (each ledger entry stores its amount in it, at the rate of its date).
REPORTING_CURRENCY = env.str("REPORTING_CURRENCY", default="USD")

# --- Statistics (cases.statistics) -----------------------------------------------------
# Breakdown cells counting fewer cases than this show "< N" in exports and the PDF; money from so few is suppressed.
STATISTICS_MIN_CELL = env.int("STATISTICS_MIN_CELL", default=5)
# The dashboard keeps a selection's figures this many seconds, or until the summary is next refreshed (the key
# holds the refresh stamp and the exact selection, offices included; a chosen respondent's figures, computed from
# the cases, also who counted them). 0: computed for every request.
STATISTICS_CACHE_SECONDS = env.int("STATISTICS_CACHE_SECONDS", default=300)
# After each refresh, the busiest respondents' dashboards are computed ahead for readers of every office
# (cases.statistics.warm): at most this many families with at least this many case links, kept this long.
STATISTICS_WARM_RESPONDENTS = env.int("STATISTICS_WARM_RESPONDENTS", default=10)
STATISTICS_WARM_MIN_CASES = env.int("STATISTICS_WARM_MIN_CASES", default=1000)
STATISTICS_WARM_KEEP_SECONDS = env.int("STATISTICS_WARM_KEEP_SECONDS", default=3600)
# After a change to a case or the ledger commits, the summary tables are rebuilt at most once per this many seconds.
STATISTICS_REFRESH_DEBOUNCE_SECONDS = env.int("STATISTICS_REFRESH_DEBOUNCE_SECONDS", default=30)
# With CELERY_TASK_ALWAYS_EAGER there is no worker: a change would rebuild the tables inside the request that made it.
# Changes then schedule nothing (beat still refreshes) unless this is on.
STATISTICS_REFRESH_WHEN_EAGER = env.bool("STATISTICS_REFRESH_WHEN_EAGER", default=False)
# Changes are taken in incrementally (debounced after commits, and every STATISTICS_REFRESH_SECONDS); the whole summary
# is rebuilt once a day at STATISTICS_REBUILD_HOUR (UTC).
CELERY_BEAT_SCHEDULE["refresh-statistics"] = {
    "task": "cases.tasks.refresh_statistics",
    "schedule": env.int("STATISTICS_REFRESH_SECONDS", default=10 * 60),
    "options": {"expires": env.int("STATISTICS_REFRESH_SECONDS", default=10 * 60)},
}
CELERY_BEAT_SCHEDULE["rebuild-statistics"] = {
    "task": "cases.tasks.rebuild_statistics",
    "schedule": crontab(hour=env.int("STATISTICS_REBUILD_HOUR", default=2), minute=30),
    "options": {"expires": 6 * 60 * 60},
}
# The statistics PDF report's render task lives beside its service (documents.statistics_report).
CELERY_IMPORTS = ["documents.statistics_report"]

# --- Retention (cases.retention, docs/security.md "Retention and erasure") ------------------------------------------
# Days after a case closes before its worker's personal data is removed (an office may set its own period,
# Office.retention_days). Six years by default; 0 or empty turns the sweep off (erasure requests still work).
RETENTION_DAYS_AFTER_CLOSE = int(env.str("RETENTION_DAYS_AFTER_CLOSE", default="2190") or 0)
# Cases anonymised per batch by the daily sweep (each case in its own transaction).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=200)
CELERY_BEAT_SCHEDULE["retention-sweep"] = {
    "task": "cases.tasks.retention_sweep",
    "schedule": crontab(hour=env.int("RETENTION_SWEEP_HOUR", default=3), minute=15),
    "options": {"expires": 6 * 60 * 60},
}
