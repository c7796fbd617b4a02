"""CSV files of results: UTF-8 with a BOM, one header row, cells a spreadsheet never runs.

Pure: the callers pass the rows (`quiz.queries.summaries`) and figures (`quiz.analysis`);
no Flask and no SQL here, so the downloads and the `export-results` command write the same
bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import presentation
from .analysis import Gains, GainStudent, GridStudent, SetSummary
from .psychometrics import QuestionFigures

# What starts a formula in Excel, LibreOffice or Google Sheets (full-width forms included,
# which some spreadsheets fold to ASCII), and DDE's "|" and ";".
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20",
              "|", ";")
# Characters a spreadsheet may skip before reading a formula: whitespace, zero-width, BOM.
_INVISIBLE = (" \u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
              "\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\x0b\x0c")


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would run as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.lstrip(_INVISIBLE).startswith(_DANGEROUS):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Yield a CSV file in pieces: UTF-8 BOM first (Excel), CRLF line ends, cells guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(c) for c in row])
        yield buffer.getvalue()


def number(value: float | None, places: int = 3) -> float | str:
    """A figure for a CSV cell: rounded, or empty when there is none."""
    return "" if value is None else round(value, places)


def percent(points: float, max_points: float) -> float | str:
    """A percentage for a CSV cell, one decimal, rounded half up as the pages show it."""
    # round() rounds the binary float half to even (1.25 -> 1.2); the pages' filter does not.
    return float(presentation.percent(points / max_points, sign=False)) if max_points else ""


def _when(created_at: str) -> str:
    return created_at.replace("T", " ").rstrip("Z")


def grid_csv(students: Iterable[GridStudent], questions: list[dict], pick: str) -> Iterator[str]:
    """The student grid as CSV: one row per student, a column of points per question.

    A question left blank is an empty cell, so 0 always means answered and wrong.
    """
    header = ["Student", "Attempt", "Attempts", "Date (UTC)", "Points", "Max points",
              "Percent"] + [f"Q{n} {q['id']} ({q['points']:g} pt)"
                            for n, q in enumerate(questions, start=1)]

    def rows() -> Iterator[list]:
        for s in students:
            cells = []
            for q in questions:
                verdict, got, _ = s.cells.get(q["id"], ("blank", 0.0, 0.0))
                cells.append("" if verdict == "blank" else number(got, 4))
            yield [s.name, pick, s.attempts, _when(s.created_at), number(s.points, 4),
                   number(s.max_points, 4), percent(s.points, s.max_points)] + cells

    return csv_lines(header, rows())


def questions_csv(summary: SetSummary) -> Iterator[str]:
    """The per-question table as CSV."""
    header = ["Number", "Question id", "Type", "Skill", "Question", "Points", "Answered",
              "Facility", "Discrimination (item-rest r)", "Right", "Partly", "Wrong", "Blank",
              "Most common wrong answer", "Given by", "Look at it because",
              "Standard deviation (0-1)", "Random guess score (0-1)", "Intended weight (0-1)",
              "Effective weight (0-1)", "Discriminative efficiency (0-1)"]
    return csv_lines(header, (
        [s.number, s.question["id"], s.question["type"], s.question["skill"],
         s.question["prompt"], s.question["points"], s.answered, number(s.facility),
         number(s.discrimination), s.right, s.partly, s.wrong, s.blank, s.common_wrong or "",
         s.common_wrong_n or "", "; ".join(s.flags)] + _figures(s.figures)
        for s in summary.questions))


def _figures(f: QuestionFigures | None) -> list:
    """Moodle's per-question figures as CSV cells (empty where a figure is undefined)."""
    if f is None:
        return [""] * 5
    return [number(f.sd), number(f.random_guess), number(f.intended_weight),
            number(f.effective_weight), number(f.discriminative_efficiency)]


def class_csv(scores: Iterable[Mapping[str, Any]], pick: str,
              titles: Mapping[int, str]) -> Iterator[str]:
    """Every student's score at every set of a class, one row each (for a gradebook).

    *scores* are `queries.class_scores` rows; a set is named by its current title (*titles*,
    one name per set whichever version a student answered), with its id in a column of its own.
    """
    header = ["Student", "Set", "Set id", "Version", "Attempt", "Attempts", "Date (UTC)",
              "Points", "Max points", "Percent"]
    return csv_lines(header, (
        [r["name"], titles.get(r["set_id"], r["slug"]), r["slug"], r["number"], pick, r["n"],
         _when(r["created_at"]),
         number(r["points"], 4), number(r["max_points"], 4), percent(r["points"], r["max_points"])]
        for r in scores))


def _share(fraction: float | None) -> float | str:
    """A fraction of the maximum as a percentage cell (rounded half up), or empty."""
    return "" if fraction is None else percent(fraction, 1.0)


def gains_csv(found: Gains) -> Iterator[str]:
    """Learning gains as CSV: a row per student (first attempts), then the class's figures.

    Students with only one of the two tests have empty cells for the other; a last row per
    skill, and one for the whole class, carry the class's mean normalised gain (Hake's g)
    with its 95 % bootstrap interval.
    """
    skills = [s.skill for s in found.skills]
    header = (["Row", "Student", "Pre points", "Pre max", "Pre percent", "Post points",
               "Post max", "Post percent", "Change (percentage points)", "Normalised gain",
               "Went down", "95% interval low", "95% interval high", "Students"]
              + [f"{k} {side} percent" for k in skills for side in ("pre", "post")])

    def student(s: GainStudent) -> list:
        pre, post = s.points.get("pre", (None, None)), s.points.get("post", (None, None))
        kind = "student" if s.change is not None else (
            "pre-test only" if s.post is None else "post-test only")
        change = "" if s.change is None else round(100 * s.change, 1)
        return ([kind, s.name, number(pre[0], 4), number(pre[1], 4), _share(s.pre),
                 number(post[0], 4), number(post[1], 4), _share(s.post), change,
                 number(s.g), "yes" if s.went_down else "", "", "", ""]
                + [_share(s.skills.get(k, {}).get(side)) for k in skills
                   for side in ("pre", "post")])

    def summary(label: str, name: str, pre, post, g, interval, n: int) -> list:
        return ([label, name, "", "", _share(pre), "", "", _share(post),
                 "" if pre is None else round(100 * (post - pre), 1), number(g), "",
                 number(interval and interval.low), number(interval and interval.high), n]
                + [""] * (2 * len(skills)))

    def rows() -> Iterator[list]:
        for s in found.paired + found.pre_only + found.post_only:
            yield student(s)
        for k in found.skills:
            yield summary("skill", k.name, k.pre, k.post, k.g_value, k.g, k.students)
        yield summary("class", "Whole class", found.pre, found.post, found.g, found.interval,
                      len(found.paired))

    return csv_lines(header, rows())
