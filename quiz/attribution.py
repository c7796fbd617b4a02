"""Read an article sentence by sentence: who says what, how hedged, how loaded.

Pure, rule-based module: no Flask, no network, no models. It reuses ``quiz.sentences`` so a
sentence number means the same thing here as in the quiz.

How a sentence is read, in order:

1. Quotation marks are located (straight and curly, double and paired single quotes) and
   the quoted text is masked, so rules for the writer's own words never fire inside a quote.
   A double quote left open at the end of a sentence carries over to the next sentence of the
   same paragraph (multi-sentence quotations); a new paragraph starts outside any quote.
2. Things that look like sources but are not are marked: photo credits (also glued to a
   caption, as in ``administrationREUTERS``), bylines, datelines, date lines, "declined to
   comment", "could not be reached for comment", and the outlet a source *told*.
3. The speaker is looked for with rule tables, first match wins: "according to X" (or the
   innermost speaker when X merely passes a claim on), "X was quoted (in the report) as
   saying", "Y quotes X as saying", a speaker label before a colon and a quote, a reporting
   verb with its subject (or after it: "... said a spokesman"), a mental-state verb
   ("activists suspect"). Pronoun speakers ("he said") take the previous sentence's source.
4. A sentence made only of quoted words takes its speaker from a neighbour: the sentence
   that closes the same quotation, else the nearest earlier attributed sentence.
5. Hedges, loaded words, scare quotes and numbers are collected. Hedges inside somebody's
   direct quote belong to that speaker, so they are kept apart in ``quoted_hedges`` and are
   not reported as the writer's hedges.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import asdict, dataclass

from quiz.sentences import Sentence, split_article

HOWS = ("direct-quote", "indirect-speech", "document", "mental-state", "quote-continuation")
SOURCE_KINDS = ("named-person", "named-organisation", "vague-group", "anonymous", "document")

# --------------------------------------------------------------------------- rule tables


def _table(text: str, sep: str | None = None) -> frozenset[str]:
    """Return the entries of a rule table written as one string (words, or split on *sep*)."""
    return frozenset(" ".join(entry.split()) for entry in text.split(sep) if entry.strip())


# Reporting verbs that introduce what somebody said or wrote. "Weak" ones double as
# ordinary verbs ("continued to shun", "noted for"), so they count only when a quote, a
# colon, a comma or a content clause ("that", "what", "how") follows.
STRONG_VERBS = _table(
    """said says say told tells tell stated states claimed claims claim warned warns reported
    reports asserted asserts indicated indicates insisted insists argued argues announced
    announces confirmed confirms denied denies declared declares complained complains revealed
    reveals suggested suggests suggest admitted admits acknowledged testified tweeted alleged
    alleges recommends recommended urged estimated predicted conceded complain cited
    stressed stresses emphasised emphasises emphasized emphasizes contended contends estimates
    predicts acknowledges"""
)
WEAK_VERBS = _table(
    """added adds continued replied responded noted notes observed commented wrote writes
    explained explains described characterized characterised called call calls named referred
    pointed reads maintained maintains rejected rejects disputed disputes dismissed dismisses
    recalled recalls recounted recounts promised promises agreed agrees defended defends
    reiterated reiterates affirmed affirms remarked remarks"""
)
# Verbs that report a finding only when a document is their subject ("figures show").
DOC_VERBS = _table("""show shows showed find finds found conclude concludes concluded""")
# Verbs of attributed belief: the content is somebody's mental state, not a fact.
MENTAL_VERBS = _table(
    """believe believes suspect suspects think thinks thought feel feels felt fear fears feared
    doubt doubts doubted"""
)
# Verbs of judgement, belief and blame that pass on a proposition only in the construction
# that carries it: (verbs, what must follow the verb, how). Each construction is a documented
# rule with false friends in the tests: "sees Taiwan as its province" ("saw" is left out:
# "the year saw a rise in crime as prices went up"),
# "considers that" / "considers X to be", "hopes that" (not "hopes to"), a person or court
# who "found that" (not "was found dead", "found a bomb"), "X accused Y of" (not the
# agentless "accused of"), "X blamed Y for" / "blamed it on" (not "is to blame"), "X deemed
# it unsafe" (not "deemed necessary"), "is concerned that".
LICENSED_VERBS = (
    (
        "see sees view views viewed regard regards regarded",
        r"(?:[\w'’-]+\s+){1,5}?as\s+(?!well\b|of\b|soon\b|long\b|much\b|many\b|a result\b)",
        "mental-state",
    ),
    (
        "consider considers considered",
        r"(?:that\b|(?:[\w'’-]+\s+){1,5}?(?:as|to be)\s)",
        "mental-state",
    ),
    (
        """hope hopes hoped expect expects expected worry worries worried assume assumes
        assumed reckon reckons reckoned""",
        r"that\b",
        "mental-state",
    ),
    ("is_concerned", r"that\b", "mental-state"),
    ("found finds find concluded concludes conclude ruled determined", r"that\b", None),
    ("accused accuses accuse", r"(?!of\b)[^.;:]{1,60}?\bof\b", None),
    ("blamed blames blame", r"(?!for\b|on\b)[^.;:]{1,60}?\b(?:for|on)\b", None),
    ("deemed deems deem", r"(?:it|them|him|her|this|that|these|those|the|a|an|[A-Z])\b", None),
)
_BE_ADJECTIVE = r"(?:is|are|was|were) (?:concerned|worried|sure|adamant|aware|hopeful|optimistic)"
# Participles that report speech: an absolute clause ("..., the government recommending
# X"), a participle on the main clause ("The ministry issued a statement, saying ...") or
# one that opens the sentence ("Citing privacy rules, the ministry refused ...").
PARTICIPLES = _table(
    """saying stating adding claiming arguing warning insisting noting explaining recommending
    suggesting alleging citing quoting announcing denying confirming complaining asserting"""
)
# Reporting verbs in an infinitive of purpose: "X approached Y to complain that ...".
PURPOSE_VERBS = _table(
    """complain say deny insist argue claim warn explain announce confirm protest stress state
    declare assert reiterate""",
)
# Words that make such an infinitive a request, a plan or a refusal, not a report ("asked
# him to confirm that", "is expected to announce that", "declined to say whether").
NOT_REPORTED = _table(
    """asked ask asks urged urge urges told tell tells ordered order orders called invited
    forced encouraged persuaded wanted want wants expected expects expect allowed required
    pressed pressured refused refuses declined declines failed fails plans planned plan due
    set going will would may might could should must intends intended tried tries attempted
    seeks sought hopes hoped unable not never"""
)
# Forms that are also nouns ("The claims come after", "Recent reports", "the notes").
NOUN_LIKE = _table(
    """claims claim reports states notes estimated fears doubts thought suspect suspects
    alleged estimates remarks promises"""
)
# A word before a noun-like verb form that shows it is really a noun ("media reports").
NOUN_GUARD = _table(
    """the a an these those such recent media his her their its new news press police official
    many some any unconfirmed first latest earlier later asylum our your my false"""
)
# A word before any verb that shows no subject ends there ("over fears", "not said").
NOT_SUBJECT_END = _table(
    """of for over with amid to not never no was were is are be been being by in on at without
    the a an"""
)

# Head nouns that make a speaker a document ("the report said").
DOC_NOUNS = _table(
    """report reports study studies letter letters email emails e-mail memo memos document
    documents statement statements survey surveys figures estimates results article articles
    analysis data records record paper papers filing filings poll polls census review dossier
    assessment questionnaire cable cables transcript minutes guidance leaflet leaflets website"""
)
# Plural heads that make a speaker a vague group ("activists say").
GROUP_NOUNS = _table(
    """activists experts officials researchers critics groups media authorities analysts
    observers residents witnesses scientists doctors diplomats campaigners workers people
    locals sources insiders lawmakers politicians economists academics members supporters
    opponents commentators reports studies estimates figures others mps newspapers outlets"""
)
# Words that mark a person: titles and roles.
PERSON_WORDS = _table(
    """mr mr. mrs mrs. ms ms. dr dr. prof professor president secretary minister senator sen.
    rep. gen. general col. colonel sergeant sgt. captain capt. major ambassador spokesman
    spokeswoman spokesperson representative director chairman chairwoman chair head leader ceo
    founder co-founder coach member expert researcher prosecutor judge lawyer attorney
    barrister campaigner father mother sister brother wife husband son daughter officer chief
    governor mayor king queen prince premier chancellor envoy undersecretary asst. deputy
    psychiatrist doctor worker witness academic student teacher aide"""
)
# Words that mark an organisation.
ORG_WORDS = _table(
    """agency ministry department office council organisation organization institute news times
    post herald weekly journal bbc reuters afp ap government party navy army force military
    university corporation committee commission nations union company group watch centre center
    bureau police court congress parliament cabinet embassy kcna yonhap who un eu nato fbi cia
    district foundation association society network guardian telegraph express mail tribune
    gazette inquiry investigation panel tribunal board authority regulator administration
    prosecution service hospital firm bank"""
)
# States and capitals speak as organisations ("North Korea stated", "Seoul says").
COUNTRIES = _table(
    """north korea|south korea|china|russia|japan|britain|france|germany|india|pakistan
    |iran|iraq|syria|israel|ukraine|taiwan|vanuatu|malaysia|indonesia|thailand|myanmar
    |australia|canada|mexico|united states|us|u.s.|uk|u.k.|kuwait|afghanistan|seoul
    |pyongyang|beijing|moscow|washington|tokyo|london|the north|the south""",
    sep="|",
)
# Each rule looks at no more than this many candidate verbs in one sentence: each look reads
# the words before the verb, so without a cap a run-on "sentence" full of verbs is read
# again for every verb. Real sentences have a handful; the first that fits wins anyway.
MAX_CANDIDATES = 12

PRONOUNS = {"he", "she", "they", "it", "who", "which", "we", "i"}

# Hedges: the writer's own distance from a claim. Each pattern's match text is reported.
HEDGE_PATTERNS = [
    r"\b(?:reportedly|allegedly|apparently|purportedly|supposedly|seemingly|possibly|probably"
    r"|perhaps|potentially|presumably|likely|unlikely|alleged)\b",
    r"\b(?:is|are|was|were|be|been)\s+(?:believed|thought|understood|reported|said|alleged"
    r"|suspected|estimated|rumoured|rumored)(?=\s+to\b)",
    r"\b(?:is|are|was|were)\s+(?:believed|thought|understood)\b",
    r"\bas many as\b(?=\s+[\d£$€]|\s+(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    r"\bup to\b(?=\s+[\d£$€]|\s+(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    r"\bcould\b(?!\s+not\b|n't)",
    r"\bmay\b",  # lower case only: "May" the month is handled by _MAY_MODAL
    r"\bmight\b",
    # "the suspected smugglers", "is suspected of": not "activists suspected the money..."
    r"\b(?:the|a|an|of|as|is|are|was|were|been|for|some|many|two|three|four|five)\s+"
    r"(?P<h>suspected)\b",
    r"\b(?:appear|appears|appeared|seem|seems|seemed)\b",
    r"\baccused\b(?=\s+of\b)(?![^.]{0,300}\bby\b)",  # agentless "accused of": nobody named
]
_MONTH_CONTEXT = re.compile(
    r"(?:\b(?i:in|on|of|since|until|by|last|next|this|early|late|mid|from|through)\s+May\b"
    r"|\bMay\s+\d)"
)

# A small, documented lexicon of loaded or judging words. Kept short on purpose: these are
# words a careful writer would attribute or avoid, not merely strong ones.
LOADED_WORDS = _table(
    """dictator dictators dictatorship regime tyrant despot slaves slave thugs thug lavish
    cheese-loving ridiculed fatten fattening propaganda puppet maniacs brainwashed evil
    notorious reclusive hermit mad crazed shocking outrageous slammed blasted quackery
    pseudoscience"""
)

PHOTO_CREDITS = r"(?:REUTERS|Reuters|AFP|AP Photo|AP|Getty Images|GETTY|EPA|PA|Shutterstock|Alamy)"

# --------------------------------------------------------------------------- compiled regexes

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_VERB_RE = re.compile(
    r"\b(?P<verb>pointed out|"
    + "|".join(sorted(STRONG_VERBS | WEAK_VERBS | DOC_VERBS, key=len, reverse=True))
    + r")\b"
)
_MENTAL_RE = re.compile(
    r"\b(?P<verb>"
    + "|".join(sorted(MENTAL_VERBS, key=len, reverse=True))
    + r"|came to the conclusion|(?:is|are|was|were) (?:confident|convinced|certain))\b"
)
_LICENCE = {
    verb: (re.compile(follow), how)
    for verbs, follow, how in LICENSED_VERBS
    for verb in verbs.split()
}
_LICENSED_RE = re.compile(
    r"\b(?P<verb>"
    + _BE_ADJECTIVE
    + "|"
    + "|".join(sorted(set(_LICENCE) - {"is_concerned"}, key=len, reverse=True))
    + r")\b"
)
# One alternation, scanned once per sentence. Case matters only for "may" (the month is
# "May"); the other hedges may start a sentence.
_HEDGE_RE = re.compile("|".join(p if p == r"\bmay\b" else f"(?i:{p})" for p in HEDGE_PATTERNS))
_REJECTED_CLAIM = re.compile(
    r"(?:[\w’'-]+\s+){0,2}(?:assertions?|claims?|allegations?|suggestions?|reports?)\b"
)
_MAY_CAPITAL = re.compile(r"\bMay\b")
_FIRST_PERSON_HEDGE = re.compile(
    r"(?:(?<=\bI )|(?<=\b[Ww]e ))(?:suspect|think|believe|guess|fear)\b"
)
_LOADED_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(map(re.escape, sorted(LOADED_WORDS, key=len, reverse=True)))
    + r")(?![\w-])",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(
    r"(?:[£$€]\s?|US\$|USD\$)?\d+(?:,\d{3})*(?:\.\d+)?s?"
    r"(?:\s?(?:%|per cent|percent|million|billion))?"
    r"|\b(?:tens|hundreds) of thousands\b|\b(?:thousands|millions|billions)\b"
)
_ACCORDING = re.compile(
    r"\b(?:according to|in the words of)\s+(?P<src>[^,;:]+?)(?=\s*(?:,|;|:|\.$|$))", re.I
)
_QUOTING = re.compile(r",\s*(?:quoting|citing)\s+(?P<src>[^,;]+?)\s*(?:,|$)")
_WAS_QUOTED = re.compile(
    r"\b(?:was|were|is|are|has been|have been)\s+quoted\s+(?P<where>(?:in|by)\s+[^:]{0,150}?)?"
    r"\s*(?:as\s+)?saying\b"
)
_QUOTES_AS = re.compile(
    r"\b(?:quotes|quoted|quoting|cites|cited)\s+(?P<src>.{1,150}?)\s+as\s+saying\b"
)
_WITH_STATING = re.compile(r"\bwith\s+(?P<src>[A-Z][\w'’. -]{1,60}?)\s+(?:stating|saying|adding)\b")
_COLON_SPEAKER = re.compile(r"^(?P<src>[A-Z][^:;\"“”_]{1,140}?):\s*(?=[\"“‘'_]|$)")
_INVERTED = re.compile(
    r"[\"“”‘’_],?\s*(?P<verb>said|added|says|wrote|continued|asked|explained|told)\s+"
    r"(?P<src>[^,;:!?\"“”_]{2,90}?)\s*(?:[,;:!?]|\.?\s*$)"
)
_PARTICIPLE_RE = re.compile(
    r"\b(?P<verb>" + "|".join(sorted(PARTICIPLES)) + r")\b(?!\s+of\b)", re.I
)
_PURPOSE_RE = re.compile(
    r"\bto\s+(?P<verb>" + "|".join(sorted(PURPOSE_VERBS)) + r"|tell(?:\s+[\w'’]+){1,3}?)"
    r"\s+(?=that\b|how\b|why\b|:|[\"“_])"
)
_COLON_QUOTE = re.compile(r"(?<=\w):\s*(?=[\"“‘_])")
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|went|came|wrote|spoke"
    r"|took|made|gave|held|sent|met|told|said|left|sought|brought|put|kept|found|began|became"
    r"|[a-z]{3,}ed)\b"
)
_NP_START = re.compile(r"(?:with\s+)?(?:the|a|an|its|his|her|their|[A-Z])", re.I)
_DETERMINER_START = re.compile(r"^(?:a|an|one|another|one such)\s", re.I)
_AUX_WORDS = _table(
    """has have had also then later previously recently today yesterday now will would did does
    do first again just still further repeatedly publicly not never"""
)
_INTRO = re.compile(
    r"^(?:(?:after|during|on|in|at|however|but|and|yet|so|still|citing|discussing|speaking"
    r"|days|hours|weeks|months|shortly|yesterday|today|later|meanwhile|specifically|also"
    r"|instead|by|from|since|though|although|while|when|last|earlier|in addition|separately)\b"
    r"|[A-Za-z]+ing\b)[^,]*,\s*",
    re.I,
)
_BREAKS = re.compile(
    r"[;:\"“”_]|\s[–—-]\s|\((?![^()]*\))"  # [^()]: each ( looks only as far as the next one
    r"|,\s*(?:but|although|though|while|whereas|because|since|so|which|who|whom|where|when"
    r"|as)\b|,\s*and\s+(?=[a-z])"
    r"|\b(?:but|although|though|while|whereas|because|that|where|when|if|after|before|since"
    r"|which|unless|until|once)\s"
)
_AND = re.compile(r"\s(?:and|or)\s")
_VERBISH = re.compile(r"\b(?:is|are|was|were|has|have|had|be|been|began|[a-z]{3,}ed)\b")
_NOT_SOURCE_RES = [
    (re.compile(r"(?<=[a-z.!?])" + PHOTO_CREDITS + r"\s*$"), "photo-credit"),
    (_CREDIT_LINE := re.compile(r"(?:^|\s)(?:Photo|Picture|Image|Credit)s?\s*:\s*[^.]+$"),
     "photo-credit"),
    (re.compile(r"(?<=[\s/|(])" + PHOTO_CREDITS + r"\)?\s*$"), "photo-credit"),
    (re.compile(r"^By\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3}(?=\s*$|\s*,|\s+and\s)"), "byline"),
    (
        re.compile(r"^[A-Z][A-Z .,'-]{2,40}\s*\((?:Reuters|AP|AFP|CNN|UPI|Bloomberg)\)\s*[-–—]"),
        "dateline",
    ),
    (
        re.compile(
            r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+[A-Z][a-z]+"
            r"\s+\d{1,2},\s+\d{4}\.?$"
        ),
        "dateline",
    ),
    (re.compile(r"\b(?:declined|refused|did not want)\s+to\s+comment\b"), "no-comment"),
    (re.compile(r"\bcould\s+not\s+be\s+(?:reached|contacted)(?:\s+for\s+comment)?"), "no-comment"),
    (
        re.compile(
            r"\bdid\s+not\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+(?:a\s+)?requests?"
            r"\s+for\s+comment"
        ),
        "no-comment",
    ),
    (
        re.compile(r"(?<=\btold\s)(?:the\s+)?(?:press|[A-Z][\w.&’']*(?:\s+[A-Z][\w.&’']*){0,3})"),
        "recipient",
    ),
]

_DOUBLE_OPEN, _DOUBLE_CLOSE, _DOUBLE_ANY = "“", "”", '"'
_MASK = "_"


# --------------------------------------------------------------------------- data


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


@dataclass(frozen=True)
class _Speaker:
    """A speaker found in a sentence, before pronouns and neighbours are resolved."""

    source: str
    how: str
    cues: tuple[str, ...]


# --------------------------------------------------------------------------- quotes


def _quote_spans(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Return the double-quoted spans of *text* and whether a quote is still open at the end.

    A straight quote opens when white space (or the start) precedes it and a non-space follows;
    otherwise it closes. A new opener while a carried-over quote is open means that the carried
    quote ended at the sentence boundary.
    """
    spans: list[tuple[int, int]] = []
    start = 0 if open_at_start else None
    carried = open_at_start
    for i, ch in enumerate(text):
        if ch not in (_DOUBLE_OPEN, _DOUBLE_CLOSE, _DOUBLE_ANY):
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opener = ch == _DOUBLE_OPEN or (
            ch == _DOUBLE_ANY and (before.isspace() or before in "([—–-") and not after.isspace()
        )
        if opener and start is not None and carried and not spans:
            start = None  # the quote carried from the last sentence closed at the boundary
        carried = False
        if opener and start is None:
            start = i
        elif opener:
            continue
        elif start is None:
            # Closes a quote opened before this sentence. The span from 0 covers every span
            # found so far, so it replaces them: spans never overlap, and masking them and
            # reading what is inside stays linear however many closers a sentence holds.
            spans[:] = [(0, i + 1)]
        else:
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans, start is not None


_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=\w)(?P<body>[^‘’'\"]{1,120}?[\w.!?,])[’'](?![\w’'])")


def _single_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of paired single quotes, not apostrophes ("Thomas' sister")."""
    return [(m.start(), m.end()) for m in _SINGLE.finditer(text)]


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Return whether offset *at* falls in one of *spans* (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the inside of each span with a filler, keeping offsets."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = _MASK
    return "".join(chars)


def _words(text: str) -> list[str]:
    """Return the words of *text*."""
    return _WORD.findall(text)


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


def _trim(span: str) -> str:
    """Strip connectives, trailing adverbs and stray punctuation from a source span."""
    span = _cut_aux_tail(" " + span).strip()
    span = re.sub(r"^(?:and|but|that|so|then|also|however|,)\s+", "", span, flags=re.I)
    return span.strip(" ,;:-–—")


def _subject_before(masked: str, original: str, end: int, verb_end: int) -> str | None:
    """Return the subject that ends at offset *end* (just before a verb), as written."""
    left = masked[:end]
    trimmed = _cut_aux_tail(" " + left)[1:] if left else left
    words = trimmed.split()
    if not words or words[-1].lower().strip(",") in NOT_SUBJECT_END:
        return None
    if _ends_with_quote(trimmed):
        return None  # the verb follows a quote: '"...," said X' is the inverted rule's job
    trimmed = trimmed.rstrip().rstrip(",")  # "Ahn, the head of NK Watch, told": an appositive
    start = 0
    intro = _INTRO.match(left)
    if intro:
        start = intro.end()
    if not masked[verb_end:].strip(" .!?"):
        # A reporting clause closing the sentence ("..., activists have claimed."): its
        # subject starts after the last comma.
        start = max(start, trimmed.rfind(",") + 1)
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


def _ends_with_quote(text: str) -> bool:
    """Return whether *text* ends with a quote mark or masked quote, then perhaps a comma."""
    text = text.rstrip()
    text = text[:-1].rstrip() if text.endswith(",") else text
    return text[-1:] in ("_", '"', "“", "”") and text != ""


def _looks_like_subject(span: str) -> bool:
    """Return whether a lower-case span can still be a speaker ("critics", "media")."""
    head = span.split()[-1].lower().strip(".,")
    return head in GROUP_NOUNS or head in DOC_NOUNS or head in PERSON_WORDS


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
    if re.match(r"\s+to\b", masked[match.end() :]) and verb in {"said", "told", "reported"}:
        return False  # "is said to", "was told to": a hedge or an order, not a report
    if verb in NOUN_LIKE and (not before or prev in NOUN_GUARD or before[0] == prev):
        return False
    if "-" in (masked[match.end() : match.end() + 1], masked[match.start() - 1 : match.start()]):
        return False  # part of a compound: "asylum claim-", "cheese-loving"
    if re.search(r"[_\"”’],?\s*$", masked[: match.start()]):
        return True  # inverted after a quote: '"...", added KCNA'
    if verb in WEAK_VERBS or verb == "pointed out":
        return _weak_verb_ok(verb, masked[match.end() :])
    return True


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
    source = _relative_antecedent(masked, match.start())
    source = source or _subject_before(masked, original, match.start(), match.end())
    if source is None:
        inverted = _inverted_at(masked, match.start())
        if inverted:
            source = original[inverted.start("src") : inverted.end("src")]
    document_only = verb in DOC_VERBS and not licensed
    if not source or (document_only and source_kind(_trim(source)) != "document"):
        return None
    return _Speaker(_trim(source), how or _speech_how(masked), (verb,))


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
    return _LICENCE["is_concerned" if " " in verb else verb.lower()]


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
        if inner and inner.source.lower() not in PRONOUNS:
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


SPEAKER_RULES = (
    _according_speaker,
    _quoted_as_speaker,
    _colon_speaker,
    _reporting_speaker,
    _participle_speaker,
    _purpose_speaker,
    _colon_quote_speaker,
)


def find_speaker(masked: str, original: str) -> _Speaker | None:
    """Return the first speaker the rule table finds in one sentence."""
    for rule in SPEAKER_RULES:
        speaker = rule(masked, original)
        if speaker:
            return speaker
    return None


# --------------------------------------------------------------------------- source kinds


def source_kind(source: str, known_people: set[str] = frozenset()) -> str:
    """Classify a source span: named person or organisation, vague group, anonymous, document.

    :param known_people: last words of the people named earlier ("Ahn" for "Mr Ahn").
    """
    plain = re.sub(r"[\"“”‘’]", "", source).strip()
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
    return _named_kind(plain, known_people)


# Words after which a source span no longer names its head noun ("the report *seen* by...").
_HEAD_STOP = _table("of from for in at on with to seen who which that published documenting")


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
    return "named-person" if plain[:1].isupper() else "vague-group"


def _person_title_first(lowered: list[str]) -> bool:
    """Return whether the span starts with a person word after "the" ("the Crown prosecutor")."""
    return any(w in PERSON_WORDS for w in lowered[1:4])


# --------------------------------------------------------------------------- other marks


def find_hedges(text: str, quoted: bool = False) -> list[str]:
    """Return the hedge words and phrases in *text*, in order.

    With *quoted*, *text* is a speaker's own words, where "I think" or "we suspect" hedges too.
    """
    found = [
        (m.start("h"), m.group("h")) if m.group("h") else (m.start(), m.group(0))
        for m in _HEDGE_RE.finditer(text)
    ]
    if quoted:
        found += [(m.start(), m.group(0)) for m in _FIRST_PERSON_HEDGE.finditer(text)]
    for match in _MAY_CAPITAL.finditer(text):
        window = text[max(0, match.start() - 12) : match.end() + 3]
        if not _MONTH_CONTEXT.search(window) and match.start() != 0:
            found.append((match.start(), match.group(0)))
    return [hedge for _, hedge in sorted(found)]


def find_loaded(masked: str) -> list[str]:
    """Return loaded words used in the writer's own voice."""
    return [m.group(1) for m in _LOADED_RE.finditer(masked)]


def find_not_sources(text: str) -> list[tuple[str, str]]:
    """Return (text, kind) for credits, bylines, datelines, no-comments and recipients."""
    marks = []
    for regex, kind in _NOT_SOURCE_RES:
        # A credit line runs to the end with no full stop: start after the last one, or
        # every "Photo:" in a long sentence would be read on to the end again.
        start = text.rfind(".") + 1 if regex is _CREDIT_LINE else 0
        marks += [(m.group(0).strip(" ()"), kind) for m in regex.finditer(text, start)]
    return marks


def find_numbers(text: str) -> list[str]:
    """Return the numbers written in *text*."""
    return [m.group(0).strip() for m in _NUMBER_RE.finditer(text)]


def _scare_quotes(text: str, spans: list[tuple[int, int]], speaker: _Speaker | None) -> list[str]:
    """Return short quoted phrases (1-3 words) that nobody in the sentence is saying."""
    found = []
    for start, end in spans:
        inner = text[start + 1 : end - 1].strip(" ,.")
        if not inner or len(inner.split()) > 3 or start == 0:
            continue
        before = text[max(0, start - 25) : start].lower()
        if (
            speaker
            and speaker.how != "mental-state"
            and re.search(r"(?:said|says|told|called \w+|called|as|:)\s*$", before)
        ):
            continue
        found.append(text[start:end])
    return found


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
    speaker = None if quote_only else find_speaker(masked, credit_free)
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
            resolved[i] = _Speaker(earlier, speaker.how, speaker.cues) if earlier else None
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


def _previous_source(resolved: list[_Speaker | None], drafts: list[_Draft], i: int) -> str | None:
    """Return the nearest earlier source within a few sentences that the pronoun can mean."""
    pronoun = resolved[i].source.lower() if resolved[i] else ""
    for j in range(i - 1, max(-1, i - 5), -1):
        earlier = resolved[j].source if resolved[j] else ""
        if not earlier or earlier.lower() in PRONOUNS:
            continue
        if pronoun in _PERSONAL and source_kind(earlier) == "document":
            continue
        return earlier
    return None


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


def _finish(draft: _Draft, speaker: _Speaker | None, people: set[str]) -> Reading:
    """Turn a draft and its resolved speaker into a Reading."""
    text = draft.sentence.text
    masked = draft.masked + text[len(draft.credit_free) :]
    source = speaker.source if speaker and speaker.source else None
    kind = source_kind(source, people) if source else None
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
    return [_finish(d, s, people) for d, s in zip(drafts, _resolve(drafts), strict=True)]


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

