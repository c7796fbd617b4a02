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
from .attribution import guess_marks as _reader_marks
from .attribution.lexicon import (
    COUNTRIES,
    GROUP_NOUNS,
    GROUP_SUBJECTS,
    MENTAL_VERBS,
    ORG_WORDS,
    PERSON_WORDS,
    STRONG_VERBS,
    WEAK_VERBS,
)
from .questionsets import MAX_PARTS, slugify

KINDS = {
    "source": "Who is the source? (one question per ticked sentence with a speaker)",
    "evidence": "Find the sentence that names who gives a figure, or who is speaking",
    "hedges": "Spot the hedges (one question over the ticked sentences), and whose hedge it "
              "is where a sentence has a speaker",
    "classify": "Sort the sentences: attributed claim, hedged report, unattributed "
                "assertion or opinion (a second sorting question for a long article)",
    "meaning": "What does a hedge tell you? (one question per kind of hedge the writer uses)",
    "words": "Why is a word in quotation marks, and what does a loaded word do?",
    "voice": "Does the writer state this, or pass on somebody's claim? (only where the "
             "reader is sure)",
}
LABELS = (
    ("claim", "Attributed claim"),
    ("hedged", "Hedged report"),
    ("assertion", "Unattributed assertion"),
    ("opinion", "Opinion"),
)
CONFIRM = "Teacher to confirm: "
CONFIRM_SPEAKER = CONFIRM + "who is speaking? "
MAX_QUESTIONS = 12  # about a lesson's worth; hedges and sorting are kept, the rest trimmed
MIN_SOURCE_QUESTIONS = 3  # unsure speakers are asked about (flagged) only to reach this
MAX_WHOSE = 3  # "whose hedge is it?" questions per set
MAJORITY = 0.6  # a sorting question where one label covers more than this is warned about
SORT_SUGGESTED = 8  # sentences ticked for sorting when the reading page first opens
SORT_SIZE = 10  # statements per sorting question: more ticks make a second question
LONG_ARTICLE = 24  # body sentences from which a second sorting question is suggested
SORT_NOTES = 2  # suggested sort sentences whose explanation waits for the teacher
MIN_SORT = 4  # fewer statements are a guess, not a sort: the sorting question is left out

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


def _around(text: str, phrase: str, words: int = 12) -> str:
    """Return an excerpt of *text* of about *words* words that shows *phrase*."""
    parts, at = text.split(), text.lower().find(phrase.lower())
    if at < 0 or len(parts) <= words:
        return _excerpt(text, words)
    first = max(0, len(text[:at].split()) - words // 3)
    last = min(len(parts), first + words)
    first = max(0, last - words)
    return ("…" if first else "") + " ".join(parts[first:last]) + \
        ("…" if last < len(parts) else "")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _plural(name: str) -> bool:
    """Return whether a speaker takes a plural verb ("Authorities", "the police", "regional
    officials"), not "the government", "the United Nations" or "Lycos"."""
    words = re.findall(r"[\w’'.-]+", _POSTMODIFIER.sub("", short_source(name)))
    if not words:
        return False
    head = words[-1]
    if head.lower() in GROUP_SUBJECTS:
        return True
    # A lower-case head ending in -s is a plural noun; a capitalised one is a name ("Lycos").
    return head.islower() and head.endswith("s") and not head.endswith(("ss", "us", "is"))


def _verb(name: str, one: str, many: str) -> str:
    """Return *name* with the verb form that agrees with it: "Authorities soften"."""
    return f"{name} {many if _plural(name) else one}"


def _judging(reading: Reading) -> list[str]:
    """Return the loaded words in the writer's voice that are not inside scare quotes."""
    return [w for w in reading.loaded if not any(w in s for s in reading.scare_quotes)]


def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def kind_of(reading: Reading) -> str | None:
    """Return the reader's kind of source when its name bears it out, else None (then the
    source is called "the source", with no kind): a person's name with no organisation word
    in it, an organisation that does not read as a person's name, a group in the plural."""
    kind, name = reading.source_kind, _head(reading.source or "")
    words = name.split()
    if not words or kind not in SOURCE_KIND_WORDS:
        return None
    lower = [w.lower().strip(".,’'") for w in words]
    capitals = [w for w in words[1:] if w[:1].isupper()]
    if kind.startswith("named-") and _titled_name(words):
        return "named-person"  # "Mr Price", "UN coordinator Jan Egeland": a title, then a name
    org_word = any(w in ORG_WORDS for w in lower)
    country = " ".join(lower).removeprefix("the ") in COUNTRIES
    if kind == "named-person":
        common = lower[0] in ("the", "a", "an") and not capitals  # "the newspaper"
        org_like = org_word or re.search(r"[A-Z]-[A-Z]|^[A-Z]{2,}$", name) or country
        return None if common or org_like else kind
    if kind == "named-organisation":
        # "The BBC's Rachel Harvey": a name after an owner, with no organisation word in it,
        # reads as a person without a title, so no kind is said.
        tail = re.search(r"[’']s\s+((?:[A-Z][\w-]*\s*){2,3})$", name)
        if tail and not any(w.lower() in ORG_WORDS for w in tail.group(1).split()):
            return None
        person = any(w in PERSON_WORDS for w in lower)
        plain = not org_word and not country and not re.search(r"^[A-Z]{2,}|[a-z][A-Z]", name) \
            and not (lower[0] == "the" and capitals)  # "Price", "Rachel Harvey", "Lycos"
        return None if person or plain else kind
    if kind == "vague-group":
        head = lower[-1]
        return kind if head.endswith("s") or head in GROUP_SUBJECTS else None  # "the official"
    return kind


# A title before a name ending the span: "Dr Jane Roe", "spokesman Ned Price".
_TITLES = PERSON_WORDS | frozenset("""coordinator envoy ambassador governor mayor chairman
    chairwoman chair lawyer attorney judge general colonel captain commissioner rev reverend
    bishop pope king queen prince princess lord lady correspondent reporter editor analyst
    official""".split()) - frozenset(["the"])


def _titled_name(words: list[str]) -> bool:
    """Return whether a span ends in a title and a name of one to three capitalised words."""
    for i, word in enumerate(words[:-1]):
        rest = words[i + 1:]
        if word.lower().strip(".,") in _TITLES and len(rest) <= 3 and \
                all(w[:1].isupper() and w.lower().strip(".,") not in _TITLES for w in rest):
            return True
    return False


def _kind_word(reading: Reading) -> str:
    """Return "a named person" and so on, or "the source" when the kind is unsure."""
    kind = kind_of(reading)
    return _a(SOURCE_KIND_WORDS[kind]) if kind else "the source"


def _cue(reading: Reading) -> str:
    words = [c for c in reading.cues if c != "quote"]
    return f" (“{words[0]}”)" if words else ""


def askable(reading: Reading) -> bool:
    """Return whether questions may be drafted about a sentence (page furniture: no)."""
    # A sub-heading or date line left unmarked is furniture all the same: asking who says a
    # sub-heading is a word search in the paragraph below it.
    return reading.kind != "furniture" and not (reading.kind == "body"
                                                 and furniture_like(reading))


# --------------------------------------------------------------------------- is it a source?

# A source is a noun phrase. A span starting with one of these is a fronted phrase the reader
# took in ("As reported by X", "Under mounting pressure, officials", "Now, he said").
_LEADING = frozenset("""as under while whilst when after before although though if because
    since now then however meanwhile also speaking despite in on at with without according
    following amid amidst during but and or so yet still later earlier today yesterday once
    unlike like asked given having being by for from instead moreover indeed""".split())
_RELATIVE_START = frozenset("who which that whose whom where".split())
_PRONOUN_WORDS = frozenset("he she they it we i you him her them this these those".split())
# A finite verb inside the name part of a span means a clause, not a noun phrase.
# Words that are also nouns ("the report", "claims") are left out.
_FINITE_WORDS = frozenset("""is are was were been has have had will would can could shall
    should may might must does did said says told tells added adds believes believed thinks
    claimed reported explained explains repeated repeats discovered showed warned
    warns""".split())
# What may follow a comma inside a source: an apposition ("Ahn, the head of ..."), an age,
# "of Digby", a relative clause ("who chairs the group"), a participle ("issued by the TTK").
_APPOSITION_WORDS = frozenset("""the a an his her its their our one another of who which
    whose aged former then both and on in at from for with during""".split())
_LONG_HEAD = 12  # more words than this before the first comma: an unusual phrase for a name


def _head(source: str) -> str:
    """Return a source's words before its first comma, without parenthesised letters."""
    return re.sub(r"\s*\([^)]*\)", "", source.split(",", 1)[0]).strip()


def source_problem(source: str | None) -> str | None:
    """Return why *source* is not a noun phrase naming a speaker, or None when it is one."""
    words = (source or "").split()
    if not words:
        return "no speaker was found"
    first = words[0].strip("\"'“”‘’").lower()
    if first in _RELATIVE_START:
        return f"“{source}” is a relative clause, not a name"
    if first in _PRONOUN_WORDS and len(words) == 1:
        return f"“{source}” is a pronoun the reader could not resolve"
    if first in _LEADING:
        return f"“{source}” starts with “{words[0]}”, a phrase fronted before the speaker"
    parts = [p.strip() for p in source.split(",")]
    for part in parts[1:]:
        lead = part.split()[0] if part.split() else ""
        allowed = (not lead or not lead[0].isalpha() or lead[0].isupper()
                   or lead.lower() in _APPOSITION_WORDS or lead.endswith(("ed", "ing")))
        if not allowed or lead.lower() in _PRONOUN_WORDS:
            return f"“{source}” is cut around a comma (“{part}”)"
        if lead.lower() in ("who", "which", "whose"):
            break  # a relative clause on the name may hold verbs: "who chairs the group"
    # Up to a relative clause, a finite verb in any part makes a clause ("Russia, China and
    # Iran could try to sway voters, U.S. officials").
    named = next((i for i, p in enumerate(parts) if p.split()[:1] and
                  p.split()[0].lower() in ("who", "which", "whose")), len(parts))
    for word in re.findall(r"[\w’']+", " ".join(parts[:max(named, 1)])):
        if word in _FINITE_WORDS:  # lower case only: "Will Smith", "May" are names
            return f"“{source}” holds the verb “{word}”: it is a clause, not a name"
    if verb := _past_verb(parts[0]):
        return f"“{source}” holds the verb “{verb}”: it is a clause, not a name"
    return None


# A noun phrase followed by a verb in the past ("The quake struck Tuesday afternoon", "The
# storm killed 20 people") is a clause. A participle after a determiner or an adverb ("an
# unnamed official", "the newly elected mayor"), or before a preposition ("a group founded
# in 1990", "officials involved in the talks"), belongs to a noun phrase.
_PAST_IRREGULAR = frozenset("""struck rose fell took made came went began became gave knew saw
    won lost met paid ran sent spent stood thought wrote broke brought bought caught chose
    drove flew grew kept spoke sold sank shook swept tore threw hit""".split())
_NOT_BEFORE_VERB = frozenset("""the a an this that these those his her its their our my your
    one some many most several few no every each any other so""".split())
_PREPOSITIONS = frozenset("""in on at by with for from of to into about over under after
    before during near since through across against among between within without as and or
    but""".split())


def _past_verb(name: str) -> str | None:
    """Return a finite past verb after the first word of *name*, or None."""
    words = re.findall(r"[\w’'-]+", name)
    for i in range(1, len(words)):
        word, before = words[i], words[i - 1].lower()
        after = words[i + 1] if i + 1 < len(words) else ""
        if not word.islower() or before in _NOT_BEFORE_VERB or before.endswith("ly"):
            continue
        if word in _PAST_IRREGULAR and after.lower() not in _PREPOSITIONS:
            return word
        if word.endswith("ed") and after and (after[:1].isdigit() or after in _NOT_BEFORE_VERB):
            return word  # "killed 20 people", "arrested the man"
    return None


def unusual_source(reading: Reading) -> str | None:
    """Return why a well-formed key still needs the teacher's eye, or None."""
    source = reading.source or ""
    if reading.how == "quote-continuation" or not _names_source(reading, source):
        return (f"sentence {reading.number} does not name its speaker; the reader carried "
                f"“{short_source(source)}” over from another sentence")
    if len(_head(source).split()) > _LONG_HEAD:
        return f"“{_head(source)}” is a long phrase for a speaker's name"
    if (cue := _first_cue(reading)) is not None and _fold(cue) not in _USUAL_CUES:
        return f"the speaker was found by the less common cue “{cue}”"
    if (cut := _cut_out(reading)) is not None:
        return f"the reader cut “{short_source(source)}” out of “{cut}”: check where the " \
               "speaker's name begins"
    if (gap := _cue_gap(reading)) is not None and gap > _MAX_GAP:
        return f"“{short_source(source)}” stands {gap} words away from its cue " \
               f"“{_first_cue(reading)}”: check that it is the one speaking"
    if len(_REPORTING.findall(_outside_quotes(reading.text))) > 1:
        return f"sentence {reading.number} has more than one reporting verb: check whose words " \
               "these are"
    after = _after_cue(reading)
    if _REPORTING.search(after):
        return "the reported words hold another speaker: check who is the original source"
    if after and re.match(r"(?:a|an|the|his|her|its|their)\s", after) and \
            not _CLAUSE_VERB.search(after) and \
            not any(c.lower().startswith(("told", "tell")) for c in reading.cues):
        return f"sentence {reading.number} reports what was done, not what was said"
    return None


# Cues whose subject is nearly always the speaker: the strong reporting verbs, "according
# to" and a few plain ones. Weak and licensed verbs ("noted", "called", "sees X as"),
# participles, colons and belief verbs find a speaker by a rarer construction, where the
# reader errs more often, so their keys go to the teacher.
_USUAL_CUES = STRONG_VERBS | {"according to", "added", "adds", "wrote", "writes", "quoted",
                              "announced", "announces", "believe", "believes", "believed"}
_MAX_GAP = 3  # words between a speaker and its cue ("has also", "on Monday") before a flag


def _first_cue(reading: Reading) -> str | None:
    """Return the sentence's first reporting cue that is words, or None."""
    return next((c for c in reading.cues if c != "quote"), None)


# What the reader cuts off a speaker (quiz/attribution: a fronted time word, a fronted
# place or time phrase, a modal before the cue, a bare group after a fronted phrase). The
# cut is a guess where a name could begin earlier or later, so such a key is checked.
_FRONT_WHEN = re.compile(r"(?i:\b(?:yesterday|today|tonight|meanwhile|separately|earlier|later|"
                         r"now|also|then|(?:on|last|this)\s+\w+day))\s*$")
_FRONT_PLACE = re.compile(r"^(?i:around|across|among|against|toward|towards|beyond|inside|"
                          r"outside|near|over|through|until|without|behind|beside|along|into)"
                          r"\s[^,]*,\s*$")
_MODAL = re.compile(r"^\s*(?:must|should|can|could|may|might|shall)\b")
_NEW_GROUPS = GROUP_SUBJECTS - GROUP_NOUNS


def _cut_out(reading: Reading) -> str | None:
    """Return the phrase the reader cut a speaker out of, or None when it cut nothing."""
    text, source = reading.text, reading.source or ""
    at = text.find(source) if source else -1
    if at < 0:
        return None
    before, after = text[:at], text[at + len(source):]
    head = source.split()[-1].lower() if source.split() else ""
    if _FRONT_WHEN.search(before) or _FRONT_PLACE.match(before) or _MODAL.match(after) or (
            before.strip() and head in _NEW_GROUPS and
            not re.match(r"(?i:the|a|an|his|her|its|their)\s", source)):
        return _excerpt(text[:at + len(source)], 8)
    return None


def _cue_gap(reading: Reading) -> int | None:
    """Return how many words stand between the speaker's span and its cue, or None when
    either is not in the sentence as written."""
    text, cue, source = reading.text, _first_cue(reading), reading.source or ""
    if not cue or not source:
        return None
    at_source = text.find(source)
    at_cue = text.find(cue, max(at_source, 0) + len(source)) if at_source >= 0 else -1
    if at_source < 0 or at_cue < 0:
        before = text.rfind(cue, 0, max(at_source, 0))
        if at_source < 0 or before < 0:
            return None
        return len(text[before + len(cue):at_source].split())  # ", said X" / "according to X"
    return len(text[at_source + len(source):at_cue].split())


_REPORTING = re.compile(r"\b(?:said|says|say|insists?|insisted|told|claim(?:s|ed)|according to|"
                        r"stated|states|reported|reports|believes?|believed|estimates?|"
                        r"estimated|added|explained|argued|argues|warned|warns|announced)\b")
_CLAUSE_VERB = re.compile(r"\b(?:\w+ed|would|will|is|are|was|were|has|have|had|can|could|may|"
                          r"might|must|should)\b")
_SIGN_OFF = re.compile(r"^\s*(?:from|in)\s+[A-Z][\w.’' -]*[.!]?\s*$")


def _outside_quotes(text: str) -> str:
    return re.sub(r"[\"“][^\"“”]*[\"”]", " ", text)


def _after_cue(reading: Reading) -> str:
    """Return the sentence's words after its reporting cue ("" without one)."""
    cues = [c for c in reading.cues if c != "quote"]
    at = reading.text.find(cues[0]) if cues else -1
    return reading.text[at + len(cues[0]):].strip() if at >= 0 else ""


def has_speaker(reading: Reading) -> bool:
    """Return whether a sentence has a speaker to ask about: not a reporter's sign-off
    ("Simone Orendain reports from Manila."), which passes on no words."""
    return bool(reading.source) and not (
        reading.how == "indirect-speech" and _SIGN_OFF.match(_after_cue(reading)))


def speaker_flag(reading: Reading) -> str:
    """Return the "Teacher to confirm" note for a sentence's speaker, or "" when it is sound."""
    why = source_problem(reading.source) or unusual_source(reading)
    return f"{CONFIRM_SPEAKER}{_cap(why)}. " if why else ""


# --------------------------------------------------------------------------- sourcing chains

_CHAIN_RES = (
    # "..., the report said, citing X" / "Yonhap, quoting KCNA, said"
    re.compile(r"(?:^|[,;]\s*)(?P<outer>[A-Z]?[\w'’.&-]+(?:\s+[\w'’.&-]+){0,6}?)"
               r"(?:\s+(?:said|says|reported|reports|wrote|writes|stated|states))?,?\s+"
               r"(?:citing|quoting)\s+(?P<inner>[^,;.\"“”]{2,80}?)\s*(?:[,;.]|$)"),
    # "According to X, citing Y"
    re.compile(r"[Aa]ccording to\s+(?P<outer>[^,;]{2,80}?),\s*(?:which\s+)?"
               r"(?:citing|quoting|cited|quoted)\s+(?P<inner>[^,;.\"“”]{2,80}?)\s*(?:[,;.]|$)"),
    # "One such worker was quoted in the report as saying"
    re.compile(r"^(?P<inner>[^,;:\"“”]{2,80}?)\s+(?:was|were)\s+quoted\s+(?:in|by)\s+"
               r"(?P<outer>[^,;:.\"“”]{2,80}?)\s+(?:as\s+saying|saying|:)"),
)
_TOLD = re.compile(r"\btold\s+(?P<outer>the\s+(?:paper|newspaper|magazine|station|broadcaster|"
                   r"network|news agency|agency|website|outlet)|(?:the\s+)?[A-Z][\w.&’']*"
                   r"(?:\s+[A-Z][\w.&’']*){0,3})")


def sourcing_chain(reading: Reading) -> tuple[str, str] | None:
    """Return (original source, who passed it on) for a nested source, or None."""
    if not reading.source:
        return None
    for regex in _CHAIN_RES:
        if (m := regex.search(reading.text)) and not source_problem(m["inner"]) \
                and not source_problem(m["outer"]):
            return m["inner"].strip(), re.sub(r"^(?:the|a)\s+(?=[a-z])", "the ",
                                              m["outer"].strip())
    if (m := _TOLD.search(reading.text)) and m["outer"].lower() not in {"press", "the press"}:
        return short_source(reading.source), m["outer"].strip()
    return None


def _same_outlet(link: str, outlet: str) -> bool:
    """Return whether a chain's link is the outlet that published the article ("VOA" /
    "Voice of America"), by name or acronym."""
    return same_outlet_name(link, outlet)


def same_outlet_name(a: str, b: str) -> bool:
    """Return whether two spans name one outlet or organisation in its long or short form
    ("Voice of America (VOA)", "VOA", "Voice of America"). Acronyms match only where one
    side is a bare acronym or gives one in brackets, so "Jane Roe" is not "John Roe"."""
    def parts(name: str) -> tuple[str, set[str]]:
        long, given = _BRACKETED.match(re.sub(r"^(?i:the)\s+", "", name.strip())).groups()  # type: ignore[union-attr]
        shorts = {given} if given else set()
        shorts |= {long} if _BARE_ACRONYM.fullmatch(long) else {
            x for x in _acronyms(long) if x.isupper() and len(long.split()) > 1}
        return _fold(long), shorts
    (long_a, short_a), (long_b, short_b) = parts(a), parts(b)
    marked = "(" in a + b or any(_BARE_ACRONYM.fullmatch(x.strip()) for x in (a, b))
    return long_a == long_b or (marked and bool(short_a & short_b))


_BARE_ACRONYM = re.compile(r"(?:[Tt]he\s+)?[A-Z]{2,8}")
_BRACKETED = re.compile(r"^(.*?)(?:\s*\(\s*([A-Z][A-Za-z.&]{1,9})\s*\))?\s*$", re.S)


def chain_question(reading: Reading, outlet: str) -> dict | None:
    """Return "put the sourcing chain of sentence N in order", or None without a chain."""
    chain = sourcing_chain(reading)
    if not chain or (outlet and outlet.lower() != "unknown" and _same_outlet(chain[1], outlet)):
        return None  # "Price told VOA" in VOA's article: this article is the go-between
    n, (inner, outer) = reading.number, chain
    here = f"This article ({outlet})" if outlet and outlet.lower() != "unknown" else \
        "This article"
    given = short_source(reading.source or "")
    flag = speaker_flag(reading) if same_source(reading.source, inner) else \
        f"{CONFIRM_SPEAKER}The reader gave sentence {n} to “{given}”; check that “{inner}” " \
        "is where the words start. "
    if not flag and not any(regex.search(reading.text) for regex in _CHAIN_RES):
        # "X told Y": two names, and only the reader's guess says which one speaks.
        flag = f"{CONFIRM_SPEAKER}Sentence {n} names who told and who was told: check that " \
               f"“{inner}” is the one speaking. "
    items = [
        {"id": "i1", "text": _cap(inner), "explanation":
         f"{_verb(_cap(inner), 'is', 'are')} where the words of sentence {n} start: the "
         "original source."},
        {"id": "i2", "text": _cap(outer), "explanation": f"{_cap(outer)} passed them on: "
         "it is a link in the chain, not the original source."},
        {"id": "i3", "text": here, "explanation": "This article reports what it was given: "
         "the last link, closest to you."},
    ]
    return {
        "id": f"chain-s{n}", "type": "order",
        "prompt": f"Sentence {n}, “{_excerpt(reading.text)}”, passes words along a chain. "
                  "Put it in order, from the original source to this article.",
        "explanation": f"{flag}Each link can change or lose something: to check the claim, "
                       f"go back to {inner}.",
        "difficulty": "hard", "skill": "sourcing-chain", "items": items, "evidence": [n],
    }


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

_LONG_QUOTE = re.compile(r"[\"“][^\"“”]*?(?:\s[^\"“”\s]+){3,}[^\"“”]*[\"”]")
_PRONOUN_START = re.compile(r"^(?:He|She|They|We|I|My|Our)\b")
# Verbs that pass on somebody's words, beyond the reader's cues: a sentence holding one
# after a pronoun ("he cautions") or before "that" has a speaker the reader missed.
_SAY_VERBS = STRONG_VERBS | WEAK_VERBS | MENTAL_VERBS | frozenset(
    "caution cautions cautioned cautioning stressing adding saying noting warning".split())
_PRONOUN_SAYS = re.compile(r"(?i:\b(?:he|she|they|we)\s+(?:\w+ly\s+)?(?P<verb>[a-z]+))\b")
# "cautioned reporters on Monday that": a few words may sit between the verb and "that".
_SAYS_THAT = re.compile(r"\b(?P<verb>[a-z]+)(?=(?:\s+[\w.’'-]+){0,3}?\s+that\b)")
_CLOSING_ONLY = re.compile(r"^[^“\"]*”")  # a quotation that ends here began earlier
# The same with straight quotes: one mark, after the words and before the end or a comma.
_CLOSING_STRAIGHT = re.compile(r"^[^\"]*\w[.,!?]?\"[^\"]*$")


def missed_speaker(reading: Reading) -> bool:
    """Return whether an unattributed sentence looks like somebody's words all the same: a
    quotation, a quotation's end, or a pronoun or reporting verb that passes words on."""
    if reading.attributed:
        return False
    text, outside = reading.text, _outside_quotes(reading.text)
    says = [m["verb"] for m in (*_PRONOUN_SAYS.finditer(outside), *_SAYS_THAT.finditer(outside))]
    closing = _CLOSING_ONLY.match(text) or _CLOSING_STRAIGHT.match(text)
    return bool(_LONG_QUOTE.search(text) or _PRONOUN_START.match(text) or closing
                or any(v.lower() in _SAY_VERBS for v in says))


# Page furniture the reader may leave in the body: a date line, a programme's opening or
# sign-off, a credit line, a sub-heading (a short line with no end stop). None is a
# statement anybody makes, so none is sorted.
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|"
           r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_DATE_LINE = re.compile(rf"^[\W\d]*(?:[A-Z][\w.'’ -]*,\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|"
                        rf"Satur|Sun)day,?\s*)?(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS})"
                        rf"(?:,?\s+\d{{4}})?[\W\d]*$")
_PROGRAMME = re.compile(r"(?i)^(?:from [^,]{1,40},\s*)?(?:this is|you are listening to|"
                        r"you're listening to|welcome (?:back )?to|i'm|i am)\b[^.!?]*\b(?:news|"
                        r"radio|report|reporting|programme|program|show|podcast|broadcast)\b")
_CREDIT_LINE = re.compile(r"(?i)^(?:(?:by|reporting by|written by|edited by|additional "
                          r"reporting by)\s[^.!?]*$|(?:photo|image|source|credit)s?\s*:)")


def furniture_like(reading: Reading) -> bool:
    """Return whether a body sentence is page furniture rather than a statement: a date line,
    a programme intro or sign-off, a credit line or a sub-heading."""
    text = reading.text.strip()
    if reading.kind != "body":
        return reading.kind == "furniture"  # a headline or caption is the teacher's to tick
    if not text:
        return True
    stated = sum(len(t) for t, k in reading.not_source if k in ("byline", "dateline"))
    if stated >= 0.6 * len(text) or _DATE_LINE.match(text) or _CREDIT_LINE.match(text):
        return True
    if _PROGRAMME.match(text) and len(text.split()) <= 12:
        return True
    return text[-1] not in ".!?\"”’)" and len(text.split()) <= 10  # a sub-heading


def classify(reading: Reading) -> tuple[str, str]:
    """Return the label id for one sentence and the explanation of that label."""
    n = reading.number
    if reading.attributed and reading.source and not source_problem(reading.source):
        kind = _kind_word(reading)
        # Only the writer's own hedges: one in the speaker's words is theirs (as the set's
        # whose-hedge and meaning questions say).
        mine = writer_hedges(reading)
        also = f" The writer also softens it with {_quoted(mine)}." if mine else ""
        cue = _cue(reading).replace(" (", "; ").rstrip(")")
        whose = f"Sentence {n} gives this to {reading.source} ({kind}{cue})" \
            if _names_source(reading, reading.source) else \
            f"The article gives sentence {n} to {reading.source} ({kind})"
        return "claim", (f"{speaker_flag(reading)}{whose}: it is their claim, not something "
                         f"the article shows to be true.{also}")
    if reading.attributed or missed_speaker(reading):
        return "claim", (f"{CONFIRM_SPEAKER}Sentence {n} reads as somebody's words, but the "
                         "reader could not tell whose. Name the speaker here if the article "
                         "does; if it names nobody, choose “Unattributed assertion”.")
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


def suggest_sort(readings: list[Reading], limit: int | None = None) -> list[int]:
    """Return sentences to tick for sorting: a mix in which no label covers more than
    ``MAJORITY``, an opinion whenever the reader found one, and at most ``SORT_NOTES``
    sentences whose explanation waits for the teacher (furniture is never sorted); twice as
    many in a long article, for a second sorting question."""
    if limit is None:
        body = sum(r.kind == "body" and not furniture_like(r) for r in readings)
        limit = SORT_SUGGESTED * (2 if body >= LONG_ARTICLE else 1)
    by_label: dict[str, list[int]] = {label: [] for label, _ in LABELS}
    noted: dict[str, list[int]] = {label: [] for label, _ in LABELS}
    for r in readings:
        if r.kind == "body" and not furniture_like(r):
            label, explanation = classify(r)
            (noted if explanation.startswith(CONFIRM) else by_label)[label].append(r.number)
    # Sentences that need a note: an opinion first (the label students must see), then
    # assertions, then claims whose speaker is unsure; only a few, so the sort stays usable.
    extra = [*noted["opinion"][:1], *noted["assertion"], *noted["opinion"][1:],
             *noted["hedged"], *noted["claim"]][:SORT_NOTES]
    picked = {n: classify(r)[0] for r in readings for n in extra if r.number == n}
    queues = [by_label["hedged"], by_label["claim"], by_label["opinion"], by_label["assertion"]]
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                n = queue.pop(0)
                picked[n] = next(classify(r)[0] for r in readings if r.number == n)
    # Drop the latest of the commonest label until none covers more than MAJORITY.
    while len(picked) > 3:
        labels = list(picked.values())
        top = max(set(labels), key=labels.count)
        if labels.count(top) <= MAJORITY * len(labels):
            break
        tops = [n for n, label in picked.items() if label == top]
        del picked[max([n for n in tops if n not in extra] or tops)]
    return sorted(picked)


def sort_parts(to_sort: list[Reading]) -> list[list[Reading]]:
    """Split the sentences to sort into questions of at most `SORT_SIZE`, dealing each label
    in turn so that every question gets a mix (in article order within a question)."""
    if len(to_sort) < MIN_SORT:
        return []
    count = -(-len(to_sort) // SORT_SIZE)
    by_label: dict[str, list[Reading]] = {label: [] for label, _ in LABELS}
    for r in to_sort:
        by_label[classify(r)[0]].append(r)
    parts: list[list[Reading]] = [[] for _ in range(count)]
    dealt = [r for label in ("opinion", "hedged", "claim", "assertion") for r in by_label[label]]
    for i, r in enumerate(dealt):
        parts[i % count].append(r)
    return [sorted(part, key=lambda r: r.number) for part in parts]


def sort_warnings(document: dict) -> list[str]:
    """Return a warning for each sorting question where one label covers most statements."""
    warnings = []
    names = dict(LABELS)
    for q in document["questions"]:
        if len(q.get("statements") or ()) < 3:  # only a sorting question has statements
            continue
        labels = [s["label"] for s in q["statements"]]
        top = max(set(labels), key=labels.count)
        if labels.count(top) > MAJORITY * len(labels):
            warnings.append(f"In the sorting question, {labels.count(top)} of {len(labels)} "
                            f"statements are “{names.get(top, top)}”: students can score by "
                            "always choosing it. Tick sentences of other kinds to sort.")
    return warnings


# --------------------------------------------------------------------------- who is the source


Sources = list[tuple[str, set[str], list[int]]]


def same_speaker(a: str | None, b: str | None) -> bool:
    """Return whether two spans may name one speaker ("the report" / "the congressional
    report"; "a company spokesperson" / "a Lycos spokesperson"; "The United Nations" / "the
    UN's coordinator"). In doubt it says yes: a wrong option is cheap to replace, one that
    is also right marks a right answer wrong."""
    if not a or not b:
        return False
    return same_source(a, b) or same_source(short_source(a), short_source(b)) or \
        _same_head(a, b) or _names_org(a, b) or _names_org(b, a) or \
        _generic_outlet(a, b) or _generic_outlet(b, a) or same_outlet_name(a, b)


_DETERMINERS = frozenset("the a an its his her their this that one another".split())
_POSTMODIFIER = re.compile(r"\s+(?:of|with|at|for|from|in|on|to|by)\s.*$")


def _head_noun(span: str) -> tuple[str, list[str]] | None:
    """Return a common-noun span's head noun and its modifiers ("a company spokesperson"
    -> ("spokesperson", ["company"])), or None when the span is a name."""
    words = re.findall(r"[\w’'.&-]+", _POSTMODIFIER.sub("", short_source(span)))
    words = [w for w in words if w.lower() not in _DETERMINERS]
    if not words:
        return None
    head = words[-1]
    common = head.islower() or (len(words) == 1 and head.lower() in PERSON_WORDS | GROUP_SUBJECTS)
    return (head.lower(), words[:-1]) if common else None


def _same_head(a: str, b: str) -> bool:
    """Return whether two common-noun spans share their head noun and one's modifiers are
    a subset of the other's, or one's are plain words where the other's name somebody."""
    ha, hb = _head_noun(a), _head_noun(b)
    if not ha or not hb or ha[0] != hb[0]:
        return False
    ma, mb = {w.lower() for w in ha[1]}, {w.lower() for w in hb[1]}
    if ma <= mb or mb <= ma:
        return True
    named_a, named_b = (any(w[:1].isupper() for w in m) for m in (ha[1], hb[1]))
    return named_a is not named_b  # "a company spokesperson" / "a Lycos spokesperson"


def _org_name(span: str) -> str | None:
    """Return the run of two or more capitalised words in *span* ("United Nations")."""
    m = re.search(r"(?:[A-Z][\w’'&-]*\s+(?:of\s+(?:the\s+)?)?)+[A-Z][\w’'&-]*",
                  re.sub(r"^(?i:the)\s+", "", span))
    return m.group() if m else None


def _names_org(a: str, b: str) -> bool:
    """Return whether span *a* is an organisation that *b* names, in full or by its
    acronym ("The United Nations" / "Jan Egeland, the UN's emergency coordinator")."""
    name = _org_name(short_source(a))
    if not name or len(short_source(a).split()) > len(name.split()) + 1:
        return False  # a longer span is more than the organisation: "a Times reporter"
    words = {re.sub(r"[’']s$", "", w) for w in re.findall(r"[\w’'.&-]+", b)}
    return name in b and _fold(name) != _fold(b) or bool(_acronyms(name) & words)


def _acronyms(name: str) -> set[str]:
    """Return a name's acronyms, with and without its small words ("VOA", "VA")."""
    words = name.split()
    found = {"".join(w[0] for w in words if w[0].isupper()),
             "".join(w[0] for w in words if w.lower() != "the").upper()}
    return {a for a in found if len(a) > 1}


_OUTLET_NOUNS = frozenset("newspaper paper daily weekly broadcaster station channel".split())
_OUTLET_NAMES = frozenset("""times post herald journal gazette tribune news express mail
    telegraph guardian chronicle observer standard star mirror""".split())


def _generic_outlet(a: str, b: str) -> bool:
    """Return whether *a* is "the newspaper" and *b* names a newspaper ("the Times of
    Zambia"): in an article that cites one paper, both are the same source."""
    head = _head_noun(a)
    return bool(head and head[0] in _OUTLET_NOUNS and not any(w[:1].isupper() for w in head[1])
                and any(w.lower() in _OUTLET_NAMES for w in re.findall(r"\b[A-Z]\w+", b)))


def sources(readings: list[Reading]) -> Sources:
    """Return the article's speakers in order of appearance, one entry per speaker (by
    ``same_speaker``): its short name, the spans that name it, and its sentences. A span that
    is not a noun phrase is nobody and never an option."""
    found: Sources = []
    for r in readings:
        if not r.source or source_problem(r.source):
            continue
        for _name, spans, numbers in found:
            if any(same_speaker(span, r.source) for span in spans):
                spans.add(r.source)
                numbers.append(r.number)
                break
        else:
            found.append((short_source(r.source), {r.source}, [r.number]))
    return found


def _other_sources(reading: Reading, speakers: Sources) -> list[tuple[str, list[int]]]:
    """Return the speakers other than *reading*'s, those of the nearest sentences first."""
    others = [(name, numbers) for name, spans, numbers in speakers
              if not any(same_speaker(span, reading.source) for span in spans)]
    return sorted(others, key=lambda o: min(abs(m - reading.number) for m in o[1]))


def _not_sources(reading: Reading, readings: list[Reading], outlet: str) -> list[dict]:
    """Return names that look like sources but are not, nearest first, as options. Who was
    told is left out: that is a link in a sourcing chain, asked about in its own question."""
    candidates: list[tuple[int, str, str, int]] = []  # (priority, text, kind, sentence)
    for r in readings:
        for text, kind in r.not_source:
            if kind in ("photo-credit", "byline"):
                near = 0 if r.number == reading.number else 1 if kind == "photo-credit" else 3
                candidates.append((near, re.sub(r"^By\s+", "", text), kind, r.number))
    if outlet and outlet.lower() != "unknown":
        candidates.append((2, outlet, "outlet", 0))
    speaker = short_source(reading.source or "")
    explain = {
        "photo-credit": "“{t}” is a photo credit (sentence {m}): it names who supplied the "
                        "picture, not who says anything.",
        "byline": "{t} wrote the article (sentence {m}): a reporter passes claims on but is "
                  "not their source.",
        "outlet": "{t} published the article: it reports what sentence {n} says, but gives "
                  "it to {s}.",
    }
    options = []
    for _, text, kind, m in sorted(candidates, key=lambda c: (c[0], c[3])):
        options.append({"text": text, "explanation": explain[kind].format(
            t=_cap(text), m=m, n=reading.number, s=speaker)})
    return options


def _one_each(options: list[dict]) -> list[dict]:
    """Return the options with each source offered once, under its first name."""
    kept: list[dict] = []
    for option in options:
        if not any(same_speaker(option["text"], k["text"]) or
                   _fold(option["text"]) == _fold(k["text"]) for k in kept):
            kept.append(option)
    return kept


def _lettered(options: list[dict]) -> list[dict]:
    for letter, option in zip("abcdefgh", options, strict=False):
        option["id"], option["text"] = letter, _cap(option["text"])
    return options


def source_question(reading: Reading, readings: list[Reading], outlet: str,
                    speakers: Sources | None = None) -> dict | None:
    """Return "who is the source of sentence N?" or None when the reader found no speaker
    that is a noun phrase.

    :param speakers: ``sources(readings)``, when it is already known.
    """
    if not reading.source or source_problem(reading.source):
        return None  # a fragment would be a placeholder key, and the reader is not sure of it
    speakers = sources(readings) if speakers is None else speakers
    said = _person_key(reading) or reading.source
    n, name = reading.number, short_source(said)
    named_here = _names_source(reading, reading.source)
    namer = _namer(reading, readings)
    where = f", named in sentence {namer.number}" if namer else ""
    options = [{"text": name, "correct": True, "explanation": (
        f"Sentence {n} gives it to {said}{_cue(reading)}." if named_here else
        f"Sentence {n} does not name the speaker itself; it comes from {reading.source}"
        f"{where}.")}]
    # Who passed the words on is part of a chain, never a wrong option here.
    chain = sourcing_chain(reading)
    links = [chain[1]] if chain else []
    flagged = {r.number for r in readings if r.source and speaker_flag(r)}
    by_number = {r.number: r for r in readings}
    for other, numbers in _other_sources(reading, speakers):
        # A flagged key may be wrong ("Lycos Europe" read from a colon): never an option.
        if set(numbers) <= flagged or \
                _one_group(reading, [by_number[m] for m in numbers if m in by_number]):
            continue
        if not any(same_speaker(other, link) for link in links):
            options.append({"text": other, "explanation":
                            f"{_verb(_cap(other), 'is', 'are')} the source of sentence"
                            f"{'s' * (len(numbers) > 1)} {_span(numbers)}, not of sentence "
                            f"{n}."})
    options = _one_each(options)[:1 + _MAX_SOURCE_DISTRACTORS]
    more = [o for o in _not_sources(reading, readings, outlet)
            if not any(same_speaker(o["text"], link) for link in links)]
    options = _one_each(options + more)[:1 + _MAX_SOURCE_DISTRACTORS + _MAX_NOT_SOURCES]
    if len(options) < 4:
        options.append({"text": "Nobody: the article gives no source",
                        "explanation": f"Sentence {n} does have a source: {name}."})
    kind = reading.source_kind or ""
    advice = _KIND_ADVICE.get(kind_of(reading) or "", "")
    return {
        "id": f"who-s{n}", "type": "choice",
        "prompt": f"Who is the source of sentence {n}, “{_excerpt(reading.text)}”?",
        "explanation": f"{speaker_flag(reading)}Sentence {n} comes from {said}. "
                       f"{advice}".strip(),
        "difficulty": "hard" if not named_here else
                      "easy" if kind in ("named-person", "named-organisation") else "medium",
        "skill": "source", "options": _lettered(options), "evidence": [n],
    }


# Heads that one article may use for the same people ("officials" ... "authorities").
_GROUP_FAMILIES = (frozenset("officials authorities government administration".split()),
                   frozenset("scientists researchers experts academics scholars".split()),
                   frozenset("police officers investigators detectives".split()),
                   frozenset("residents locals villagers people".split()),
                   frozenset("witnesses eyewitnesses onlookers".split()))


def _one_group(reading: Reading, others: list[Reading]) -> bool:
    """Return whether another speaker may be *reading*'s vague group under another name:
    both vague groups of one family of heads, and one names nobody that could set it apart
    ("Officials" / "authorities"; not "UN officials" / "Indonesian authorities")."""
    def group(r: Reading) -> tuple[str, set[str]] | None:
        found = _head_noun(r.source or "") if kind_of(r) == "vague-group" else None
        return (found[0], {w.lower() for w in found[1] if w[:1].isupper()}) if found else None

    mine = group(reading)
    for other in others:
        theirs = group(other)
        if mine and theirs and any(mine[0] in f and theirs[0] in f for f in _GROUP_FAMILIES) \
                and (not mine[1] or not theirs[1] or mine[1] == theirs[1]):
            return True
    return False


_NOT_ROLE = _PREPOSITIONS | _DETERMINERS | _FINITE_WORDS | frozenset("that than".split())


def _person_key(reading: Reading) -> str | None:
    """Return the person with their role when the sentence names one who speaks for the
    organisation the reader gave it to ("UN emergency coordinator Jan Egeland" for "The
    United Nations"), else None: the person is the source a student can look up."""
    if kind_of(reading) != "named-organisation" or not reading.source:
        return None
    words = reading.text.split()
    for i, word in enumerate(words[:-1]):
        if word.lower().strip(",.") not in _TITLES or word[:1].isupper():
            continue
        end = i + 1
        while end < len(words) and end - i <= 3 and words[end][:1].isupper() and \
                words[end].lower().strip(",.;:") not in _TITLES | ORG_WORDS:
            end += 1
            if words[end - 1][-1:] in ",.;:":
                break
        start = i
        while start > 0 and i - start < 3 and words[start - 1].isalpha() and \
                words[start - 1].islower() and words[start - 1] not in _NOT_ROLE:
            start -= 1
        if start > 0 and words[start - 1][:1].isupper():
            start -= 1  # the organisation's name or acronym: "UN", "the BBC's"
        span = " ".join(words[start:end]).strip(",.;:")
        if end - i >= 3 and _names_org(reading.source, span):
            return span
    return None


def sure_speaker(reading: Reading) -> bool:
    """Return whether the drafter is sure of a sentence's speaker: a noun phrase named in the
    sentence beside a usual cue, not reached across sentences, nothing for the teacher to
    confirm."""
    return has_speaker(reading) and not source_problem(reading.source) and \
        not speaker_flag(reading)


def choose_sources(chosen: list[Reading], speakers: Sources,
                   least: int = MIN_SOURCE_QUESTIONS) -> list[Reading]:
    """Return the sentences to ask "who is the source?" about, one per speaker: those whose
    speaker the drafter is sure of; a reading it is not sure of only when fewer than *least*
    are sure (its key is then flagged). A sentence whose speaker is no noun phrase is never
    asked about: its key would be a placeholder."""
    best: dict[int, Reading] = {}
    for r in chosen:
        if not has_speaker(r) or source_problem(r.source):
            continue
        who = next(i for i, (_, spans, _) in enumerate(speakers)
                   if any(same_speaker(span, r.source) for span in spans))
        if who not in best or (not sure_speaker(best[who]) and sure_speaker(r)):
            best[who] = r
    sure = [r for r in best.values() if sure_speaker(r)]
    unsure = sorted((r for r in best.values() if not sure_speaker(r)), key=lambda r: r.number)
    return sorted(sure + unsure[:max(0, least - len(sure))], key=lambda r: r.number)


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


_FIGURE = re.compile(r"[$£€]?\d[\d,.]*(?:\s*%|\s+(?:percentage points?|per ?cent|percent|"
                     r"points?|million|billion|trillion)\b)?(?:\s+(?:million|billion)\b)?")
_NOT_QUANTITY_BEFORE = re.compile(
    r"(?i:\b(?:section|article|chapter|clause|paragraph|part|rule|no\.?|number|page|"
    r"resolution|route|flight|room|grade|channel|amendment|title|act|bill|item)\s*)$|"
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$")
_DURATION_AFTER = re.compile(
    r"^(?:-|\s+)(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|"
    r"century|year-old|years-old|nights?)\b|^s\b|^(?:st|nd|rd|th)\b", re.I)


def figures(text: str) -> list[str]:
    """Return the real quantities in *text*, quoted exactly ("19 percentage points"): not
    years, section numbers, dates or durations."""
    found = []
    for m in _FIGURE.finditer(text):
        figure = m.group().rstrip(",.")
        end = m.start() + len(figure)
        if not figure[-1:].isdigit() and not figure.endswith(("%", "s", "n", "t")):
            continue
        plain = re.fullmatch(r"\d{4}", figure)
        if (plain and 1000 <= int(figure) <= 2100) or _NOT_QUANTITY_BEFORE.search(
                text[:m.start()]) or _DURATION_AFTER.match(text[end:]):
            continue
        before, after = text[m.start() - 1:m.start()], text[end:end + 2]
        if (before and (before.isalnum() or before in ".,-:/")) or re.match(r"[:/]\d", after):
            continue  # part of a code, a time or a date ("10:30", "A320", "1/2")
        found.append(figure)
    return found


def _holding(figure: str, readings: list[Reading]) -> list[Reading]:
    """Return the askable sentences that quote *figure* exactly."""
    return [r for r in readings if askable(r) and figure in figures(r.text)]


_COUNT_STOP = frozenset("""of to in on at by for from with and or but than as abroad away so
more less about each a an the this that were was are is have has had who which people
times""".split())


def _counted(figure: str, text: str) -> set[str]:
    """Return the words naming what a bare *figure* counts ("70 US personnel"), or an empty
    set where the sentence does not say (a unit, a function word or the end follows)."""
    if not re.fullmatch(r"[\d,.]+", figure) or figure not in text:
        return set()
    words = []
    for word in re.findall(r"[\w’'-]+|[^\w\s]", text.split(figure, 1)[1])[:3]:
        if not word[0].isalnum() or word.lower() in _COUNT_STOP:
            break
        words.append(word.lower().rstrip("s"))
    return set(words)


def _one_count(figure: str, holding: list[Reading]) -> bool:
    """Return whether *figure* counts the same thing wherever the sentences say what it
    counts: "70 aftershocks" and "70 rescuers" are two figures, not one."""
    counts = [c for r in holding if (c := _counted(figure, r.text))]
    return all(a & b for a in counts for b in counts)


def evidence_question(reading: Reading, readings: list[Reading]) -> dict | None:
    """Return "select the sentence that says who ..." for one attributed sentence, or None."""
    if not reading.source or source_problem(reading.source):
        return None
    n, name = reading.number, short_source(reading.source)
    namer = _namer(reading, readings)
    note = ""
    for figure in figures(reading.text):
        holding = _holding(figure, readings)
        answers = [r for r in holding if r.source and not source_problem(r.source)
                   and _names_source(r, r.source)]
        # A figure in one sentence is a word search; two givers make the question unfair.
        if (len(holding) >= 2 and len(answers) == 1 and _one_count(figure, holding)
                and same_speaker(answers[0].source, reading.source)):
            wrong = [r for r in holding if r is not answers[0]]
            prompt = f"Select the sentence that says who gives the figure {figure}."
            why = f"gives the figure {figure} but does not say who gives it."
            note = speaker_flag(answers[0])
            level = "easy" if answers == [reading] else "medium"
            break
    else:
        if not (namer and namer is not reading):
            return None
        answers, wrong = [namer], [reading]
        prompt = f"Sentence {n} does not name who is speaking. Select the sentence that does."
        why = "is the sentence in question: it does not name the speaker itself."
        # The key is reached across sentences: the teacher checks it.
        note, level = (f"{CONFIRM_SPEAKER}The reader carried the speaker of sentence {n} over "
                       f"from sentence {namer.number}. "), "medium"
    return {
        "id": f"find-s{n}", "type": "evidence", "prompt": prompt,
        "explanation": f"{note}Only sentence{'s' * (len(answers) > 1)} "
                       f"{_span([a.number for a in answers])} name{'s' * (len(answers) == 1)} "
                       f"{reading.source} as the source.",
        "difficulty": level, "skill": "attribution",
        "answers": [{"sentence": a.number, "explanation":
                     f"Sentence {a.number} names {name}{_cue(a)}."} for a in answers],
        "distractors": [{"sentence": r.number, "explanation":
                         f"Sentence {r.number} {why}"} for r in wrong],
    }


# --------------------------------------------------------------------------- hedges


def hedge_meaning(hedge: str) -> str:
    """Return what a hedge does, in a few words."""
    h = _fold(hedge)
    if h in {"reportedly", "allegedly", "purportedly", "supposedly", "alleged"}:
        return "passes on what others say without saying who"
    if h in {"claims", "claimed", "unconfirmed", "unofficial"}:
        return "marks it as a claim the writer does not vouch for"
    if h in {"estimated", "an estimated", "roughly", "approximately"}:
        return "gives somebody's estimate, not a count"
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


_MODALS = frozenset("could may might can would should must".split())


def speaker_hedges(reading: Reading) -> list[str]:
    """Return the hedges the reader gave the writer that sit in a speaker's reported words or
    belief ("activists say the toll could reach"): those are the speaker's. A hedge right
    before the reporting verb ("reportedly told") stays the writer's."""
    # A quotation in part ("warned that X could try, calling it "a threat"") still reports
    # the rest: a hedge there is the speaker's too.
    if not reading.source or reading.how not in ("indirect-speech", "mental-state", "document",
                                                 "direct-quote"):
        return []
    cues = [c for c in reading.cues if c != "quote"]
    at = reading.text.lower().find(cues[0].lower()) if cues else -1
    if at < 0:
        return []
    source = reading.source.lower()
    at_source = reading.text.lower().find(source)
    theirs = []
    for hedge in reading.hedges:
        where = reading.text.lower().find(hedge.lower())
        if _fold(hedge) in _MODALS and where >= 0 and not (
                0 <= where < at and set(reading.text[where + len(hedge):at].split()) <=
                {"have", "be", "also"}):
            theirs.append(hedge)  # a modal names nobody: in a reported clause it is theirs
            continue
        # A hedge in the speaker's own name ("Unofficial results show") or right in front
        # of it ("Unofficial figures", "the possible culprits") describes the speaker, not
        # what they say: the writer's. "As many as 100 died, activists said" is not that.
        between = reading.text[where + len(hedge):at_source] if 0 <= where < at_source else ","
        if (0 <= at_source <= where < at_source + len(source)) or (
                len(between.split()) <= 1 and not re.search(r"[,;:\"“”]", between)):
            continue
        gap = reading.text[where + len(hedge):at].split() if 0 <= where < at else None
        if gap is None or not set(gap) <= {"has", "have", "had", "was", "were", "is", "are",
                                           "also"}:
            theirs.append(hedge)
    return theirs


def hedge_question(chosen: list[Reading]) -> dict | None:
    """Return one multi question: which words are the writer's hedges? None without any."""
    right: dict[str, tuple[int, str]] = {}
    for r in chosen:
        theirs = speaker_hedges(r)
        for h in r.hedges:
            if h not in theirs and len(right) < MAX_PARTS - 4:  # room for four wrong options
                right.setdefault(_fold(h), (r.number, h))
    if not right:
        return None
    options = [{"text": h, "correct": True, "explanation":
                f"Sentence {n}: “{raw}” {hedge_meaning(h)}."} for h, (n, raw) in right.items()]
    # One wrong word of each sort first: a speaker's hedge, a reporting verb, a loaded word.
    wrong: tuple[dict[str, str], ...] = ({}, {}, {})
    for r in chosen:
        speaker = short_source(r.source) if r.source else "the speaker"
        for h in r.quoted_hedges:
            wrong[0].setdefault(_fold(h), f"Sentence {r.number}: “{h}” is inside the quotation, "
                                          f"so it is {possessive(speaker, r.source_kind)} "
                                          "hedge, not the writer's.")
        for h in speaker_hedges(r):
            wrong[0].setdefault(_fold(h), f"Sentence {r.number}: “{h}” is part of the words "
                                          f"or belief given to {speaker}, so the hedge is "
                                          "theirs, not the writer's.")
        for c in r.cues:
            if c != "quote" and re.search(r"\w", c):  # a headline colon is no word to offer
                wrong[1].setdefault(_fold(c), f"Sentence {r.number}: “{c}” says who makes the "
                                              "claim; it does not soften it.")
        for w in _judging(r):
            wrong[2].setdefault(_fold(w), f"Sentence {r.number}: “{w}” is a loaded word: it "
                                          "judges; it does not soften.")
    pools = [[(t, e) for t, e in sort.items() if t not in right] for sort in wrong]
    mixed = [pair for row in zip_longest(*pools) for pair in row if pair]
    distractors = list({t: (t, e) for t, e in mixed}.values())[:4]
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
                       "believed” or “as many as”. Words inside somebody's quotation, or in what "
                       "somebody says or believes, are the speaker's; a reporting verb says who "
                       "claims; a loaded word judges.",
        "difficulty": "medium", "skill": "hedging", "options": options,
        "evidence": sorted({n for n, _ in right.values()}),
    }


def whose_hedge(reading: Reading) -> tuple[str, bool] | None:
    """Return (hedge, whether it is the writer's) for a sentence that has a speaker and a
    hedge, or None: the speaker's hedge (in their quotation or reported words) first."""
    if not has_speaker(reading) or source_problem(reading.source):
        return None
    theirs = [*reading.quoted_hedges, *speaker_hedges(reading)]
    writer = [h for h in reading.hedges if h not in theirs]
    if theirs:
        return theirs[0], False
    return (writer[0], True) if writer else None


def possessive(name: str, kind: str | None = None) -> str:
    """Return *name* as an owner: "Authorities'", "the United States'", but "James's" and
    "Jane Roe's" (a person's name takes 's)."""
    if name.endswith("s") and not name.endswith("ss") and kind != "named-person":
        return f"{name}'"
    return f"{name}'s"


def whose_hedge_question(reading: Reading) -> dict | None:
    """Return "whose hedge is X in sentence N: the writer's or the speaker's?", or None."""
    if not (found := whose_hedge(reading)):
        return None
    hedge, writers = found
    n = reading.number
    # Name the speaker only when the drafter is sure of them; the key does not depend on it.
    speaker = short_source(reading.source or "") if sure_speaker(reading) else "the speaker"
    owner = possessive(speaker, reading.source_kind if speaker != "the speaker" else None)
    inside = "inside the quotation" if hedge in reading.quoted_hedges else \
        "in what they say or believe"
    options = [
        {"id": "a", "text": "The writer's own hedge", "correct": writers, "explanation":
         f"“{hedge}” stands outside {owner} words: the writer softens the report." if writers
         else f"“{hedge}” is {inside}: {_verb(speaker, 'softens', 'soften')} it, not the "
         "writer."},
        {"id": "b", "text": f"{_cap(owner)} hedge", "correct": not writers, "explanation":
         f"“{hedge}” is {inside}: the hedge is {owner}." if not writers else
         f"“{hedge}” is not part of {owner} words: the writer adds it."},
        {"id": "c", "text": "Not a hedge", "explanation": f"“{hedge}” {hedge_meaning(hedge)}: "
         "it softens the statement."},
    ]
    return {
        "id": f"whose-s{n}", "type": "choice",
        "prompt": f"In sentence {n}, “{_excerpt(reading.text)}”, whose hedge is “{hedge}”?",
        "explanation": "A hedge inside somebody's quotation, or in what they say or believe, is "
                       "theirs; one outside it is the writer's.",
        "difficulty": "medium", "skill": "hedging", "options": options, "evidence": [n],
    }


# --------------------------------------------------------------------------- what a hedge means

# One meaning per class of hedge: the right option for a hedge of that class, and a wrong
# option (with an example word) for a hedge of any other class.
HEDGE_CLASSES = {
    "report": ("reportedly", "The writer passes on something others say, without checking it "
               "or saying who says it."),
    "claim": ("claims", "It is somebody's claim, which the writer does not vouch for."),
    "range": ("as many as", "The number is the top of a range: the real number may be lower."),
    "belief": ("is believed", "Somebody believes or says it, but the writer does not say who."),
    "impression": ("apparently", "It is how things look, not something anyone has shown."),
    "suspicion": ("suspected", "It is an accusation or a suspicion, not something proven."),
    "estimate": ("estimated", "The number is somebody's estimate, not a count."),
    "possibility": ("could", "It is possible, not certain: it may or may not be so."),
}
_CERTAIN = ("The writer has checked it: it is certain.",
            "No: a hedge does the opposite. It keeps the writer from vouching for the statement.")
# Classes whose meaning students most often mix up with each other come first as wrong options.
_CONFUSED = {"report": ("belief", "impression"), "claim": ("belief", "suspicion"),
             "range": ("estimate", "possibility"),
             "belief": ("report", "suspicion"), "impression": ("possibility", "report"),
             "suspicion": ("belief", "report"), "estimate": ("range", "possibility"),
             "possibility": ("impression", "range")}
MAX_MEANINGS = 3  # "what does this hedge tell you?" questions per set, one per hedge class
# Meanings that are near-identical, so both apt for one hedge ("alleged": somebody's claim, a
# report, an accusation): never offered against each other.
_NEAR_MEANINGS = ({"report", "claim", "belief", "suspicion"}, {"range", "estimate"},
                  {"impression", "possibility"})


def _wrong_classes(kind: str) -> list[str]:
    """Return two hedge classes whose meanings are wrong for *kind*, the most confused first."""
    near = next((g for g in _NEAR_MEANINGS if kind in g), {kind})
    order = [*_CONFUSED[kind], *HEDGE_CLASSES]
    return [c for c in dict.fromkeys(order) if c not in near][:2]


def hedge_class(hedge: str) -> str | None:
    """Return the class of a writer's hedge (a key of `HEDGE_CLASSES`), or None if unknown."""
    h = _fold(hedge)
    if h in {"reportedly", "allegedly", "purportedly", "supposedly", "alleged"}:
        return "report"
    if h in {"claims", "claimed", "unconfirmed", "unofficial"}:
        return "claim"
    if h.startswith(("as many as", "up to", "as much as")):
        return "range"
    if re.fullmatch(r"(?:is|are|was|were|be|been) (?:believed|thought|said|reported|understood)"
                    r"(?: to)?", h):
        return "belief"
    if h in {"apparently", "seemingly", "ostensibly"} or h.startswith(("appear", "seem")):
        return "impression"
    if h in {"suspected", "accused"}:
        return "suspicion"
    if h in {"estimated", "an estimated", "roughly", "approximately"}:
        return "estimate"
    if h in {"could", "may", "might", "possibly", "possible", "likely", "unlikely", "probably",
             "potentially", "potential", "perhaps"} or h.startswith(("could ", "may ", "might ")):
        return "possibility"
    return None


def writer_hedges(reading: Reading) -> list[str]:
    """Return the sentence's hedges in the writer's own voice (not in a speaker's words)."""
    theirs = speaker_hedges(reading)
    return [h for h in reading.hedges if h not in theirs and h not in reading.quoted_hedges]


def meaning_question(reading: Reading, hedge: str) -> dict | None:
    """Return "what does <hedge> tell you?" for a writer's hedge of a known class, or None."""
    if not (kind := hedge_class(hedge)):
        return None
    n, right = reading.number, HEDGE_CLASSES[kind][1]
    options = [{"text": right, "correct": True,
                "explanation": f"Sentence {n}: “{hedge}” {hedge_meaning(hedge)}."}]
    for other in _wrong_classes(kind):
        example, meaning = HEDGE_CLASSES[other]
        options.append({"text": meaning, "explanation": f"That is what a word like "
                        f"“{example}” tells you. In sentence {n}, “{hedge}” "
                        f"{hedge_meaning(hedge)}."})
    options.append({"text": _CERTAIN[0], "explanation": f"{_CERTAIN[1]} In sentence {n}, "
                    f"“{hedge}” {hedge_meaning(hedge)}."})
    return {
        "id": f"meaning-s{n}", "type": "choice",
        "prompt": f"Sentence {n} says: “{_around(reading.text, hedge)}”. What does “{hedge}” "
                  "tell you?",
        "explanation": f"“{hedge}” is the writer's hedge in sentence {n}: it "
                       f"{hedge_meaning(hedge)}. Read the statement as less than certain.",
        "difficulty": "easy" if kind in ("report", "range") else "medium",
        "skill": "hedging", "options": _lettered(options), "evidence": [n],
    }


def meaning_questions(chosen: list[Reading]) -> list[dict]:
    """Return at most one "what does this hedge tell you?" question per hedge class."""
    asked: dict[str, dict] = {}
    for r in chosen:
        for hedge in writer_hedges(r):
            kind = hedge_class(hedge)
            if kind and kind not in asked and len(asked) < MAX_MEANINGS:
                asked[kind] = meaning_question(r, hedge)  # type: ignore[assignment]
    return list(asked.values())


# --------------------------------------------------------------------------- words and quotes

MAX_WORDS = 2  # questions on scare quotes and loaded words per set


def _speaker_near(reading: Reading, neighbours: Iterable[Reading]) -> bool:
    """Return whether quoted words may have a speaker: a cue word in the sentence ("asked
    clients to"), words passed on, or a neighbour with a speaker (a company's own slogan)."""
    outside = re.sub(r"(?i)\bso-called\b", " ", _outside_quotes(reading.text))
    return bool(reading.attributed or reading.source or missed_speaker(reading)
                or _ANY_CUE.search(outside)
                or any(r.attributed or r.source for r in neighbours))


def scare_quote_question(reading: Reading, neighbours: Iterable[Reading] = ()) -> dict | None:
    """Return "why is <word> in quotation marks?" for quoted words nobody near says, or None.

    :param neighbours: the sentences just before and after, which may name the speaker.
    """
    if not reading.scare_quotes or _speaker_near(reading, neighbours):
        return None  # with a speaker near, a short quotation may be their exact words
    n, quoted = reading.number, reading.scare_quotes[0]
    word = quoted.strip("\"'“”‘’")
    options = [
        {"text": "The writer marks the words as somebody else's, not their own, and keeps "
                 "their distance from them.", "correct": True,
         "explanation": f"Sentence {n} names nobody who says “{word}”: the quotation marks "
                        "show a borrowed term, one others use or the writer doubts."},
        {"text": "Somebody named in the sentence says these exact words.",
         "explanation": f"Sentence {n} names no speaker for “{word}”."},
        {"text": "The writer has checked the words and vouches for them.",
         "explanation": "Quotation marks do the opposite: they keep the writer from standing "
                        "behind the words."},
        {"text": "They soften a number, like “as many as”.",
         "explanation": f"“{word}” is not a number's limit; the marks set the words apart."},
    ]
    return {
        "id": f"quotes-s{n}", "type": "choice",
        "prompt": f"In sentence {n}, “{_around(reading.text, quoted)}”, why is “{word}” in "
                  "quotation marks?",
        "explanation": f"Quotation marks around a short phrase with no speaker (sentence {n}: "
                       f"{quoted}) are scare quotes: the writer signals the words are not "
                       "their own, often with doubt or irony.",
        "difficulty": "medium", "skill": "loaded-language", "options": _lettered(options),
        "evidence": [n],
    }


def loaded_question(reading: Reading) -> dict | None:
    """Return "what does <word> do in sentence N?" for a loaded word in the writer's voice."""
    if not (words := _judging(reading)):
        return None
    n, word = reading.number, words[0]
    options = [
        {"text": "It judges: it tells you how to feel about what is reported.", "correct": True,
         "explanation": f"Sentence {n}: “{word}” is a loaded word in the writer's own voice; a "
                        "neutral word would report the same thing without the judgement."},
        {"text": "It softens the statement, like “reportedly”.",
         "explanation": f"“{word}” makes the sentence stronger, not softer: it judges."},
        {"text": "It says who makes the claim.",
         "explanation": f"“{word}” names no speaker; it is the writer's choice of word."},
        {"text": "It is a neutral description anyone would use.",
         "explanation": f"“{word}” carries a judgement: a neutral word would not."},
    ]
    return {
        "id": f"loaded-s{n}", "type": "choice",
        "prompt": f"In sentence {n}, “{_around(reading.text, word)}”, what does the word "
                  f"“{word}” do?",
        "explanation": f"“{word}” (sentence {n}) is loaded language: it colours the statement "
                       "with the writer's judgement. Ask what a neutral word would say.",
        "difficulty": "medium", "skill": "loaded-language", "options": _lettered(options),
        "evidence": [n],
    }


def word_questions(chosen: list[Reading], readings: Iterable[Reading] = ()) -> list[dict]:
    """Return a scare-quotes question and a loaded-word question, then more of either.

    :param readings: the whole article, whose neighbours may give quoted words a speaker.
    """
    by_number = {r.number: r for r in readings}
    quotes = [q for r in chosen if (q := scare_quote_question(r, [
        by_number[n] for n in (r.number - 1, r.number + 1) if n in by_number]))]
    loaded = list(filter(None, map(loaded_question, chosen)))
    mixed = [q for row in zip_longest(quotes, loaded) for q in row if q]
    return sorted(mixed[:MAX_WORDS], key=lambda q: q["evidence"][0])


# --------------------------------------------------------------------------- whose voice

MAX_VOICE = 4  # "does the writer state this?" questions per set, both answers mixed
# Any word that may report, believe, promise or judge, or that names a usual source: a
# sentence holding one may pass somebody's words on, so it is not "plain". Broad on purpose:
# a sentence left out costs one question; a wrong "the writer states it" key misleads.
_ANY_CUE = re.compile(
    r"(?i)\b(?:sa(?:y|ys|id|ying)|t(?:ell|ells|old)|accord\w*|claim\w*|report\w*|announc\w*|"
    r"stat(?:e|es|ed|ement|ements)|insist\w*|argu\w*|warn\w*|believ\w*|thinks?|thought|"
    r"suspect\w*|estimat\w*|expect\w*|accus\w*|alleg\w*|den(?:y|ies|ied)|confirm\w*|"
    r"add(?:s|ed)|explain\w*|describ\w*|call(?:s|ed|ing)?|cit\w*|quot\w*|show(?:s|ed|n)?|"
    r"found|find(?:s|ings?)|conclu\w*|predict\w*|forecast\w*|urg\w*|ask\w*|respon\w*|"
    r"repl\w*|admit\w*|acknowledg\w*|note[sd]?|vow\w*|pledg\w*|promis\w*|criticis\w*|"
    r"criticiz\w*|condemn\w*|blam\w*|prais\w*|welcom\w*|reject\w*|dismiss\w*|disput\w*|"
    r"question\w*|demand\w*|hop(?:e|es|ed|ing)|fear\w*|feels?|felt|wants?|wanted|recall\w*|"
    r"label\w*|dubb?\w*|brand\w*|maintain\w*|assert\w*|emphasi\w*|stress\w*|reiterat\w*|"
    r"conced\w*|agree\w*|revea\w*|disclos\w*|declar\w*|recommend\w*|propos\w*|suggest\w*|"
    r"indicat\w*|signal\w*|mention\w*|comment\w*|remark\w*|observ\w*|writes?|wrote|"
    r"written|tweet\w*|post(?:s|ed)|testif\w*|brief\w*|spok\w*|speak\w*|interview\w*|"
    r"press|sources?|officials?|experts?|analysts?|researchers?|scientists?|critics?|"
    r"witness\w*|authorit\w*|study|studies|survey\w*|according|points? out|pointed out|"
    r"contend\w*|decl(?:ine|ined)|refus\w*|threat\w*|(?:I|we|us|our|my|me))\b")


def plain_statement(reading: Reading) -> bool:
    """Return whether a body sentence is the writer's own plain statement: no source, no cue
    word, no hedge, no quotation, no loaded word, and not a pronoun that may carry a speaker."""
    text = reading.text
    return (reading.kind == "body" and not reading.attributed and not reading.source
            and not reading.hedges and not reading.quoted_hedges and not reading.loaded
            and not reading.scare_quotes and not missed_speaker(reading)
            and not re.search(r"[\"“”‘’:]|(?<!\w)'|'(?!\w)", text)
            and not _ANY_CUE.search(text) and len(text.split()) >= 6)


def voice_question(reading: Reading, before: Reading | None = None) -> dict | None:
    """Return "does the writer state this, or pass on somebody's claim?" where the drafter is
    sure: a sure speaker, or a plain statement not right after somebody's words (it may carry
    their account on); else None.

    :param before: the sentence before, if any.
    """
    n, excerpt = reading.number, _excerpt(reading.text, 14)
    if sure_speaker(reading) and not writer_hedges(reading):
        passed, why = True, f"Sentence {n} gives it to {reading.source}{_cue(reading)}: the " \
                            "writer passes on their claim."
    elif plain_statement(reading) and not (before and (before.attributed or before.source)):
        # Measured: a few such keys were somebody's words all the same, so the teacher checks.
        passed, why = False, f"{CONFIRM}is sentence {n} the writer's own? It names no source " \
                             "and has no reporting word or hedge, so the writer states it in " \
                             "their own voice (which does not make it true), unless the " \
                             "sentences around it give it to somebody."
    else:
        return None
    options = [
        {"text": "The writer states it in their own voice.", "correct": not passed,
         "explanation": why},
        {"text": "The writer passes on somebody's claim.", "correct": passed,
         "explanation": why},
        {"text": "The writer passes on a report but softens it, without saying whose.",
         "explanation": f"Sentence {n} has no hedge such as “reportedly” or “is believed”."},
    ]
    return {
        "id": f"voice-s{n}", "type": "choice",
        "prompt": f"Sentence {n}: “{excerpt}”. Does the writer state this, or pass on "
                  "somebody's claim?",
        "explanation": "Look for who stands behind a sentence: a reporting word with a speaker "
                       "(said, told, according to) passes a claim on; with none, the writer "
                       f"states it. {why}",
        "difficulty": "easy", "skill": "fact-vs-claim", "options": _lettered(options),
        "evidence": [n],
    }


def voice_questions(chosen: list[Reading], readings: list[Reading],
                    asked: Iterable[int] = ()) -> list[dict]:
    """Return up to `MAX_VOICE` voice questions, stated and passed-on in turn, never on a
    sentence another question already asks who is speaking about."""
    by_number = {r.number: r for r in readings}
    # A who-is-the-source, chain, whose-hedge or find question on the same sentence gives
    # this one's answer away ("passes on"), so a teacher would only delete it.
    asked = set(asked)
    drafted = [q for r in chosen if r.number not in asked
               and (q := voice_question(r, by_number.get(r.number - 1)))]
    states = [q for q in drafted if q["options"][0]["correct"]]
    passes = [q for q in drafted if not q["options"][0]["correct"]]
    mixed = [q for row in zip_longest(passes, states) for q in row if q]
    return sorted(mixed[:MAX_VOICE], key=lambda q: q["evidence"][0])


# --------------------------------------------------------------------------- the paste

# Double-encoded UTF-8: "â€™" for ’, "Ã©" for é, "Â " for a no-break space.
_GARBLED = re.compile(r"â€[\x80-\xbf™œ\x9d˜“”¦¢“]?|Ã[\x80-\xbf©¨¼¶§±¡³ºª«»¤]|Â[\xa0-\xbf]")
_CAPS_HEADING = re.compile(r"(?:^|(?<=[.!?”\"]\s))(?P<head>[A-Z][A-Z0-9’'&:-]+(?:,?\s+[A-Z0-9]"
                           r"[A-Z0-9’'&:-]*){1,7})\s+(?=[A-Z][a-z])")
_CASE_HEADING = re.compile(r"(?:^|(?<=[.!?”\"]\s))(?P<head>[A-Z][a-z’'-]+(?:,?\s+[a-z’'-]+)"
                           r"{1,6})\s(?=[A-Z][a-z]+\s+[a-z])")
_HEADING_STOP = frozenset("the a an of in on at to for and or by from with is are was were has "
                          "have had said says will would can could".split())


def _headline_like(text: str) -> str | None:
    """Return the first paragraph when it reads as a headline that ends in a full stop."""
    paragraphs = [p.strip() for p in text.strip().split("\n") if p.strip()]
    if len(paragraphs) < 2 or not paragraphs[0].endswith("."):
        return None
    first = paragraphs[0]
    words = first.split()
    one_sentence = not re.search(r"[.!?][\"”’]?\s+[A-Z]", first)
    return first if one_sentence and 2 <= len(words) <= 15 else None


def guess_marks(text: str) -> dict[int, str]:
    """Guess a pasted article's marks: a first paragraph with no end stop, or a short single
    sentence standing alone above the text, is the headline."""
    return _reader_marks(text) or ({1: "headline"} if _headline_like(text) else {})


def _glued_headings(text: str) -> list[str]:
    """Return sub-headings run into the next sentence ("NEW EVIDENCE Researchers say")."""
    found = [m["head"] for m in _CAPS_HEADING.finditer(text)]
    for m in _CASE_HEADING.finditer(text):
        words = m["head"].replace(",", "").split()
        if not any(w.lower() in _HEADING_STOP or w.lower() in _FINITE_WORDS for w in words):
            found.append(m["head"])
    return found


def paste_warnings(text: str, marked: bool) -> list[str]:
    """Return what may be wrong with a pasted article: garbled characters, a headline taken
    for the first sentence, a sub-heading run into a sentence.

    :param marked: whether the teacher wrote any marks (then the headline is theirs to mark).
    """
    warnings = []
    garbled = sorted(set(_GARBLED.findall(text)))
    if garbled:
        warnings.append(f"The text holds garbled characters ({', '.join(garbled[:5])}): it was "
                        "probably copied through the wrong encoding, and they would reach the "
                        "answer options. Fix them in the text, e.g. “â€™” is ’ and “Ã©” is é.")
    if not marked and (head := _headline_like(text)):
        warnings.append(f"The first paragraph, “{_excerpt(head)}”, looks like a headline that "
                        "ends in a full stop: it is marked as the headline. If it is the first "
                        "sentence of the article, clear “1: headline” in the marks.")
    for head in _glued_headings(text):
        warnings.append(f"“{head}” looks like a sub-heading run into the next sentence: put "
                        "it on its own line (and mark it as page furniture), or the sentence "
                        "and its source will be read wrong.")
    return warnings


# --------------------------------------------------------------------------- the set


# The kinds kept in turn when a draft is trimmed, one of each before a second of any.
_IN_TURN = ("source", "meaning", "voice", "evidence", "words", "whose")


def _trim(questions: dict[str, list[dict]], limit: int) -> list[dict]:
    """Return at most about *limit* questions: hedges and sorting whole; then source
    questions (at most one per speaker) for half the room left; then every kind in turn."""
    fixed = questions["hedges"] + questions["classify"]
    room = max(0, limit - len(fixed))
    first = questions["source"][:-(-room // 2)]
    rows = zip_longest(questions["source"][len(first):],
                       *(questions.get(kind, []) for kind in _IN_TURN[1:]))
    rest = first + [q for row in rows for q in row if q]
    kept = {id(q) for q in rest[:room]}
    order = [q for kind in _IN_TURN for q in questions.get(kind, [])]
    return [q for q in order if id(q) in kept] + fixed


def draft_set(article: dict, readings: list[Reading], sentences: Iterable[int],
              kinds: Iterable[str], sort: Iterable[int] | None = None,
              limit: int = MAX_QUESTIONS) -> dict:
    """Return a raw, unpublished set document drafted from the chosen sentences and kinds.

    :param article: title, outlet, url, text and marks ({paragraph: kind}), as pasted.
    :param readings: ``attribution.read_article(article["text"], article["marks"])``.
    :param sort: the sentences ticked for sorting (by default the chosen sentences).
    :param limit: about how many questions to keep.
    """
    wanted, kinds = set(sentences), set(kinds)
    chosen = [r for r in readings if r.number in wanted and askable(r)]
    to_sort = [r for r in (chosen if sort is None else readings)
               if (sort is None or r.number in set(sort)) and not furniture_like(r)]
    questions: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    speakers, outlet = sources(readings), article.get("outlet") or ""
    if "source" in kinds:
        for r in choose_sources(chosen, speakers):
            q = chain_question(r, outlet) or source_question(r, readings, outlet, speakers)
            questions["source"].append(q)
    if "evidence" in kinds:
        prompts = set()
        for q in filter(None, (evidence_question(r, readings) for r in chosen)):
            key = (q["prompt"], tuple(a["sentence"] for a in q["answers"]))
            if key not in prompts:
                prompts.add(key)
                questions["evidence"].append(q)
    if "hedges" in kinds and (hedges := hedge_question(chosen)):
        questions["hedges"].append(hedges)
    if "hedges" in kinds:
        whose = list(filter(None, map(whose_hedge_question, chosen)))
        # The speaker's hedges first: they are what students mistake for the writer's.
        whose.sort(key=lambda q: next(o["correct"] for o in q["options"]))
        questions["whose"] = sorted(whose[:MAX_WHOSE], key=lambda q: q["evidence"][0])
    # A sorting question holds at most SORT_SIZE statements: more ticks make another.
    for part, statements in enumerate(sort_parts(to_sort) if "classify" in kinds else []):
        question = classify_question(statements)
        question["id"] += f"-{part + 1}" if part else ""
        questions["classify"].append(question)
    if "meaning" in kinds:
        questions["meaning"] = meaning_questions(chosen)
    if "words" in kinds:
        questions["words"] = word_questions(chosen, readings)
    if "voice" in kinds:
        who = questions["source"] + questions["evidence"] + questions.get("whose", [])
        asked = {n for q in who for n in (q.get("evidence") or [int(q["id"].rsplit("s", 1)[1])])
                 + [a["sentence"] for a in q.get("answers", [])]}
        questions["voice"] = voice_questions(chosen, readings, asked)
    title = " ".join(str(article.get("title") or "Article").split())
    notes = "Drafted by SourceCheck's attribution reader. Check every answer before " \
            f"publishing; explanations starting “{CONFIRM.strip()}” need your decision, and " \
            "the set cannot be published while any is left."
    if "classify" in kinds and 0 < len(to_sort) < MIN_SORT:
        notes += f" No sorting question: {len(to_sort)} sentence{'s' * (len(to_sort) > 1)} " \
                 f"ticked for sorting, and a sort needs at least {MIN_SORT}."
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
            "notes": notes,
        },
        "questions": _trim(questions, limit),
    }


def unmet(document: dict, kinds: Iterable[str]) -> list[str]:
    """Return the chosen kinds for which no question could be drafted."""
    prefixes = {"source": ("who-", "chain-"), "evidence": ("find-",),
                "hedges": ("hedges", "whose-"),
                "classify": ("sort",), "meaning": ("meaning-",),
                "words": ("quotes-", "loaded-"), "voice": ("voice-",)}
    ids = [q["id"] for q in document["questions"]]
    return [k for k in kinds if not any(i.startswith(prefixes[k]) for i in ids)]


def _notes(question: dict) -> int:
    parts = ("options", "statements", "items", "answers", "distractors")
    entries = [question, *(e for part in parts for e in question.get(part) or [])]
    return sum(str(e.get("explanation", "")).startswith(CONFIRM) for e in entries)


def waiting(document: dict) -> list[tuple[int, dict]]:
    """Return (position from 1, question) for each question holding a "Teacher to confirm"
    note, which the teacher must resolve before publishing."""
    return [(i, q) for i, q in enumerate(document["questions"], start=1) if _notes(q)]


def to_confirm(document: dict) -> int:
    """Return how many explanations in *document* wait for the teacher's decision."""
    return sum(_notes(q) for q in document["questions"])
