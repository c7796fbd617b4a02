"""Read an article: each sentence's marks, speakers resolved across sentences, and output."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import asdict, dataclass

from quiz.sentences import Sentence, split_article

from .hedges import _scare_quotes, find_hedges, find_loaded, find_not_sources, find_numbers
from .lexicon import (
    _DETERMINER_START,
    _DOUBLE_ANY,
    _DOUBLE_CLOSE,
    _DOUBLE_OPEN,
    _NOT_SOURCE_RES,
    COUNTRIES,
    MAX_CANDIDATES,
    PRONOUNS,
)
from .sources import _Speaker, find_speaker, source_kind
from .spans import _inside, _mask, _quote_spans, _single_spans


@dataclass(frozen=True)
class Reading:
    """What the reader found in one sentence."""

    number: int
    text: str
    kind: str
    attributed: bool
    how: str | None
    source: str | None
    source_kind: str | None
    cues: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    quoted_hedges: tuple[str, ...] = ()
    loaded: tuple[str, ...] = ()
    scare_quotes: tuple[str, ...] = ()
    numbers: tuple[tuple[str, str | None], ...] = ()
    not_source: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        """Return the reading as plain JSON-able data."""
        data = asdict(self)
        for key in ("cues", "hedges", "quoted_hedges", "loaded", "scare_quotes"):
            data[key] = list(data[key])
        data["numbers"] = [{"text": t, "supplied_by": s} for t, s in self.numbers]
        data["not_source"] = [{"text": t, "kind": k} for t, k in self.not_source]
        return data


# --------------------------------------------------------------------------- reading


@dataclass
class _Draft:
    """Mutable per-sentence state while the article is read."""

    sentence: Sentence
    masked: str
    spans: list[tuple[int, int]]
    speaker: _Speaker | None
    quote_only: bool
    credit_free: str
    runs_on: bool = False  # ends inside a quotation that the next sentence continues


def _draft(sentence: Sentence, open_at_start: bool) -> tuple[_Draft, bool]:
    """Read one sentence on its own; return the draft and whether a quote stays open."""
    text = sentence.text
    credits = list(_NOT_SOURCE_RES[0][0].finditer(text))
    credit_free = text[: credits[0].start()] if credits else text
    spans, still_open = _quote_spans(credit_free, open_at_start)
    doubles = list(spans)
    spans = doubles + [s for s in _single_spans(credit_free) if not _inside(doubles, s[0])]
    masked = _mask(credit_free, spans)
    outside = re.sub(r"[_\W\d]", "", masked)
    quote_only = bool(doubles) and not outside
    headline = sentence.kind == "headline"
    speaker = None if quote_only else find_speaker(masked, credit_free, headline)
    return _Draft(sentence, masked, spans, speaker, quote_only, credit_free), still_open


def _resolve(drafts: list[_Draft]) -> list[_Speaker | None]:
    """Resolve pronouns, quote continuations and headline quotes to a source span."""
    resolved: list[_Speaker | None] = [d.speaker for d in drafts]
    for i, speaker in enumerate(resolved):
        if (
            speaker
            and speaker.source.lower().split()[0] in PRONOUNS
            and len(speaker.source.split()) == 1
        ):
            earlier = _previous_source(resolved, drafts, i)
            # Nobody found: still a report ("She said ..."), with no source rather than a
            # wrong one carried over from another speaker.
            resolved[i] = _Speaker(earlier or "", speaker.how, speaker.cues)
    closing = _closing_sentences(drafts)
    for i, draft in enumerate(drafts):
        if (draft.quote_only or draft.runs_on) and resolved[i] is None:
            resolved[i] = _continuation(drafts, resolved, i, closing[i])
    if drafts and drafts[0].sentence.kind == "headline" and resolved[0] is None:
        resolved[0] = _headline_quote(drafts, resolved)
    return resolved


# Pronouns that refer to people, not to documents: "They say" after "The results revealed"
# goes back to "The report's authors", not to the results.
_PERSONAL = {"he", "she", "they", "we", "i", "who"}


# "he" and "she" mean one person: not a group, an organisation or a document.
_ONE_PERSON = {"he", "she"}
# A person brought in without speaking: "... a surprise to Wil Roebroeks, an expert on
# Neanderthals." or "Inga Palsdottir is the head of ...". A later "he said" can mean them.
_MENTION = re.compile(
    r"\b(?!(?:The|A|An|In|On|At|For|From|By|With|To|As|But|And|After|Before|When|While)\s)"
    r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][\w’'-]+){1,2})"
    r"(?=,\s+(?:an?|the)\s|\s+(?:is|was|has been|had been)\s+(?:an?|the)\s)"
)


def _previous_source(resolved: list[_Speaker | None], drafts: list[_Draft], i: int) -> str | None:
    """Return the nearest earlier source within a few sentences that the pronoun can mean."""
    pronoun = resolved[i].source.lower() if resolved[i] else ""
    for j in range(i - 1, max(-1, i - 5), -1):
        earlier = resolved[j].source if resolved[j] else ""
        kind = source_kind(earlier) if earlier and earlier.lower() not in PRONOUNS else None
        if pronoun in _ONE_PERSON and kind not in {"named-person", "anonymous"}:
            mention = _mention(drafts[j])
            if mention:
                return mention
            continue
        if not kind:
            continue
        if pronoun in _PERSONAL and kind == "document":
            continue
        return earlier
    return None


def _mention(draft: _Draft) -> str | None:
    """Return the last named person a sentence brings in, outside any quotation."""
    found = None
    for match in itertools.islice(_MENTION.finditer(draft.masked), MAX_CANDIDATES):
        name = match.group("name")
        if source_kind(name) == "named-person" and name.lower() not in COUNTRIES:
            found = name
    return found


def _closing_sentences(drafts: list[_Draft]) -> list[int | None]:
    """Return, per sentence, the next sentence of its paragraph that is not quote-only.

    One pass from the end, so a long run of quote-only sentences is not walked once for each.
    """
    closing: list[int | None] = [None] * len(drafts)
    following: int | None = None
    for i in range(len(drafts) - 1, -1, -1):
        if i + 1 < len(drafts) and drafts[i + 1].sentence.paragraph != drafts[i].sentence.paragraph:
            following = None
        closing[i] = following
        if not drafts[i].quote_only:
            following = i
    return closing


def _continuation(drafts: list[_Draft], resolved: list[_Speaker | None], i: int,
                  j: int | None) -> _Speaker | None:
    """Return the speaker of a quote-only sentence, taken from a neighbouring sentence.

    :param j: the next sentence of the paragraph that is not quote-only (it may close the
        quotation and name the speaker).
    """
    if j is not None and resolved[j]:
        return _Speaker(resolved[j].source, "quote-continuation", ("quote",))
    if not drafts[i].quote_only:
        return None
    for j in range(i - 1, max(-1, i - 6), -1):
        if resolved[j]:
            return _Speaker(resolved[j].source, "quote-continuation", ("quote",))
    return _Speaker("", "direct-quote", ("quote",))


def _headline_quote(drafts: list[_Draft], resolved: list[_Speaker | None]) -> _Speaker | None:
    """Attribute a headline's quoted claim (British convention) to the lead's source."""
    head = drafts[0]
    long_quote = any(len(head.sentence.text[a:b].split()) >= 4 for a, b in head.spans)
    if not long_quote:
        return None
    for j in range(1, min(len(drafts), 4)):
        if resolved[j] and drafts[j].sentence.kind == "body":
            return _Speaker(resolved[j].source, "direct-quote", ("quote",))
    return None


_THE_ROLE = re.compile(r"^the\s+(?:[\w-]+\s+)?(?P<head>[a-z-]+)$", re.I)


def _anaphor_kind(source: str | None, kind: str | None, roles: dict[str, str]) -> str | None:
    """Give "the official" the kind of the source it points back to ("a senior official").

    *roles* maps the head word of each earlier anonymous or named source to its kind.
    """
    if not source:
        return kind
    match = _THE_ROLE.match(source)
    if match and match.group("head").lower() in roles:
        return roles[match.group("head").lower()]
    head = re.sub(r"[,(].*", "", source).split()
    if head and kind == "anonymous" and _DETERMINER_START.match(source):
        roles.setdefault(head[-1].lower(), kind)
    return kind


def _finish(draft: _Draft, speaker: _Speaker | None, people: set[str],
            roles: dict[str, str]) -> Reading:
    """Turn a draft and its resolved speaker into a Reading."""
    text = draft.sentence.text
    masked = draft.masked + text[len(draft.credit_free) :]
    source = speaker.source if speaker and speaker.source else None
    kind = source_kind(source, people) if source else None
    kind = _anaphor_kind(source, kind, roles)
    if source and kind == "named-person":
        # Kept by last word, the only part compared: a set lookup, not a walk over everyone.
        people.update(re.sub(r"[,(].*", "", source).split()[-1:])
    how = speaker.how if speaker else None
    if how == "indirect-speech" and any(
        '"' in text[a] + text[b - 1] or text[a] == "“" or text[b - 1] == "”"
        for a, b in draft.spans
        if len(text[a:b].split()) >= 4
    ):
        how = "direct-quote"  # the speaker's own words are quoted, at least in part
    if how in {"indirect-speech", "direct-quote"} and kind == "document":
        how = "document"
    cues = list(speaker.cues) if speaker else []
    if draft.spans and "quote" not in cues:
        cues.append("quote")
    inside = " ".join(text[a:b] for a, b in draft.spans if b - a > 0)
    return Reading(
        number=draft.sentence.number,
        text=text,
        kind=draft.sentence.kind,
        attributed=speaker is not None,
        how=how,
        source=source,
        source_kind=kind,
        cues=tuple(cues),
        hedges=tuple(find_hedges(masked)),
        quoted_hedges=tuple(find_hedges(inside, quoted=True)) if inside else (),
        loaded=tuple(find_loaded(_unmask_scare(masked, text, draft, speaker))),
        scare_quotes=tuple(_scare_quotes(text, draft.spans, speaker)),
        numbers=tuple((n, source) for n in find_numbers(draft.credit_free)),
        not_source=tuple(find_not_sources(text)),
    )


def _unmask_scare(masked: str, text: str, draft: _Draft, speaker: _Speaker | None) -> str:
    """Show scare-quoted words again, since scare quotes are the writer's own voice."""
    chars = list(masked)
    for start, end in draft.spans:
        short = len(text[start:end].split()) <= 3 and start
        if not speaker and (short or draft.sentence.kind == "headline"):
            chars[start:end] = text[start:end]
    return "".join(chars)


def _first_quote_mark(text: str) -> bool | None:
    """Return True if the first double quote mark in *text* closes, False if it opens."""
    for j, ch in enumerate(text):
        if ch == _DOUBLE_CLOSE or (ch == _DOUBLE_ANY and j and not text[j - 1].isspace()):
            return True
        if ch in (_DOUBLE_OPEN, _DOUBLE_ANY):
            return False
    return None


def _closes_later(sentences: list[Sentence]) -> list[bool]:
    """Return, per sentence, whether a quote left open in it is closed later in its paragraph.

    A quote that never closes (a typing slip) is taken to end with its own sentence, so it
    does not swallow the rest of the paragraph. One pass from the end: asking sentence by
    sentence would read the rest of a long paragraph again for every sentence.
    """
    closes = [False] * len(sentences)
    after: bool | None = None  # the first quote mark after sentence i, in its paragraph
    for i in range(len(sentences) - 1, -1, -1):
        if i + 1 < len(sentences) and sentences[i + 1].paragraph != sentences[i].paragraph:
            after = None
        closes[i] = after is True
        mark = _first_quote_mark(sentences[i].text)
        after = after if mark is None else mark
    return closes


def read_sentences(sentences: list[Sentence]) -> list[Reading]:
    """Read already split sentences."""
    drafts: list[_Draft] = []
    open_quote, paragraph = False, None
    closes_later = _closes_later(sentences)
    for i, sentence in enumerate(sentences):
        if sentence.paragraph != paragraph or sentence.kind != "body":
            open_quote, paragraph = False, sentence.paragraph
        draft, open_quote = _draft(sentence, open_quote)
        open_quote = open_quote and closes_later[i]
        draft.runs_on = open_quote
        drafts.append(draft)
    people: set[str] = set()
    roles: dict[str, str] = {}
    return [_finish(d, s, people, roles) for d, s in zip(drafts, _resolve(drafts), strict=True)]


def read_article(text: str, marks: dict[int, str] | None = None) -> list[Reading]:
    """Read every sentence of an article (headline, captions and credit lines included)."""
    return read_sentences(split_article(text, marks))


def strip_header(raw: str) -> str:
    """Drop a leading ``# source: ...`` header line (and the blank line after it)."""
    if raw.startswith("# source:"):
        return raw.split("\n", 1)[1] if "\n" in raw else ""
    return raw


_NORMALISE = re.compile(r"[^\w'\s-]+")


def _source_tokens(span: str) -> list[str]:
    """Return a span's lower-case tokens without punctuation or a leading article."""
    words = _NORMALISE.sub(" ", span.lower().replace("’", "'")).split()
    return words[1:] if words and words[0] in {"the", "a", "an"} else words


def same_source(predicted: str | None, gold: str | None) -> bool:
    """Return whether two source spans name the same source.

    Case and punctuation are ignored, and so is a leading article. The spans match when they
    are equal, when the shorter is a whole-word prefix or suffix of the longer ("Ahn
    Myeong-chul" within "Ahn Myeong-chul, the head of NK Watch"; "activists" within "human
    rights activists"), or when their word sets overlap with a Dice coefficient of 0.6 or more.
    """
    if not predicted or not gold:
        return predicted == gold
    p, g = _source_tokens(predicted), _source_tokens(gold)
    if not p or not g:
        return False
    short, long_ = sorted((p, g), key=len)
    if long_[: len(short)] == short or long_[-len(short) :] == short:
        return True
    overlap = len(set(p) & set(g))
    return 2 * overlap / (len(set(p)) + len(set(g))) >= 0.6


def guess_marks(text: str) -> dict[int, str]:
    """Mark a plain-text article's first paragraph as the headline if it has no end stop."""
    first = text.strip().split("\n", 1)[0].strip()
    return {1: "headline"} if first and first[-1] not in '.!?"”' else {}


def to_json(readings: list[Reading]) -> str:
    """Return the readings as a JSON array."""
    return json.dumps([r.to_dict() for r in readings], ensure_ascii=False, indent=2)


def format_text(readings: list[Reading]) -> str:
    """Return a human-readable, sentence-by-sentence report."""
    blocks = []
    for r in readings:
        tag = "" if r.kind == "body" else f" [{r.kind}]"
        lines = [f"{r.number:3}{tag} {r.text}"]
        if r.attributed:
            lines.append(
                f"      attributed: yes ({r.how}); source: {r.source or '(not given)'}"
                f" [{r.source_kind or 'unknown'}]"
            )
        else:
            lines.append("      attributed: no")
        for label, values in (
            ("cues", r.cues),
            ("hedges", r.hedges),
            ("hedges inside quotes", r.quoted_hedges),
            ("loaded", r.loaded),
            ("scare quotes", r.scare_quotes),
            ("numbers", [f"{n} (from {s or 'the writer'})" for n, s in r.numbers]),
            ("not a source", [f"{t} ({k})" for t, k in r.not_source]),
        ):
            if values:
                lines.append(f"      {label}: {', '.join(values)}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n"
