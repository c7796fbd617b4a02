"""Read an uploaded YAML, GIFT or Moodle XML file into a validated set document.

Pure: no Flask and no SQL. The teacher's upload page and the `import-set` command both call
`read_import`, then store the document through `quiz.transactions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import gift, moodlexml, questionsets
from .questionsets import slugify


@dataclass
class Import:
    """A file read for import: the set document, the questions left out (and why), and what
    the importer changed or could not keep (notes), each a line naming the question."""

    document: dict
    skipped: list[str]
    notes: list[str] = field(default_factory=list)


def read_import(name: str, text: str, questions_dir: str | Path) -> Import:
    """Read an uploaded YAML, GIFT or Moodle XML file; raise InvalidSetError naming every
    problem."""
    if len(text) > questionsets.MAX_SET_CHARS:  # before any parsing
        raise questionsets.InvalidSetError([
            f"{name}: the file has {len(text):,} characters; a set file may have at most "
            f"{questionsets.MAX_SET_CHARS:,}"])
    kind = _file_kind(name, text)
    if kind == "yaml":
        return Import(questionsets.load_text(text, name, Path(questions_dir)), [])
    try:
        result = moodlexml.parse(text) if kind == "xml" else gift.parse(text)
    except gift.GiftError as exc:  # MoodleXmlError is one too
        raise questionsets.InvalidSetError([f"{name}: {p}" for p in exc.problems]) from None
    skipped = [f"{_question_name(s.position, s.title)}: {s.reason}" for s in result.skipped]
    notes = [f"{_question_name(n.position, n.title)}: {n.message}" for n in result.notes]
    if not result.questions:
        raise questionsets.InvalidSetError(
            [f"{name}: no question in this file can be imported"] + skipped)
    raw = gift_set(name, result.questions)
    return Import(questionsets.parse_set(raw, name, None), skipped, notes)


def _question_name(position: int, title: str | None) -> str:
    """Name a question of an imported file: 'question 2 (Title)'."""
    return f"question {position}{f' ({title})' if title else ''}"


def _file_kind(name: str, text: str) -> str:
    """Tell a YAML set, a Moodle XML file and a GIFT file apart, by name then by content."""
    lower = name.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith(".xml") or (not lower.endswith(".gift") and re.match(r"\s*<", text)):
        return "xml"
    return "gift" if _is_gift(name, text) else "yaml"


def _is_gift(name: str, text: str) -> bool:
    if name.lower().endswith((".yaml", ".yml")):
        return False
    if name.lower().endswith(".gift"):
        return True
    return not re.match(r"\s*(#.*\n\s*)*id\s*:", text)  # a set file starts with its id


def gift_set(name: str, questions: list[dict]) -> dict:
    """Wrap GIFT questions in a set; GIFT carries no article, so the teacher adds one."""
    stem = Path(name).stem
    return {
        "id": slugify(stem, "imported"),
        "title": stem,
        "intro": f"Imported from {name}.",
        "takeaways": ["Check who says so, and how they know."],
        "published": False,
        "article": {"title": "No article yet", "outlet": "unknown",
                    "text": "Moodle files carry no article. Paste the article in the editor."},
        "questions": questions,
    }
