"""ActionSets settings, driven entirely by environment variables.

With nothing set it runs the embedded default: SQLite, tasks executed in-process and
email printed to the console. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS,
CELERY_BROKER_URL and an EMAIL_BACKEND (see README and .env.example).
"""

import os
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("ACTIONSETS_TESTING", default=False)

_INSECURE_KEY = "django-insecure-embedded-default-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
# Set by manage.py for commands that only write code (makemigrations): they sign nothing, so a
# maintainer can run them in a plain checkout. Every command that serves or sends still needs a key.
_CODE_ONLY_COMMAND = os.environ.get("ACTIONSETS_CODE_ONLY_COMMAND") == "1"
if not SECRET_KEY:
    if not (DEBUG or TESTING or _CODE_ONLY_COMMAND):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _INSECURE_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.usersessions",
    "markdownx",
    "django_htmx",
    "csp",
    "anymail",
    "accounts",
    "actionsets",
    "engagement",
    "facilitation",
    "enrolment",
    "lti",
    "research",
    "personal_data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost after static files, so it also marks what other middleware answers (redirects, 403s).
    "accounts.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # `?via=` on a link from a nudge or digest: record the visit, redirect without it (issue 14).
    "engagement.effects.VisitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # The person's language preference, else Accept-Language, else LANGUAGE_CODE (issue 18).
    "accounts.middleware.UserLanguageMiddleware",
    # Innermost, so it sees a view's Http404 first: the project's 404 page with DEBUG on too.
    "config.not_found.ProjectNotFoundMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "engagement.context_processors.notifications",
            ],
            "builtins": ["actionsets.templatetags.actionsets_tags"],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite is the embedded default. WAL + IMMEDIATE transactions + a busy timeout mean
# two gunicorn workers queue for the write lock instead of failing with
# "database is locked" (docs/architecture.md, section 5).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
        }
    )
# Persistent connections on both: a new SQLite connection re-reads the schema on its first query,
# which cost signed-in pages ~3 ms each under gunicorn (bench/, docs/benchmarks.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared rate limits across workers), else local memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",  # pages keep working while Redis is down
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ActionSets] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Who the client is (accounts/clientip.py; docs/security.md). 0 trusted proxies: REMOTE_ADDR.
# Behind a load balancer every person would share its address, so 5 bad passwords anywhere
# would lock everyone out: set TRUSTED_PROXY_COUNT to the number of proxies you run.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="X-Forwarded-For")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A header of the proxy's own (X-Real-IP, CF-Connecting-IP) is trusted only once a proxy is:
# without one, the client writes it.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
    CLIENT_IP_HEADER if TRUSTED_PROXY_COUNT and CLIENT_IP_HEADER.lower() != "x-forwarded-for" else None
)
RATELIMIT_IP_META_KEY = "accounts.clientip.client_ip"  # django-ratelimit reads the same rule
# Failed sign-ins are counted per account ("key", the email) and per client address. The
# per-address budget is several accounts' worth, because a campus NAT is one address for many
# honest people; the per-account budget stops guessing one person's password from many addresses.
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": (
        f"{env.str('RATE_LIMIT_LOGIN_FAILED_IP', default='30/5m')}/ip,"
        f"{env.str('RATE_LIMIT_LOGIN_FAILED_ACCOUNT', default='5/5m')}/key"
    ),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict = {}

# --- I18N / time ------------------------------------------------------------
# The installation default: used when a person has no language preference and their browser's
# Accept-Language names none of LANGUAGES (accounts/middleware.py UserLanguageMiddleware).
LANGUAGE_CODE = "en-gb"
# The languages shipped (docs/translating.md). English is the source language: British English
# keeps Django's en-GB formats. Catalogues for the others live in LOCALE_PATHS.
LANGUAGES = [
    ("en-gb", "English"),
    ("es", "Español"),
    ("de", "Deutsch"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (docs/files.md). Outside the static folder and never served by WhiteNoise or a
# web server's static location: every file goes through the permission-checked view.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# --- Files private to a set (actionsets/files.py, docs/files.md) -------------------------------
ATTACHMENT_MAX_MB = env.int("ATTACHMENT_MAX_MB", default=10)
ATTACHMENTS_PER_POST = env.int("ATTACHMENTS_PER_POST", default=5)
SET_QUOTA_MB = env.int("SET_QUOTA_MB", default=500)
# Editor uploads (a file dropped into the text) that no saved post took within this many hours are
# deleted, row and stored bytes (actionsets.tasks.sweep_pending_uploads_task, hourly).
PENDING_UPLOAD_GRACE_HOURS = env.int("PENDING_UPLOAD_GRACE_HOURS", default=24)
# A clamd unix socket (e.g. /run/clamav/clamd.ctl): every file is scanned before it is stored and
# refused when clamd flags it. Unset: no scanning.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_TIMEOUT = env.int("CLAMD_TIMEOUT", default=30)
# "" (Django streams the file), "X-Accel-Redirect" (nginx) or "X-Sendfile" (Apache mod_xsendfile).
FILES_SERVE_HEADER = env.str("FILES_SERVE_HEADER", default="")
# For X-Accel-Redirect: the internal nginx location that maps to MEDIA_ROOT/attachments/.
FILES_ACCEL_PREFIX = env.str("FILES_ACCEL_PREFIX", default="/protected-files/")
# S3-compatible object storage (django-storages) when a bucket is named; local files otherwise.
FILES_S3_BUCKET = env.str("FILES_S3_BUCKET", default="")
STORAGES["attachments"] = (
    {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": FILES_S3_BUCKET,
        "endpoint_url": env.str("FILES_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("FILES_S3_REGION", default="") or None,
        "access_key": env.str("FILES_S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("FILES_S3_SECRET_ACCESS_KEY", default="") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }}
    if FILES_S3_BUCKET else
    {"BACKEND": "django.core.files.storage.FileSystemStorage",
     "OPTIONS": {"location": MEDIA_ROOT / "attachments", "base_url": None,
                 "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750}}
)
# The first handler counts each file's bytes and drops what passes ATTACHMENT_MAX_MB, so a 200 MB
# upload is never held (docs/files.md); Django's own two keep small files in memory, large on disk.
FILE_UPLOAD_HANDLERS = [
    "actionsets.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ActionSets <noreply@actionsets.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Celery -----------------------------------------------------------------
# No broker configured → tasks run eagerly, in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still pass through a (never connected) producer to check their arguments
    # serialise; an in-memory one keeps kombu from warning "No hostname was supplied".
    # CELERY_BROKER_URL itself stays empty: "no broker" is what /healthz reports.
    CELERY_BROKER_WRITE_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}
# A queue name of one's own when several deployments (or test runs) share one Redis database.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# The engagement engine (engagement/tasks.py, docs/engagement.md). Run exactly ONE beat: the
# database keeps a second one from doubling anything, but it would do every tick's work twice.
CELERY_BEAT_SCHEDULE.update({
    "digests": {"task": "engagement.tasks.dispatch_digests_task", "schedule": 15 * 60},
    "round-emails": {"task": "engagement.tasks.dispatch_round_emails_task", "schedule": 15 * 60},
    "nudges": {"task": "engagement.tasks.dispatch_nudges_task", "schedule": 60 * 60},
    # Knocks asked for at night wait for the member's morning (engagement/knocks.py).
    "knocks": {"task": "engagement.tasks.dispatch_knocks_task", "schedule": 15 * 60},
    "outbox-sweep": {"task": "engagement.tasks.sweep_outbox_task", "schedule": 60},
    # Drafts 30 days after their round closed (actionsets/tasks.py; idempotent).
    "purge-drafts": {"task": "actionsets.tasks.purge_drafts_task", "schedule": 24 * 60 * 60},
    # Editor uploads no post took within PENDING_UPLOAD_GRACE_HOURS (actionsets/tasks.py; idempotent).
    "sweep-pending-uploads": {"task": "actionsets.tasks.sweep_pending_uploads_task", "schedule": 60 * 60},
    # Notifications that waited for ask-before-you-see's phase to pass (engagement/notifications.py).
    "notifications-release": {"task": "engagement.tasks.release_notifications_task", "schedule": 5 * 60},
})
# LTI roster sync (lti/tasks.py, docs/lti.md): off unless a period in minutes is set; then each
# course whose staff turned "sync on the schedule" on is previewed and committed every period.
LTI_ROSTER_SYNC_MINUTES = env.int("LTI_ROSTER_SYNC_MINUTES", default=0)
if LTI_ROSTER_SYNC_MINUTES > 0:
    CELERY_BEAT_SCHEDULE["lti-roster-sync"] = {"task": "lti.tasks.sync_rosters_task",
                                              "schedule": LTI_ROSTER_SYNC_MINUTES * 60}
EMAIL_UNSUBSCRIBE_MAX_AGE = env.int("EMAIL_UNSUBSCRIBE_MAX_AGE", default=60 * 60 * 24 * 90)
# Reply by email (docs/email-replies.md): emails about one airtime carry
# Reply-To: reply+<token>@<REPLY_EMAIL_DOMAIN>. Unset: no Reply-To, the feature is off.
REPLY_EMAIL_DOMAIN = env.str("REPLY_EMAIL_DOMAIN", default="").strip().lower()
# The inbound webhooks' secrets (django-anymail): a provider without its secret has no endpoint.
ANYMAIL = {
    name: value
    for name, value in {
        "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
        "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),  # "user:password", basic auth
    }.items()
    if value
}

# Search (docs/search.md): the PostgreSQL text search configuration the index is built in —
# "english" (stemming, stop words) by default, "simple" for sets that write in several languages.
# On SQLite, "english" adds Porter stemming to FTS5. After changing it, run
# `manage.py rebuild_search_index`.
SEARCH_LANGUAGE = env.str("SEARCH_LANGUAGE", default="english")
if not re.fullmatch(r"[a-z_]+", SEARCH_LANGUAGE):
    raise ImproperlyConfigured("SEARCH_LANGUAGE must be a text search configuration name, such as english or simple.")

# --- Markdown / markdownx -----------------------------------------------------
MARKDOWNX_MARKDOWNIFY_FUNCTION = "actionsets.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_EDITOR_RESIZABLE = True
MARKDOWNX_SERVER_CALL_LATENCY = 400
# One length limit for every markdown field (airtimes, replies, ground rules, journal, check-ins,
# reviews and their summary, report-backs, introductions) and the editor's preview, checked before
# anything is rendered. 50,000 characters is about 8,000 words: far beyond any post a set has
# written, and small enough that one request's rendering stays in milliseconds.
# POST_MAX_CHARS is the older name of the same setting (and environment variable), still honoured.
MARKDOWN_MAX_CHARS = env.int("MARKDOWN_MAX_CHARS", default=env.int("POST_MAX_CHARS", default=50_000))
POST_MAX_CHARS = MARKDOWN_MAX_CHARS
# What Django buffers and parses of a request body that is not a file upload. The largest honest
# body is a form with two markdown fields at the limit in the worst encoding (4-byte characters,
# percent-encoded: 12 bytes each) plus 64 KiB for everything else: 1.2 MB by default, against
# Django's 2.5 MB for any signed-in member. More is refused with 400 before a view runs. The
# enrolment CSV is a file upload: FILE_UPLOAD_* and ENROLMENT_MAX_UPLOAD_BYTES govern it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 12 * MARKDOWN_MAX_CHARS + 64 * 1024
# Our largest form is the steward rota (two fields per learner of one set); 200 leaves room and
# keeps a request of 100,000 tiny fields from being parsed at all (Django's default is 1,000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Rate limits on posting and flagging (per user; counted in the cache) ----
ACTIONSETS_RATE_LIMITS = {
    "post": env.str("RATE_LIMIT_POST", default="20/5m"),
    "flag": env.str("RATE_LIMIT_FLAG", default="10/h"),
    # Edits of replies, airtimes and journal entries: each stores a revision (issue 11).
    "edit": env.str("RATE_LIMIT_EDIT", default="20/h"),
    # Draft saves (issue 14): autosave sends at most one every 3 s while someone types, so this
    # leaves room for the fastest writer and stops a script hammering the table.
    "draft": env.str("RATE_LIMIT_DRAFT", default="120/5m"),
}

# --- Security ---------------------------------------------------------------
# Sessions stay in the database, not `cached_db`, although that would save one query per page
# (~0.3 ms): the cache is fail-soft (config/cache.py), so a sign-out during a Redis outage
# deletes the database row but not the cached copy, and the session would come back when Redis
# does. A safe cached engine needs a revocation check on every read — the query it saved.
# docs/benchmarks.md, "Sessions".
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task success is noise in the embedded (eager) mode and in benchmarks.
        "celery.app.trace": {"level": env.str("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
    },
}

# --- Enrolment, invitations, account life-cycle (enrolment app; docs/enrolment.md) -------
ENROLMENT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ENROLMENT_MAX_ROWS = env.int("ENROLMENT_MAX_ROWS", default=20_000)
# The solver's time limit when staff allocate a cohort into sets (docs/allocation.md), in seconds.
ALLOCATION_TIME_LIMIT = env.float("ALLOCATION_TIME_LIMIT", default=20.0)
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)
# Email change replaces the address only once the new one is verified.
ACCOUNT_CHANGE_EMAIL = True
USERSESSIONS_TRACK_ACTIVITY = False  # no write per page view; sessions are listed from sign-in

# --- Single sign-on (docs/sso.md): OIDC and SAML apps from the environment -------------
from config.sso import socialaccount_providers  # noqa: E402

SOCIALACCOUNT_PROVIDERS = socialaccount_providers(env)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
# The benchmark (bench/run.py) measures this stack's ceiling on a trivial view at /bench/ceiling;
# it exists only when this is on.
BENCH_CEILING = env.bool("BENCH_CEILING", default=False)
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
