"""The reader's cues: rule tables (reporting verbs, hedges, loaded words, source nouns) and
their compiled patterns. Data only; each table's comment says what it is for."""

from __future__ import annotations

import re

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
    reports asserted asserts indicated indicates insisted insists argued argues
    confirmed confirms denied denies declared declares complained complains revealed
    reveals suggested suggests suggest admitted admits acknowledged testified tweeted alleged
    alleges recommends recommended urged estimated predicted conceded complain cited
    stressed stresses emphasised emphasises emphasized emphasizes contended contends estimates
    predicts acknowledges
    insist warn argue confirm declare reveal allege predict concede stress contend estimate
    testify"""
)
# Third round: base forms for plural subjects ("Official reports insist", "its people on the
# ground estimate"). Left out: "deny", "admit", "urge", "announce" (deny access, admit
# students, urge residents to leave, announce a period of mourning: acts, not content).
WEAK_VERBS = _table(
    """added adds continued replied responded noted notes observed commented wrote writes
    explained explains described characterized characterised called call calls named referred
    pointed reads maintained maintains rejected rejects disputed disputes dismissed dismisses
    recalled recalls recounted recounts promised promises agreed agrees defended defends
    reiterated reiterates affirmed affirms remarked remarks repeated repeats explain
    announced announces"""
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
    # Third round: "played down the risk as" (a judgement passed on, like "dismissed X as");
    # not "played down the stairs". An underscore stands for a space in a two-word verb.
    (
        "played_down plays_down play_down downplayed downplays downplay",
        r"(?:[\w'’-]+\s+){0,6}?as\b",
        None,
    ),
)
_BE_ADJECTIVE = r"(?:is|are|was|were) (?:concerned|worried|sure|adamant|aware|hopeful|optimistic)"
# Participles that report speech: an absolute clause ("..., the government recommending
# X"), a participle on the main clause ("The ministry issued a statement, saying ...") or
# one that opens the sentence ("Citing privacy rules, the ministry refused ...").
PARTICIPLES = _table(
    """saying stating adding claiming arguing warning insisting noting explaining recommending
    suggesting alleging citing quoting announcing denying confirming complaining asserting
    repeating accusing describing reiterating stressing predicting acknowledging conceding
    telling"""
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
    alleged estimates remarks promises estimate repeats"""
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
    assessment questionnaire cable cables transcript minutes guidance leaflet leaflets website
    sign signs notice notices placard placards release releases tweet tweets"""
)
# Plural heads that make a speaker a vague group ("activists say").
GROUP_NOUNS = _table(
    """activists experts officials researchers critics groups media authorities analysts
    observers residents witnesses scientists doctors diplomats campaigners workers people
    locals sources insiders lawmakers politicians economists academics members supporters
    opponents commentators reports studies estimates figures others mps newspapers outlets"""
)
# Third round: more plural or collective speakers, so a lower-case subject after a fronted
# phrase is read ("In the morning, police said"). Only for finding the subject: their kind
# is still told from the whole span ("West Midlands Police" is an organisation).
GROUP_SUBJECTS = GROUP_NOUNS | _table(
    """police investigators prosecutors protesters demonstrators officers troops soldiers
    rescuers villagers parents students teachers survivors relatives families voters
    firefighters medics organisers organizers scholars historians engineers negotiators
    judges lawyers leaders spokesmen aides advisers advisors neighbours neighbors
    eyewitnesses"""
)
# Words that mark a person: titles and roles.
PERSON_WORDS = _table(
    """mr mr. mrs mrs. ms ms. dr dr. prof professor president secretary minister senator sen.
    rep. gen. general col. colonel sergeant sgt. captain capt. major ambassador spokesman
    spokeswoman spokesperson representative director chairman chairwoman chair head leader ceo
    founder co-founder coach member expert researcher prosecutor judge lawyer attorney
    barrister campaigner father mother sister brother wife husband son daughter officer chief
    governor mayor king queen prince premier chancellor envoy undersecretary asst. deputy
    psychiatrist doctor worker witness academic student teacher aide secretary-general
    pope bishop archbishop imam rabbi priest pastor narrator"""
)
# Words that mark an organisation.
ORG_WORDS = _table(
    """agency ministry department office council organisation organization institute news times
    post herald weekly journal bbc reuters afp ap government party navy army force military
    university corporation committee commission nations union company group watch centre center
    bureau police court congress parliament cabinet embassy kcna yonhap who un eu nato fbi cia
    district foundation association society network guardian telegraph express mail tribune
    gazette inquiry investigation panel tribunal board authority regulator administration
    prosecution service hospital firm bank church program programme cross crescent fund
    alliance coalition club team federation league station channel press"""
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
    r"\bas (?:many|much|high|few|little|low|long) as\b"
    r"(?=\s+[\d£$€]|\s+(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    r"\bup to\b(?=\s+[\d£$€]|\s+(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    r"\bcould\b(?!\s+not\b|n't)",
    r"\bmay\b",  # lower case only: "May" the month is handled by _MAY_MODAL
    r"\bmight\b",
    # "the suspected smugglers", "is suspected of": not "activists suspected the money..."
    r"\b(?:the|a|an|of|as|is|are|was|were|been|for|some|many|two|three|four|five)\s+"
    r"(?P<h>suspected)\b",
    # Not "appeared in court", "appeared on television", "first appeared in China".
    r"\b(?:appear|appears|appeared)\b(?!\s+(?:in|on|at|before|alongside|with|onstage)\b)",
    r"\b(?:seem|seems|seemed)\b",
    # Agentless "accused of": nobody named. The agent follows close by ("accused of fraud by
    # prosecutors"); a "by" further on belongs to another clause.
    r"\baccused\b(?=\s+of\b)(?![^.]{0,80}\bby\b)",
    # Third round. A participle hedge with no "is": "the man, believed to be 30"; "an
    # estimated 5,000"; "unofficial results"; "a possible motive" (not "as soon as possible",
    # "the potential for", "made possible").
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )"
    r"\b(?:believed|thought|said|alleged|rumoured|rumored)(?=\s+to\s+(?:be|have)\b)",
    r"\b(?:an|the)\s+(?P<h2>estimated)\b(?=\s+[\d£$€])",
    r"\bunofficial\b",
    r"\b(?:a|an|the|its|their|his|her|any|two|other)\s+(?P<h3>possible|potential)\b"
    r"(?!\s+(?:for|to|of|that)\b|[.,;])",
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
    pseudoscience controversial disastrous shameful disgraceful scandalous appalling
    deplorable reckless"""
)

PHOTO_CREDITS = r"(?:REUTERS|Reuters|AFP|AP Photo|AP|Getty Images|GETTY|EPA|PA|Shutterstock|Alamy)"

# --------------------------------------------------------------------------- compiled regexes

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_VERB_RE = re.compile(
    # A progressive counts as the verb: "news agency Reuters are reporting the Taliban ...".
    r"\b(?P<verb>(?:is|are|was|were) (?:reporting|saying|claiming|warning|insisting|arguing"
    r"|alleging|suggesting|predicting)|pointed out|"
    + "|".join(sorted(STRONG_VERBS | WEAK_VERBS | DOC_VERBS, key=len, reverse=True))
    + r")\b"
)
_MENTAL_RE = re.compile(
    r"\b(?P<verb>"
    + "|".join(sorted(MENTAL_VERBS, key=len, reverse=True))
    + r"|came to the conclusion|(?:is|are|was|were) (?:confident|convinced|certain))\b"
)
_LICENCE = {
    verb if verb == "is_concerned" else verb.replace("_", " "): (re.compile(follow), how)
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
    r"\b(?:according to|in the words of|as (?:reported|stated|noted|announced|quoted|said) by)"
    r"\s+(?P<src>[^,;:]+?)(?=\s*(?:,|;|:|\.$|$))", re.I
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
    r"\b(?P<verb>" + "|".join(sorted(PARTICIPLES))
    # "calling the plan a disgrace" names a judgement; "calling for", "calling on" ask.
    + r"|calling(?!\s+(?:for|on|upon|in|off|up|out|back|it)\b))\b(?!\s+of\b)",
    re.I,
)
_PURPOSE_RE = re.compile(
    r"\bto\s+(?P<verb>" + "|".join(sorted(PURPOSE_VERBS)) + r"|tell(?:\s+[\w'’]+){1,3}?)"
    r"\s+(?=that\b|how\b|why\b|:|[\"“_])"
)
_COLON_QUOTE = re.compile(r"(?<=\w):\s*(?=[\"“‘_])")
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|went|came|wrote|spoke"
    r"|took|made|gave|held|sent|met|told|said|left|sought|brought|put|kept|found|began|became"
    r"|flew|ran|rose|fell|won|lost|paid|led|stood|sat|saw|knew|grew|threw|drew|spent|got|broke"
    r"|chose|drove|struck|fought|bought|built|caught|taught|sold|heard|meant|felt"
    r"|[a-z]{3,}ed)\b"
)
_NP_START = re.compile(r"(?:with\s+)?(?:the|a|an|its|his|her|their|[A-Z])", re.I)
_DETERMINER_START = re.compile(r"^(?:a|an|one|another|one such)\s", re.I)
# Third round: the modals ("A ranger at a roadblock must explain"): a subject ends before
# them as before "will" (lower case only, so "May" the month stays).
_AUX_WORDS = _table(
    """has have had also then later previously recently today yesterday now will would did does
    do first again just still further repeatedly publicly not never must should can could may
    might shall"""
)
_INTRO = re.compile(
    r"^(?:(?:after|during|on|in|at|however|but|and|yet|so|still|citing|discussing|speaking"
    r"|days|hours|weeks|months|shortly|yesterday|today|later|meanwhile|specifically|also"
    r"|instead|by|from|since|though|although|while|when|last|earlier|in addition|separately"
    r"|now|under|amid|despite|following|before|within|throughout|unlike|like|as|for)\b"
    r"|[A-Za-z]+ing\b"
    # Third round: a place or time phrase led by a preposition and a determiner ("Around
    # that time, scientists believe"); not a number ("Around 200 residents, some ... said").
    r"|(?:around|across|among|against|toward|towards|beyond|inside|outside|near|over|through"
    r"|until|without|behind|beside|along|into)\s+(?:that|the|this|these|those|a|an|its|his|her"
    r"|their)\b)[^,]*,\s*",
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
