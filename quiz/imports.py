"""Read an uploaded YAML or GIFT file into a validated set document.

Pure: no Flask and no SQL. The teacher's upload page and the `import-set` command both call
`read_import`, then store the document through `quiz.transactions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import gift, questionsets
from .questionsets import slugify


@dataclass
class Import:
    """A file read for import: the set document and the questions left out."""

    document: dict
    skipped: list[str]


def read_import(name: str, text: str, questions_dir: str | Path) -> Import:
    """Read an uploaded YAML or GIFT file; raise InvalidSetError naming every problem."""
    if len(text) > questionsets.MAX_SET_CHARS:  # before any parsing
        raise questionsets.InvalidSetError([
            f"{name}: the file has {len(text):,} characters; a set file may have at most "
            f"{questionsets.MAX_SET_CHARS:,}"])
    if _is_gift(name, text):
        try:
            result = gift.parse(text)
        except gift.GiftError as exc:
            raise questionsets.InvalidSetError([f"{name}: {exc}"]) from None
        skipped = [f"question {s.position}{f' ({s.title})' if s.title else ''}: {s.reason}"
                   for s in result.skipped]
        if not result.questions:
            raise questionsets.InvalidSetError(
                [f"{name}: no question in this file can be imported"] + skipped)
        raw = gift_set(name, result.questions)
        return Import(questionsets.parse_set(raw, name, None), skipped)
    return Import(questionsets.load_text(text, name, Path(questions_dir)), [])


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
                    "text": "GIFT files carry no article. Paste the article in the editor."},
        "questions": questions,
    }
