"""The `sourcecheck` command; each of its commands also runs as `flask --app app ...`."""

from __future__ import annotations

import os
import sys

import click
import yaml
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from . import caches, imports, network, queries, questionsets, setchecks, transactions
from .db import connect, get_db, migrate, tighten
from .views import summaries


def _db():
    """Return the app's connection with the schema brought up to date first."""
    db = get_db()
    migrate(db)
    return db


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema."""
    click.echo(f"Database at schema version {migrate(get_db())}.")


@click.command("load-questions")
@click.argument("folder", required=False)
@with_appcontext
def load_questions_command(folder: str | None) -> None:
    """Load (add or update) every question set in FOLDER (default: questions/)."""
    report = transactions.load_folder(_db(), folder or current_app.config["QUESTIONS_DIR"])
    _echo_report(report)
    if report.problems:
        raise SystemExit(1)


@click.command("check-questions")
@click.argument("path", type=click.Path(exists=True))
def check_questions_command(path: str) -> None:
    """Check question-set files at PATH (a file or a folder); list problems and give-aways."""
    documents, problems = questionsets.check(path)
    for line in problems:
        click.echo(line)
    for doc in documents:
        # Give-aways are warnings: the set still loads, but a student can guess the key.
        for finding in setchecks.findings(doc):
            click.echo(f"warning: {doc['id']}: {finding}")
        click.echo(f"ok: {doc['id']} ({len(doc['questions'])} questions)")
    if problems:
        raise SystemExit(1)


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path: str) -> None:
    """Copy the live database to PATH, consistently, while the app keeps serving."""
    tighten(path)  # an existing file is overwritten: it becomes private like a new one
    target = connect(path)  # a new file is created 0600: it holds children's names and scores
    try:
        # SQLite's online backup copies a consistent snapshot even during writes.
        _db().backup(target)
    finally:
        target.close()
    click.echo(f"Backed up {current_app.config['DATABASE']} to {path}.")


@click.command("create-teacher")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_teacher_command(username: str, password_stdin: bool) -> None:
    """Create a teacher account (asks for the password)."""
    from .forms import password_problem, username_problem
    from .views.auth import create_teacher

    problem = username_problem(username)
    if problem:
        raise click.ClickException(f"'{username}' is not a valid username. {problem}")
    if queries.teacher_by_username(_db(), username):
        raise click.ClickException(f"The username '{username}' is taken.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username)
    if problem:
        raise click.ClickException(problem)
    create_teacher(get_db(), username, password)
    click.echo(f"Teacher account '{username}' created.")


@click.command("import-set")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", help="The teacher who owns the set (default: a bundled set).")
@with_appcontext
def import_set_command(file: str, owner: str | None) -> None:
    """Import a question set from a YAML, GIFT or Moodle XML file; nothing is imported if it
    is invalid. Print each question, each note and skip, and the new set's id."""
    db = _db()
    owner_row = queries.teacher_by_username(db, owner) if owner else None
    if owner and owner_row is None:
        raise click.ClickException(f"No teacher is called '{owner}'.")
    try:
        with open(file, encoding="utf-8-sig") as f:
            result = imports.read_import(os.path.basename(file), f.read(),
                                       current_app.config["QUESTIONS_DIR"])
        document = result.document
        if owner_row:
            # Chosen here so it can be printed: add_teacher_set keeps a free id as it is.
            document = dict(document, id=transactions.free_slug(db, document["id"]))
            transactions.add_teacher_set(db, document, owner_row["id"])
        else:
            transactions.store_document(db, document)
    except (questionsets.InvalidSetError, UnicodeDecodeError) as exc:
        for line in getattr(exc, "problems", [f"{file}: not UTF-8 text"]):
            click.echo(line, err=True)
        raise SystemExit(1) from None
    for q in result.document["questions"]:
        click.echo(f"imported: {q['id']} ({q['type']}) {q['prompt'][:60]}")
    for line in result.skipped:
        click.echo(f"skipped: {line}")
    for line in result.notes:
        click.echo(f"note: {line}")
    click.echo(f"set id: {document['id']}")


@click.command("export-set")
@click.argument("set_slug", metavar="SET")
@click.option("--format", "fmt", type=click.Choice(["yaml", "gift", "xml"]), default="yaml",
              show_default=True)
@with_appcontext
def export_set_command(set_slug: str, fmt: str) -> None:
    """Write a question set (by its id) to standard output as YAML, GIFT or Moodle XML."""
    from . import gift, moodlexml

    db = _db()
    row = queries.set_by_slug(db, set_slug)
    if row is None:
        raise click.ClickException(f"No question set has the id '{set_slug}'.")
    document = caches.shared_document(db, row)
    writers = {"yaml": questionsets.to_yaml,
               "gift": lambda d: gift.dump(d["questions"], d.get("texts")),
               "xml": lambda d: moodlexml.dump(d["questions"], d["title"], d.get("texts"))}
    click.echo(writers[fmt](document), nl=False)


@click.command("read-article")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, for scripts.")
def read_article_command(file: str, as_json: bool) -> None:
    """Print the attribution reader's result for an article, sentence by sentence."""
    from . import attribution

    text, marks = _read_article(file)
    if marks is None:
        text = attribution.strip_header(text)
        marks = attribution.guess_marks(text)
    readings = attribution.read_article(text, marks)
    click.echo(attribution.to_json(readings) if as_json else attribution.format_text(readings))


@click.command("sentences")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def sentences_command(file: str) -> None:
    """Print the numbered sentences of an article file or a set file, as questions use them."""
    from .sentences import split_article

    text, marks = _read_article(file)
    for s in split_article(text, marks):
        tag = "" if s.kind == "body" else f" [{s.kind}]"
        click.echo(f"{s.number:3}{tag} {s.text}")


def _read_article(file: str) -> tuple[str, dict | None]:
    """Return an article's text and marks from a .txt file, an article .yaml or a set .yaml.

    A text file has no marks (None); a YAML article has its own, possibly none ({}).
    """
    with open(file, encoding="utf-8-sig") as f:
        raw = f.read()
    if not file.endswith((".yaml", ".yml")):
        return raw, None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        raise click.ClickException(f"{file}: not valid YAML.") from None
    if isinstance(data, dict) and isinstance(data.get("article"), dict):  # a whole set file
        data = data["article"]
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise click.ClickException(f"{file}: no article text (a 'text' field) in this file.")
    return data["text"], data.get("marks") or {}


def _echo_report(report: transactions.LoadReport) -> None:
    for line in report.problems:
        click.echo(line, err=True)
    click.echo(f"Question sets: {len(report.added)} added, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged, {len(report.problems)} problems.")


def prepare(app: Flask) -> str | None:
    """Create or upgrade the database and load the bundled sets: what every start does.

    Return a one-time setup token while no teacher account exists.
    """
    from .views.auth import new_setup_token

    tighten(app.config["DATABASE"])  # files of installs from before they were made private
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
        _echo_report(transactions.load_folder(db, app.config["QUESTIONS_DIR"]))
        return None if queries.count_teachers(db) else new_setup_token(db)
    finally:
        db.close()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True,
              help="Worker threads (gunicorn: in all, shared among its processes).")
@click.option("--server", type=click.Choice(["auto", "waitress", "gunicorn"]), default="auto",
              show_default=True,
              help="auto: gunicorn on Linux and macOS (two processes, both cores), waitress on "
                   "Windows, where gunicorn does not run.")
def serve(host: str, port: int, threads: int, server: str) -> None:
    """Prepare the database and serve SourceCheck with gunicorn or waitress."""
    from . import create_app

    if server == "auto":
        server = "waitress" if sys.platform == "win32" else "gunicorn"
    app = create_app()
    token = prepare(app)
    # Which checkout is served: benchmarks check it (a PYTHONPATH can shadow the install).
    click.echo(f"Serving the code in {os.path.dirname(os.path.abspath(__file__))}")
    click.echo(f"SourceCheck is at http://{host}:{port}/")
    click.echo("\n".join(network.start_up_lines(host, port)))
    if token:
        click.echo("No teacher account exists yet. Create the first one at this one-time link:\n"
                   f"  http://{host}:{port}/teacher/setup/{token}\n"
                   "(or run: sourcecheck create-teacher USERNAME)")
    if server == "gunicorn":
        _serve_gunicorn(app, host, port, threads)
        return
    import waitress

    # waitress reads each request whole before a thread gets it; channel_timeout closes a
    # connection idle that long, checked every cleanup_interval (30 s by default: too coarse).
    # ident is the generic `Server` header it sends.
    timeout = client_timeout(app)
    waitress.serve(app, host=host, port=port, threads=threads, ident="SourceCheck",
                   channel_timeout=timeout, cleanup_interval=max(1.0, timeout / 2))


def client_timeout(app: Flask) -> float:
    """Return the CLIENT_TIMEOUT setting: how long a client may stall a request."""
    value = app.config.get("CLIENT_TIMEOUT", 10)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise click.ClickException(f"CLIENT_TIMEOUT must be a number of seconds, not {value!r}.")
    return float(value)


def _serve_gunicorn(app: Flask, host: str, port: int, threads: int) -> None:
    """Serve with gunicorn: two processes, so a class's burst can use two cores.

    waitress is one process, so Python's lock keeps it to one core whatever its threads;
    measured in benchmarks/class_burst.py. The worker (quiz/serving.py) reads each request
    whole before a thread gets it, so stalled clients hold no thread. No database
    connection is open here (`prepare` closes its own), so none crosses the fork.
    """
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise click.ClickException("gunicorn is not installed: .venv/bin/pip install gunicorn "
                                   "(Linux or macOS), or serve with waitress.") from None

    from .serving import ReadAheadWorker

    workers = 2
    worker = ReadAheadWorker.configure(client_timeout(app), app.config["MAX_CONTENT_LENGTH"])
    options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": worker,
               "threads": max(1, threads // workers),
               # gunicorn >= 25 opens a control socket at one fixed path per user by default.
               "control_socket_disable": True}

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # older gunicorn has no control socket
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Server().run()


def _create_app() -> Flask:
    """Build the app for a command that needs one (FlaskGroup calls this without arguments)."""
    from . import create_app

    return create_app()


# One definition of each command, two ways in: `sourcecheck X` (the console script, which
# works without activating the virtual environment) and `flask --app app X`. FlaskGroup
# builds the app only for a command that needs it, so `serve` and the file checks start
# without one.
main = FlaskGroup(name="sourcecheck", create_app=_create_app, add_default_commands=False,
                  add_version_option=False,  # it would print Flask's version, not ours
                  load_dotenv=False,
                  help="SourceCheck: a media-literacy quiz that a school runs itself.")

COMMANDS = (init_db_command, load_questions_command, check_questions_command, backup_command,
            create_teacher_command, import_set_command, export_set_command, read_article_command,
            sentences_command, summaries.export_results_command)

main.add_command(serve)
for _command in COMMANDS:
    main.add_command(_command)


def init_app(app: Flask) -> None:
    """Register the commands with the app, for `flask --app app ...`."""
    for command in COMMANDS:
        app.cli.add_command(command)
