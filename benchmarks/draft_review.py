"""Draft a set from each held-out-2 article as the drafts page does, and write it out to read.

Run: .venv/bin/python benchmarks/draft_review.py OUT.md

A teacher pastes the article (headline and text, no marks: the page guesses the headline),
reads it, ticks every sentence it offers to ask about, every kind of question and the
suggested sort ticks, and drafts. This does the same through the pure entry points the view
uses (``quiz.views.drafts``): ``drafting.guess_marks``, ``read_article``, ``drafting.askable``,
``drafting.suggest_sort``, ``drafting.draft_set`` and ``questionsets.parse_set``, and writes
each drafted question (prompt, options, key, explanation, notes) with the numbered article
text, for a human reader to grade. The grades are in benchmarks/draft_review.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz import drafting, questionsets  # noqa: E402
from quiz.attribution import read_article, strip_header  # noqa: E402

GOLD = ROOT / "tests" / "attribution_gold"


def draft(text: str) -> tuple[dict, list, dict, list[str]]:
    """Return the stored draft, the readings, the guessed marks and the paste warnings."""
    marks = drafting.guess_marks(text)
    readings = read_article(text, marks)
    ask = [r.number for r in readings if drafting.askable(r)]
    article = {"title": "review", "outlet": "unknown", "url": None, "text": text,
               "marks": marks}
    raw = drafting.draft_set(article, readings, ask, list(drafting.KINDS),
                             sort=drafting.suggest_sort(readings))
    document = questionsets.parse_set(raw, "the draft", draft=True)
    return document, readings, marks, drafting.paste_warnings(text, False)


def write_question(out: list[str], q: dict) -> None:
    """Append one drafted question, as the editor would show it, to *out*."""
    out.append(f"### {q['id']} ({q['type']})\n")
    out.append(f"PROMPT: {q.get('prompt', '')}\n")
    for key in ("options", "items", "categories", "statements"):
        for item in q.get(key) or []:
            if isinstance(item, dict):
                mark = "  [KEY]" if item.get("correct") else ""
                extra = {k: v for k, v in item.items() if k not in ("text", "correct")}
                out.append(f"- {item.get('text')}{mark} {extra if extra else ''}")
            else:
                out.append(f"- {item}")
        if q.get(key):
            out.append("")
    rest = {k: v for k, v in q.items()
            if k not in ("id", "type", "prompt", "options", "items", "categories",
                         "statements")}
    out.append("OTHER: " + yaml.safe_dump(rest, allow_unicode=True, sort_keys=False,
                                          width=100))


def main() -> None:
    out: list[str] = []
    for path in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        if gold["split"] != "held-out-2":
            continue
        text = strip_header((GOLD / gold["article"]).read_text(encoding="utf-8"))
        document, readings, marks, warnings = draft(text)
        out.append(f"# {path.stem}\n\nmarks guessed: {marks}; warnings: {warnings}\n")
        for r in readings:
            out.append(f"{r.number}. {r.text}")
        out.append(f"\n{len(document['questions'])} questions; to confirm: "
                   f"{drafting.to_confirm(document)}; the page also says: "
                   f"{list(drafting.sort_warnings(document))}, no question of kinds "
                   f"{list(drafting.unmet(document, list(drafting.KINDS)))}\n")
        for q in document["questions"]:
            write_question(out, q)
    Path(sys.argv[1]).write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
