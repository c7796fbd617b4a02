"""Draft a question set from any article, using what the attribution reader found in it.

Pure module: no Flask. ``draft_set(article, readings, sentences, kinds)`` turns the reader's
`Reading`s, the sentence numbers a teacher ticked and the kinds of question they chose into a
raw set document, ready for ``questionsets.parse_set(..., draft=True)``.

How each kind of question is decided (only from what the reader found, never from outside):

``source``
    One "who is the source?" choice question per ticked sentence that the reader attributed
    to a speaker. The right option is that speaker; the distractors are the article's other
    speakers (the first three that are not the same source, by ``same_source``), then up to two
    names that look like sources but are not: credits and "told the X" in the same sentence
    first, then photo credits elsewhere, then the outlet that published the article.
``evidence``
    For a ticked attributed sentence with a figure ("20,000") given by its speaker: "select the
    sentence that says who gives the figure"; sentences holding the figure without naming the
    speaker (a headline) are the distractors. For a ticked sentence whose speaker is named
    elsewhere ("They added", a quotation that runs on): "select the sentence that names who is
    speaking here".
``hedges``
    One "choose all that apply" question over all ticked sentences: the writer's own hedges
    are right; hedges inside somebody's quotation, reporting verbs and loaded words are wrong.
``classify``
    One question sorting the ticked sentences into the four `LABELS`, decided in this order:
    attributed to a speaker -> attributed claim; softened by the writer's own hedge ->
    hedged report; no source, no hedge, but judging words in the writer's voice -> opinion;
    otherwise -> unattributed assertion.

Whether a statement is true cannot be read from its text. So no label says "verified fact":
an unattributed, unhedged statement is labelled by what the text shows (nobody is given as
its source), and its explanation starts with `CONFIRM`, telling the teacher to check it and
say whether it is established or needs a source. The opinion label, and an attributed sentence
whose speaker the reader could not name, are marked the same way. Every other explanation
quotes the words the reader found ("have claimed", "reportedly").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import zip_longest

from .attribution import Reading, same_source
from .questionsets import MAX_PARTS, slugify

KINDS = {
    "source": "Who is the source? (one question per ticked sentence with a speaker)",
    "evidence": "Find the sentence that names who gives a figure, or who is speaking",
    "hedges": "Spot the hedges (one question over the ticked sentences)",
    "classify": "Sort the sentences: attributed claim, hedged report, unattributed "
                "assertion or opinion",
}
LABELS = (
    ("claim", "Attributed claim"),
    ("hedged", "Hedged report"),
    ("assertion", "Unattributed assertion"),
    ("opinion", "Opinion"),
)
CONFIRM = "Teacher to confirm: "

SOURCE_KIND_WORDS = {
    "named-person": "named person",
    "named-organisation": "named organisation",
    "vague-group": "vague group",
    "anonymous": "unnamed person",
    "document": "document",
}
HOW_WORDS = {
    "direct-quote": "direct quote",
    "indirect-speech": "reported speech",
    "document": "quoted from a document",
    "mental-state": "what somebody believes",
    "quote-continuation": "a quotation that continues",
}
NOT_SOURCE_WORDS = {
    "photo-credit": "photo credit",
    "byline": "byline",
    "dateline": "dateline",
    "no-comment": "no comment",
    "recipient": "who was told",
}
_KIND_ADVICE = {
    "named-person": "A named person can be looked up and asked.",
    "named-organisation": "A named organisation can be looked up and asked.",
    "vague-group": "They are a vague group: nobody is named, so the claim is hard to check.",
    "anonymous": "The speaker is not named, so nobody can check with them.",
    "document": "A document is named: find it to check what it really says.",
}
_MAX_SOURCE_DISTRACTORS = 3
_MAX_NOT_SOURCES = 2


# --------------------------------------------------------------------------- small helpers


def short_source(source: str) -> str:
    """Return a source's name without its description ("Ahn Myeong-chul, the head of ...")."""
    head = re.split(r",\s|\s\(", source, maxsplit=1)[0].strip()
    return head or source


def _names_source(reading: Reading, source: str) -> bool:
    """Return whether *reading*'s own words name *source* (not a pronoun or a neighbour)."""
    return short_source(source).lower() in reading.text.lower()


def _excerpt(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f"“{item}”" for item in items)


def _span(numbers: list[int]) -> str:
    """Return sentence numbers with runs folded: [1, 2, 3, 5] -> "1–3 and 5"."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [p for r in runs for p in ([f"{r[0]}–{r[-1]}"] if len(r) > 2 else map(str, r))]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _judging(reading: Reading) -> list[str]:
    """Return the loaded words in the writer's voice that are not inside scare quotes."""
    return [w for w in reading.loaded if not any(w in s for s in reading.scare_quotes)]


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _cue(reading: Reading) -> str:
    words = [c for c in reading.cues if c != "quote"]
    return f" (“{words[0]}”)" if words else ""


def askable(reading: Reading) -> bool:
    """Return whether questions may be drafted about a sentence (page furniture: no)."""
    return reading.kind != "furniture"


# --------------------------------------------------------------------------- what to show


def annotate(reading: Reading) -> list[tuple[str, str | None]]:
    """Split a sentence into (text, annotation) pieces; annotation is one of the legend's
    ``source``, ``cue``, ``hedge``, ``loaded``, ``not-source``, or None for plain text."""
    text = reading.text
    wanted = [(reading.source, "source")] if reading.source else []
    wanted += [(t, "not-source") for t, _ in reading.not_source]
    wanted += [(c, "cue") for c in reading.cues if c != "quote"]
    wanted += [(h, "hedge") for h in reading.hedges]
    wanted += [(w, "loaded") for w in (*reading.loaded, *reading.scare_quotes)]
    taken: list[tuple[int, int, str]] = []
    for phrase, kind in wanted:
        # A credit may be glued to the caption before it: "administrationREUTERS".
        edge = "" if kind == "not-source" else r"(?<!\w)"
        for match in re.finditer(edge + re.escape(phrase) + r"(?!\w)", text):
            if all(match.end() <= a or match.start() >= b for a, b, _ in taken):
                taken.append((match.start(), match.end(), kind))
                break
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, kind in sorted(taken):
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], kind))
        at = end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def tags(reading: Reading) -> list[tuple[str, str]]:
    """Return (annotation, words) tags that say in text what the colours show."""
    if not askable(reading):
        return [("plain", "page furniture: no questions drafted")]
    found: list[tuple[str, str]] = []
    if reading.source:
        where = "" if _names_source(reading, reading.source) else ", named in another sentence"
        kind = SOURCE_KIND_WORDS.get(reading.source_kind or "", "source")
        found.append(("source", f"source: {reading.source} ({kind}{where})"))
    elif reading.attributed:
        found.append(("source", "source: a quotation whose speaker was not found"))
    else:
        found.append(("plain", "no source given"))
    if reading.how and reading.source:
        found.append(("plain", f"how: {HOW_WORDS.get(reading.how, reading.how)}"))
    found += [("cue", f"cue: {c}") for c in reading.cues if c != "quote"]
    found += [("hedge", f"hedge: {h}") for h in reading.hedges]
    found += [("plain", f"hedge inside a quote (the speaker's): {h}")
              for h in reading.quoted_hedges]
    found += [("loaded", f"loaded: {w}") for w in reading.loaded]
    found += [("loaded", f"scare quotes: {s}") for s in reading.scare_quotes]
    found += [("not-source", f"not a source: {t} ({NOT_SOURCE_WORDS.get(k, k)})")
              for t, k in reading.not_source]
    return found


# --------------------------------------------------------------------------- classify


def classify(reading: Reading) -> tuple[str, str]:
    """Return the label id for one sentence and the explanation of that label."""
    n = reading.number
    if reading.attributed and reading.source:
        kind = _a(SOURCE_KIND_WORDS.get(reading.source_kind or "", "source"))
        also = f" The writer also softens it with {_quoted(reading.hedges)}." \
            if reading.hedges else ""
        cue = _cue(reading).replace(" (", "; ").rstrip(")")
        whose = f"Sentence {n} gives this to {reading.source} ({kind}{cue})" \
            if _names_source(reading, reading.source) else \
            f"The article gives sentence {n} to {reading.source} ({kind})"
        return "claim", (f"{whose}: it is their claim, not something the article shows to be "
                         f"true.{also}")
    if reading.attributed:
        return "claim", (f"{CONFIRM}sentence {n} quotes somebody, but the reader could not "
                         "tell who. Name the speaker here if the article does; if it does not, "
                         "this is an unattributed quotation.")
    if reading.hedges:
        return "hedged", (f"Sentence {n} softens the statement with {_quoted(reading.hedges)} "
                          "and names nobody behind it: the writer passes on a report without "
                          "saying whose it is.")
    judging = _judging(reading)
    if judging:
        return "opinion", (f"{CONFIRM}sentence {n} names no source, and the writer's own "
                           f"words judge: {_quoted(judging)}. That makes it read as the "
                           "writer's opinion. If those words only colour a checkable "
                           "statement, choose “Unattributed assertion” and say so here.")
    distance = f" Its scare quotes ({', '.join(reading.scare_quotes)}) only keep the writer's " \
        "distance from those words." if reading.scare_quotes else ""
    return "assertion", (f"{CONFIRM}sentence {n} gives no source and no softening word: the "
                         f"writer states it as fact.{distance} The text alone cannot show "
                         "whether it is true. Check it, then say here whether it is well "
                         "established or needed a source.")


def classify_question(chosen: list[Reading]) -> dict:
    """Return one classify question over the chosen sentences."""
    statements = []
    for r in chosen:
        label, explanation = classify(r)
        statements.append({"id": f"s{r.number}", "text": r.text, "label": label,
                           "explanation": explanation, "evidence": [r.number]})
    return {
        "id": "sort", "type": "classify",
        "prompt": "Sort each sentence: who stands behind it, and how firmly?",
        "explanation": "Ask of each sentence: does it say who claims it (attributed claim), "
                       "soften it without saying who (hedged report), state it with no source "
                       "(unattributed assertion), or judge (opinion)?",
        "difficulty": "medium", "skill": "fact-vs-claim",
        "labels": [{"id": i, "text": t} for i, t in LABELS],
        "statements": statements,
        "evidence": [r.number for r in chosen],
    }


# --------------------------------------------------------------------------- who is the source


Sources = list[tuple[str, set[str], list[int]]]


def sources(readings: list[Reading]) -> Sources:
    """Return the article's sources in order of appearance, one entry per speaker (by
    ``same_source``): its short name, the spans that name it, and its sentences."""
    found: Sources = []
    for r in readings:
        if not r.source:
            continue
        for name, spans, numbers in found:
            if same_source(name, r.source) or same_source(name, short_source(r.source)):
                spans.add(r.source)
                numbers.append(r.number)
                break
        else:
            found.append((short_source(r.source), {r.source}, [r.number]))
    return found


def _other_sources(reading: Reading, speakers: Sources) -> list[tuple[str, list[int]]]:
    """Return the sources other than *reading*'s (short name, sentences)."""
    return [(name, numbers) for name, spans, numbers in speakers
            if not any(same_source(span, reading.source) for span in spans)]


def _not_sources(reading: Reading, readings: list[Reading], outlet: str) -> list[dict]:
    """Return names that look like sources but are not, nearest first, as options."""
    candidates: list[tuple[int, str, str, int]] = []  # (priority, text, kind, sentence)
    for r in readings:
        for text, kind in r.not_source:
            if kind in ("photo-credit", "recipient", "byline"):
                near = 0 if r.number == reading.number else 1 if kind == "photo-credit" else 3
                candidates.append((near, re.sub(r"^By\s+", "", text), kind, r.number))
    if outlet and outlet.lower() != "unknown":
        candidates.append((2, outlet, "outlet", 0))
    speaker = short_source(reading.source or "")
    explain = {
        "photo-credit": "“{t}” is a photo credit (sentence {m}): it names who supplied the "
                        "picture, not who says anything.",
        "recipient": "{t} is who was told (sentence {m}): it passed the words on; it is not "
                     "where they come from.",
        "byline": "{t} wrote the article (sentence {m}): a reporter passes claims on but is "
                  "not their source.",
        "outlet": "{t} published the article: it reports what sentence {n} says, but gives "
                  "it to {s}.",
    }
    options, seen = [], {_fold(speaker)}
    for _, text, kind, m in sorted(candidates, key=lambda c: (c[0], c[3])):
        if _fold(text) in seen or same_source(text, reading.source):
            continue
        seen.add(_fold(text))
        options.append({"text": text, "explanation": explain[kind].format(
            t=_cap(text), m=m, n=reading.number, s=speaker)})
    return options[:_MAX_NOT_SOURCES]


def source_question(reading: Reading, readings: list[Reading], outlet: str,
                    speakers: Sources | None = None) -> dict | None:
    """Return "who is the source of sentence N?" or None when the reader found no speaker.

    :param speakers: ``sources(readings)``, when it is already known.
    """
    if not reading.source:
        return None
    speakers = sources(readings) if speakers is None else speakers
    n, name = reading.number, short_source(reading.source)
    named_here = _names_source(reading, reading.source)
    namer = _namer(reading, readings)
    where = f", named in sentence {namer.number}" if namer else ""
    options = [{"text": name, "correct": True, "explanation": (
        f"Sentence {n} gives it to {reading.source}{_cue(reading)}." if named_here else
        f"Sentence {n} does not name the speaker itself; it comes from {reading.source}"
        f"{where}.")}]
    for other, numbers in _other_sources(reading, speakers)[:_MAX_SOURCE_DISTRACTORS]:
        options.append({"text": other, "explanation": f"{_cap(other)} is the source of "
                        f"sentence{'s' * (len(numbers) > 1)} {_span(numbers)}, not of "
                        f"sentence {n}."})
    options += _not_sources(reading, readings, outlet)
    if len(options) < 4:
        options.append({"text": "Nobody: the article gives no source",
                        "explanation": f"Sentence {n} does have a source: {name}."})
    for letter, option in zip("abcdefgh", options, strict=False):
        option["id"], option["text"] = letter, _cap(option["text"])
    kind = reading.source_kind or ""
    return {
        "id": f"who-s{n}", "type": "choice",
        "prompt": f"Who is the source of sentence {n}, “{_excerpt(reading.text)}”?",
        "explanation": f"Sentence {n} comes from {reading.source}. "
                       f"{_KIND_ADVICE.get(kind, '')}".strip(),
        "difficulty": "hard" if not named_here else
                      "easy" if kind in ("named-person", "named-organisation") else "medium",
        "skill": "source", "options": options, "evidence": [n],
    }


# --------------------------------------------------------------------------- evidence


def _namer(reading: Reading, readings: list[Reading]) -> Reading | None:
    """Return the sentence that names *reading*'s speaker: itself, else the nearest earlier."""
    if _names_source(reading, reading.source or ""):
        return reading
    earlier = [r for r in readings if r.number < reading.number]
    later = [r for r in readings if r.number > reading.number]
    for r in [*reversed(earlier), *later]:
        if r.source and same_source(r.source, reading.source) and _names_source(r, r.source):
            return r
    return None


def evidence_question(reading: Reading, readings: list[Reading]) -> dict | None:
    """Return "select the sentence that says who ..." for one attributed sentence, or None."""
    if not reading.source:
        return None
    n, name = reading.number, short_source(reading.source)
    namer = _namer(reading, readings)
    figures = [t for t, by in reading.numbers if by == reading.source]
    if figures:
        figure = figures[0]
        holding = [r for r in readings if figure in (t for t, _ in r.numbers)]
        answers = [r for r in holding if r.source and same_source(r.source, reading.source)
                   and _names_source(r, reading.source)] or ([namer] if namer else [])
        if not answers:
            return None
        wrong = [r for r in holding if r not in answers]
        prompt = f"Select the sentence that says who gives the figure {figure}."
        why = "gives the figure {f} but does not say who gives it."
        qid, level = f"find-s{n}", "easy" if answers == [reading] else "medium"
    elif namer and namer is not reading:
        figure, answers, wrong = "", [namer], [reading]
        prompt = f"Sentence {n} does not name who is speaking. Select the sentence that does."
        why = "is the sentence in question: it does not name the speaker itself."
        qid, level = f"find-s{n}", "medium"
    else:
        return None
    return {
        "id": qid, "type": "evidence", "prompt": prompt,
        "explanation": f"Only sentence{'s' * (len(answers) > 1)} "
                       f"{_span([a.number for a in answers])} name{'s' * (len(answers) == 1)} "
                       f"{reading.source} as the source.",
        "difficulty": level, "skill": "attribution",
        "answers": [{"sentence": a.number, "explanation":
                     f"Sentence {a.number} names {name}{_cue(a)}."} for a in answers],
        "distractors": [{"sentence": r.number, "explanation":
                         f"Sentence {r.number} {why.format(f=figure)}"} for r in wrong],
    }


# --------------------------------------------------------------------------- hedges


def hedge_meaning(hedge: str) -> str:
    """Return what a hedge does, in a few words."""
    h = _fold(hedge)
    if h in {"reportedly", "allegedly", "purportedly", "supposedly", "alleged"}:
        return "passes on what others say without saying who"
    if h.startswith(("as many as", "up to")):
        return "gives only the top of a range: the real number may be far lower"
    if re.match(r"(?:is|are|was|were|be|been) ", h):
        return "says it is believed or reported without saying by whom"
    if h in {"apparently", "seemingly"} or h.startswith(("appear", "seem")):
        return "gives an impression, not a finding"
    if h == "suspected":
        return "says somebody suspects it, not that it is proven"
    if h == "accused":
        return "reports an accusation without naming the accuser"
    return "makes it a possibility, not a fact"


def hedge_question(chosen: list[Reading]) -> dict | None:
    """Return one multi question: which words are the writer's hedges? None without any."""
    right: dict[str, tuple[int, str]] = {}
    for r in chosen:
        for h in r.hedges:
            if len(right) < MAX_PARTS - 3:  # room for three wrong options within the limit
                right.setdefault(_fold(h), (r.number, h))
    if not right:
        return None
    options = [{"text": h, "correct": True, "explanation":
                f"Sentence {n}: “{raw}” {hedge_meaning(h)}."} for h, (n, raw) in right.items()]
    # One wrong word of each sort first: a hedge in a quotation, a reporting verb, a loaded word.
    wrong: tuple[dict[str, str], ...] = ({}, {}, {})
    for r in chosen:
        speaker = short_source(r.source) if r.source else "the speaker"
        for h in r.quoted_hedges:
            wrong[0].setdefault(_fold(h), f"Sentence {r.number}: “{h}” is inside the quotation, "
                                          f"so it is {speaker}'s hedge, not the writer's.")
        for c in r.cues:
            if c != "quote":
                wrong[1].setdefault(_fold(c), f"Sentence {r.number}: “{c}” says who makes the "
                                              "claim; it does not soften it.")
        for w in _judging(r):
            wrong[2].setdefault(_fold(w), f"Sentence {r.number}: “{w}” is a loaded word: it "
                                          "judges; it does not soften.")
    pools = [[(t, e) for t, e in sort.items() if t not in right] for sort in wrong]
    mixed = [pair for row in zip_longest(*pools) for pair in row if pair]
    distractors = list({t: (t, e) for t, e in mixed}.values())[:3]
    if not distractors:
        distractors = [("confirmed", "“Confirmed” is not in these sentences; it would make a "
                                     "statement firmer, not softer.")]
    options += [{"text": t, "explanation": e} for t, e in distractors]
    for i, option in enumerate(options, start=1):
        option["id"] = f"h{i}"
    numbers = [r.number for r in chosen]
    return {
        "id": "hedges", "type": "multi",
        "prompt": f"In sentence{'s' * (len(numbers) > 1)} {_span(numbers)}, which words "
                  "does the writer use to hedge: to soften a statement or keep their distance "
                  "from it?",
        "explanation": "A hedge is the writer's own softening, such as “reportedly”, “is "
                       "believed” or “as many as”. Words inside somebody's quotation are the "
                       "speaker's; a reporting verb says who claims; a loaded word judges.",
        "difficulty": "medium", "skill": "hedging", "options": options,
        "evidence": sorted({n for n, _ in right.values()}),
    }


# --------------------------------------------------------------------------- the set


def draft_set(article: dict, readings: list[Reading], sentences: Iterable[int],
              kinds: Iterable[str]) -> dict:
    """Return a raw, unpublished set document drafted from the chosen sentences and kinds.

    :param article: title, outlet, url, text and marks ({paragraph: kind}), as pasted.
    :param readings: ``attribution.read_article(article["text"], article["marks"])``.
    """
    wanted, kinds = set(sentences), set(kinds)
    chosen = [r for r in readings if r.number in wanted and askable(r)]
    questions: list[dict] = []
    if "source" in kinds:
        speakers, outlet = sources(readings), article.get("outlet") or ""
        questions += filter(None, (source_question(r, readings, outlet, speakers)
                                   for r in chosen))
    if "evidence" in kinds:
        prompts = set()
        for q in filter(None, (evidence_question(r, readings) for r in chosen)):
            key = (q["prompt"], tuple(a["sentence"] for a in q["answers"]))
            if key not in prompts:
                prompts.add(key)
                questions.append(q)
    if "hedges" in kinds and (hedges := hedge_question(chosen)):
        questions.append(hedges)
    # A classify question holds at most MAX_PARTS statements: more ticked sentences make more.
    for part, start in enumerate(range(0, len(chosen) if "classify" in kinds else 0, MAX_PARTS)):
        question = classify_question(chosen[start : start + MAX_PARTS])
        question["id"] += f"-{part + 1}" if part else ""
        questions.append(question)
    title = " ".join(str(article.get("title") or "Article").split())
    return {
        "id": slugify(title, "draft"),
        "title": title if len(title) <= 120 else title[:119].rstrip() + "…",
        "intro": f"Read the article from {article.get('outlet') or 'an unknown outlet'}. For "
                 "each claim, ask who says it, how firmly the writer puts it, and what is "
                 "stated with no source at all.",
        "takeaways": [
            "A named source can be checked; a vague group (“activists”) cannot.",
            "Words like “reportedly” and “as many as” soften a claim without saying who "
            "stands behind it.",
            "A statement with no source is not a fact just because it sounds like one.",
        ],
        "published": False,
        "article": {
            "title": title, "outlet": article.get("outlet") or "unknown",
            "url": article.get("url") or None, "date": article.get("date") or None,
            "text": article["text"], "marks": dict(article.get("marks") or {}),
            "notes": "Drafted by SourceCheck's attribution reader. Check every answer before "
                     f"publishing; explanations starting “{CONFIRM.strip()}” need your "
                     "decision.",
        },
        "questions": questions,
    }


def unmet(document: dict, kinds: Iterable[str]) -> list[str]:
    """Return the chosen kinds for which no question could be drafted."""
    prefixes = {"source": "who-", "evidence": "find-", "hedges": "hedges", "classify": "sort"}
    ids = [q["id"] for q in document["questions"]]
    return [k for k in kinds if not any(i.startswith(prefixes[k]) for i in ids)]


def to_confirm(document: dict) -> int:
    """Return how many explanations in *document* wait for the teacher's decision."""
    count = 0
    for q in document["questions"]:
        for entry in [q, *q.get("options", []), *q.get("statements", [])]:
            count += str(entry.get("explanation", "")).startswith(CONFIRM)
    return count
