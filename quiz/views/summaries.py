"""Score summaries for teachers: a class's sets, item analysis, students, CSV for gradebooks."""

from __future__ import annotations

import json
import math

import click
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.cli import with_appcontext

from .. import analysis, caches, exports, feedback, psychometrics, queries
from ..db import get_db
from .access import own_class

bp = Blueprint("summaries", __name__, url_prefix="/classes/<int:class_id>/summary")

GRID_PAGE = 100  # students per page of the grid


def questions_of(db, class_id: int, set_id: int, current: dict) -> tuple[list[dict], list[int]]:
    """Return the questions to analyse (every version the class answered) and those versions."""
    versions = queries.answered_versions(db, class_id, set_id)
    documents = [caches.document_of(v) for v in versions] or [current]
    return analysis.merged_questions(documents), [v["number"] for v in versions]


def compute_summary(db, class_id: int, set_id: int, current: dict,
                    pick: str = "first") -> analysis.SetSummary:
    """Return the summary of one class at one set, brought up to date with its attempts.

    READ ONLY: the same object serves every request until the class's attempts change.
    """
    if pick not in analysis.PICKS:
        raise ValueError(f"pick must be one of {analysis.PICKS}, not {pick!r}")
    file, *mark = queries.summary_mark(db, class_id, set_id)
    if not mark[0]:  # no attempt: nothing to read, and the current document gives the questions
        return _state(db, class_id, set_id, current, pick).summary()
    return caches.set_summary(
        (file, class_id, set_id, pick), tuple(mark),
        lambda: build_state(db, class_id, set_id, current, pick),
        lambda state: catch_up(db, class_id, set_id, state),
        lambda data: restore_state(db, class_id, set_id, current, pick, data))


def _state(db, class_id: int, set_id: int, current: dict, pick: str) -> analysis.SummaryState:
    """Return an empty state for the versions the class answered."""
    versions = queries.answered_versions(db, class_id, set_id)
    documents = {v["id"]: caches.document_of(v) for v in versions}
    return analysis.SummaryState(pick, analysis.merged_questions(list(documents.values())
                                                                 or [current]),
                                 documents, [v["number"] for v in versions])


def build_state(db, class_id: int, set_id: int, current: dict,
                pick: str) -> analysis.SummaryState:
    """Count every picked attempt of a class at a set (after a restart or a change that is
    not a new attempt): one snapshot of the database, so the counts match their mark."""
    with queries.read_snapshot(db):
        state = _state(db, class_id, set_id, current, pick)
        ids = queries.picked_ids(db, class_id, set_id, pick)
        state.load(queries.summary_mark(db, class_id, set_id),
                   queries.picked_attempts(db, ids), queries.responses_of(db, ids))
    return state


def restore_state(db, class_id: int, set_id: int, current: dict, pick: str,
                  data: dict) -> analysis.SummaryState | None:
    """Return the state a snapshot kept (`SummaryState.dump`) if it was counted for the
    versions the class answered and its last attempt is still in this database, else None;
    `catch_up` then checks the rest (students removed or merged since change the mark)."""
    state = _state(db, class_id, set_id, current, pick)
    if not state.restore(data):
        return None
    last = queries.picked_attempts(db, json.dumps([state.last_id]))
    # A database made anew at the same path numbers its attempts from 1 again.
    if not last or not state.first_at <= last[0]["created_at"] <= state.last_at:
        return None
    return state


def catch_up(db, class_id: int, set_id: int, state: analysis.SummaryState) -> bool:
    """Count the attempts made since the state was last brought up to date; False when the
    class changed otherwise (a new version, students removed or merged): build it anew."""
    with queries.read_snapshot(db):
        new = queries.attempts_after(db, class_id, set_id, state.last_id)
        if any(a["version_id"] not in state.versions for a in new):
            return False
        ops = state.plan(new)
        ids = json.dumps(sorted({a["id"] for _, a in ops}))
        responses: dict[int, list] = {}
        for r in queries.responses_of(db, ids):
            responses.setdefault(r["attempt_id"], []).append(r)
        for sign, a in ops:
            state.apply(a, responses.get(a["id"], []), sign)
        state.counted()
        return state.mark() == tuple(queries.summary_mark(db, class_id, set_id))[1:]


def grid_students(db, class_id: int, set_id: int, pick: str, limit: int = -1,
                  offset: int = 0) -> list[analysis.GridStudent]:
    """Return the student grid's rows: each student's picked attempt, question by question."""
    ids = queries.picked_ids(db, class_id, set_id, pick)
    return list(analysis.grid(queries.grid_rows(db, class_id, set_id, ids, limit, offset)))


@bp.context_processor
def figures() -> dict:
    """What the summary templates use to draw bars and name skills."""
    return {"width_class": analysis.width_class, "skill_names": feedback.SKILL_NAMES,
            "small_class": psychometrics.SMALL_CLASS}


def _pick() -> str:
    pick = request.args.get("pick", "first")
    if pick not in analysis.PICKS:
        abort(404)
    return pick


def _class_set(class_id: int, set_id: int):
    """Return this teacher's class and a set it works on (with its document), or 404."""
    klass = own_class(class_id)
    row = queries.class_set(get_db(), class_id, set_id)
    if row is None:
        abort(404)
    return klass, row, caches.document_of(row)


def _csv(pieces, filename: str) -> Response:
    # content_type, not mimetype: Werkzeug adds a charset to a text/ mimetype, and a second
    # one would make the header ambiguous. Joined, not streamed: one row per student is
    # small, and a failure becomes an error page.
    return Response("".join(pieces), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/")
def class_overview(class_id: int):
    """Show the sets a class works on, with students, attempts and mean score."""
    klass = own_class(class_id)
    sets = [(r, caches.document_of(r)) for r in queries.class_set_overview(get_db(), class_id)]
    return render_template("summaries/class.html", klass=klass, sets=sets)


def _class_csv(db, class_id: int, pick: str):
    """Return the scores CSV of a class: every student at every set, sets named by title."""
    scores = queries.class_scores(db, class_id, pick).fetchall()
    return exports.class_csv(scores, pick, queries.set_titles(db, {r["set_id"] for r in scores}))


@bp.get("/scores.csv")
def class_scores_csv(class_id: int):
    """Download every student's score at every set (one row per student and set)."""
    klass = own_class(class_id)
    pick = _pick()
    return _csv(_class_csv(get_db(), class_id, pick), f"{klass['code']}-scores.csv")


@bp.get("/sets/<int:set_id>")
def set_summary(class_id: int, set_id: int):
    """Show a class's results at one set: scores, item analysis, skills, discernment."""
    klass, row, document = _class_set(class_id, set_id)
    summary = compute_summary(get_db(), class_id, set_id, document, _pick())
    return render_template("summaries/set.html", klass=klass, set_row=row, document=document,
                           s=summary, analysis=analysis)


@bp.get("/sets/<int:set_id>/students")
def student_grid(class_id: int, set_id: int):
    """Show each student's answer to each question: right, partly, wrong or blank."""
    klass, row, document = _class_set(class_id, set_id)
    db, pick = get_db(), _pick()
    page = request.args.get("page", 1, type=int)
    ids = queries.picked_ids(db, class_id, set_id, pick)
    pages = max(1, math.ceil(queries.count_picked(db, ids) / GRID_PAGE))
    if not 1 <= page <= pages:
        abort(404)
    questions, _ = questions_of(db, class_id, set_id, document)
    students = list(analysis.grid(queries.grid_rows(db, class_id, set_id, ids, GRID_PAGE,
                                                    (page - 1) * GRID_PAGE)))
    return render_template("summaries/grid.html", klass=klass, set_row=row, document=document,
                           questions=questions, students=students, pick=pick, page=page,
                           pages=pages)


@bp.get("/sets/<int:set_id>/students.csv")
def grid_csv(class_id: int, set_id: int):
    """Download the student grid: points per question, one row per student."""
    klass, row, document = _class_set(class_id, set_id)
    db, pick = get_db(), _pick()
    questions, _ = questions_of(db, class_id, set_id, document)
    return _csv(exports.grid_csv(grid_students(db, class_id, set_id, pick), questions, pick),
                f"{klass['code']}-{row['slug']}-students-{pick}.csv")


@bp.get("/sets/<int:set_id>/questions.csv")
def questions_csv(class_id: int, set_id: int):
    """Download the per-question table: facility, discrimination, common wrong answers."""
    klass, row, document = _class_set(class_id, set_id)
    pick = _pick()
    summary = compute_summary(get_db(), class_id, set_id, document, pick)
    return _csv(exports.questions_csv(summary),
                f"{klass['code']}-{row['slug']}-questions-{pick}.csv")


def _gains(db, class_id: int):
    """Return the class's paired sets and their gains, or (None, None) while unpaired."""
    pair = queries.gain_pair(db, class_id)
    if pair is None:
        return None, None
    sets = [pair["pre_set_id"], pair["post_set_id"]]
    return pair, analysis.gains(queries.first_attempt_skills(db, class_id, sets), *sets)


@bp.get("/gains")
def gains(class_id: int):
    """Show each student's pre-test and post-test scores, the gains and the class's g."""
    klass = own_class(class_id)
    db = get_db()
    pair, found = _gains(db, class_id)
    titles = queries.set_titles(db, [pair["pre_set_id"], pair["post_set_id"]]) if pair else {}
    return render_template("summaries/gains.html", klass=klass, pair=pair, g=found,
                           titles=titles, analysis=analysis)


@bp.get("/gains.csv")
def gains_csv(class_id: int):
    """Download each student's pre-test and post-test scores and gains, and the class's g."""
    klass = own_class(class_id)
    pair, found = _gains(get_db(), class_id)
    if pair is None:
        abort(404)
    return _csv(exports.gains_csv(found), f"{klass['code']}-gains.csv")


@bp.get("/students/<int:student_id>")
def student_page(class_id: int, student_id: int):
    """Show one student's attempts in the class, question by question."""
    klass = own_class(class_id)
    db = get_db()
    student = queries.student_by_id(db, student_id)
    if student is None or student["class_id"] != class_id:
        abort(404)
    attempts = queries.student_attempts(db, class_id, student_id)
    documents = {v["id"]: caches.document_of(v)
                 for v in queries.versions_by_id(db, {a["version_id"] for a in attempts})}
    set_ids = queries.student_set_ids(db, class_id, student_id)
    skills, progress = analysis.progress(
        queries.first_attempt_skills(db, class_id, set_ids, student_id),
        queries.set_titles(db, set_ids))
    return render_template("summaries/student.html", klass=klass, student=student,
                           by_set=analysis.student_sets(attempts, documents), skills=skills,
                           progress=progress)


@bp.get("/attempts/<token>")
def attempt_page(class_id: int, token: str):
    """Show an attempt as the student saw it, with every explanation (even held ones)."""
    klass = own_class(class_id)
    attempt = queries.attempt_by_token(get_db(), token)
    if attempt is None or attempt["class_id"] != class_id:
        abort(404)
    document = caches.shared_document(get_db(), attempt)
    responses = queries.responses(get_db(), attempt["id"])
    report = feedback.explain_attempt(document, responses)
    return render_template(
        "summaries/attempt.html", klass=klass, attempt=attempt, document=document,
        article=document["article"], report=report,
        highlight={n for r in report for n in r.evidence}, skills=feedback.skill_scores(report),
        held=False, class_holds=bool(attempt["hold_explanations"]),
        discernment=analysis.attempt_discernment(document, responses),
        back=url_for(".student_page", class_id=class_id, student_id=attempt["student_id"])
        if attempt["student_id"] else url_for(".class_overview", class_id=class_id))


@click.command("export-results")
@click.option("--class", "code", required=True, help="The class's join code.")
@click.option("--set", "slug", help="A set's id: its student grid (default: every set's "
                                    "score per student).")
@click.option("--questions", is_flag=True, help="With --set: the per-question table instead.")
@click.option("--pick", type=click.Choice(analysis.PICKS), default="first", show_default=True,
              help="Which attempt of each student counts.")
@with_appcontext
def export_results_command(code: str, slug: str | None, questions: bool, pick: str) -> None:
    """Write a class's results as CSV (UTF-8 with BOM, as downloaded) to standard output."""
    db = get_db()
    klass = queries.class_by_code(db, code.strip().upper())
    if klass is None:
        raise click.ClickException(f"No class has the code '{code}'.")
    if slug is None:
        if questions:
            raise click.ClickException("--questions needs --set.")
        pieces = _class_csv(db, klass["id"], pick)
    else:
        set_row = queries.set_by_slug(db, slug)
        row = set_row and queries.class_set(db, klass["id"], set_row["id"])
        if not row:
            raise click.ClickException(f"The class {code} has no set '{slug}'.")
        document = caches.document_of(row)
        if questions:
            pieces = exports.questions_csv(compute_summary(db, klass["id"], row["id"], document,
                                                           pick))
        else:
            qs, _ = questions_of(db, klass["id"], row["id"], document)
            pieces = exports.grid_csv(grid_students(db, klass["id"], row["id"], pick), qs, pick)
    for piece in pieces:  # bytes: the same UTF-8 (with BOM) as the download, on any console
        click.echo(piece.encode("utf-8"), nl=False)
