"""Who says so: the speaker rules, first match wins, and the kind of source a speaker is."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .lexicon import (
    _ACCORDING,
    _AND,
    _AUX_WORDS,
    _BREAKS,
    _COLON_QUOTE,
    _COLON_SPEAKER,
    _DETERMINER_START,
    _FINITE,
    _INTRO,
    _INVERTED,
    _LICENCE,
    _LICENSED_RE,
    _MASK,
    _MENTAL_RE,
    _NP_START,
    _PARTICIPLE_RE,
    _PURPOSE_RE,
    _QUOTES_AS,
    _QUOTING,
    _REJECTED_CLAIM,
    _VERB_RE,
    _VERBISH,
    _WAS_QUOTED,
    _WITH_STATING,
    COUNTRIES,
    DOC_NOUNS,
    DOC_VERBS,
    GROUP_NOUNS,
    GROUP_SUBJECTS,
    MAX_CANDIDATES,
    NOT_REPORTED,
    NOT_SUBJECT_END,
    NOUN_GUARD,
    NOUN_LIKE,
    ORG_WORDS,
    PERSON_WORDS,
    PRONOUNS,
    WEAK_VERBS,
    _table,
)


@dataclass(frozen=True)
class _Speaker:
    """A speaker found in a sentence, before pronouns and neighbours are resolved."""

    source: str
    how: str
    cues: tuple[str, ...]


# --------------------------------------------------------------------------- speakers


def _cut_aux_tail(text: str) -> str:
    """Drop trailing auxiliaries and adverbs ("has also", "publicly") and white space.

    Walks back word by word from the end, so the cost is the length of what is dropped; a
    regex anchored at the end would be tried again from every word of a long sentence.
    """
    end = len(text.rstrip())
    while True:
        start = end
        while start and "a" <= text[start - 1] <= "z":
            start -= 1
        word = text[start:end]
        before = start
        while before and text[before - 1].isspace():
            before -= 1
        if not word or before == start or not (word in _AUX_WORDS or
                                                (word.endswith("ly") and len(word) > 2)):
            return text[:end]
        end = before


# A time phrase set off after the subject: "The Church, on October 18, 2008, accused".
_TRAILING_WHEN = re.compile(
    r",\s+(?:on|in|at|last|earlier|early|late|this)\s+(?:[A-Z][a-z]+day|January|February|March"
    r"|April|May|June|July|August|September|October|November|December|\d)[^,]{0,30}"
    r"(?:,\s*\d{4})?\s*$"
)


# A time word fronted without a comma ("Yesterday the mayor said"): not part of the speaker.
# Only before a determiner, so names stay whole ("Today Show host", "Now Magazine").
_LEADING_WHEN = re.compile(
    r"^(?:yesterday|today|tonight|meanwhile|separately|earlier|later|now|also|then"
    r"|(?:on|last|this)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\s+"
    r"(?=(?:the|a|an|his|her|its|their|some|many|several|local|two|three)\s)",
    re.I,
)


def _trim(span: str) -> str:
    """Strip connectives, trailing adverbs and stray punctuation from a source span."""
    span = _cut_aux_tail(" " + span).strip()
    span = _TRAILING_WHEN.sub("", span)
    span = re.sub(r"^(?:and|but|that|so|then|also|however|,)\s+", "", span, flags=re.I)
    span = _LEADING_WHEN.sub("", span)
    return span.strip(" ,;:-–—")


def _subject_before(masked: str, original: str, end: int, verb_end: int) -> str | None:
    """Return the subject that ends at offset *end* (just before a verb), as written."""
    left = masked[:end]
    trimmed = _cut_aux_tail(" " + left)[1:] if left else left
    catenative = _CATENATIVE.search(trimmed[-40:])
    if catenative:  # "the Church has begun to falsely accuse": the subject of "begun"
        trimmed = _cut_aux_tail(" " + trimmed[: len(trimmed) - len(catenative.group(0))])[1:]
    words = trimmed.split()
    if not words or words[-1].lower().strip(",") in NOT_SUBJECT_END:
        return None
    if _ends_with_quote(trimmed):
        return None  # the verb follows a quote: '"...," said X' is the inverted rule's job
    relative = _relative_before(trimmed)
    if relative is not None:  # "a police source, who was not authorized to ..., told"
        return _subject_before(masked, original, relative, verb_end)
    trimmed = trimmed.rstrip().rstrip(",")  # "Ahn, the head of NK Watch, told": an appositive
    start = 0
    intro = _INTRO.match(left)
    if intro:
        start = intro.end()
    if not masked[verb_end:].strip(" .!?"):
        # A reporting clause closing the sentence ("..., activists have claimed."): its
        # subject starts after the last comma.
        start = max(start, trimmed.rfind(",") + 1)
    elif _PARENTHETICAL.match(masked, verb_end):
        start = max(start, _parenthetical_start(trimmed))
    for brk in _BREAKS.finditer(left, start):
        start = max(start, brk.end())
    segment = original[start : len(trimmed)]
    for conj in _AND.finditer(segment):
        if _VERBISH.search(segment[: conj.start()]):
            start, segment = start + conj.end(), segment[conj.end() :]
            break
    span = _trim(segment)
    if not span or len(span.split()) > 25 or _MASK in masked[start : len(trimmed)].strip():
        return None
    lower_start = span[0].islower() and span.split()[0].lower() not in PRONOUNS | {"the", "a", "an"}
    if lower_start and not _looks_like_subject(span):
        return None
    return span


# A reporting clause set in the middle of its content: "The plan, they said, would ...".
_PARENTHETICAL = re.compile(r",\s*(?![_\"“‘]|that\b|adding\b|saying\b)\S")
_SHORT_SUBJECT = re.compile(
    r"^(?:he|she|they|we|i|officials|(?:the|a|an|some|many|most|one|two|several)(?:\s+[\w'’-]+){1,3})$",
    re.I,
)


def _parenthetical_start(trimmed: str) -> int:
    """Return where a parenthetical reporting clause's subject starts (0 if it is not one)."""
    comma = trimmed.rfind(",")
    if comma < 0 or not _SHORT_SUBJECT.match(trimmed[comma + 1 :].strip()):
        return 0
    before = trimmed[:comma].split(",")[-1].split()
    if before and all(w[:1].isupper() for w in before):
        return 0  # an apposition to a name: "Jane Roe, the lawyer, said, ..."
    return comma + 1


def _relative_before(trimmed: str) -> int | None:
    """Return where the subject ends when a ", who ...," clause sits before the verb."""
    text = trimmed.rstrip()
    if not text.endswith(","):
        return None
    comma = text.rfind(",", 0, len(text) - 1)
    if comma < 0:
        return None
    clause = text[comma + 1 :].split()
    if clause and clause[0].lower() in {"who", "which", "whose", "whom"}:
        return comma
    return None


_CATENATIVE = re.compile(
    r"\s(?:begun|began|begin|begins|started|start|starts|continued|continue|continues"
    r"|went on|goes on|go on)\s+to$"
)


def _ends_with_quote(text: str) -> bool:
    """Return whether *text* ends with a quote mark or masked quote, then perhaps a comma."""
    text = text.rstrip()
    text = text[:-1].rstrip() if text.endswith(",") else text
    return text[-1:] in ("_", '"', "“", "”") and text != ""


def _looks_like_subject(span: str) -> bool:
    """Return whether a lower-case span can still be a speaker ("critics", "media").

    A short descriptor before a name counts too: "news agency Reuters", "rights group Amnesty".
    """
    words = span.split()
    head = words[-1].lower().strip(".,")
    if len(words) <= 4 and words[-1][:1].isupper():
        return True
    return head in GROUP_SUBJECTS or head in DOC_NOUNS or head in PERSON_WORDS


_RELATIVE = re.compile(r",\s*(?:(?:one|some|many|all|most|each|several) of\s+)?(?:who|which)\s*$")
_NP_STOP = _table(
    """with on in to by at from for meet and of into about against than is was were are had has
    have"""
)


def _relative_antecedent(masked: str, end: int) -> str | None:
    """Return the noun phrase that "..., who told" or "..., one of which said" refers to."""
    left = _cut_aux_tail(" " + masked[:end])[1:]
    match = _RELATIVE.search(left)
    if not match:
        return None
    words = left[: match.start()].split()
    kept: list[str] = []
    for word in reversed(words[-6:]):
        if word.lower() in _NP_STOP or _MASK in word:
            break
        kept.insert(0, word)
    if kept and re.search(r",\s*one of", match.group(0), re.I):
        kept.insert(0, "one of")  # a single, unnamed member of the group: anonymous
    return " ".join(kept) or None


def _is_verb_use(masked: str, match: re.Match) -> bool:
    """Return whether a reporting-verb match is a verb here, not a noun or a passive."""
    verb = match.group("verb").lower()
    before = masked[: match.start()].split()
    prev = before[-1].lower().strip(",") if before else ""
    if prev in {"not", "never", "n't", "was", "were", "is", "are", "be", "been", "being"}:
        return False  # negated ("have not said") or passive ("were reported"): no claim
    rest = masked[match.end() :]
    if re.match(r"\s+to\b", rest) and verb in {"said", "told", "reported"} and not (
        verb == "said" and _SAID_TO.match(rest)
    ):
        return False  # "is said to", "was told to": a hedge or an order, not a report
    if verb.startswith("claim") and _CLAIMED_LIVES.match(rest):
        return False  # "the attack claimed the lives of", "claimed the title": no speech
    if verb.startswith("report") and _REPORTS_FROM.match(rest):
        return False  # a newscast's sign-off: "Simone Orendain reports from Manila."
    if verb in NOUN_LIKE and _NOUN_THEN_VERB.match(rest):
        return False  # "Initial reports suggest", "the claims were": a noun before its verb
    if verb in NOUN_LIKE and (not before or prev in NOUN_GUARD or before[0] == prev):
        return False
    if verb == "states" and _states_is_noun(masked, match, prev):
        return False
    if "-" in (masked[match.end() : match.end() + 1], masked[match.start() - 1 : match.start()]):
        return False  # part of a compound: "asylum claim-", "cheese-loving"
    if re.search(r"[_\"”’],?\s*$", masked[: match.start()]):
        return True  # inverted after a quote: '"...", added KCNA'
    if verb in WEAK_VERBS or verb == "pointed out":
        return _weak_verb_ok(verb, masked[match.end() :])
    return True


# Words before "states" that make it the noun: "in several states", "the US states".
_STATES_NOUN_BEFORE = _table(
    """several many the both those these other all us u.s. neighbouring neighboring some most
    member swing southern northern eastern western gulf baltic few two three four five island
    nation sovereign arab german indian mexican australian"""
)


def _states_is_noun(masked: str, match: re.Match, prev: str) -> bool:
    """Return whether "states" names places here: after a quantifier, or ending a clause.

    Ending the sentence it is a verb only as a short reporting clause after a comma
    ("..., the report states."), never in "sway the vote in swing states."
    """
    if prev in _STATES_NOUN_BEFORE:
        return True
    if masked[match.end() :].strip(" .!?\"”’)"):
        return False
    clause = masked[: match.start()].rsplit(",", 1)
    return len(clause) == 1 or len(clause[1].split()) > 4


_SAID_TO = re.compile(r"\s+to\s+(?:the\s+)?(?:[A-Z]|reporters\b|journalists\b|media\b|press\b)")
_CLAIMED_LIVES = re.compile(
    r"\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+|[\d,]+\s+|\w+\s+)?"
    r"(?:lives?|title|titles|seat|seats|victory|prize|crown|medal|gold|silver|bronze)\b"
)
_REPORTS_FROM = re.compile(r"\s+(?:from|for)\s+[A-Z][\w .,'’-]{0,40}\.?\s*$")
_NOUN_THEN_VERB = re.compile(
    r"\s+(?:suggest|show|say|indicate|claim|are|were|is|was|have|had|has|come|came|remain"
    r"|from|of|about|that\s+(?:were|are|have|had))\b"
)


def _weak_verb_ok(verb: str, rest: str) -> bool:
    """Return whether what follows a weak verb shows it is reporting speech."""
    rest = rest.lstrip()
    if verb in {"described", "characterized", "characterised", "referred", "named", "defended",
                "defends"}:
        return bool(re.match(r"[^.;]{0,80}?\bas\b", rest))
    if verb == "pointed":
        return rest.startswith("out")
    if verb.startswith(("reject", "disput", "dismiss")):
        # Rejecting somebody's claim states a position; "which the Home Office rejects," too.
        return not rest or rest[0] in ",.;" or bool(_REJECTED_CLAIM.match(rest))
    if verb in {"call", "calls", "called"}:
        return bool(re.match(r"(?:for\s+|\w+\s+){0,3}?[\"“‘_]", rest))
    if verb.startswith("explain") and re.match(r"to\s+(?:[\w'’]+\s+){1,3}?(?:that|what|how|why)\b",
                                               rest):
        return True  # "must explain to them why"
    return not rest or rest[0] in ',:;."“‘_' or bool(re.match(r"(?:that|what|how|why)\b", rest))


def _reporting_speaker(masked: str, original: str) -> _Speaker | None:
    """Find "X said ..." (or "... said X") with a reporting, mental-state or licensed verb."""
    for regex, how in ((_VERB_RE, None), (_MENTAL_RE, "mental-state"), (_LICENSED_RE, "")):
        for match in itertools.islice(regex.finditer(masked), MAX_CANDIDATES):
            speaker = _verb_speaker(masked, original, match, how)
            if speaker:
                return speaker
    return None


def _verb_speaker(masked: str, original: str, match: re.Match, how: str | None) -> _Speaker | None:
    """Return the speaker of one verb match, or None when the match is not a report."""
    if not _is_verb_use(masked, match):
        return None
    verb, licensed = match.group("verb"), how == ""
    if licensed:  # its construction must follow ("found that", "accused Y of")
        follow, how = _licence(verb)
        if not follow.match(masked[match.end() :].lstrip()):
            return None
    if how and match.start() and masked[match.start() - 1] == "-":
        return None
    source = _relative_antecedent(masked, match.start()) or _after_comma(masked, original, match)
    source = source or _subject_before(masked, original, match.start(), match.end())
    if source is None:
        inverted = _inverted_at(masked, match.start())
        if inverted:
            source = original[inverted.start("src") : inverted.end("src")]
    document_only = verb in DOC_VERBS and not licensed
    if not source or (document_only and source_kind(_trim(source)) != "document"):
        return None
    inner = _nested(masked, original, match) if verb in {"says", "said", "say"} else None
    if inner:
        return inner
    return _Speaker(_trim(source), how or _speech_how(masked), (verb,))


# "..., said Jane Roe, a lecturer at ...": the speaker follows the verb, with no quote.
_INVERTED_VERBS = {"said", "says", "added", "wrote", "explained", "noted", "continued",
                   "insisted", "recalled", "warned"}
_AFTER_VERB = re.compile(
    r"\s+(?P<src>(?:the|a|an)\s+[^,;:.!?_]{1,80}?|[A-Z][^,;:!?_]{1,80}?)(?=\s*(?:[,;:!?]|\.?\s*$))"
)


def _after_comma(masked: str, original: str, match: re.Match) -> str | None:
    """Return X in "..., said X" (no quote before the comma; the inverted rule takes those)."""
    if match.group("verb").lower() not in _INVERTED_VERBS:
        return None
    if not masked[: match.start()].rstrip().endswith(","):
        return None
    after = _AFTER_VERB.match(masked, match.end())
    if not after:
        return None
    words = after.group("src").split()
    if words[0].lower() in {"the", "a", "an"}:
        # "said a spokesman for ...", not "said the lapses raise questions"
        heads = {w.lower().strip(".,") for w in words[1:5]}
        if not heads & (PERSON_WORDS | ORG_WORDS | GROUP_NOUNS | DOC_NOUNS):
            return None
    elif words[0] in _NOT_NAMES or words[0].lower() in PRONOUNS:
        return None
    return original[after.start("src") : after.end("src")]


_NOT_NAMES = _table(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Today Yesterday"""
)


# A report inside a report gives the innermost speaker: "The Red Cross says its people on the
# ground estimate ...", "Police said their investigators believe ...".
_NESTED = re.compile(
    r"\s+(?:that\s+)?(?P<src>(?:its|their|his|her)\s+[\w'’-]+(?:\s+[\w'’-]+){0,5}?)\s+"
    r"(?P<verb>estimate|estimates|estimated|believe|believes|believed|say|says|said|found|told)\b"
)


def _nested(masked: str, original: str, match: re.Match) -> _Speaker | None:
    """Return the inner speaker of "X says its people estimate ...", if there is one."""
    inner = _NESTED.match(masked, match.end())
    if not inner:
        return None
    source = original[inner.start("src") : inner.end("src")]
    return _Speaker(source, _speech_how(masked), (match.group("verb"), inner.group("verb")))


def _inverted_at(masked: str, verb_start: int) -> re.Match | None:
    """Return '"...," said X' when its verb is the one at *verb_start*.

    The quote mark is at most three characters before the verb, so only those starts are
    tried: searching on from there would scan the rest of the sentence for every verb.
    """
    for start in range(max(0, verb_start - 3), verb_start):
        inverted = _INVERTED.match(masked, start)
        if inverted:
            return inverted if inverted.start("verb") == verb_start else None
    return None


def _licence(verb: str) -> tuple[re.Pattern, str | None]:
    """Return what must follow a licensed verb, and the "how" it gives."""
    return _LICENCE.get(verb.lower(), _LICENCE["is_concerned"])


def _speech_how(masked: str) -> str:
    """Return "direct-quote" when the sentence quotes words, else "indirect-speech"."""
    return "direct-quote" if re.search(r"[\"“”]", masked) else "indirect-speech"


def _according_speaker(masked: str, original: str) -> _Speaker | None:
    """Find "according to X" (preferring the innermost speaker X passes on)."""
    match = _ACCORDING.search(masked)
    if not match:
        return None
    quoting = _QUOTING.search(masked, match.end())
    if quoting:
        return _Speaker(
            original[quoting.start("src") : quoting.end("src")],
            "indirect-speech",
            ("according to", "quoting"),
        )
    rest_start = masked.find(",", match.end())
    if rest_start > 0 and match.start() == 0:
        inner = _reporting_speaker(masked[rest_start + 1 :], original[rest_start + 1 :])
        # A clause is no speaker: "According to X, Russia could ... states" gives X.
        if inner and inner.source.lower() not in PRONOUNS and not _FINITE.search(inner.source):
            return _Speaker(inner.source, inner.how, ("according to",) + inner.cues)
    source = original[match.start("src") : match.end("src")]
    return _Speaker(source, _speech_how(masked), ("according to",))


def _quoted_as_speaker(masked: str, original: str) -> _Speaker | None:
    """Find "X was quoted (in the report) as saying" and "Y quotes X as saying"."""
    match = _WAS_QUOTED.search(masked)
    if match:
        source = _subject_before(masked, original, match.start(), match.end())
        where = (match.group("where") or "").lower()
        in_doc = any(word in where.split() for word in DOC_NOUNS)
        if source:
            return _Speaker(source, "document" if in_doc else "direct-quote", ("quoted",))
    match = _QUOTES_AS.search(masked)
    if match:
        return _Speaker(
            original[match.start("src") : match.end("src")], "direct-quote", ("quoted",)
        )
    match = _WITH_STATING.search(masked)
    if match:
        return _Speaker(
            original[match.start("src") : match.end("src")],
            _speech_how(masked),
            (masked[match.end("src") :].split()[0],),
        )
    return None


def _colon_speaker(masked: str, original: str) -> _Speaker | None:
    """Find a speaker label before a colon: 'Secretary James Roche: "No, Sir..."'."""
    match = _COLON_SPEAKER.match(masked)
    if not match:
        return None
    label = _trim(original[: match.end("src")])
    words = label.split()
    if len(words) > 16 or not any(w[0].isupper() for w in words):
        return None
    if _VERBISH.search(label) and not _kind_hint(label):
        return None
    if _FINITE.search(label):
        return None  # a clause, not a label: the colon-quote rule gives it to its subject
    return _Speaker(label, "direct-quote", (":",))


def _kind_hint(label: str) -> bool:
    """Return whether *label* has a person, organisation or document word in it."""
    lowered = {w.lower().strip(".,") for w in label.split()}
    return bool(lowered & (PERSON_WORDS | DOC_NOUNS | ORG_WORDS))


def _main_subject(masked: str, original: str, end: int) -> str | None:
    """Return the subject of the first finite verb before offset *end*."""
    verb = _FINITE.search(masked, 0, end)
    return _subject_before(masked, original, verb.start(), verb.end()) if verb else None


def _participle_speaker(masked: str, original: str) -> _Speaker | None:
    """Find "..., X saying ...", "X did Y, saying ..." and "Citing X, Y did ..."."""
    for match in itertools.islice(_PARTICIPLE_RE.finditer(masked), MAX_CANDIDATES):
        verb, start = match.group("verb"), match.start()
        if start == 0:  # "Citing privacy rules, the ministry refused ..."
            comma = masked.find(",", match.end())
            source = _main_subject(masked, original, len(masked)) if comma > 0 else None
        elif masked[:start].rstrip().endswith(","):  # "X did Y, saying ..."
            source = _main_subject(masked, original, start)
        else:  # an absolute clause: "..., the government recommending ..."
            source = _absolute_subject(masked, original, start)
        if source:
            return _Speaker(_trim(source), _speech_how(masked), (verb.lower(),))
    return None


def _absolute_subject(masked: str, original: str, start: int) -> str | None:
    """Return the short noun phrase between a comma (or "with") and a participle at *start*."""
    comma = masked.rfind(",", 0, start)
    segment = original[comma + 1 : start].strip()
    if comma < 0 or not _NP_START.match(segment) or _MASK in masked[comma + 1 : start]:
        return None
    words = [w.lower() for w in segment.split()]
    if len(words) > 6 or _VERBISH.search(segment) or words[-1] in NOUN_GUARD:
        return None
    if set(words[1:]) & _NP_STOP or any(w.endswith("ing") for w in words):
        return None  # a gerund after a preposition: "laws banning migrants from claiming"
    return re.sub(r"^with\s+", "", segment)


def _purpose_speaker(masked: str, original: str) -> _Speaker | None:
    """Find "X approached Y to complain that ..." (a reporting verb as a purpose)."""
    match = _PURPOSE_RE.search(masked)
    if not match:
        return None
    clause = masked[: match.start()]
    if {w.lower().strip(",") for w in clause.split()} & NOT_REPORTED:
        return None
    source = _main_subject(masked, original, match.start())
    verb = match.group("verb").split()[0]
    return _Speaker(_trim(source), _speech_how(masked), (f"to {verb}",)) if source else None


def _colon_quote_speaker(masked: str, original: str) -> _Speaker | None:
    """Give a quotation introduced by a colon to the subject of the clause before the colon."""
    match = _COLON_QUOTE.search(masked)
    if not match or len(original[match.end() :].split()) < 4:
        return None
    source = _main_subject(masked, original, match.start())
    if not source or source.lower() in {"it", "this", "that", "there", "which"}:
        return None
    return _Speaker(_trim(source), "direct-quote", (":",))


# Headline shapes: a label before a colon ("Study: Neanderthals Were Artists") and the
# verbs of headline English ("Minister blasts plan over cost", "China renews accusations").
_HEADLINE_LABEL = re.compile(
    r"^(?P<src>[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,3}?):\s+(?!\d|(?:Mon|Tues|Wednes|Thurs|Fri|Satur"
    r"|Sun)day\b)\S"
)
_GENRE_LABELS = _table(
    """analysis opinion comment commentary review explainer editorial update breaking watch
    listen video photos live interview feature factbox"""
)
_HEADLINE_VERB = re.compile(
    r"\s(?P<verb>blasts|slams|raps|lambasts|chides|hits out at|lashes out at|rebukes)\s+"
    r"(?P<obj>[^:;]{1,60}?)\s+(?:over|for|as|after)\b"
)


def _headline_speaker(masked: str, original: str) -> _Speaker | None:
    """Find a headline's speaker: a document or person label before a colon, or "X blasts Y"."""
    label = _HEADLINE_LABEL.match(masked)
    if label:
        head = label.group("src").split()[-1].lower()
        if head not in _GENRE_LABELS and head in DOC_NOUNS | PERSON_WORDS | GROUP_NOUNS:
            return _Speaker(original[: label.end("src")], "indirect-speech", (":",))
    verb = _HEADLINE_VERB.search(masked)
    if verb:
        source = _subject_before(masked, original, verb.start(), verb.end("verb"))
        if source:
            return _Speaker(_trim(source), _speech_how(masked), (verb.group("verb"),))
    return None


SPEAKER_RULES = (
    _according_speaker,
    _quoted_as_speaker,
    _colon_speaker,
    _reporting_speaker,
    _participle_speaker,
    _purpose_speaker,
    _colon_quote_speaker,
)


def find_speaker(masked: str, original: str, headline: bool = False) -> _Speaker | None:
    """Return the first speaker the rule table finds in one sentence (or headline)."""
    if headline:
        speaker = _headline_speaker(masked, original)
        if speaker:
            return speaker
    for rule in SPEAKER_RULES:
        speaker = rule(masked, original)
        if speaker:
            return speaker
    return None


# --------------------------------------------------------------------------- source kinds


def source_kind(source: str, known_people: set[str] = frozenset()) -> str | None:
    """Classify a source span: named person or organisation, vague group, anonymous, document.

    :param known_people: last words of the people named earlier ("Ahn" for "Mr Ahn").
    """
    plain = re.sub(r"[\"“”‘’]", "", source).strip()
    if plain.lower() in PRONOUNS:
        return None  # a pronoun nobody was found for: no kind can be told
    core_text, _, apposition = plain.partition(",")
    core = _strip_of_phrase(core_text.lower().split())
    head = core[-1].strip(".") if core else ""
    if head in DOC_NOUNS:
        return "document"
    if re.search(r"\banonymity\b|\banonymous\b|\bunnamed\b|\bsources?\b", plain, re.I):
        return "anonymous"
    if _DETERMINER_START.match(core_text):
        return "named-person" if _has_name(apposition.split()) else "anonymous"
    if head in GROUP_NOUNS:
        return "vague-group"
    names = [w for w in core_text.split()[1:] if w[:1].isupper()]
    if head.endswith("s") and not names and head not in ORG_WORDS:
        return "vague-group"
    if _AFFILIATION.match(apposition) and _has_name(core_text.split()) and not (
        _kind_hint(core_text)
    ):
        return "named-person"  # a name with where they work: "Dirk Hoffmann, of the Institute"
    return _named_kind(plain, known_people)


_AFFILIATION = re.compile(r"\s*(?:of|from|at|with)\s")


# Words after which a source span no longer names its head noun ("the report *seen* by...").
_HEAD_STOP = _table(
    """of from for in at on with to seen who which that published documenting by carried
    transmitted issued released obtained cited quoted prepared commissioned written signed sent
    posted produced funded conducted"""
)


def _strip_of_phrase(words: list[str]) -> list[str]:
    """Drop a trailing "of/from/for/in ..." phrase so the head noun is last."""
    for i, word in enumerate(words):
        if i and word in _HEAD_STOP:
            return words[:i]
    return words


def _has_name(words: list[str]) -> bool:
    """Return whether *words* hold a capitalised name (not just a sentence-start capital)."""
    return any(w[:1].isupper() and w.lower().strip(".,") not in PERSON_WORDS for w in words)


def _named_kind(plain: str, known_people: set[str]) -> str:
    """Tell a named person from a named organisation."""
    lowered = plain.lower().replace(",", " ").split()
    words = {re.sub(r"['’]s$", "", w).strip(".") for w in lowered}
    if plain.lower().removeprefix("the ") in COUNTRIES:
        return "named-organisation"
    person = bool(words & PERSON_WORDS)
    org = bool(words & ORG_WORDS) or bool(re.fullmatch(r"[A-Z]{2,6}", plain))
    if person and not (org and lowered[0] in {"the", "both"} and not _person_title_first(lowered)):
        return "named-person"
    if org:
        return "named-organisation"
    if plain.split()[-1] in known_people:
        return "named-person"
    if lowered[0] == "the" and len(lowered) > 1 and plain.split()[1][:1].isupper():
        return "named-organisation"  # "The Philippine Red Cross": people take no article
    return "named-person" if plain[:1].isupper() else "vague-group"


def _person_title_first(lowered: list[str]) -> bool:
    """Return whether the span starts with a person word after "the" ("the Crown prosecutor")."""
    return any(w in PERSON_WORDS for w in lowered[1:4])
