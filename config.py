"""Configuration classes. Nothing here raises at import; checks happen in ``init_app``."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as hosting platforms give them) and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key() -> str:
    """Read the development secret key from ``instance/``, generating it on first run."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    APP_NAME = "Congés solidaires"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Language and time
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    BABEL_TRANSLATION_DIRECTORIES = "translations"  # app/translations: the one catalog (flask i18n)

    # Security
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = int(os.environ.get("WTF_CSRF_TIME_LIMIT", 8 * 3600))
    # 5 attachments of 10 MB plus the form itself.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 52 * 1024 * 1024))
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - an algorithm name
    PASSWORD_LINK_MAX_AGE = int(os.environ.get("PASSWORD_LINK_MAX_AGE", 72 * 3600))
    # Sessions (rows of user_session): they end after this many minutes without a request, and in any case this
    # many hours after the login.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 60))
    SESSION_LIFETIME_HOURS = int(os.environ.get("SESSION_LIFETIME_HOURS", 12))

    # Login throttling (Flask-Limiter)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Where the versions of the cached reference choices live (app/core/cache.py): redis://… for several hosts
    # (defaults to RATELIMIT_STORAGE_URI when that is Redis), memory:// for one process, unset: files of the instance.
    REFERENCE_CACHE_URL = os.environ.get("REFERENCE_CACHE_URL") or None
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute")
    # Proxies in front of gunicorn whose X-Forwarded-For / -Proto are believed (1 behind one load balancer).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

    # Assets are served by the application itself (Bootstrap-Flask's bundled files), never from a CDN.
    BOOTSTRAP_SERVE_LOCAL = True

    # Files: the local folder (the default), or an S3-compatible bucket (credentials: boto3's own variables).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    UPLOAD_FOLDER_SHARED = _env_bool("UPLOAD_FOLDER_SHARED")
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
    S3_REGION = os.environ.get("S3_REGION")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")

    # Mail
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "conges-solidaires@montreal.example")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 10))
    # Seconds before the first retry of a failed e-mail; each further failure doubles it (an hour at most).
    MAIL_RETRY_DELAY = int(os.environ.get("MAIL_RETRY_DELAY", 60))
    # E-mails leave through `flask notifications worker`, never inside a request. Only the development server may
    # send the outbox right after each commit, so that `make run` needs no worker (see DevelopmentConfig).
    MAIL_SEND_AFTER_COMMIT = False
    # Without MAIL_SERVER, e-mails are logged (level INFO); with MAIL_ECHO they are printed on the console instead.
    MAIL_ECHO = False
    # Absolute base of links in e-mails and CLI-generated messages (`make run` sets it from HOST and PORT).
    SERVER_BASE_URL = os.environ.get("SERVER_BASE_URL", "http://127.0.0.1:5000")

    # Workflow delays (days)
    REMINDER_REPORT_DAYS = int(os.environ.get("REMINDER_REPORT_DAYS", 14))
    REMINDER_MANAGER_WORKING_DAYS = int(os.environ.get("REMINDER_MANAGER_WORKING_DAYS", 5))
    REMINDER_BRI_WORKING_DAYS = int(os.environ.get("REMINDER_BRI_WORKING_DAYS", 5))
    REMINDER_REPEAT_DAYS = int(os.environ.get("REMINDER_REPEAT_DAYS", 7))
    # The pre-departure checklist: the employee is reminded of its missing items when the mission starts within
    # CHECKLIST_REMINDER_DAYS (again every REMINDER_REPEAT_DAYS), the BRI within CHECKLIST_ESCALATION_DAYS (daily).
    CHECKLIST_REMINDER_DAYS = int(os.environ.get("CHECKLIST_REMINDER_DAYS", 14))
    CHECKLIST_ESCALATION_DAYS = int(os.environ.get("CHECKLIST_ESCALATION_DAYS", 3))

    # IATI 2.03 publication (app/projects/iati.py): the city's organisation identifier as registered with IATI, its
    # name and its type (the standard's OrganisationType code list: 11 local government). The default identifier is
    # a fictional one for demonstration and development ("CA-MUN-" + the city's code in Québec's register of
    # municipalities): set the real one before publishing the file anywhere.
    IATI_ORGANISATION_ID = os.environ.get("IATI_ORGANISATION_ID", "CA-MUN-66023")
    IATI_ORGANISATION_NAME = os.environ.get("IATI_ORGANISATION_NAME", "Ville de Montréal")
    IATI_ORGANISATION_TYPE = os.environ.get("IATI_ORGANISATION_TYPE", "11")
    # How long browsers and proxies may keep a public project page (seconds).
    PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", 300))
    # The host partner's confirmation of a mission: its signed link opens for this many days; with
    # PARTNER_CONFIRMATION_AUTO the link goes to the partner's first active contact as soon as the manager approves.
    PARTNER_CONFIRMATION_DAYS = int(os.environ.get("PARTNER_CONFIRMATION_DAYS", 14))
    PARTNER_CONFIRMATION_AUTO = _env_bool("PARTNER_CONFIRMATION_AUTO")
    # Tries of the partner's page per address (an unknown link answers 404 all the same).
    PARTNER_LINK_RATE_LIMIT = os.environ.get("PARTNER_LINK_RATE_LIMIT", "30 per minute")

    ITEMS_PER_PAGE = 20
    # The city's in-kind contribution per working day of a mission, when the cycle sets none (CAD).
    IN_KIND_DAILY_RATE = os.environ.get("IN_KIND_DAILY_RATE", "450.00")

    @classmethod
    def init_app(cls, app) -> None:
        pass


class DevelopmentConfig(Config):
    MAIL_SEND_AFTER_COMMIT = _env_bool("MAIL_SEND_AFTER_COMMIT", True)
    MAIL_ECHO = _env_bool("MAIL_ECHO", True)

    @classmethod
    def init_app(cls, app) -> None:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _instance_secret_key()
        if app.config.get("SQLALCHEMY_DATABASE_URI"):
            app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
        else:
            INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
            app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{INSTANCE_DIR / 'conges.db'}"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - fixed key for the test suite only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    SERVER_NAME = None
    # Hashing is deliberately slow; the suite creates thousands of users, so it uses a cheap setting.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - an algorithm name
    MAIL_SERVER = None
    STORAGE_BACKEND = "local"  # the tests that use the object store say so
    REFERENCE_CACHE_URL = "memory://"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init_app(cls, app) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                "Production configuration refuses to start: set the environment variable(s) "
                + ", ".join(missing)
                + " (see README.md, section Configuration)."
            )
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ["DATABASE_URL"])
        # The login throttling must be shared by every worker and host: a memory store counts per process.
        storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        if storage.startswith("memory://") and not _env_bool("RATELIMIT_ALLOW_MEMORY"):
            raise RuntimeError(
                "Production configuration refuses to start: RATELIMIT_STORAGE_URI is memory://, which counts login "
                "failures per worker. Set RATELIMIT_STORAGE_URI=redis://HOST:6379 (see README.md, section "
                "Configuration), or RATELIMIT_ALLOW_MEMORY=1 for a single-process installation."
            )
        app.config["RATELIMIT_STORAGE_URI"] = storage
        cls._check_file_store(app)

    @classmethod
    def _check_file_store(cls, app) -> None:
        """Several hosts must share one store of files: a local folder is refused unless said to be shared."""
        backend = os.environ.get("STORAGE_BACKEND", "local").strip().lower()
        app.config["STORAGE_BACKEND"] = backend
        for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PREFIX"):
            app.config[name] = os.environ.get(name, "" if name == "S3_PREFIX" else None)
        if backend == "local" and not _env_bool("UPLOAD_FOLDER_SHARED"):
            raise RuntimeError(
                "Production configuration refuses to start: STORAGE_BACKEND is local, so attachments are written to "
                "UPLOAD_FOLDER on this host only and the other hosts would not find them. Set STORAGE_BACKEND=s3 and "
                "S3_BUCKET (see README.md, section Configuration), or UPLOAD_FOLDER_SHARED=1 when UPLOAD_FOLDER is a "
                "folder every host mounts (NFS...) or there is a single host."
            )


config = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
