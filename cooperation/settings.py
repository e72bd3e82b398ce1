"""Settings, all read from the environment.

With nothing set, the site runs in production mode and refuses to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. DJANGO_DEBUG=1 gives a development
site on an SQLite file in the project folder, which is what `make run` uses.
"""

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {value!r}.")


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_seconds(name, default):
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}.")
    return seconds


def env_json_object(name):
    value = os.environ.get(name, "").strip()
    if value == "":
        return {}
    try:
        options = json.loads(value)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}.") from None
    if not isinstance(options, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object ({{"name": value, …}}).')
    return options


def env_email_url(name):
    """Django's SMTP settings from one URL: smtp://user:password@host:587 (STARTTLS, on
    587 by default) or smtps://user:password@host:465 (TLS from the start); a password
    is never sent in clear, but a relay on port 25 that asks none may do without TLS."""
    value = os.environ.get(name, "").strip()
    if not value:
        return {}
    url = urlsplit(value)
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        # Not the value itself: it holds a password.
        raise ImproperlyConfigured(
            f"{name} must look like smtp://user:password@host:587 or smtps://…:465."
        )
    try:
        port = url.port or (465 if url.scheme == "smtps" else 587)
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": url.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(url.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
        "EMAIL_USE_SSL": url.scheme == "smtps",
        # STARTTLS, but for a relay on port 25 that asks no password.
        "EMAIL_USE_TLS": url.scheme == "smtp" and (port != 25 or bool(url.username)),
    }


def env_required(name, why):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {why}")
    return value


DEBUG = env_bool("DJANGO_DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "development-only-not-secret"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
else:
    SECRET_KEY = env_required(
        "DJANGO_SECRET_KEY", "production settings need a long random secret key."
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set: production settings need the site's "
            "host names, comma-separated."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "simple_history",
    "concurrency",
    "axes",
    "cooperation",
    "meetings",
    "agreements",
    "reading",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session is read, so that the probe answers during an outage too.
    "cooperation.middleware.HealthProbeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: PostgreSQL refuses text with a null character in it.
    "cooperation.middleware.RefuseNullCharactersMiddleware",
    # Reads request.user on the way out only; outside the session middleware, so that it
    # also marks a response that middleware replaces (the outage page).
    "cooperation.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the one chosen with the switch on every page (a cookie), else the
    # browser's. Pages keep their addresses: there is no language prefix in URLs.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cooperation.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "concurrency.middleware.ConcurrencyMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cooperation.urls"
WSGI_APPLICATION = "cooperation.wsgi.application"

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
                "desk.context_processors.overdue_on_the_desk",
            ],
        },
    },
]

# Widgets render through the project's templates, so that templates/django/forms/
# can replace Django's slowest widget templates (one include per option).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'cooperation.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The longest a database statement of a web request may run, in seconds (0: no limit),
# on PostgreSQL; below gunicorn's worker timeout (30 s), so that the database cancels
# it rather than run it on for a killed worker. Set by cooperation/wsgi.py for the web
# process only (cooperation/database.py).
STATEMENT_TIMEOUT = env_seconds("DJANGO_STATEMENT_TIMEOUT", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out pair is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing the demo accounts with production settings.
    "cooperation.accounts.AccountBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The site's own text in English and Bahasa Indonesia; records are kept as written.
# The catalogue is locale/id/LC_MESSAGES/django.po; `make` compiles it (README:
# "Languages"; cooperation/translations.py, no GNU gettext needed).
LANGUAGES = [("en-gb", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (sources' original files): in MEDIA_ROOT, or wherever the storage
# backend named keeps them, with its options (README: "Where uploaded files go"). The
# site serves them itself, to those who may read them: no MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "").strip() or BASE_DIR / "media")
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_FILE_STORAGE", "").strip()
        or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": env_json_object("DJANGO_FILE_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Decided here, not by whitenoise at start-up: the test runner turns DEBUG off later.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Logins: 5 failures for one username from one address lock that pair for 15 minutes;
# the same user can still log in from elsewhere.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if env_bool("DJANGO_BEHIND_PROXY"):
    # django-axes reads the client address with django-ipware. The one proxy appends
    # the address it saw to X-Forwarded-For, so only the last entry is its word;
    # whatever the client wrote before it is ignored. In ipware's terms: no proxy
    # listed after the client (count 0 from the left), and a header with more
    # entries than that is still read, from the right (not strict).
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_PROXY_COUNT = 0
    IPWARE_STRICT = False
else:
    # Directly reachable: X-Forwarded-For is whatever the client says, never read.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions end after 30 minutes idle (every request renews the cookie) and after 12
# hours in all (cooperation.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
# A load balancer probes over plain HTTP; a redirect to HTTPS would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Mail: the weekly digest (manage.py send_digest). DJANGO_EMAIL_URL names the SMTP server;
# without it, development prints mails to the console and production sends none (the
# command says so). Links in mails and calendar feeds start with DJANGO_SITE_URL.
EMAIL_SETTINGS = env_email_url("DJANGO_EMAIL_URL")
globals().update(EMAIL_SETTINGS)
if not EMAIL_SETTINGS:
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.dummy.EmailBackend"
    )
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = (
    os.environ.get("DJANGO_EMAIL_FROM", "").strip() or "cooperation-tracker@localhost"
)
SITE_URL = (
    os.environ.get("DJANGO_SITE_URL", "").strip() or ("http://127.0.0.1:8000" if DEBUG else "")
).rstrip("/")

# Edits: optimistic locking (django-concurrency) and a kept history (django-simple-history).
CONCURRENCY_HANDLER409 = "cooperation.views.edit_conflict"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
