"""Command-line commands: `flask --app app ...` and the `sourcecheck` console script."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import questionsets, store
from .db import connect, get_db, migrate


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
    migrate(get_db())
    report = store.load_folder(get_db(), folder or current_app.config["QUESTIONS_DIR"])
    _echo_report(report)
    if report.problems:
        raise SystemExit(1)


@click.command("check-questions")
@click.argument("path")
def check_questions_command(path: str) -> None:
    """Check question-set files at PATH (a file or a folder) and list every problem."""
    raise SystemExit(questionsets.main(["check", path]))


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path: str) -> None:
    """Copy the live database to PATH, consistently, while the app keeps serving."""
    target = connect(path)
    try:
        # SQLite's online backup copies a consistent snapshot even during writes.
        get_db().backup(target)
    finally:
        target.close()
    click.echo(f"Backed up {current_app.config['DATABASE']} to {path}.")


def _echo_report(report: store.LoadReport) -> None:
    for line in report.problems:
        click.echo(line, err=True)
    click.echo(f"Question sets: {len(report.added)} added, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged, {len(report.problems)} problems.")


def prepare(app: Flask) -> None:
    """Create or upgrade the database and load the bundled sets: what every start does."""
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
        _echo_report(store.load_folder(db, app.config["QUESTIONS_DIR"]))
    finally:
        db.close()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, help="Worker threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Prepare the database and serve SourceCheck with waitress."""
    import waitress

    from . import create_app

    app = create_app()
    prepare(app)
    click.echo(f"SourceCheck is at http://{host}:{port}/")
    waitress.serve(app, host=host, port=port, threads=threads, ident="SourceCheck")


@click.group()
def main() -> None:
    """SourceCheck: a media-literacy quiz that a school runs itself."""


main.add_command(serve)

COMMANDS = (init_db_command, load_questions_command, check_questions_command, backup_command)


def init_app(app: Flask) -> None:
    """Register the flask commands."""
    for command in COMMANDS:
        app.cli.add_command(command)
