"""SourceCheck: a media-literacy quiz that a school runs itself."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# A wheel carries templates/, static/ and questions/ inside the package (pyproject.toml maps
# them there); a checkout keeps them beside it, at the top level.
INSTALLED = (PACKAGE / "templates").is_dir()
DATA = PACKAGE if INSTALLED else ROOT


def _instance_path() -> str:
    """Return the instance folder: SOURCECHECK_INSTANCE, else instance/ of the checkout.

    Installed from a wheel there is no checkout, and site-packages is no place for a
    database: the folder is instance/ in the current directory.
    """
    if os.environ.get("SOURCECHECK_INSTANCE"):
        return os.environ["SOURCECHECK_INSTANCE"]
    return str((Path.cwd() if INSTALLED else ROOT) / "instance")


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the SourceCheck app."""
    app = Flask(
        __name__,
        instance_path=_instance_path(),
        instance_relative_config=True,
        template_folder=str(DATA / "templates"),
        static_folder=str(DATA / "static"),
    )
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "sourcecheck.sqlite"),
        QUESTIONS_DIR=str(DATA / "questions"),
        # A student may read the article for a long time before submitting.
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        BOOTSTRAP_SERVE_LOCAL=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        # Werkzeug's default hash; a method name, not a password.
        PASSWORD_HASH_METHOD="scrypt",  # noqa: S106  # nosec B106
        # Sign-in failures allowed in the window: for one username from one address; from
        # one address for any username; for one username from anywhere but its last address.
        LOGIN_ATTEMPTS=5,
        LOGIN_ADDRESS_ATTEMPTS=30,
        LOGIN_ACCOUNT_ATTEMPTS=100,
        LOGIN_WINDOW_MINUTES=15,
        JOIN_ATTEMPTS=20,
        JOIN_WINDOW_MINUTES=15,
        TRUSTED_PROXIES=0,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    app.config.from_prefixed_env("SOURCECHECK")
    _private_folder(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")

    from . import cli, db, errors, extensions, presentation, views
    from .numbers import url_converter

    app.url_map.converters["int"] = url_converter()  # before any route is registered

    extensions.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    presentation.init_app(app)
    cli.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy, take the client's address and scheme from its headers, so
        # sign-in throttling counts students' and teachers' own addresses, not the proxy's.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    views.init_app(app)
    return app


def _private_folder(path: str) -> None:
    """Make the instance folder (database, secret key) readable by its owner only."""
    from .db import private_files

    with private_files():
        os.makedirs(path, mode=0o700, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder owned by someone else stays as it is
        os.chmod(path, 0o700)


def _instance_secret(path: Path) -> str:
    """Read this install's secret key, making one on first start."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
