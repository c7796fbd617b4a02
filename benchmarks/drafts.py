"""Score drafted questions against the hand annotations in tests/attribution_gold.

Run: .venv/bin/python benchmarks/drafts.py

Every gold article is read by the attribution reader and drafted with every sentence and
every kind of question ticked (the sort takes its suggested ticks, as on the reading page).
Each drafted key that names a speaker (who is the source; the first link of a sourcing
chain) is compared with the annotated source of its sentence (``same_source``):

- keys right: the key names the annotated source;
- right or flagged: the key is right, or its question carries "Teacher to confirm: who is
  speaking?" (the teacher is told to check it, and publishing is refused until they do);
- wrong and unflagged: what a teacher could publish without being warned;
- keys flagged: the share of keys that carry the note (a drafter that flags every key is
  useless), and flagged and right: the share of keys flagged although right, what the notes
  cost a teacher who checks a sound key;
- hedge keys right: the writer's hedges keyed right, against the annotated hedges less the
  speaker's (``speaker_hedges`` in the gold files, where annotated);
- voice keys right: "does the writer state this, or pass on somebody's claim?" keyed as the
  annotation has it (passed on when the sentence is annotated as attributed).

Per-article rows are printed for the bundled and development articles only; held-out
articles (held-out and held-out-2) are printed as totals, so their individual errors are
never read.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from attribution import GOLD, SPLITS, load  # noqa: E402

from quiz import drafting  # noqa: E402
from quiz.attribution import read_article, same_source  # noqa: E402

TARGET_RIGHT = 0.95
KINDS = ("source", "placeholder", "chain", "evidence", "hedges", "whose", "sort", "meaning",
         "quotes", "loaded", "voice")
KEYS = ("articles", "questions", "keys", "right", "flagged", "wrong_unflagged", "hedges",
        "hedges_right", "voice", "voice_right", "voice_passed", "voice_passed_right", "noted",
        "noted_right", *(f"k_{kind}" for kind in KINDS))
ROW = "{:<46} {:>4} {:>5} {:>5} {:>7} {:>8} {:>8} {:>7} {:>7} {:>8} {:>8}"
HEADER = ROW.format("articles", "qs", "q/art", "keys", "right", "right|fl", "wrong!fl",
                    "flagged", "fl&right", "hedge ok", "voice ok")


def kind_of(question: dict) -> str:
    """Return the benchmark's name for a drafted question's kind."""
    qid = question["id"]
    if qid.startswith("who-s"):
        placeholder = any(o.get("correct") and o["text"].startswith("(")
                          for o in question["options"])
        return "placeholder" if placeholder else "source"
    prefixes = {"chain-": "chain", "find-": "evidence", "hedges": "hedges", "whose-": "whose",
                "sort": "sort", "meaning-": "meaning", "quotes-": "quotes", "loaded-": "loaded",
                "voice-": "voice"}
    return next(kind for prefix, kind in prefixes.items() if qid.startswith(prefix))


def key_of(question: dict) -> tuple[int, str] | None:
    """Return (sentence, speaker named by the key) of a speaker question, else None."""
    qid = question["id"]
    if qid.startswith("who-s"):
        key = next(o for o in question["options"] if o.get("correct"))["text"]
        return int(qid[5:]), key
    if qid.startswith("chain-s"):
        return int(qid[7:]), question["items"][0]["text"]
    return None


def score(gold: dict, readings: list, text: str, marks: dict) -> dict[str, int]:
    """Draft from one article and count its keys against the annotation."""
    c = dict.fromkeys(KEYS, 0)
    article = {"title": "benchmark", "outlet": "unknown", "text": text, "marks": marks}
    numbers = [r.number for r in readings]
    document = drafting.draft_set(article, readings, numbers, drafting.KINDS,
                                  sort=drafting.suggest_sort(readings))
    c["articles"], c["questions"] = 1, len(document["questions"])
    for q in document["questions"]:
        c[f"k_{kind_of(q)}"] += 1
        flagged = bool(drafting.waiting({"questions": [q]})) and q["type"] != "classify"
        if q["id"] == "hedges":
            for option in q["options"]:
                if option.get("correct"):
                    n = int(option["explanation"].split(":")[0].split()[-1])
                    g = gold["sentences"][n]
                    theirs = {h.lower() for h in g.get("speaker_hedges") or []}
                    writer = {h.lower() for h in g["hedges"]} - theirs
                    c["hedges"] += 1
                    c["hedges_right"] += option["text"].lower() in writer
        if q["id"].startswith("voice-s"):  # the key says whether somebody's claim is passed on
            passed = any(o.get("correct") and "passes on somebody" in o["text"]
                         for o in q["options"])
            c["voice"] += 1
            c["voice_passed"] += passed
            c["voice_passed_right"] += passed and bool(gold["sentences"][int(q["id"][7:])]
                                                       ["attributed"])
            c["voice_right"] += passed is bool(gold["sentences"][int(q["id"][7:])]["attributed"])
        if not (found := key_of(q)):
            continue
        n, key = found
        g = gold["sentences"][n]
        right = bool(g["attributed"]) and same_source(key, g["source"])
        c["keys"] += 1
        c["right"] += right
        c["flagged"] += flagged or right
        c["wrong_unflagged"] += not right and not flagged
        c["noted"] += flagged
        c["noted_right"] += flagged and right
    return c


def row(name: str, c: dict[str, int]) -> str:
    """Format one table row."""
    keys = c["keys"] or 1
    return ROW.format(name[:46], c["questions"], f"{c['questions'] / max(c['articles'], 1):.1f}",
                      c["keys"], f"{c['right'] / keys:.2f}", f"{c['flagged'] / keys:.2f}",
                      c["wrong_unflagged"], f"{c['noted'] / keys:.2f}",
                      f"{c['noted_right'] / keys:.2f}", f"{c['hedges_right']}/{c['hedges']}",
                      f"{c['voice_right']}/{c['voice']}")


def main() -> None:
    totals = {split: dict.fromkeys(KEYS, 0) for split in SPLITS}
    print(HEADER)
    for path in sorted(GOLD.glob("*.yaml")):
        gold, text, marks = load(path)
        c = score(gold, read_article(text, marks), text, marks)
        for key in KEYS:
            totals[gold["split"]][key] += c[key]
        if not gold["split"].startswith("held-out"):  # held-out rows are never printed
            print(row(path.stem, c))
    print()
    for split in SPLITS:
        print(row(f"TOTAL {split}", totals[split]))
    print(f"\nTargets: source keys right >= {TARGET_RIGHT:.0%}; right or flagged = 100% "
          "(wrong and unflagged = 0); about 12 questions per article.")
    for split in ("development", "held-out", "held-out-2"):
        c = totals[split]
        keys = c["keys"] or 1
        met = c["right"] / keys >= TARGET_RIGHT
        print(f"  {split:<12} keys right {c['right'] / keys:.0%} "
              f"({'met' if met else 'MISSED'}); wrong and unflagged {c['wrong_unflagged']} "
              f"({'met' if not c['wrong_unflagged'] else 'MISSED'}); keys flagged "
              f"{c['noted'] / keys:.0%}, flagged although right {c['noted_right'] / keys:.0%}; "
              f"{c['questions'] / max(c['articles'], 1):.1f} questions per article")
        print(f"               voice keys right {c['voice_right']} of {c['voice']}: passed on "
              f"{c['voice_passed_right']} of {c['voice_passed']}, stated "
              f"{c['voice_right'] - c['voice_passed_right']} of {c['voice'] - c['voice_passed']}")
        per = max(c["articles"], 1)
        print("               per article by kind: " + ", ".join(
            f"{kind} {c['k_' + kind] / per:.1f}" for kind in KINDS))


if __name__ == "__main__":
    main()
