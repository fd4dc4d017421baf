"""Configuration: defaults here, then ``instance/config.py``, then ``COP_*`` environment variables,
then the overrides passed to :func:`cop.create_app`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

# Every setting that may come from the environment, with the type it is read as.
ENVIRONMENT_SETTINGS: dict[str, type] = {
    "ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_SENDER": str,
    "MAIL_WRITE_TO_FOLDER": bool,
    "RATELIMIT_STORAGE_URI": str,
    "LOGIN_RATE_LIMIT": str,
    "LOGIN_ADDRESS_RATE_LIMIT": str,
    "BASE_URL": str,
    "DOCUMENT_MAX_BYTES": int,
    "TRANSLATION_PROVIDER": str,
    "TRANSLATION_URL": str,
    "TRANSLATION_API_KEY": str,
    "TRANSLATION_TIMEOUT": float,
    "PROXY_COUNT": int,
    "LOG_FORMAT": str,
    "QUEUE_URL": str,
    "WORKER_THREADS": int,
    "INTERPRETING_SOLO_LIMIT_MINUTES": int,
    "INTERPRETING_CANCELLATION_TERMS": str,
    "RETENTION_YEARS": int,
    "TIME_ZONE": str,
    "STORED_PAGE_SECONDS": float,
    "STORED_PAGES_MAX_BYTES": int,
}


class Defaults:
    ENV = "development"
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Where the installation is: moments that belong to no visit (the audit log, the consent
    # register) are shown on its clock, its city named.
    TIME_ZONE = "Europe/London"
    LANGUAGES = ("en", "fr")
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "cop <no-reply@cop.example>"
    MAIL_WRITE_TO_FOLDER: bool | None = None  # None: yes in development, no elsewhere
    MAIL_TIMEOUT = 10
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in attempts (and reset requests) per account, and per network address: an office
    # behind one address must not lock all its people out when one of them mistypes.
    LOGIN_RATE_LIMIT = "10 per minute"
    LOGIN_ADDRESS_RATE_LIMIT = "60 per minute"
    PASSWORD_RESET_MAX_AGE = 60 * 60  # one hour
    # How new passwords are hashed (Werkzeug's method string); only tests make it cheaper.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    BASE_URL = "http://127.0.0.1:5000"
    PAGE_SIZE = 25
    DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    TRANSLATION_PROVIDER = "libretranslate"
    TRANSLATION_URL = ""
    TRANSLATION_API_KEY = ""
    TRANSLATION_TIMEOUT = 10.0
    # How many reverse proxies stand in front (their X-Forwarded-* headers are then trusted).
    PROXY_COUNT = 0
    # "text" for people reading a terminal, "json" for a log collector; json in production.
    LOG_FORMAT = ""
    # Where tasks wait for workers (cop.queue): empty is instance/queue.sqlite.
    QUEUE_URL = ""
    # Tasks one `cop worker` runs at once (mostly waiting on mail servers and translators).
    WORKER_THREADS = 4
    # Simultaneous interpreting one interpreter may do alone (AIIC: a team of two beyond ~30 min).
    INTERPRETING_SOLO_LIMIT_MINUTES = 30
    # The cancellation terms a new booking starts with ("days: percent", shortest notice the
    # dearest), as interpreters' contracts commonly set them; the organiser changes them per
    # booking.
    INTERPRETING_CANCELLATION_TERMS = "30: 50, 7: 100"
    # Personal data of visits that ended longer ago than this is removed (0: kept).
    RETENTION_YEARS = 0
    # A signed-in page marked to be kept (cop.stored_pages) is served again as rendered, to the
    # same reader, while no data changed, for at most this long (0: every page is rendered).
    STORED_PAGE_SECONDS = 60.0
    # What each server process keeps of such pages, at most.
    STORED_PAGES_MAX_BYTES = 32 * 1024 * 1024


def parse_environment_value(raw: str, kind: type) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(raw)
    if kind is float:
        return float(raw)
    return raw


def settings_from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    for name, kind in ENVIRONMENT_SETTINGS.items():
        raw = environ.get(f"COP_{name}")
        if raw is not None and raw != "":
            found[name] = parse_environment_value(raw, kind)
    return found


def sqlite_url(instance_path: str | Path) -> str:
    return f"sqlite:///{Path(instance_path) / 'cop.sqlite'}"


def load_or_create_secret_key(instance_path: str | Path) -> str:
    """Read the secret key kept in the instance folder, creating it on first run.

    There is deliberately no fixed default: a key in the source would sign every installation's
    sessions and links alike."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def engine_options(database_url: str) -> dict[str, Any]:
    if database_url.startswith("sqlite"):
        # The busy timeout lets concurrent writers wait instead of failing at once.
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}


class ConfigurationError(RuntimeError):
    """Settings that would make cop unsafe or useless in production."""


def production_problems(config: dict[str, Any], secret_was_given: bool) -> list[str]:
    """What must be set before cop may run in production, in words an operator can act on."""
    problems = []
    if not secret_was_given:
        problems.append("COP_SECRET_KEY is not set (a long random string, kept secret).")
    url = config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not url.startswith("postgresql"):
        problems.append("COP_DATABASE_URL must name a PostgreSQL database.")
    if not config.get("MAIL_SERVER"):
        problems.append("COP_MAIL_SERVER is not set: invitations and reminders could not go out.")
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        problems.append(
            "COP_RATELIMIT_STORAGE_URI must name storage every worker shares (for example "
            "redis://127.0.0.1:6379/0): with memory:// each worker counts sign-in attempts alone."
        )
    if not str(config.get("QUEUE_URL", "")).startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            "COP_QUEUE_URL must name the Redis every app server and worker shares (for example "
            "redis://127.0.0.1:6379/1): mail and background work wait there for the workers."
        )
    if not str(config.get("BASE_URL", "")).startswith("https://"):
        problems.append("COP_BASE_URL must be the site's https:// address, used in mailed links.")
    return problems
