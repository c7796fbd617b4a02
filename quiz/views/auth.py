"""Teacher accounts: sign in and out (throttled), the one-time setup link, passwords."""

from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
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
        self.session_version = row["session_version"]

    def get_id(self) -> str:
        """Name the teacher and their session version, so old sessions can be ended."""
        return f"{self.id}:{self.session_version}"


@login_manager.user_loader
def load_teacher(user_id: str) -> Teacher | None:
    """Load the session's teacher, unless a sign-out or new password has ended that session."""
    # A session from before session versions names no version: it counts as version 0, so
    # it ends, like every other, at the teacher's next sign-out or password change.
    teacher_id, _, version = user_id.partition(":")
    if not (teacher_id.isdigit() and (version or "0").isdigit()):
        return None
    row = queries.teacher_by_id(get_db(), int(teacher_id))
    return Teacher(row) if row and row["session_version"] == int(version or 0) else None


def teacher_signed_in() -> bool:
    """Tell whether a teacher is signed in, loading no one for a session that names none."""
    # Only login_user puts _user_id in the session, and there is no request loader, so
    # without it (or a remember-me cookie, which SourceCheck never sets) Flask-Login's loader
    # can only find the anonymous user: a student skips it, its session-protection hash and
    # the "_fresh" it would write into every student's cookie.
    if "_user_id" not in session and current_app.config.get(
            "REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies:
        return False
    return current_user.is_authenticated


def create_teacher(db, username: str, password: str) -> int:
    """Create a teacher account with a hashed password."""
    return transactions.add_teacher(db, username, hash_password(password))


def create_first_teacher(db, token: str, username: str, password: str) -> int | None:
    """Use up a setup token and create the first account in one transaction.

    Return None when the token was used first by another request, or a teacher exists.
    """
    password_hash = hash_password(password)  # slow on purpose: before the write lock
    return transactions.add_first_teacher(db, _hash_token(token), username, password_hash)


# Characters a browser drops or a header cannot carry: such a `next` is never followed.
_UNSAFE_IN_NEXT = frozenset(chr(c) for c in (*range(0x20), 0x7F)) | {"\\"}


def safe_next(target: str | None) -> str | None:
    """Return *target* if it is a path on this site, else None."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or not target.isascii() or _UNSAFE_IN_NEXT.intersection(target)):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def client_address() -> str:
    """Return the address a request came from (the client's own behind a trusted proxy)."""
    return request.remote_addr or "unknown"


def throttle_wait(db, username: str, address: str, last_address: str | None = None) -> int:
    """Return the minutes a sign-in must wait (0 when it may go ahead).

    Three limits: failures for this username from this address (the strict one), from this
    address for any username, and for this username from anywhere. The last applies to no
    one at the address the account last signed in from, so guesses from elsewhere cannot
    lock the owner out.
    """
    config = current_app.config
    window = config["LOGIN_WINDOW_MINUTES"] * 60
    now = time.time()
    counts = queries.recent_login_failures(db, username, address, now - window)
    limits = {"pair": config["LOGIN_ATTEMPTS"], "address": config["LOGIN_ADDRESS_ATTEMPTS"],
              "account": config["LOGIN_ACCOUNT_ATTEMPTS"]}
    if last_address is not None and last_address == address:
        del limits["account"]
    waits = [oldest + window - now for scope, (count, oldest) in counts.items()
             if scope in limits and count >= limits[scope]]
    return max(1, int(max(waits) // 60) + 1) if waits else 0


def record_failure(db, username: str, address: str) -> None:
    """Remember a failed sign-in and forget those older than the window."""
    transactions.record_login_failure(db, username, address, time.time(),
                                      current_app.config["LOGIN_WINDOW_MINUTES"] * 60)


def _wait_message(wait: int) -> str:
    return f"Too many failed sign-ins. Wait {wait} minute{'s' * (wait > 1)} and try again."


def _form_page(form, title: str, button: str, status: int = 200):
    return render_template("auth/form.html", form=form, title=title, button=button), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign a teacher in; after too many failures, ask them to wait."""
    form = LoginForm()
    if form.validate_on_submit():
        db, address = get_db(), client_address()
        row = queries.teacher_by_username(db, form.username.data)
        wait = throttle_wait(db, form.username.data, address, row and row["last_address"])
        if wait:
            flash(_wait_message(wait), "error")
            return _form_page(form, "Teacher sign-in", "Sign in", 429)
        stored = row["password_hash"] if row else dummy_hash()
        if check_password_hash(stored, form.password.data) and row is not None:
            transactions.record_sign_in(db, row["id"], address)
            login_user(Teacher(row))
            return redirect(safe_next(request.args.get("next")) or url_for("teacher.dashboard"))
        record_failure(db, form.username.data, address)
        flash("That username and password do not match.", "error")
    return _form_page(form, "Teacher sign-in", "Sign in")


@bp.post("/logout")
def logout():
    """Sign the teacher out, here and in every other browser they signed in from."""
    if ButtonForm().validate_on_submit():
        if current_user.is_authenticated:
            transactions.end_sessions(get_db(), current_user.id)
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("student.index"))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_setup_token(db) -> str:
    """Make a one-time setup token for the first teacher account; earlier ones stop working."""
    token = secrets.token_urlsafe(24)
    transactions.replace_setup_token(db, _hash_token(token))
    return token


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the first teacher account from the link printed at start."""
    db = get_db()
    if queries.count_teachers(db) or not queries.setup_token_exists(db, _hash_token(token)):
        abort(404)
    form = NewTeacherForm()
    if form.validate_on_submit():
        teacher_id = create_first_teacher(db, token, form.username.data, form.password.data)
        if teacher_id is None:
            flash("This setup link was used a moment ago by someone else: no account was "
                  "created. Sign in with the account made there.", "error")
            return redirect(url_for(".login"))
        login_user(Teacher(queries.teacher_by_id(db, teacher_id)))
        flash("Your teacher account is ready.", "success")
        return redirect(url_for("teacher.dashboard"))
    return _form_page(form, "Create the first teacher account", "Create account")


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
    return _form_page(form, "New teacher account", "Create account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the signed-in teacher's password; every other session of theirs ends."""
    form = ChangePasswordForm()
    form.owner = current_user.username
    if form.validate_on_submit():
        db, address = get_db(), client_address()
        row = queries.teacher_by_id(db, current_user.id)
        # The current password is guessable here as at sign-in: the same throttle applies.
        wait = throttle_wait(db, row["username"], address, row["last_address"])
        if wait:
            flash(_wait_message(wait), "error")
            return _form_page(form, "Change your password", "Change password", 429)
        if not check_password_hash(row["password_hash"], form.current.data):
            record_failure(db, row["username"], address)
            form.current.errors.append("That is not your current password.")
        else:
            transactions.change_password(db, row["id"], hash_password(form.password.data))
            login_user(Teacher(queries.teacher_by_id(db, row["id"])))  # this session goes on
            flash("Your password is changed. Other browsers signed in as you are signed out.",
                  "success")
            return redirect(url_for("teacher.dashboard"))
    return _form_page(form, "Change your password", "Change password")
