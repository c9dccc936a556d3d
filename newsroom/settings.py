"""Settings for the newsroom project, read from the environment.

Local defaults are safe for a laptop; with DEBUG off the site refuses to start
without a SECRET_KEY. See docs/operations.md ("Configuration") for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# `make run` writes a key here, so local commands (manage.py ...) work without exporting it.
SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(f"SECRET_KEY must be set when DEBUG is off (or {SECRET_KEY_FILE} hold one).")
    SECRET_KEY = "insecure-local-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ckeditor",
    "ckeditor_uploader",
    "reversion",
    "articles",
    "images",
    "api",
    # django-ninja: the content API's framework; installed for its docs page's templates and static files.
    "ninja",
    "webhooks",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The content API's keys, limits, CORS and JSON errors: before the page cache, so a cached answer is
    # still counted against the client's limit (api/middleware.py).
    "api.middleware.ContentApiMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.RequestSizeLimitMiddleware",
    "newsroom.middleware.NullCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and auth: a cache hit for a reader costs no more than a cache lookup.
    "articles.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    # Reader pages (templates/) in Jinja2, for speed: newsroom/jinja2.py. Tried first; what it lacks
    # (the admin, forms, installed apps' pages) comes from Django's templates in the apps.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": ["articles.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of other apps' templates that installed-app order would not let win (the admin's base_site).
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.admin_names",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# PostgreSQL in production and CI (DATABASE_URL); an embedded SQLite file for a zero-config demo.
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)
url_options = {
    "conn_max_age": int(os.environ.get("CONN_MAX_AGE", "60")),
    "conn_health_checks": True,
}
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}", **url_options)}

# Read replicas, streaming from the primary: anonymous readers' pages read them, everything else the primary
# (newsroom/replicas.py; docs/operations.md, "Read replicas"). In tests each mirrors "default", so no test
# database is made on a read-only standby.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    DATABASE_REPLICAS.append(f"replica_{number}")
    DATABASES[DATABASE_REPLICAS[-1]] = dj_database_url.parse(url, **url_options, test_options={"MIRROR": "default"})
if DATABASE_REPLICAS:
    if any(database.get("ENGINE") != "django.db.backends.postgresql" for database in DATABASES.values()):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs PostgreSQL, for the primary and every replica.")
    DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]

for database in DATABASES.values():
    if database.get("ENGINE") == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        # How long a request waits for an unreachable PostgreSQL before the 503 page (newsroom/errors.py) answers.
        options.setdefault("connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")))
        # No JIT compilation: it pays off for long reports, and on a million stories it added 15-20 ms to
        # searches the planner thought costly. No parallel workers: a page's query shares the cores with
        # other readers' requests, and on a million stories a gathered plan made the author page 73 ms of SQL
        # against 43 ms without, the corrections page 29 against 9. Generic plans: the read path's prepared
        # statements (articles/readpath.py) are planned once per connection, where PostgreSQL, left to choose,
        # planned the home and section pages' queries afresh on every execution (about 1 ms a page, as long as
        # running them); no other query of the app is a prepared statement.
        options.setdefault(
            "options", "-c jit=off -c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_generic_plan"
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Let the app serve uploads itself: for a single-machine demo only, never behind a real proxy.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names so browsers and CDNs may cache static files forever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Shared media for several app servers: S3-compatible object storage when a bucket is named
# (docs/operations.md, "Media in production"). boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment itself.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_S3_LOCATION", "media"),
            # Public, never-changing names: plain URLs a CDN can cache, no expiring signatures.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# Behind a TLS-terminating proxy (see docs/operations.md, "Production").
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The container's health probe speaks plain HTTP to the app server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No page may be framed; the one exception is CKEditor's upload answer (newsroom/urls.py).
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "keyvalue": {"()": "newsroom.logformat.KeyValueFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "keyvalue"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Anonymous readers' pages are cached this long at most; publishing purges them at once (articles/pagecache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# The content API (/api/v1/, docs/api.md): requests a client may make per window, by address without a
# key, per key with one (unless the key sets its own, in the admin).
API_ANONYMOUS_RATE_LIMIT = int(os.environ.get("API_ANONYMOUS_RATE_LIMIT", "60"))
API_KEY_RATE_LIMIT = int(os.environ.get("API_KEY_RATE_LIMIT", "600"))
API_RATE_WINDOW_SECONDS = int(os.environ.get("API_RATE_WINDOW_SECONDS", "60"))
# A live story's open page asks the update endpoint for new entries this often (static/js/live.js).
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "10"))

# Who the site is: used by templates, feeds, sitemaps and structured data.
SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# CKEditor: a toolbar made for news copy. Whatever the editor sends is sanitised
# again on the server (articles/sanitize.py); this config only shapes the UI.
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_IMAGE_BACKEND = "pillow"
CKEDITOR_BROWSE_SHOW_DIRS = False
CKEDITOR_CONFIGS = {
    "default": {
        # Picture sizes as width/height attributes (kept by the sanitiser), not inline styles (dropped).
        "extraAllowedContent": "img[width,height]",
        "disallowedContent": "img{width,height,float,border*,margin*}",
        "toolbar": "Newsroom",
        "toolbar_Newsroom": [
            ["Format"],
            ["Bold", "Italic"],
            ["Link", "Unlink"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Image", "Table", "HorizontalRule"],
            ["RemoveFormat"],
            ["Source", "Maximize"],
        ],
        "format_tags": "p;h2;h3;h4",
        "removePlugins": "exportpdf",
        "height": 420,
        "width": "100%",
        "entities": False,
    },
}
SILENCED_SYSTEM_CHECKS = [
    # ckeditor.W001 warns that the bundled CKEditor 4.22.1 is end of life. The project keeps it
    # (a user requirement) and closes its risks on the server: every save path runs nh3
    # (articles/sanitize.py), uploads are images only, and no `allowedContent: true`.
    "ckeditor.W001",
]

# Distribution: feeds, sitemaps and structured data (docs/operations.md, "Configuration").
# Full story text in feeds (sanitised like the page) or only the standfirst.
FEED_FULL_TEXT = env_bool("FEED_FULL_TEXT", False)
# The publisher's logo in structured data: a static file path.
PUBLISHER_LOGO = os.environ.get("PUBLISHER_LOGO", "img/publisher-logo.png")

# Cache: Redis shared by every app server when REDIS_URL is set; otherwise files under var/, which every
# gunicorn worker on one machine shares (a per-process memory cache could not be purged across workers).
# Either way a cache that is down is a cache miss, never an error page (newsroom/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenFileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }

# Request size: form fields over 2.5 MB are refused by Django (400); any body over MAX_REQUEST_BYTES, uploads
# included, is refused before it is read (413, newsroom/middleware.py). 26 MB: a picture at the library's
# 25 MB limit (images/validation.py) with the rest of its form; deploy/nginx.conf allows the same.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(26 * 1024 * 1024)))

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Editors' sessions end after a working day or two, not the default two weeks.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 2)))

# Content-Security-Policy (django-csp). Readers' pages run no inline script: a script the site needs is a
# file under /static/ or carries the request's nonce (`<script nonce="{{ request.csp_nonce }}">`).
# JSON-LD (`<script type="application/ld+json">`) is data, never run, so CSP leaves it alone.
# Story images may be hot-linked from any HTTPS host (the sanitiser allows http(s) image URLs).
# The admin (and CKEditor) gets ADMIN_CONTENT_SECURITY_POLICY instead: see newsroom/middleware.py.
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "https:", *CSP_EXTRA_IMG_SRC],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# CKEditor 4 cannot run without inline script: its toolbar uses inline event handlers
# (onclick="CKEDITOR.tools.callFunction(...)") and its editing frame is written with an inline <script>
# whose text changes with the page, so no hash or nonce fits. The admin therefore allows inline script
# and style; it shows editors' input only escaped (Django templates) or sanitised (the body, nh3). Plugins,
# foreign scripts, <base> tricks, foreign form targets and framing stay forbidden.
ADMIN_URL_PREFIXES = ("/admin/", "/ckeditor/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https:", *CSP_EXTRA_IMG_SRC],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

# Login protection (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES. Locking the pair, not the address alone,
# keeps one mistyping editor from locking out a whole office behind one NAT address, and keeps an
# attacker from locking an editor out of every address. Unlock: admin, "Axes" > "Access attempts"
# (delete the row), or `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind N proxies, the client's address is the Nth entry from the right of X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "newsroom.middleware.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Publish webhooks (webhooks/, docs/webhooks.md), sent by a Celery worker (`make worker`). Each delivery is first a
# row written with the story's change; the broker only says "deliver row N now", so without one (the SQLite demo)
# saves still work and deliveries wait for the worker's sweep.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The most a save waits for a broker that does not answer (the sweep then sends its deliveries).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "1"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT, "socket_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A partner's time to answer a POST (connecting, then each read); retries after the first wait, doubling up to the
# longest, until the give-up time after the first attempt; the sweep's period (retries, stories going live, lost
# hand-overs, expiries).
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_RETRY_FIRST_SECONDS = float(os.environ.get("WEBHOOK_RETRY_FIRST_SECONDS", "60"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
WEBHOOK_GIVE_UP_SECONDS = float(os.environ.get("WEBHOOK_GIVE_UP_SECONDS", str(24 * 60 * 60)))
WEBHOOK_SWEEP_SECONDS = float(os.environ.get("WEBHOOK_SWEEP_SECONDS", "30"))
# Off: endpoints on loopback, private or reserved addresses are refused (the worker posts where an admin points it).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
CELERY_BEAT_SCHEDULE = {"webhooks-sweep": {"task": "webhooks.sweep", "schedule": WEBHOOK_SWEEP_SECONDS}}
