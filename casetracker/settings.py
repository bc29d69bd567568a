"""casetracker settings: one file, every deployment choice read from the environment.

Variables (all listed in `.env.example` and the README):
  DATABASE_URL               database; a SQLite file in the project folder by default
  DATABASE_STATEMENT_TIMEOUT milliseconds a statement of the served site may run (PostgreSQL)
  DJANGO_SECRET_KEY          required; `make run` writes a generated one into `.env`
  DJANGO_DEBUG               "true" for local development only (default false)
  DJANGO_ALLOWED_HOSTS       comma-separated host names (default: localhost names)
  DJANGO_CSRF_TRUSTED_ORIGINS comma-separated origins, e.g. https://cases.example.org
  DJANGO_SECURE_SSL_REDIRECT "true" when the app itself must redirect http to https
  DJANGO_SECURE_HSTS_SECONDS HSTS max-age (default one year unless DEBUG)
  CACHE_URL                  shared cache, e.g. redis://127.0.0.1:6379/1 (default: the `cache`
                             folder, shared by the workers of one machine)
  API_ANON_RATE              anonymous API throttle rate, e.g. "120/minute"
  CORS_ALLOWED_ORIGINS       origins allowed to call the API from a browser (default: any, GET)
  DJANGO_TRUSTED_PROXIES     number of reverse proxies in front of the app (default 0: none)
  AXES_FAILURE_LIMIT         wrong passwords before a username is locked out from an address (5)
  AXES_COOLOFF_MINUTES       how long that lockout lasts, in minutes (15)
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from casetracker import statement_timeout

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "casetracker",  # the commands for staff accounts (create_staff, demo_admin)
    "people",
    "cases",
    "public",  # the published copy: what readers and partners see
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casetracker.preview.PreviewMiddleware",  # staff see a unit's page before it is published
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The first to see what the view raised (django-axes' middleware, last as it requires,
    # handles no exceptions).
    "casetracker.statement_timeout.StatementTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "casetracker.urls"
WSGI_APPLICATION = "casetracker.wsgi.application"

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
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# What one statement of the site as served (gunicorn, through wsgi.py) may take, in milliseconds;
# 0 for no limit (casetracker/statement_timeout.py). PostgreSQL only.
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=5000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Every request runs short queries: compiling them to machine code (JIT) costs more than it
    # saves, up to a second on a list whose plan the planner thinks expensive
    # (docs/performance.md). `?options=...` in DATABASE_URL takes precedence.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("options", "-c jit=off")
    if statement_timeout.serving():
        options["options"] = statement_timeout.connection_options(
            options["options"], DATABASE_STATEMENT_TIMEOUT
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API throttle's counts and the counts of published records. By default it is
# a folder of SQLite files in the project folder (diskcache): it outlives a restart, and every
# worker on the machine shares it, with no service to run. Django's own file cache would do the
# same, but it writes one file per value, which on ext4 costs 2-5 ms per API request (replacing a
# file flushes it), against 0.3 ms. Several app servers share one cache: `CACHE_URL`
# (e.g. redis://, Django's own Redis backend).
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": env.cache_url_config(CACHE_URL)
    if CACHE_URL
    else {"BACKEND": "diskcache.DjangoCache", "LOCATION": str(BASE_DIR / "cache")}
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# `manage.py loaddata demo` finds the demo data (the seed case) here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: safe by default outside DEBUG; TLS is usually ended at the load balancer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies (load balancers) stand in front of the app, each appending the address
# it saw to X-Forwarded-For. With none, the client is the connection's address and the header,
# which anyone can write, is ignored; behind N, the client is the Nth address from the right.
TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=0)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from this site only, no inline script or
# style, no plugins, no framing, forms post only here. The API docs loosen it for themselves
# (casetracker.api.DocsView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Signing in (django-axes, casetracker/signin.py): after AXES_FAILURE_LIMIT wrong passwords, a
# username is locked out from that address for AXES_COOLOFF_MINUTES, and the sign-in page says so.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "casetracker.signin.client_address"
AXES_LOCKOUT_CALLABLE = "casetracker.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused without extending it, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False  # no banner in the output of every manage.py command

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Countries are ISO 3166-1 alpha-2 codes, shown with their English names.
COUNTRIES_FIRST = ["US", "SV", "MX", "GT", "HN"]
COUNTRIES_FIRST_REPEAT = True

SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Partner API (/api/v1/, casetracker/api.py): read-only, anonymous, JSON.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "casetracker.http.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "casetracker.http.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["casetracker.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "casetracker.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["casetracker.http.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="600/minute")},
    "NUM_PROXIES": TRUSTED_PROXIES,  # the throttle counts by client address
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "casetracker partner API",
    "DESCRIPTION": (
        "Read-only data on criminal prosecutions of transnational crime figures: cases, "
        "defendants, charges, court events, extradition requests, custody, and the sources of "
        "every fact. Only published records appear. Dates may be known only to the month or "
        "year: each is given as an ISO 8601 reduced-precision string with its precision, an "
        "`approximate` flag and a display form. Lists are paginated with cursors (`next` / "
        "`previous` links). Every GET carries `ETag` and `Last-Modified` and answers 304 to a "
        "matching conditional request. Unknown or malformed query parameters are a 400 naming "
        "them. Anonymous clients are rate-limited (429 with `Retry-After`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casetracker.http.document_http",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.CaseStatus",
        "DefendantStatusEnum": "cases.models.DefendantStatus",
        "EventKindEnum": "cases.models.EventKind",
        "EventStatusEnum": "cases.models.EventStatus",
        "ExtraditionStatusEnum": "cases.models.ExtraditionStatus",
        "CustodyStatusEnum": "cases.models.CustodyStatus",
        "ChargeCategoryEnum": "cases.models.ChargeCategory",
        "DispositionEnum": "cases.models.Disposition",
        "PleaEnum": "cases.models.Plea",
        "DocumentKindEnum": "cases.models.DocumentKind",
        "SourceKindEnum": "cases.models.SourceKind",
        "OrganizationKindEnum": "people.models.OrganizationKind",
        "AliasKindEnum": "people.models.AliasKind",
        "TimelineKindEnum": "cases.timeline.TimelineKind",
        "PrecisionEnum": "casetracker.dates.Precision",
    },
}

# CORS: browsers on any site (or only CORS_ALLOWED_ORIGINS) may read the API.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "content-type",
    "if-modified-since",
    "if-none-match",
    "user-agent",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400
