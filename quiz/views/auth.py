"""Teacher accounts: sign in and out (throttled), the one-time setup link, passwords."""

from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from werkzeug.security import check_password_hash, generate_password_hash

from .. import queries, transactions
from ..db import get_db
from ..forms import ButtonForm, ChangePasswordForm, LoginForm, NewTeacherForm

bp = Blueprint("auth", __name__, url_prefix="/teacher")
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"

_dummy_hashes: dict[str, str] = {}


def hash_password(password: str) -> str:
    """Hash a password with the configured method (Werkzeug's default: scrypt)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def dummy_hash() -> str:
    """Return a hash to check against when the username does not exist.

    A wrong username then costs the same time as a wrong password, so sign-in does not
    reveal which usernames exist.
    """
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = hash_password("not a real password")
    return _dummy_hashes[method]


class Teacher(UserMixin):
    """The signed-in teacher."""

    def __init__(self, row):
        self.id = row["id"]
        self.username = row["username"]


@login_manager.user_loader
def load_teacher(teacher_id: str) -> Teacher | None:
    row = queries.teacher_by_id(get_db(), int(teacher_id))
    return Teacher(row) if row else None


def create_teacher(db, username: str, password: str) -> int:
    """Create a teacher account with a hashed password."""
    return transactions.add_teacher(db, username, hash_password(password))


def safe_next(target: str | None) -> str | None:
    """Return *target* if it is a path on this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def throttle_wait(db, username: str, address: str) -> int:
    """Return the minutes a sign-in must wait (0 when it may go ahead)."""
    window = current_app.config["LOGIN_WINDOW_MINUTES"] * 60
    now = time.time()
    by_user, by_address, oldest = queries.recent_login_failures(db, username, address,
                                                                now - window)
    if max(by_user, by_address) < current_app.config["LOGIN_ATTEMPTS"]:
        return 0
    return max(1, int((oldest + window - now) // 60) + 1)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign a teacher in; after too many failures, ask them to wait."""
    form = LoginForm()
    if form.validate_on_submit():
        db, address = get_db(), request.remote_addr or "unknown"
        wait = throttle_wait(db, form.username.data, address)
        if wait:
            flash(f"Too many failed sign-ins. Wait {wait} minute{'s' * (wait > 1)} and try "
                  "again.", "error")
            return render_template("auth/form.html", form=form, title="Teacher sign-in",
                                   button="Sign in"), 429
        row = queries.teacher_by_username(db, form.username.data)
        stored = row["password_hash"] if row else dummy_hash()
        if check_password_hash(stored, form.password.data) and row is not None:
            login_user(Teacher(row))
            return redirect(safe_next(request.args.get("next")) or url_for("teacher.dashboard"))
        transactions.record_login_failure(db, form.username.data, address, time.time())
        flash("That username and password do not match.", "error")
    return render_template("auth/form.html", form=form, title="Teacher sign-in", button="Sign in")


@bp.post("/logout")
def logout():
    """Sign the teacher out."""
    if ButtonForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("student.index"))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_setup_token(db) -> str:
    """Make a one-time setup token for the first teacher account and return it."""
    token = secrets.token_urlsafe(24)
    transactions.add_setup_token(db, _hash_token(token))
    return token


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the first teacher account from the link printed at first start."""
    db = get_db()
    if queries.count_teachers(db) or not queries.setup_token_exists(db, _hash_token(token)):
        abort(404)
    form = NewTeacherForm()
    if form.validate_on_submit():
        teacher_id = transactions.add_first_teacher(db, form.username.data,
                                                    hash_password(form.password.data))
        login_user(Teacher(queries.teacher_by_id(db, teacher_id)))
        flash("Your teacher account is ready.", "success")
        return redirect(url_for("teacher.dashboard"))
    return render_template("auth/form.html", form=form, title="Create the first teacher account",
                           button="Create account")


@bp.route("/teachers/new", methods=["GET", "POST"])
@login_required
def new_teacher():
    """Let a signed-in teacher create another teacher's account."""
    form = NewTeacherForm()
    if form.validate_on_submit():
        create_teacher(get_db(), form.username.data, form.password.data)
        flash(f"Account {form.username.data} created. Give them the password in person.",
              "success")
        return redirect(url_for("teacher.dashboard"))
    return render_template("auth/form.html", form=form, title="New teacher account",
                           button="Create account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the signed-in teacher's password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_db()
        row = queries.teacher_by_id(db, current_user.id)
        if not check_password_hash(row["password_hash"], form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            transactions.change_password(db, row["id"], hash_password(form.password.data))
            flash("Your password is changed.", "success")
            return redirect(url_for("teacher.dashboard"))
    return render_template("auth/form.html", form=form, title="Change your password",
                           button="Change password")
