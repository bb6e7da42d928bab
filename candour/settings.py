"""Candour's one settings module. Everything that varies comes from the environment (see candour.env).

CANDOUR_ENV chooses the profile: `development` (the default, and `make run`), or `production`, where every
secret must be given and `manage.py check --deploy` is clean.
"""

import contextlib
import os
import secrets
from datetime import date, timedelta
from pathlib import Path

import dj_database_url

from candour.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CANDOUR_VAR_DIR", str(BASE_DIR / "var")))

CANDOUR_ENV = env_choice("CANDOUR_ENV", ("development", "production"), "development")
PRODUCTION = CANDOUR_ENV == "production"


def _local_secret(filename: str, make) -> str:
    """A secret generated once for this checkout and kept under var/; never used in production."""
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed, so two processes starting at once never read half a key.
        draft = path.with_name(f".{filename}.{secrets.token_hex(4)}")
        draft.write_text(make())
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def _new_key() -> str:
    import base64

    return "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# CANDOUR_ENCRYPTION_KEYS encrypt sensitive text (docs/adr/0003) and CANDOUR_AUDIT_KEYS seal the audit chain
# (docs/adr/0021): "key_id:base64key" lists, newest first, from the environment so that a copy of the
# database is never enough to read the one or forge the other.
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    CANDOUR_ENCRYPTION_KEYS = env_list("CANDOUR_ENCRYPTION_KEYS")
    CANDOUR_AUDIT_KEYS = env_list("CANDOUR_AUDIT_KEYS")
    DEBUG = False
else:
    SECRET_KEY = env_str("SECRET_KEY", None) or _local_secret("secret_key", lambda: secrets.token_urlsafe(50))
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    CANDOUR_ENCRYPTION_KEYS = env_list("CANDOUR_ENCRYPTION_KEYS", None) or [
        _local_secret("encryption.key", _new_key)
    ]
    CANDOUR_AUDIT_KEYS = env_list("CANDOUR_AUDIT_KEYS", None) or [_local_secret("audit.key", _new_key)]
    DEBUG = env_bool("DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "candour.core",
    "candour.people",
    "candour.speakup",
    "candour.learning",
    "candour.voice",
    "candour.assurance",
    "candour.api",
    "candour.operations",
    "candour.medicines",
    "candour.records",
    "candour.fleet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "candour.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a request's body (the CSRF check does): see core.uploads.
    "candour.core.uploads.RequestBodyGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "candour.core.once.OncePerSubmissionMiddleware",
    "candour.core.middleware.IdleTimeoutMiddleware",
    "candour.people.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "candour.urls"
WSGI_APPLICATION = "candour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "candour.jinja2.environment",
            # Every POST form's `{{ csrf_input }}` also carries a one-time submission token (core.once).
            "context_processors": ["candour.core.once.context"],
        },
    },
    {
        # Django admin only; every page of Candour itself is Jinja2.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'candour.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}


def _private_database_file(path: Path) -> None:
    """The database file readable by this user only, made so before SQLite opens it: SQLite gives the
    -wal and -shm files beside it the database's own mode. A file made earlier is tightened."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for made in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        with contextlib.suppress(FileNotFoundError):
            made.chmod(0o600)


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if (
        DATABASES["default"]["NAME"] not in ("", ":memory:")
        and "mode=memory" not in DATABASES["default"]["NAME"]
    ):
        _private_database_file(Path(DATABASES["default"]["NAME"]))
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A request that fails part-way leaves nothing half-written: each view runs in one transaction.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["candour.people.auth_backend.SessionBackend"]
LOGIN_URL = "people:sign_in"
LOGIN_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in protection (ADR 17). Counts and windows are policy, so they are settings.
# Wrong passwords and wrong second-factor codes in a row, together, before the account pauses; the first
# pause is CANDOUR_LOCKOUT_MINUTES and each pause after it without a successful sign-in is twice as long, up
# to CANDOUR_LOCKOUT_MAX_MINUTES. Time or a system administrator lifts it.
CANDOUR_LOCKOUT_FAILURES = env_int("CANDOUR_LOCKOUT_FAILURES", 5)
CANDOUR_LOCKOUT_MINUTES = env_int("CANDOUR_LOCKOUT_MINUTES", 15)
CANDOUR_LOCKOUT_MAX_MINUTES = env_int("CANDOUR_LOCKOUT_MAX_MINUTES", 24 * 60)
# After a wrong code the next is not checked for this many seconds, doubled for each failure in a row.
CANDOUR_TWO_FACTOR_BACKOFF_SECONDS = env_int("CANDOUR_TWO_FACTOR_BACKOFF_SECONDS", 5)
# Failed sign-ins (any account) from one client address in a window, before that client is refused for
# the rest of the window: one password tried against every account (spraying) is slowed to this rate.
CANDOUR_SIGN_IN_CLIENT_FAILURES = env_int("CANDOUR_SIGN_IN_CLIENT_FAILURES", 30)
CANDOUR_SIGN_IN_CLIENT_WINDOW_MINUTES = env_int("CANDOUR_SIGN_IN_CLIENT_WINDOW_MINUTES", 15)
# Single-use recovery codes given when two-factor sign-in is set up, for a lost phone.
CANDOUR_RECOVERY_CODES = env_int("CANDOUR_RECOVERY_CODES", 10)
# Password reset by email: how long a link works, and how many requests an hour one client, or one
# address, may make (more are answered the same way, and nothing is sent).
PASSWORD_RESET_TIMEOUT = env_int("CANDOUR_PASSWORD_RESET_MINUTES", 60) * 60
CANDOUR_PASSWORD_RESET_PER_CLIENT_PER_HOUR = env_int("CANDOUR_PASSWORD_RESET_PER_CLIENT_PER_HOUR", 10)
CANDOUR_PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env_int("CANDOUR_PASSWORD_RESET_PER_ADDRESS_PER_HOUR", 3)
# The trust's own reverse proxies (addresses or networks), whose X-Forwarded-For is believed when finding
# the client's address for throttling (core.client_address). Empty: the header is ignored.
CANDOUR_TRUSTED_PROXIES = env_list("CANDOUR_TRUSTED_PROXIES", [])
CANDOUR_IDLE_TIMEOUT_SECONDS = env_int("CANDOUR_IDLE_TIMEOUT_SECONDS", 30 * 60)
# Two-factor sign-in for privileged roles: always in production; the demo may relax it, with a banner.
CANDOUR_REQUIRE_2FA = env_bool("CANDOUR_REQUIRE_2FA", PRODUCTION)
if PRODUCTION and not CANDOUR_REQUIRE_2FA:
    from candour.env import ImproperEnvironment

    raise ImproperEnvironment("CANDOUR_REQUIRE_2FA cannot be false in production.")

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A form refused by the CSRF check gets the design system's error page (which needs no database).
CSRF_FAILURE_VIEW = "candour.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The NHS.UK frontend build, copied from node_modules by scripts/vendor_assets.py during set-up.
STATICFILES_DIRS = [("nhsuk", BASE_DIR / "var" / "vendor" / "nhsuk")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
if not PRODUCTION:
    # Serve assets straight from their sources, so the demo and the benchmark need no collectstatic.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The demo prints its emails in the terminal; production sends them over SMTP.
_MAIL_TRANSPORT = "smtp" if PRODUCTION else "console"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", f"django.core.mail.backends.{_MAIL_TRANSPORT}.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25 if PRODUCTION else 1025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Candour <no-reply@candour.invalid>")
CANDOUR_BASE_URL = env_str("CANDOUR_BASE_URL", "http://127.0.0.1:8000")
# The outbox (docs/adr/0020): minutes to wait before each retry of an email the mail server did not take;
# after the last it is shown to administrators as failed. Settings because they depend on the trust's relay.
CANDOUR_OUTBOX_RETRY_MINUTES = [
    int(m) for m in env_list("CANDOUR_OUTBOX_RETRY_MINUTES", ["5", "15", "60", "240", "720"])
]
# Sent emails are kept this long (who was told what, and when), then deleted.
CANDOUR_OUTBOX_KEEP_DAYS = env_int("CANDOUR_OUTBOX_KEEP_DAYS", 30)

CANDOUR_SERVICE_NAME = "Candour"
# Periodic jobs run by `manage.py run_scheduler` (core.scheduling): each is a task with an interval or a
# local time of day. When a digest goes out is the trust's choice, so any time-of-day job can be moved, as
# comma-separated `job=time` or `job=day time` (for example
# "learning.send_training_reminders=monday 07:00,core.verify_audit_chain=03:30").
CANDOUR_SCHEDULE_TICK_SECONDS = env_int("CANDOUR_SCHEDULE_TICK_SECONDS", 30)


def _schedule_overrides(items: list[str]) -> dict[str, str]:
    from candour.env import ImproperEnvironment

    overrides = {}
    for item in items:
        name, equals, when = item.partition("=")
        if not equals:
            raise ImproperEnvironment(f"CANDOUR_SCHEDULE_AT: {item!r} is not job=time")
        overrides[name.strip()] = when.strip()
    return overrides


CANDOUR_SCHEDULE_AT = _schedule_overrides(env_list("CANDOUR_SCHEDULE_AT", []))
# Finished task results (the worker's record of each job it ran) are deleted after this many days: about
# 50,000 a year come from notices alone, and nothing reads them once the job's own record says how it went.
CANDOUR_TASK_RESULTS_KEEP_DAYS = env_int("CANDOUR_TASK_RESULTS_KEEP_DAYS", 30)
# An import still "Importing" this long after it last showed progress has lost its worker (killed, or the
# machine restarted): the watchdog marks it failed, keeps none of it, and offers to try again. Generous,
# because a trust-sized file takes minutes; reports have their own limit (CANDOUR_REPORT_TIMEOUT_SECONDS).
CANDOUR_IMPORT_TIMEOUT_SECONDS = env_int("CANDOUR_IMPORT_TIMEOUT_SECONDS", 60 * 60)
# Pages that follow an import, a report or a zip update themselves this often while it runs.
CANDOUR_AUTO_REFRESH_SECONDS = env_int("CANDOUR_AUTO_REFRESH_SECONDS", 3)
# Where each check records the audit chain's head, signed, outside the database (docs/adr/0021). A setting
# because it belongs on storage the database's administrators cannot write, backed up apart from it.
CANDOUR_AUDIT_HEADS_FILE = Path(env_str("CANDOUR_AUDIT_HEADS_FILE", str(VAR_DIR / "audit-heads.jsonl")))
# Breakdowns never show a group smaller than this (DESIGN.md: small-number suppression).
CANDOUR_SMALL_NUMBER_THRESHOLD = env_int("CANDOUR_SMALL_NUMBER_THRESHOLD", 5)

# Anonymous reporting leaves no line in any log: the development server's request lines (with their sizes)
# and Django's warnings about refused requests both leave out these paths (docs/adr/0018). A setting so that
# a trust mounting the service elsewhere can follow it.
CANDOUR_UNLOGGED_PATHS = env_list("CANDOUR_UNLOGGED_PATHS", ["/speak-up/"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "unlogged_paths": {
            "()": "candour.core.log_filters.LeaveOutPaths",
            "prefixes": CANDOUR_UNLOGGED_PATHS,
        },
        "unlogged_paths_but_errors": {
            "()": "candour.core.log_filters.LeaveOutPaths",
            "prefixes": CANDOUR_UNLOGGED_PATHS,
            "keep_errors": True,
        },
    },
    "formatters": {
        "plain": {"format": "{levelname} {name} {message}", "style": "{"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # The audit chain's daily head is one of its records outside the database: always logged.
        "candour.audit": {"level": "INFO"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["unlogged_paths"],
        },
        "django.request": {"filters": ["unlogged_paths_but_errors"]},
        "django.security.csrf": {"filters": ["unlogged_paths_but_errors"]},
    },
}

# The demo trust's shared sign-in password; the demo is for trying Candour, never for real data.
CANDOUR_DEMO_PASSWORD = env_str("CANDOUR_DEMO_PASSWORD", "northmoor-demo-password")

# Working days (triage deadlines): Monday to Friday less the bank holidays of the trust's nation, from the
# maintained `holidays` package (england-and-wales, scotland or northern-ireland), less the trust's own
# closures as ISO dates (for example "2028-06-07,2028-12-27"). Both are the trust's facts, so settings.
CANDOUR_BANK_HOLIDAY_NATION = env_choice(
    "CANDOUR_BANK_HOLIDAY_NATION", ("england-and-wales", "scotland", "northern-ireland"), "england-and-wales"
)


def _iso_dates(name: str) -> list[date]:
    from candour.env import ImproperEnvironment

    try:
        return [date.fromisoformat(day) for day in env_list(name, [])]
    except ValueError as error:
        raise ImproperEnvironment(f"{name}: {error}; give dates as YYYY-MM-DD, comma-separated") from error


CANDOUR_LOCAL_CLOSURES = _iso_dates("CANDOUR_LOCAL_CLOSURES")

# Speaking up. Deadlines and thresholds are local policy, so they are settings (STANDARDS.md §3, §8).
CANDOUR_TRIAGE_WORKING_DAYS = env_int("CANDOUR_TRIAGE_WORKING_DAYS", 2)
CANDOUR_LOW_LEVEL_PATTERN_COUNT = env_int("CANDOUR_LOW_LEVEL_PATTERN_COUNT", 3)
CANDOUR_LOW_LEVEL_PATTERN_MONTHS = env_int("CANDOUR_LOW_LEVEL_PATTERN_MONTHS", 12)
CANDOUR_CONCERN_MAX_CHARACTERS = env_int("CANDOUR_CONCERN_MAX_CHARACTERS", 10_000)
# Guessing receipt codes: at most this many wrong codes per client per hour (core.throttle: counted in the
# database under a keyed hash of the address that cannot be undone once the day is over).
CANDOUR_RECEIPT_ATTEMPTS_PER_HOUR = env_int("CANDOUR_RECEIPT_ATTEMPTS_PER_HOUR", 10)
# What anonymous reporters send is held and written in batches this often (docs/adr/0018): a copy of the
# database can date an anonymous concern to its batch and no closer, so a longer interval hides a reporter
# among more people, and a shorter one brings the concern to the team's inbox sooner (leads are told of it
# at once either way). A trust's choice, so a setting.
CANDOUR_ANONYMOUS_BATCH_MINUTES = env_int("CANDOUR_ANONYMOUS_BATCH_MINUTES", 60)
# Anonymous concerns one device may send in an hour, signed in or not: enough for anyone with something to
# say, too few to flood the team. Local policy, so a setting.
CANDOUR_ANONYMOUS_CONCERNS_PER_HOUR = env_int("CANDOUR_ANONYMOUS_CONCERNS_PER_HOUR", 10)

# Training compliance (STANDARDS.md §4): how early "due soon" starts, and the weekly digest.
CANDOUR_TRAINING_DUE_SOON_DAYS = env_int("CANDOUR_TRAINING_DUE_SOON_DAYS", 60)
# The share of staff a subject should have compliant; the matrix judges each figure against it. The Data
# Security and Protection Toolkit's 95% [R] is the default: each trust sets its own.
CANDOUR_TRAINING_COMPLIANCE_TARGET_PERCENT = env_int("CANDOUR_TRAINING_COMPLIANCE_TARGET_PERCENT", 95)
# A reminder sent from the compliance pages reaches a person at most this often, however many ask.
CANDOUR_TRAINING_CHASE_DAYS = env_int("CANDOUR_TRAINING_CHASE_DAYS", 7)
# Off-the-job training (STANDARDS.md §3): hours a week for a full-time apprentice, and what full time is.
CANDOUR_OFF_THE_JOB_HOURS_PER_WEEK = env_int("CANDOUR_OFF_THE_JOB_HOURS_PER_WEEK", 6)
CANDOUR_OFF_THE_JOB_FULL_TIME_HOURS = env_int("CANDOUR_OFF_THE_JOB_FULL_TIME_HOURS", 30)
# Progress reviews at least this often (STANDARDS.md §3: every 3 calendar months).
CANDOUR_REVIEW_INTERVAL_MONTHS = env_int("CANDOUR_REVIEW_INTERVAL_MONTHS", 3)
CANDOUR_APPRENTICE_END_WARNING_DAYS = env_int("CANDOUR_APPRENTICE_END_WARNING_DAYS", 90)
# Briefings: chase an unacknowledged briefing this often, at most.
CANDOUR_BRIEFING_CHASE_DAYS = env_int("CANDOUR_BRIEFING_CHASE_DAYS", 7)
# Briefings published within this many days reach people who join their audience later (a starter, a
# move of station); older ones are taken to be known by then. Local policy, so a setting.
CANDOUR_BRIEFING_REACHES_JOINERS_DAYS = env_int("CANDOUR_BRIEFING_REACHES_JOINERS_DAYS", 365)
# A cohort's transfer packs (a zip with each apprentice's date of birth) are deleted this long after
# they were made: long enough to pass on, short enough not to linger.
CANDOUR_COHORT_PACK_KEEP_DAYS = env_int("CANDOUR_COHORT_PACK_KEEP_DAYS", 7)
# Uploads bigger than this are refused before they are read. A trust-year of CAD incidents (a million rows,
# about 330 MB) is the biggest file a trust sends, so it fits, with room for a wider export.
CANDOUR_UPLOAD_MAX_BYTES = env_int("CANDOUR_UPLOAD_MAX_BYTES", 512 * 1024 * 1024)
# A refused upload is read and thrown away up to this size, so that the browser (which sends the whole body
# before it reads an answer) shows the page saying why; a larger one has its connection closed instead. A
# setting because it trades a worker's time on a slow link against the person seeing why.
CANDOUR_REFUSED_UPLOAD_READ_BYTES = env_int("CANDOUR_REFUSED_UPLOAD_READ_BYTES", 1024 * 1024 * 1024)
# Imports stream, so this bounds how long an import of one file takes, not its memory.
CANDOUR_IMPORT_MAX_BYTES = env_int("CANDOUR_IMPORT_MAX_BYTES", 512 * 1024 * 1024)
# A transfer bundle holds one apprentice's record, a few kilobytes a file. A file in the zip that would unpack
# to more than this, or that holds more lines, is refused before it is unpacked: a zip bomb is small to send.
CANDOUR_BUNDLE_MAX_FILE_BYTES = env_int("CANDOUR_BUNDLE_MAX_FILE_BYTES", 5 * 1024 * 1024)
CANDOUR_BUNDLE_MAX_ROWS = env_int("CANDOUR_BUNDLE_MAX_ROWS", 5_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Integration API keys (docs/adr/0029): how long a key lasts unless the administrator chooses, the longest
# they may choose, and how long the old key keeps working after a rotation while a system moves over.
# Local policy, so settings.
CANDOUR_API_KEY_DAYS = env_int("CANDOUR_API_KEY_DAYS", 365)
CANDOUR_API_KEY_MAX_DAYS = env_int("CANDOUR_API_KEY_MAX_DAYS", 2 * 365)
CANDOUR_API_KEY_ROTATION_DAYS = env_int("CANDOUR_API_KEY_ROTATION_DAYS", 7)
# Calls each key may make in each window, counted in the database across every process; local capacity.
CANDOUR_API_CALLS_PER_WINDOW = env_int("CANDOUR_API_CALLS_PER_WINDOW", 120)
CANDOUR_API_RATE_WINDOW_SECONDS = env_int("CANDOUR_API_RATE_WINDOW_SECONDS", 60)
# A call's body larger than this is refused (413) by its declared length before it is read. Below Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE, which a JSON body is read into memory under; a larger feed is sent in parts.
CANDOUR_API_MAX_BODY_BYTES = env_int("CANDOUR_API_MAX_BODY_BYTES", 8 * 1024 * 1024)
# A submission of more rows than this is answered 202 and imported by the task worker; smaller ones are
# imported while the caller waits. A trade of the caller's wait against a web process's time: a setting.
CANDOUR_API_IMMEDIATE_ROWS = env_int("CANDOUR_API_IMMEDIATE_ROWS", 2_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Assurance. SPC rule lengths follow NHS England's single chart tool (STANDARDS.md §9); other tools use 7/7
# or 8/6, so they are settings.
CANDOUR_SPC_MINIMUM_POINTS = env_int("CANDOUR_SPC_MINIMUM_POINTS", 13)
CANDOUR_SPC_SHIFT_LENGTH = env_int("CANDOUR_SPC_SHIFT_LENGTH", 6)
CANDOUR_SPC_TREND_LENGTH = env_int("CANDOUR_SPC_TREND_LENGTH", 6)
# Measure snapshots: how many recent months the scheduler recomputes, and how often.
CANDOUR_SNAPSHOT_RECENT_MONTHS = env_int("CANDOUR_SNAPSHOT_RECENT_MONTHS", 2)
CANDOUR_SNAPSHOT_REFRESH_INTERVAL = timedelta(minutes=env_int("CANDOUR_SNAPSHOT_REFRESH_MINUTES", 60))
# Months of history shown on charts and kept by the demo.
CANDOUR_CHART_MONTHS = env_int("CANDOUR_CHART_MONTHS", 24)
# Evidence (ratings, the candour gap, home cards, board reports) is judged on this many complete months, never
# the month under way; a value from fewer than CANDOUR_EVIDENCE_MINIMUM_CASES cases is "too few to judge".
# Both are our choice, not a published standard (STANDARDS.md marks no number for them).
CANDOUR_EVIDENCE_MONTHS = env_int("CANDOUR_EVIDENCE_MONTHS", 1)
CANDOUR_EVIDENCE_MINIMUM_CASES = env_int("CANDOUR_EVIDENCE_MINIMUM_CASES", 5)

# CQC framework (STANDARDS.md §2). The key-question percentage bands are recalled [R]: the top of each band
# in whole percentages (25-38 inadequate, 39-62 requires improvement, 63-87 good, above 87 outstanding).
CANDOUR_CQC_INADEQUATE_UP_TO_PERCENT = env_int("CANDOUR_CQC_INADEQUATE_UP_TO_PERCENT", 38)
CANDOUR_CQC_REQUIRES_IMPROVEMENT_UP_TO_PERCENT = env_int("CANDOUR_CQC_REQUIRES_IMPROVEMENT_UP_TO_PERCENT", 62)
CANDOUR_CQC_GOOD_UP_TO_PERCENT = env_int("CANDOUR_CQC_GOOD_UP_TO_PERCENT", 87)
# The candour gap: a self-assessment this many points above its evidence score is flagged (may be a decimal).
CANDOUR_CANDOUR_GAP_FLAG_POINTS = float(env_str("CANDOUR_CANDOUR_GAP_FLAG_POINTS", "1"))

# Assurance reports: a run still "generating" after this long is shown as failed and may be tried again (its
# worker has stopped); generated files are deleted this many days after they were made.
CANDOUR_REPORT_TIMEOUT_SECONDS = env_int("CANDOUR_REPORT_TIMEOUT_SECONDS", 15 * 60)
CANDOUR_REPORT_KEEP_DAYS = env_int("CANDOUR_REPORT_KEEP_DAYS", 90)
# The measures the board report charts, as key patterns (`*` matches anything), plus every measure an open
# action plan targets. Per-subject training compliance beyond safeguarding and Prevent stays on its own
# pages.
CANDOUR_BOARD_REPORT_MEASURES = env_list(
    "CANDOUR_BOARD_REPORT_MEASURES",
    [
        "speakup.*",
        "learning.safeguarding_*",
        "learning.compliance.sg-adults-*",
        "learning.compliance.prevent-*",
        "learning.information_governance_compliance",
        "learning.reviews_on_time",
        "learning.off_the_job_on_track",
        "learning.apprentices_feel_safe",
        "learning.briefing_acknowledged_share",
        "voice.*",
        "assurance.actions_*",
    ],
)

# Action plans (assurance). An action is at risk when its measure lags the straight line from baseline to
# target by more than this percent of the baseline-to-target distance, or when it is due within this many
# days and its measure is not yet at target. Both are local policy.
CANDOUR_TRAJECTORY_TOLERANCE = env_int("CANDOUR_TRAJECTORY_TOLERANCE", 10)
CANDOUR_ACTION_DUE_SOON_DAYS = env_int("CANDOUR_ACTION_DUE_SOON_DAYS", 14)
# Risk register: references are PREFIX-001, PREFIX-002, ... The score bands (likelihood times consequence) are
# a common NHS convention (the NPSA 5x5 matrix: low 1-3, moderate 4-6, high 8-12, extreme 15-25), not a
# national rule: each is the lowest score of its band, so a trust with other cut-offs sets its own.
CANDOUR_RISK_REFERENCE_PREFIX = env_str("CANDOUR_RISK_REFERENCE_PREFIX", "NAS-R")
CANDOUR_RISK_MODERATE_FROM = env_int("CANDOUR_RISK_MODERATE_FROM", 4)
CANDOUR_RISK_HIGH_FROM = env_int("CANDOUR_RISK_HIGH_FROM", 8)
CANDOUR_RISK_EXTREME_FROM = env_int("CANDOUR_RISK_EXTREME_FROM", 15)

# Staff voice: at most this many questions to choose from in a pulse (plus one free-text box), and how long a
# "you said, we did" stays on staff's home pages.
CANDOUR_PULSE_MAX_QUESTIONS = env_int("CANDOUR_PULSE_MAX_QUESTIONS", 5)
CANDOUR_VOICE_CHANGES_RECENT_DAYS = env_int("CANDOUR_VOICE_CHANGES_RECENT_DAYS", 60)

# Operations
# The Ambulance Response Programme clock starts at the latest this many seconds after call connect, by the
# category first coded (STANDARDS.md §1). Recollections of the national rule conflict and it is unverified,
# so both are settings; the clock rules in candour/operations/arp/reference.py read them.
CANDOUR_ARP_C1_CLOCK_START_OFFSET_SECONDS = env_int("CANDOUR_ARP_C1_CLOCK_START_OFFSET_SECONDS", 30)
CANDOUR_ARP_C2_TO_C4_CLOCK_START_OFFSET_SECONDS = env_int(
    "CANDOUR_ARP_C2_TO_C4_CLOCK_START_OFFSET_SECONDS", 240
)
# How a trust's own 90th centile is interpolated is not published: linear between the closest ranks (as
# PostgreSQL's percentile_cont) or the nearest rank. Every page and export says which was used.
CANDOUR_ARP_CENTILE_METHOD = env_choice("CANDOUR_ARP_CENTILE_METHOD", ("linear", "nearest"), "linear")
# Hospital handovers: time lost is counted past this many minutes from arrival (the national expectation is
# handover within 15 minutes, but the lost-time formula itself is only recalled, so it is a setting).
# Call recording assurance. The dispatch specification says every 999 call is recorded (STANDARDS.md §7);
# how a recording is matched to a call, and how late a recorder's export may be, are local, so settings.
# A recording with no call id matches a call at the same position starting within this many seconds of
# the answer; its length may differ from the call's by this many seconds before it is raised.
CANDOUR_RECORDING_MATCH_TOLERANCE_SECONDS = env_int("CANDOUR_RECORDING_MATCH_TOLERANCE_SECONDS", 15)
CANDOUR_RECORDING_DURATION_TOLERANCE_SECONDS = env_int("CANDOUR_RECORDING_DURATION_TOLERANCE_SECONDS", 30)
# Nothing is raised for a call until this many hours after it ended: recorder exports arrive late.
CANDOUR_RECORDING_GRACE_HOURS = env_int("CANDOUR_RECORDING_GRACE_HOURS", 24)
# The nightly check looks back this many days, so a late export closes what it answers.
CANDOUR_RECORDING_RECONCILE_DAYS = env_int("CANDOUR_RECORDING_RECONCILE_DAYS", 7)
# An exception still open after this many days counts as old in the measures and on the worklist.
CANDOUR_RECORDING_EXCEPTION_OLD_DAYS = env_int("CANDOUR_RECORDING_EXCEPTION_OLD_DAYS", 7)
CANDOUR_HANDOVER_LOST_AFTER_MINUTES = env_int("CANDOUR_HANDOVER_LOST_AFTER_MINUTES", 15)
# Harm reviews of long waits (local policy, so settings): an incident opens one when its response is over its
# category's threshold in minutes (unset: the category's verified 90th-centile standard in
# candour/operations/arp/reference.py), or when it was ever coded C2 and its response is over the C2 limit
# (AACE's "any C2 over 2 hours"). A review is due this many days after it opens; past that, it is escalated.
CANDOUR_HARM_REVIEW_OVER_MINUTES = {
    category: env_int(f"CANDOUR_HARM_REVIEW_OVER_MINUTES_{category}", None)
    for category in ("C1", "C2", "C3", "C4")
}
CANDOUR_HARM_REVIEW_ANY_C2_OVER_MINUTES = env_int("CANDOUR_HARM_REVIEW_ANY_C2_OVER_MINUTES", 120)
CANDOUR_HARM_REVIEW_DUE_DAYS = env_int("CANDOUR_HARM_REVIEW_DUE_DAYS", 14)
# Patient records (records app). Every limit and rule switch here is local policy or unverified
# (STANDARDS.md §7), so each is a setting. A paper record should reach the records office within this many
# days of being completed on scene, and be scanned within this many days of reaching it.
CANDOUR_RECORDS_RECEIVED_WITHIN_DAYS = env_int("CANDOUR_RECORDS_RECEIVED_WITHIN_DAYS", 3)
CANDOUR_RECORDS_SCANNED_WITHIN_DAYS = env_int("CANDOUR_RECORDS_SCANNED_WITHIN_DAYS", 2)
# Every attended incident should have exactly one final record within this many hours of the crew clearing
# (or arriving, when the CAD has no clear time); until then no incident or record is judged.
CANDOUR_RECORDS_FINAL_WITHIN_HOURS = env_int("CANDOUR_RECORDS_FINAL_WITHIN_HOURS", 24)
# Access monitoring: each rule can be turned off. Opening a record one did not write while not in a clinical
# job role; opening a record whose patient is oneself (the ePCR records a patient who is staff by staff
# number); opening a record outside usual hours (Europe/London, from the start hour to before the end
# hour) while not in a clinical job role, since clinicians work round the clock; opening more than the bulk
# limit of distinct records in one clock hour; printing or exporting a record.
CANDOUR_RECORDS_ALERT_NOT_AUTHOR = env_bool("CANDOUR_RECORDS_ALERT_NOT_AUTHOR", True)
CANDOUR_RECORDS_ALERT_OWN_RECORD = env_bool("CANDOUR_RECORDS_ALERT_OWN_RECORD", True)
CANDOUR_RECORDS_ALERT_OUT_OF_HOURS = env_bool("CANDOUR_RECORDS_ALERT_OUT_OF_HOURS", True)
CANDOUR_RECORDS_USUAL_HOURS_START = env_int("CANDOUR_RECORDS_USUAL_HOURS_START", 7)
CANDOUR_RECORDS_USUAL_HOURS_END = env_int("CANDOUR_RECORDS_USUAL_HOURS_END", 19)
CANDOUR_RECORDS_ALERT_BULK = env_bool("CANDOUR_RECORDS_ALERT_BULK", True)
CANDOUR_RECORDS_BULK_PER_HOUR = env_int("CANDOUR_RECORDS_BULK_PER_HOUR", 50)
CANDOUR_RECORDS_ALERT_PRINT_EXPORT = env_bool("CANDOUR_RECORDS_ALERT_PRINT_EXPORT", True)
# Retention, in days (local policy: the Records Management Code's rows for these are unverified, so each
# trust sets its own). Past its period an access log row is deleted; a reviewed access alert is deleted (open
# ones stay until reviewed); a custody step is deleted except each paper record's furthest step, which keeps
# custody exceptions as they were; a record index row loses its NHS number and patient staff number but
# keeps its completeness facts, so the monthly figures stay as they were measured.
CANDOUR_RECORDS_KEEP_ACCESS_LOG_DAYS = env_int("CANDOUR_RECORDS_KEEP_ACCESS_LOG_DAYS", 2 * 365)
CANDOUR_RECORDS_KEEP_REVIEWED_ALERTS_DAYS = env_int("CANDOUR_RECORDS_KEEP_REVIEWED_ALERTS_DAYS", 6 * 365)
CANDOUR_RECORDS_KEEP_CUSTODY_EVENTS_DAYS = env_int("CANDOUR_RECORDS_KEEP_CUSTODY_EVENTS_DAYS", 2 * 365)
CANDOUR_RECORDS_KEEP_IDENTIFIERS_DAYS = env_int("CANDOUR_RECORDS_KEEP_IDENTIFIERS_DAYS", 2 * 365)
# The day the trust's ePCR went live (YYYY-MM-DD, UK time; unset: it always was). An attended incident whose
# job ended before that day is never raised as having no record: there was no ePCR to write one in.
CANDOUR_RECORDS_MATCHING_FROM = next(iter(_iso_dates("CANDOUR_RECORDS_MATCHING_FROM")), None)

# Fleet cleanliness (issue 15, STANDARDS.md §6): no national interval, so each is a trust setting.
CANDOUR_FLEET_INTERIM_CLEAN_HOURS = env_int("CANDOUR_FLEET_INTERIM_CLEAN_HOURS", 48)
CANDOUR_FLEET_DEEP_CLEAN_DAYS = env_int("CANDOUR_FLEET_DEEP_CLEAN_DAYS", 42)
# Bariatric provision (STANDARDS.md §6: no national standard; trusts define it by safe working load and
# dimensions): the least safe working load of bariatric lifting equipment, and the wait from request to a
# suitable resource on scene beyond which a request is reviewed. Both unverified defaults.
CANDOUR_FLEET_BARIATRIC_SWL_KG = env_int("CANDOUR_FLEET_BARIATRIC_SWL_KG", 300)
CANDOUR_FLEET_BARIATRIC_WAIT_REVIEW_MINUTES = env_int("CANDOUR_FLEET_BARIATRIC_WAIT_REVIEW_MINUTES", 60)
# The shift pattern the daily vehicle check is proved against: when the day and the night shift begin
# (local time, HH:MM; the night shift runs into the next morning). Unverified defaults: rotas differ.
CANDOUR_FLEET_DAY_SHIFT_STARTS = env_str("CANDOUR_FLEET_DAY_SHIFT_STARTS", "07:00")
CANDOUR_FLEET_NIGHT_SHIFT_STARTS = env_str("CANDOUR_FLEET_NIGHT_SHIFT_STARTS", "19:00")
# Cleanliness audits (National Standards of Healthcare Cleanliness 2025 style): the target score of each
# functional risk category FR1..FR6, the least score for 5, 4, 3, 2 and 1 stars, and the ATP pass limit.
CANDOUR_CLEAN_FR_TARGET_PERCENTS = env_list(
    "CANDOUR_CLEAN_FR_TARGET_PERCENTS", ["98", "95", "90", "85", "80", "75"]
)
CANDOUR_CLEAN_STAR_PERCENTS = env_list("CANDOUR_CLEAN_STAR_PERCENTS", ["98", "95", "90", "85", "80"])
CANDOUR_CLEAN_ATP_PASS_MAX_RLU = env_int("CANDOUR_CLEAN_ATP_PASS_MAX_RLU", 250)

# Controlled drugs stock checks (local policy, STANDARDS.md §5 unverified): how often each kind of premises
# is counted, in hours; how long past due a check may be before it is missed and escalated to the medicines
# lead; how long a discrepancy may stay open before it goes to the CD accountable officer.
CANDOUR_CD_CHECK_HOURS = {
    "pouch": env_int("CANDOUR_CD_CHECK_HOURS_POUCH", 12),
    "vehicle": env_int("CANDOUR_CD_CHECK_HOURS_VEHICLE", 12),
    "safe": env_int("CANDOUR_CD_CHECK_HOURS_SAFE", 7 * 24),
    "hub": env_int("CANDOUR_CD_CHECK_HOURS_HUB", 7 * 24),
}
CANDOUR_CD_CHECK_GRACE_HOURS = env_int("CANDOUR_CD_CHECK_GRACE_HOURS", 2)
CANDOUR_CD_DISCREPANCY_ESCALATE_HOURS = env_int("CANDOUR_CD_DISCREPANCY_ESCALATE_HOURS", 24)
# How many days ahead stock counts as expiring soon (local policy, unverified): listed per premises and
# across the trust, beside expired stock still held.
CANDOUR_CD_EXPIRY_WARNING_DAYS = env_int("CANDOUR_CD_EXPIRY_WARNING_DAYS", 90)
# Reconciling the registers with patient records (local policy, unverified): how far, in hours, the time a
# patient record gives a dose may lie outside the day the register dates it and still be the same dose (a
# night shift crosses midnight; a line is dated the day the drugs moved); and how many days the ePCR export
# is given to bring a day's records before an administration it does not account for is an exception.
CANDOUR_CD_RECONCILE_TOLERANCE_HOURS = env_int("CANDOUR_CD_RECONCILE_TOLERANCE_HOURS", 12)
CANDOUR_CD_RECONCILE_GRACE_DAYS = env_int("CANDOUR_CD_RECONCILE_GRACE_DAYS", 2)
# How many wastages (or unmatched doses) a clinician must have before the patterns page may call them far
# above their peers: one or two events are never a pattern, whatever the peers' rate (local policy).
CANDOUR_CD_PATTERN_MINIMUM_EVENTS = env_int("CANDOUR_CD_PATTERN_MINIMUM_EVENTS", 3)
