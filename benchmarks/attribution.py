"""Measure the attribution reader against the hand annotations in tests/attribution_gold.

Run: .venv/bin/python benchmarks/attribution.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz.attribution import read_article, same_source, strip_header  # noqa: E402
from quiz.sentences import split_article  # noqa: E402

GOLD = ROOT / "tests" / "attribution_gold"
SPLITS = ("bundled", "development", "held-out")


def load(gold_path: Path) -> tuple[dict, str, dict]:
    """Return the gold annotation, the article body and its marks."""
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    article = (gold_path.parent / gold["article"]).resolve()
    raw = article.read_text(encoding="utf-8")
    if article.suffix == ".yaml":
        return gold, yaml.safe_load(raw)["text"], gold["marks"]
    return gold, strip_header(raw), gold["marks"]


def score(gold: dict, readings: list) -> dict[str, int]:
    """Count matches between gold sentences and readings."""
    c = dict.fromkeys(("tp", "fp", "fn", "both", "src", "kind", "h_tp", "h_fp", "h_fn"), 0)
    assert len(readings) == gold["sentence_count"], "sentence numbering drifted"
    for r in readings:
        g = gold["sentences"][r.number]
        c["tp"] += g["attributed"] and r.attributed
        c["fp"] += r.attributed and not g["attributed"]
        c["fn"] += g["attributed"] and not r.attributed
        if g["attributed"] and r.attributed:
            c["both"] += 1
            c["src"] += same_source(r.source, g["source"])
            c["kind"] += r.source_kind == g["source_kind"]
        gh = [h.lower() for h in g["hedges"]]
        ph = [h.lower() for h in r.hedges]
        c["h_tp"] += sum(min(gh.count(h), ph.count(h)) for h in set(gh))
        c["h_fp"] += sum(max(0, ph.count(h) - gh.count(h)) for h in set(ph))
        c["h_fn"] += sum(max(0, gh.count(h) - ph.count(h)) for h in set(gh))
    return c


def ratios(c: dict[str, int]) -> tuple[float, ...]:
    """Return precision, recall, F1, source accuracy, kind accuracy, hedge F1."""
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    src = c["src"] / c["both"] if c["both"] else 1.0
    kind = c["kind"] / c["both"] if c["both"] else 1.0
    hp = c["h_tp"] / (c["h_tp"] + c["h_fp"]) if c["h_tp"] + c["h_fp"] else 1.0
    hr = c["h_tp"] / (c["h_tp"] + c["h_fn"]) if c["h_tp"] + c["h_fn"] else 1.0
    hf = 2 * hp * hr / (hp + hr) if hp + hr else 0.0
    return p, r, f, src, kind, hf


ROW = "{:<48} {:>4} {:>4} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6}"


def row(name: str, c: dict[str, int], n: int) -> str:
    """Format one table row."""
    p, r, f, src, kind, hf = ratios(c)
    return ROW.format(
        name[:48],
        n,
        c["tp"] + c["fn"],
        f"{p:.2f}",
        f"{r:.2f}",
        f"{f:.2f}",
        f"{src:.2f}",
        f"{kind:.2f}",
        f"{hf:.2f}",
    )


def timing(texts: list[str], words: int = 1500, repeats: int = 41) -> None:
    """Time the reader on a ~1,500-word text against the splitter alone."""
    pool = " ".join(texts).split("\n\n")
    body, count = [], 0
    for para in pool:
        if count >= words:
            break
        body.append(para)
        count += len(para.split())
    text = "\n\n".join(body)

    def median(fn) -> float:
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn(text)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs) * 1000

    read_article(text)  # warm up
    reader, split = median(read_article), median(split_article)
    print(
        f"\nTiming on {count} words ({len(split_article(text))} sentences), median of "
        f"{repeats} runs:"
    )
    print(f"  read_article  {reader:7.2f} ms")
    print(f"  split_article {split:7.2f} ms (baseline)   ratio {reader / split:.1f}x")
    print(f"  target < 50 ms: {'met' if reader < 50 else 'MISSED'}")


def main() -> None:
    """Print the per-article table, the totals per split and the timing."""
    header = ROW.format("article", "sent", "attr", "P", "R", "F1", "src acc", "kind", "hedgeF")
    totals: dict[str, dict[str, int]] = {s: {} for s in SPLITS}
    sizes = dict.fromkeys(SPLITS, 0)
    texts = []
    for split in SPLITS:
        print(f"\n== {split}\n{header}")
        for path in sorted(GOLD.glob("*.yaml")):
            gold, text, marks = load(path)
            if gold["split"] != split:
                continue
            c = score(gold, read_article(text, marks))
            print(row(path.stem, c, gold["sentence_count"]))
            for key, value in c.items():
                totals[split][key] = totals[split].get(key, 0) + value
            sizes[split] += gold["sentence_count"]
            if split != "bundled":
                texts.append(text)
        print(row(f"TOTAL {split}", totals[split], sizes[split]))
    f1, src = ratios(totals["held-out"])[2:4]
    print(
        f"\nHeld-out targets: F1 {f1:.2f} (>= 0.90: {'met' if f1 >= 0.9 else 'MISSED'}), "
        f"source accuracy {src:.2f} (>= 0.85: {'met' if src >= 0.85 else 'MISSED'})"
    )
    texts.sort(key=len, reverse=True)
    timing(texts)


if __name__ == "__main__":
    main()
