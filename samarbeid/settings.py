"""Settings for Samarbeid.

Everything that differs between a laptop and a deployment comes from the environment:
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, LANGUAGE_CODE, SSB_KLASS_DIR,
SOURCE_DOCUMENTS_DIR, and for a deployment behind a TLS-terminating proxy SECURE_PROXY=1
(see "Production settings" in the README).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAMARBEID_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A fixed key is acceptable only for development and for the test suite.
    dev_key_allowed = os.environ.get("SAMARBEID_ALLOW_DEV_SECRET") == "1"
    if DEBUG or dev_key_allowed or "PYTEST_VERSION" in os.environ:
        SECRET_KEY = "dev-only-not-secret-" + "x" * 40
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_htmx",
    "ninja",
    "axes",
    "django_rq",
    "samarbeid.common",
    "members",
    "projects",
    "governance",
    "importers",
    "hearings",
    "networks",
    "reports",
    "portal",
    "samarbeid.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "samarbeid.common.middleware.ContentSecurityPolicyMiddleware",
    # Anonymous GETs of the portal, widget, API and feeds: whole responses per data version,
    # before the session, CSRF and auth work (samarbeid/site/public_cache.py).
    "samarbeid.site.public_cache.PublicResponseCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Signed-in GETs whose view marked its response as kept for the session: answered from
    # the cache before the rest (samarbeid/site/session_cache.py), and the session store it
    # read handed to the session middleware (Django's, which takes it).
    "samarbeid.site.session_cache.SignedInResponseCacheMiddleware",
    "samarbeid.site.session_cache.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last of all, so a view failing on an unreachable database answers 503.
    "samarbeid.common.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samarbeid.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samarbeid" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samarbeid.common.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "samarbeid.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'samarbeid.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# A connection kept open (CONN_MAX_AGE) is checked before each request reuses it, so
# after a database outage the next request opens a new one: no restart needed.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's check polls the socket and asks the server only when something is waiting
# on it (samarbeid.common.pgbackend): no SELECT 1 round trip per request.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "samarbeid.common.pgbackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# A read replica (docs/deployment.md): GET requests to the portal, the widget and the API
# read from it; every write and everything else uses `default` (samarbeid.common.dbrouters).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["samarbeid.common.dbrouters.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("samarbeid.site.session_cache.SignedInResponseCacheMiddleware"),
        "samarbeid.common.dbrouters.ReplicaReadsMiddleware",
    )

# Cache: Redis where REDIS_URL names one (shared by every process), else this process's
# memory. Overview data and charts are cached per data version (projects.analytics.cache).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "samarbeid"),
        }
    }
    # Sessions in Redis too (written through to the database, so a Redis restart signs
    # nobody out): any process behind the load balancer can serve any request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samarbeid",
            # Whole public pages, overview sections and signed-in pages are kept per data
            # version: Django's default of 300 entries would evict them while still valid.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
    # Sessions in the database, read with one plain query (samarbeid.common.signin).
    SESSION_ENGINE = "samarbeid.common.signin"

# Background jobs (django-rq) on the local Redis: large web imports, large PDF/DOCX reports
# and e-mail run in a worker (`manage.py rqworker default`), and `manage.py rqcron
# importers.cron` cleans stored import previews every hour. The test suite runs jobs in the
# calling process (ASYNC off).
RQ_REDIS_URL = (
    os.environ.get("RQ_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
)
RQ_QUEUES = {
    "default": {
        "URL": RQ_REDIS_URL,
        "DEFAULT_TIMEOUT": 60 * 60,
        "ASYNC": env_bool("RQ_ASYNC", "PYTEST_VERSION" not in os.environ),
    }
}
# Jobs are enqueued when asked; importers.jobs waits for the transaction's commit itself.
RQ = {"COMMIT_MODE": "auto"}
# Web imports with more rows than this run as a background job with a progress page.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "300"))
# Report downloads over more projects than this (any format but CSV), and the annual report's
# PDF/DOCX, are made by a background job with a status page; the file is kept a day in Redis
# for the user who asked (the rule: reports/jobs.py).
REPORTS_BACKGROUND_PROJECTS = int(os.environ.get("REPORTS_BACKGROUND_PROJECTS", "300"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "nb")
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [
    BASE_DIR / "samarbeid" / "locale",
    # Norwegian for Django admin strings that Django's own nb catalogue lacks.
    BASE_DIR / "samarbeid" / "common" / "locale",
]
FORMAT_MODULE_PATH = ["samarbeid.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The site-wide stylesheet and htmx (the project package is not an app, so name it here).
STATICFILES_DIRS = [BASE_DIR / "samarbeid" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads on S3-compatible object storage (django-storages) when a bucket is named, so that
# no process keeps files on its own disk (docs/deployment.md). Files stay private: they are
# only ever served through the views that check who may see them.
if os.environ.get("SAMARBEID_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SAMARBEID_S3_BUCKET"],
            "endpoint_url": os.environ.get("SAMARBEID_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SAMARBEID_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

AUTHENTICATION_BACKENDS = [
    # Login throttling first: after AXES_FAILURE_LIMIT wrong passwords for one user from
    # one address, sign-in is refused for AXES_COOLOFF_TIME with a page saying so (429).
    "samarbeid.common.auth.ThrottledLoginBackend",
    # Django's ModelBackend, the user kept in the cache per sign-in version.
    "samarbeid.common.signin.SignInBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "samarbeid.common.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
# The address failures are counted for: REMOTE_ADDR, or behind the proxy (SECURE_PROXY=1)
# the X-Forwarded-For entry the proxy added (samarbeid.common.auth.client_ip).
AXES_CLIENT_IP_CALLABLE = "samarbeid.common.auth.client_ip"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samarbeid@localhost")
# The public address of this installation, for links in e-mails (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# The offline municipality snapshot (SSB Klass 131) that `load_municipalities` reads and
# `refresh_municipalities --write` updates. A copy ships in data/ so a clone is complete.
SSB_KLASS_DIR = Path(os.environ.get("SSB_KLASS_DIR", BASE_DIR / "data" / "ssb-klass-131"))
# The first user's own documents; the demo imports the project overview 001 from here.
SOURCE_DOCUMENTS_DIR = Path(
    os.environ.get("SOURCE_DOCUMENTS_DIR", BASE_DIR / "data" / "source-documents")
)
# Hand-kept corrections to the snapshot, with their sources.
MUNICIPALITY_OVERRIDES_FILE = BASE_DIR / "data" / "municipality-overrides.json"

# A session ends after 8 hours (a working day), whatever the activity, and when the
# browser closes.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "8")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts only from the site's own static files: no inline script, no eval.
CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (SECURE_PROXY=1): plain
# HTTP is redirected to HTTPS and browsers are told to use HTTPS only (HSTS, one year by
# default; HSTS_SECONDS=0 turns it off while trying a deployment out).
SECURE_PROXY = env_bool("SECURE_PROXY", False)
# How many proxies of ours append to X-Forwarded-For (nginx in front of gunicorn: 1).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
# Behind nginx (SAMARBEID_ACCEL_REDIRECT=1) uploaded files are sent by nginx: the view
# checks who may see the file and answers with X-Accel-Redirect to this internal location
# (docs/deployment.md has the nginx snippet).
ACCEL_REDIRECT = env_bool("SAMARBEID_ACCEL_REDIRECT", False)
ACCEL_REDIRECT_LOCATION = os.environ.get("SAMARBEID_ACCEL_LOCATION", "/protected-media/")
if SECURE_PROXY or env_bool("HTTPS", False):
    if env_bool("SECURE_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Hearings: one attachment to a citizen's comment at most this size (at most 5 per comment);
# commenters' personal data is purged this many days after a hearing is processed.
HEARINGS_ATTACHMENT_MAX_BYTES = int(os.environ.get("HEARINGS_ATTACHMENT_MAX_BYTES", 10 * 1024**2))
HEARINGS_PURGE_AFTER_DAYS = int(os.environ.get("HEARINGS_PURGE_AFTER_DAYS", "365"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Database outages (the 503 page) and locked-out sign-ins are worth an operator's eye.
        "samarbeid.faults": {"level": "ERROR"},
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}
