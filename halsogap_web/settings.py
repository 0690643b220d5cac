"""Settings for the Hälsogap web project: one file, configured from the environment.

Development runs on an embedded SQLite database without any configuration. Production sets
``HALSOGAP_PRODUCTION=1``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``
(``postgres://user:password@host:5432/halsogap``).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "ja"}


PRODUCTION = env_flag("HALSOGAP_PRODUCTION")
# Off unless asked for (DEBUG=1): an error page with a traceback shows data.
DEBUG = env_flag("DEBUG")

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
else:
    # The development key is public on purpose: it only ever signs local demo sessions.
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-halsogap-not-for-production-use-0123456789")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    ALLOWED_HOSTS += [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "auditlog",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # django-ninja's own copy of Swagger UI, served from here: no CDN, and within the CSP.
    "ninja",
    "halsogap_web.accounts",
    "halsogap_web.observations",
    "halsogap_web.sources",
    "halsogap_web.audit",
    "halsogap_web.cycles",
    "halsogap_web.selfevaluation",
    "halsogap_web.network",
    "halsogap_web.needs",
    "halsogap_web.priorities",
    "halsogap_web.assignments",
    "halsogap_web.governance",
    "halsogap_web.demo",
    "halsogap_web.archive",
    "halsogap_web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "halsogap_web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user is known: the 400 page shows the header of whoever is logged in.
    "halsogap_web.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # ETags for what may be kept (public pages, the API); a private page's no-store skips it.
    "django.middleware.http.ConditionalGetMiddleware",
    "halsogap_web.middleware.PrivatePagesMiddleware",
    "halsogap_web.middleware.RevalidatedApiMiddleware",
    "halsogap_web.middleware.OneDataVersionMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must come last so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "halsogap_web.urls"
WSGI_APPLICATION = "halsogap_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "halsogap_web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["halsogap_web.observations.templatetags.numbers"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "halsogap_web.accounts.context.membership",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'halsogap.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the import worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "halsogap_web.accounts.backends.CaseInsensitiveModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "start"

# Five failed logins for one user name from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "halsogap_web.accounts.backends.lockout_username"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "halsogap_web" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("HALSOGAP_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "halsogap_web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production the stylesheet is served straight from the source folders, also in the
# tests (which run with DEBUG off), so that browser tests see the pages as users do.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = BASE_DIR / "var" / "uploads"
# Uploads of national extracts run to tens of megabytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("HALSOGAP_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# Hälsogap's own knobs.
HALSOGAP_DATA_DIR = BASE_DIR / "data" / "demo"
HALSOGAP_DISCLOSURE_THRESHOLD = int(os.environ.get("HALSOGAP_DISCLOSURE_THRESHOLD", "5"))
#: Seconds one uploaded file may occupy the import worker before it is stopped and refused.
# Person-level extracts are summed by DuckDB in the web process unless this names a Spark
# master (local[N], spark://host:7077, yarn); the upload folder (TMPDIR) must then be one the
# cluster reads too. See README's "Mikrodata på ett Spark-kluster".
HALSOGAP_SPARK_MASTER = os.environ.get("HALSOGAP_SPARK_MASTER", "")
HALSOGAP_IMPORT_TIME_LIMIT = float(os.environ.get("HALSOGAP_IMPORT_TIME_LIMIT", "300"))
#: Where the evidence reader keeps its suppressed frame between processes (a Parquet file per
#: data version), so that a restart serves its first page in seconds; empty turns it off.
HALSOGAP_EVIDENCE_CACHE = os.environ.get("HALSOGAP_EVIDENCE_CACHE", str(BASE_DIR / "var" / "cache"))

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Scripts and styles come only from the site itself; the inline styles are the charts' SVG
# attributes and htmx's indicator, which carry no user input.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
