"""Read and write Moodle GIFT question files.

Pure module: no Flask. `parse` turns a GIFT file into question dicts in the format of
questions/README.md; `dump` writes question dicts back out as GIFT.

Reading follows Moodle's own importer (question/format/gift/format.php) rather than any
third-party grammar, so a teacher's file means the same here as in Moodle: questions are
blocks separated by blank lines, every line is trimmed, `//` lines are comments, the answer
block is the text between the first `{` and the first `}` (a second block stays in the text,
with a note), answers that come before the end of the text leave a `_____` blank in the
prompt, and multiple-choice answers with no text are dropped (so `{~=right ~wrong}` reads as
`{=right ~wrong}`). Where we refuse what Moodle accepts, it is because Moodle would keep a
typo silently: an unknown `[format]` marker (Moodle shows it as text).

Every problem in a file is listed (GiftError.problems), and the file is refused whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import richtext
from .questionsets import (
    DIFFICULTIES,
    MAX_PARTS,
    MAX_QUESTIONS,
    MAX_SET_CHARS,
    slugify,
    texts_note,
)
from .questiontypes import REGISTRY, SKILLS
from .questiontypes.multi import percent_weights

NO_FEEDBACK = "(No feedback in the imported file.)"
BLANK = "_____"

# Formats worth recording: moodle and plain text both read as plain text in SourceCheck.
RICH_FORMATS = frozenset({"html", "markdown"})

# PHP's trim() set: Python's str.strip() would also eat non-breaking spaces, which Moodle keeps.
_PHP_SPACE = " \t\n\r\0\x0b"

# Escaped control characters are swapped for private-use placeholders while the structure is
# read, exactly as Moodle swaps them for "&&058;" and friends.
_ESCAPABLE = ":#={}~n"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = {ord(mark): ("\n" if char == "n" else char) for char, mark in _PLACEHOLDER.items()}
_ESCAPE = re.compile(r"\\([\\:#={}~n])")

_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
# Anything else that looks like a marker: "[HTML]", "[markdwon]", "[md]".
_FORMAT_LIKE = re.compile(r"\[([A-Za-z_]{1,20})\]")
MAX_TITLE = 255  # Moodle's clean_question_name() cuts names there
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
# At most 100 characters (Moodle's tags have 50): unbounded, every "[tag:" of a long comment
# line would be read on to the end of the line again.
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f]){1,100})\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

UNSUPPORTED = {
    "description": "descriptions (text with no answers) cannot be represented in SourceCheck",
    "essay": "essay questions cannot be represented in SourceCheck",
    "numerical": "numerical questions cannot be represented in SourceCheck",
    "match": "matching questions cannot be represented in SourceCheck",
}


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported, and where it is."""

    position: int | None
    title: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        """Write the problem as 'Question 2 ("Title"), line 5: what is wrong'."""
        if self.position is None:
            return f"Line {self.line}: {self.message}" if self.line else self.message
        return _where(self.position, self.title, self.line or 0) + self.message


class GiftError(ValueError):
    """A file that cannot be imported; `problems` lists every reason, nothing is imported."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep every problem; the first one's place is kept for callers that point at it."""
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
        first = problems[0]
        self.position, self.title, self.line = first.position, first.title, first.line


class QuestionProblem(Exception):
    """A problem inside one question; parse() adds where it is."""


@dataclass(frozen=True)
class Skipped:
    """A question of a kind SourceCheck cannot represent, left out of the import."""

    position: int
    title: str | None
    reason: str
    line: int = 0


@dataclass(frozen=True)
class Note:
    """Something an imported question lost or changed on the way in."""

    position: int
    title: str | None
    message: str
    line: int = 0


@dataclass
class GiftImport:
    """The result of reading a GIFT file."""

    questions: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class _Raw:
    """One question block after the GIFT syntax is taken apart."""

    position: int
    line: int
    title: str | None
    kind: str
    prompt: str
    format: str
    answers: str
    feedback: str
    feedback_format: str
    tags: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """One answer of a Moodle question (inside GIFT's braces, or an XML <answer>)."""

    text: str
    format: str | None
    feedback: str
    feedback_format: str | None
    weight: float
    marked: bool = False


# ---------------------------------------------------------------------------- reading


def parse(text: str) -> GiftImport:
    """Read a GIFT file into SourceCheck question dicts, or raise GiftError listing every
    problem in it."""
    if len(text) > MAX_SET_CHARS:  # before any parsing
        raise GiftError([Problem(None, None, None, f"the file has {len(text):,} characters; "
                                                   f"a file may have at most {MAX_SET_CHARS:,}.")])
    result = GiftImport()
    problems: list[Problem] = []
    used: dict[str, int] = {}
    position = 0
    for line, lines in _blocks(text):
        body, comments = _split_comments(lines)
        if not body:
            continue  # a block of comments only is not a question, in Moodle either
        body = _ESCAPE.sub(_escape_char, body)
        if body.startswith("$CATEGORY:"):
            if "\n" in body:  # Moodle would swallow the question into the category name
                problems.append(Problem(None, None, line, "a $CATEGORY line must be followed "
                                                          "by a blank line."))
            continue
        position += 1
        if position > MAX_QUESTIONS:
            problems.append(Problem(position, None, line, f"a file may hold at most "
                                                          f"{MAX_QUESTIONS} questions."))
            break
        title = None
        try:
            title, body, title_notes = _split_title(body)
            raw = _read_question(position, line, title, body, _tags(comments))
            _add(result, raw, used, title_notes)
        except QuestionProblem as problem:
            problems.append(Problem(position, title, line, str(problem)))
    if problems:
        raise GiftError(problems)
    return result


def _blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, trimmed lines) for each blank-line separated block."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip(_PHP_SPACE)
        if line:
            start = start if block else number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _split_comments(lines: list[str]) -> tuple[str, str]:
    """Return the block's text without `//` lines, and those lines."""
    body = [" " if line.startswith("//") else line for line in lines]
    comments = [line for line in lines if line.startswith("//")]
    return "\n".join(body).strip(_PHP_SPACE), "\n".join(comments)


def _escape_char(match: re.Match) -> str:
    """Replace one backslash escape: `\\\\` is a plain backslash, the rest placeholders."""
    char = match.group(1)
    return "\\" if char == "\\" else _PLACEHOLDER[char]


def _finish(text: str) -> str:
    """Turn placeholders back into the characters they stand for, and trim."""
    return text.translate(_RESTORE).strip(_PHP_SPACE)


def _where(position: int, title: str | None, line: int) -> str:
    """Describe a question for an error message."""
    name = f" ({title!r})" if title else ""
    return f"Question {position}{name}, line {line}: "


def _tags(comments: str) -> list[str]:
    """Return the [tag:...] names in a question's comment lines, lower-cased."""
    return [tag.replace("\\]", "]").strip().lower() for tag in _TAG.findall(comments)]


def _split_title(body: str) -> tuple[str | None, str, list[str]]:
    """Split a leading ::title:: off the question text; return the title, text and notes."""
    if not body.startswith("::"):
        return None, body, []
    end = body.find("::", 2)
    if end < 0:
        # Moodle drops the "::" and reads the rest as the question text, untitled.
        return None, body[2:].strip(_PHP_SPACE), [
            "the title is not closed with '::'; read as question text, as Moodle does."]
    title = " ".join(_finish(body[2:end]).split())
    notes = []
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE].rstrip()
        notes.append(f"the title is cut to {MAX_TITLE} characters, as Moodle does.")
    return title or None, body[end + 2 :].strip(_PHP_SPACE), notes


def _read_question(position: int, line: int, title: str | None, body: str,
                   tags: list[str]) -> _Raw:
    """Take one question's text apart: prompt, answer block and general feedback."""
    stem, answers, extra = _split_answers(body)
    feedback = ""
    if answers is not None and "####" in answers:
        cut = answers.rfind("####")
        answers, feedback = answers[:cut].strip(_PHP_SPACE), answers[cut + 4 :]
    prompt, fmt = _with_format(stem)
    feedback, feedback_format = _with_format(feedback, fmt)
    _check_depth(prompt, fmt, "the question text")
    return _Raw(position, line, title, _kind(answers), prompt, fmt, answers or "", feedback,
                feedback_format, tags, extra)


def _split_answers(body: str) -> tuple[str, str | None, list[str]]:
    """Return the prompt (with a blank where the answers were), the answer text and notes.

    Like Moodle, only the first {...} block holds answers; any later brace stays in the text.
    """
    start, end = body.find("{"), body.find("}")
    if start < 0 and end < 0:
        return body, None, []
    if start < 0 or end < start:
        raise QuestionProblem("the braces { } around the answers do not match; write a literal "
                       "brace as \\{ or \\}.")
    notes = []
    if body.count("{") > 1 or body.count("}") > 1:
        notes.append("only the first answer block {...} is used; the rest stays in the "
                     "question text, as Moodle does (write a literal brace as \\{ or \\}).")
    # Answers at the very end follow the question; anywhere else they are a missing word.
    filler = "" if body.endswith("}") else BLANK
    return (body[:start] + filler + body[end + 1 :], body[start + 1 : end].strip(_PHP_SPACE),
            notes)


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """Strip a leading [format] marker; return the finished text and its format."""
    match = _FORMAT.match(text)
    if not match:
        unknown = _FORMAT_LIKE.match(text)
        if unknown:
            marker = unknown.group(0)
            raise QuestionProblem(f"'{marker}' is not a text format: write [html], [markdown], "
                           f"[plain] or [moodle] (to start a text with '{marker}', put "
                           f"[moodle] before it).")
        return _finish(text), default
    return _finish(text[match.end() :]), match.group(1)


def _kind(answers: str | None) -> str:
    """Name the Moodle question type the answer text makes, by Moodle's own tests."""
    if answers is None:
        return "description"
    if answers == "":
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    if answers.split("#", 1)[0].strip(_PHP_SPACE) in _TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def _add(result: GiftImport, raw: _Raw, used: dict[str, int],
         title_notes: list[str] | None = None) -> None:
    """Convert one question and add it, or record why it is skipped."""
    if raw.kind in UNSUPPORTED:
        result.skipped.append(Skipped(raw.position, raw.title, UNSUPPORTED[raw.kind], raw.line))
        return
    if not raw.prompt:
        raise QuestionProblem("the question has no text.")
    build = {"multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer}
    fields, notes, reason = build[raw.kind](raw)
    if reason:
        result.skipped.append(Skipped(raw.position, raw.title, reason, raw.line))
        return
    result.questions.append(_question(raw, _unique_id(raw, used), fields))
    notes = [*(title_notes or []), *raw.notes, *notes]
    result.notes.extend(Note(raw.position, raw.title, note, raw.line) for note in notes)


def _question(raw: _Raw, qid: str, fields: dict) -> dict:
    """Assemble a question dict in the order questions/README.md lists the fields."""
    question: dict = {"id": qid}
    if raw.title:
        question["title"] = raw.title
    question["type"] = fields.pop("type")
    question["prompt"] = raw.prompt
    if raw.format in RICH_FORMATS:
        question["format"] = raw.format
    explanation = fields.pop("explanation", raw.feedback)
    question["explanation"] = explanation or NO_FEEDBACK
    if explanation and raw.feedback_format in RICH_FORMATS:
        question["explanation_format"] = raw.feedback_format
    _check_depth(raw.feedback, raw.feedback_format, "the general feedback")
    question["difficulty"] = next((t for t in raw.tags if t in DIFFICULTIES), "medium")
    question["skill"] = next((t for t in raw.tags if t in SKILLS), "source")
    question.update(fields)
    return question


def _unique_id(raw: _Raw, used: dict[str, int]) -> str:
    """Make an id from the title (or the position), unique within the file.

    *used* maps each id taken to the next suffix to try after it, so many questions with
    one title do not each count up through the suffixes already given.
    """
    base = slugify(raw.title or "", f"q{raw.position}", keep="_")
    candidate, suffix = base, used.get(base, 2)
    while candidate in used:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    used[base] = suffix
    used.setdefault(candidate, 2)
    return candidate


def _take_weight(piece: str, default: float) -> tuple[float, str]:
    """Split a leading %weight% off an answer."""
    match = _WEIGHT.match(piece)
    if not match:
        return default, piece
    weight = float(match.group(1))
    if not -100 <= weight <= 100:
        raise QuestionProblem(f"the weight {match.group(0)} is outside -100% to 100%.")
    return weight, piece[match.end() :]


def _check_depth(text: str, fmt: str, what: str) -> None:
    """Refuse markup nested too deep to sanitise quickly when it is shown."""
    if fmt in RICH_FORMATS and richtext.depth(text) > richtext.MAX_DEPTH:
        raise QuestionProblem(f"{what} {richtext.problem(text, fmt)}.")


def _split_feedback(piece: str, fmt: str) -> tuple[str, str, str, str]:
    """Split `answer#feedback`; each part may carry its own [format] marker."""
    text, _, feedback = piece.partition("#")
    text, text_format = _with_format(text.strip(_PHP_SPACE), fmt)
    feedback, feedback_format = _with_format(feedback.strip(_PHP_SPACE), fmt)
    _check_depth(text, text_format, "an answer")
    _check_depth(feedback, feedback_format, "an answer's feedback")
    return text, text_format, feedback, feedback_format


def _pieces(answers: str, separator: str) -> list[str]:
    """Split the answer text, dropping the empty piece before the first marker."""
    pieces = answers.split(separator)
    if not pieces[0].strip(_PHP_SPACE):
        pieces = pieces[1:]
    if len(pieces) > MAX_PARTS:
        raise QuestionProblem(f"{len(pieces):,} answers; a question may have at most {MAX_PARTS}.")
    return [piece.strip(_PHP_SPACE) for piece in pieces]


def _multichoice_answers(raw: _Raw) -> list[Answer]:
    """Read `=right ~wrong ~%50%partial` answers the way Moodle does."""
    answers = []
    for piece in _pieces(raw.answers.replace("=", "~="), "~"):
        marked = piece.startswith("=")
        # Moodle reads no %weight% after "=": that answer is simply worth 100%.
        weight, piece = (100.0, piece[1:]) if marked else _take_weight(piece, 0.0)
        parts = _split_feedback(piece, raw.format)
        if not parts[0]:
            # Moodle drops answers with no text when it saves the question: this is how
            # the common "{~=right ~wrong}" works (the piece between "~" and "=" is empty).
            if piece.strip(_PHP_SPACE):
                raw.notes.append(f"an answer with no text ('{piece}') is left out, as Moodle "
                                 "does.")
            continue
        answers.append(Answer(*parts, weight=weight, marked=marked))
    if len(answers) < 2:
        raise QuestionProblem("a multiple-choice question needs at least two answers with text.")
    return answers


def _multichoice(raw: _Raw) -> tuple[dict, list[str], str | None]:
    """Map a Moodle multiple-choice question to `choice` or `multi`."""
    answers = _multichoice_answers(raw)
    marked = [answer.marked for answer in answers]
    # Moodle: any "=" makes a one-answer question; without one, every positive weight counts.
    correct = marked if any(marked) else [answer.weight > 0 for answer in answers]
    if not any(correct):
        raise QuestionProblem("no answer is marked right (with = or a positive %weight%).")
    one_right = sum(marked) == 1
    kind = "choice" if one_right else "multi"
    options = [_option(_option_id(index), answer, right)
               for index, (answer, right) in enumerate(zip(answers, correct, strict=True))]
    return {"type": kind, "options": options}, _choice_notes(one_right, answers, correct), None


def _choice_notes(one_right: bool, answers: list[Answer], correct: list[bool]) -> list[str]:
    """Say how weights are scored, and where SourceCheck's scoring differs from Moodle's."""
    weights = ", ".join(_percent(answer.weight) for answer in answers)
    pairs = list(zip(answers, correct, strict=True))
    if one_right:
        if any(answer.weight and not right for answer, right in pairs):
            floor = (" A negative weight scores 0: in SourceCheck a question never scores "
                     "below nothing." if any(answer.weight < 0 for answer in answers) else "")
            return [f"partial credit ({weights}) is kept and scored as in Moodle.{floor}"]
        return []
    if all(answer.marked for answer, right in pairs if right):
        return ["in Moodle any one of the = answers earns full credit; imported as "
                "'all that apply'."]
    share = 100 / sum(correct)
    if all(abs(answer.weight - (share if right else -share)) < 0.01 for answer, right in pairs):
        return []
    return [f"weights ({weights}) are kept and scored as in Moodle: the chosen options' "
            "weights add up, between 0 and 100% of the points."]


def _option(oid: str, answer: Answer, correct: bool, weighted: bool = True) -> dict:
    """Build one option dict."""
    option: dict = {"id": oid, "text": answer.text}
    if answer.format in RICH_FORMATS:
        option["format"] = answer.format
    if correct:
        option["correct"] = True
    option["explanation"] = answer.feedback or NO_FEEDBACK
    if answer.feedback and answer.feedback_format in RICH_FORMATS:
        option["explanation_format"] = answer.feedback_format
    if weighted:
        option["weight"] = answer.weight
    return option


def _option_id(index: int) -> str:
    """Name options a, b, c ... as the examples in questions/README.md do."""
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


def _truefalse(raw: _Raw) -> tuple[dict, list[str], str | None]:
    """Map TRUE/FALSE to a two-option `choice`."""
    bits = raw.answers.split("#", 2) + ["", ""]
    is_true = _TRUE_FALSE[bits[0].strip(_PHP_SPACE)]
    # Moodle's rule, {TRUE#wrong#right}: the first feedback is for the wrong answer.
    wrong = _with_format(bits[1].strip(_PHP_SPACE), raw.format)
    right = _with_format(bits[2].strip(_PHP_SPACE), raw.format)
    true_feedback, false_feedback = (right, wrong) if is_true else (wrong, right)
    options = [
        _option("true", Answer("True", "moodle", *true_feedback, 0.0), is_true, False),
        _option("false", Answer("False", "moodle", *false_feedback, 0.0), not is_true, False),
    ]
    return {"type": "choice", "options": options}, [], None


def _shortanswer_answers(raw: _Raw) -> list[Answer]:
    """Read `=answer#feedback` short answers; Moodle keeps no format on the answer text."""
    answers = []
    for piece in _pieces(raw.answers, "="):
        weight, piece = _take_weight(piece, 100.0)
        text, _, feedback, feedback_format = _split_feedback(piece, raw.format)
        if not text:
            raise QuestionProblem("an answer has no text.")
        answers.append(Answer(text, "moodle", feedback, feedback_format, weight))
    if not answers:
        raise QuestionProblem("a short-answer question needs at least one answer.")
    return answers


def _shortanswer(raw: _Raw) -> tuple[dict, list[str], str | None]:
    """Map a short-answer question to `text`."""
    return text_fields(_shortanswer_answers(raw))


def text_fields(answers: list[Answer]) -> tuple[dict, list[str], str | None]:
    """Map Moodle's short answers (GIFT or XML) to a `text` question's fields and notes.

    Returns (fields, notes, None), or ({}, [], reason) for a question SourceCheck cannot hold;
    raises QuestionProblem for one that is wrong.
    """
    if any(answer.text == "*" and answer.weight > 0 for answer in answers):
        return {}, [], "short answers that accept any text (*) cannot be represented in SourceCheck"
    listed = [answer for answer in answers if answer.text != "*"]
    accepted = [_text_answer(answer) for answer in listed if answer.weight > 0]
    if not accepted:
        raise QuestionProblem("no answer is accepted (every answer has a weight of 0% or less).")
    fields: dict = {"type": "text", "answers": accepted}
    wrong = [_text_answer(answer) for answer in listed if answer.weight <= 0]
    if wrong:
        fields["wrong_answers"] = wrong
    notes = _shortanswer_notes(listed)
    catch_all = [answer for answer in answers if answer.text == "*" and answer.feedback]
    if catch_all:
        # "*" is Moodle's "any other answer": its feedback is for wrong typed answers only,
        # never the general explanation a student who answered right also reads.
        fields["catch_all_explanation"] = catch_all[0].feedback
        if catch_all[0].feedback_format in RICH_FORMATS:
            fields["catch_all_explanation_format"] = catch_all[0].feedback_format
        if len(catch_all) > 1:
            notes.append("only the first '*' (any other answer) feedback is kept.")
    return fields, notes, None


def _text_answer(answer: Answer) -> dict:
    """Build one accepted or wrong answer dict."""
    item: dict = {"text": answer.text, "explanation": answer.feedback or NO_FEEDBACK}
    if answer.feedback and answer.feedback_format in RICH_FORMATS:
        item["explanation_format"] = answer.feedback_format
    item["weight"] = answer.weight
    return item


def _shortanswer_notes(answers: list[Answer]) -> list[str]:
    """Say that partial credit is scored, and that wildcards are not read as such."""
    notes = []
    partial = [answer for answer in answers if 0 < answer.weight < 100]
    if partial:
        listed = ", ".join(f"{answer.text} ({_percent(answer.weight)}%)" for answer in partial)
        notes.append(f"partial credit is kept and scored as in Moodle: {listed}.")
    if any("*" in answer.text for answer in answers):
        notes.append("'*' wildcards inside answers are read as literal text.")
    return notes


def _percent(weight: float) -> str:
    """Write a weight the way Moodle does: at most five decimals, no trailing zeros."""
    return f"{weight:.5f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------- writing


def dump(questions: list[dict], texts: list[dict] | None = None) -> str:
    """Write SourceCheck question dicts as GIFT; other types become comment lines.

    GIFT holds no article: a set's *texts* beside it are named in a comment at the top, so
    that "Text B, sentence 25" in an explanation can still be traced.
    """
    note = "\n".join(f"// {line}" for line in texts_note(texts or []))
    chunks = [note] if note else []
    for question in questions:
        reason = _unexportable(question)
        if reason:
            chunks.append(f"// skipped: {question.get('id')} ({reason})")
        else:
            chunks.append(_write_question(question))
    return "\n\n".join(chunks) + "\n"


def _unexportable(question: dict) -> str | None:
    """Say why a question cannot be written as GIFT, or return None."""
    kind = REGISTRY.get(question.get("type"))
    if kind is None:
        return f"{question.get('type')} cannot be expressed in GIFT"
    return kind.gift_problem(question)


def _write_question(question: dict) -> str:
    """Write one choice, multi or text question."""
    fmt = question.get("format")
    skill, difficulty = question.get("skill", "source"), question.get("difficulty", "medium")
    tags = f"// [tag:{skill}] [tag:{difficulty}]"
    head = f"{_write_name(question)}{_write_text(question['prompt'], fmt, None)}{{"
    if _is_true_false(question):
        return "\n".join([tags, head + _write_true_false(question) + _general(question, "") + "}"])
    # What GIFT holds of each type (its `gift` attribute): one shape of answer block each.
    writer = {"choice": _write_choice, "multi": _write_multi, "text": _write_answers}
    lines = [tags, head, *writer[REGISTRY[question["type"]].gift](question)]
    general = _general(question, "\t")
    return "\n".join(lines + ([general] if general else []) + ["}"])


# The ids an import gives untitled questions (q4, q4-2): writing them as a title would invent
# one the teacher never wrote.
_INVENTED_ID = re.compile(r"q\d+(?:-\d+)?")


def _write_name(question: dict) -> str:
    """Write ::title:: (or ::id:: for a set written in SourceCheck), or nothing if untitled."""
    name = question.get("title") or question["id"]
    if not question.get("title") and _INVENTED_ID.fullmatch(name):
        return ""
    return f"::{_escape(name)}::"


def _escape(text: str) -> str:
    """Escape GIFT's control characters and line breaks, as Moodle's exporter does."""
    text = text.replace("\\", "\\\\").replace("\r", "")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _write_text(text: str, fmt: str | None, default: str | None) -> str:
    """Write text with a [format] marker when it differs from the inherited one."""
    fmt = fmt if fmt in RICH_FORMATS else None
    default = default if default in RICH_FORMATS else None
    if fmt != default or _FORMAT_LIKE.match(text):
        # A plain text that happens to start with "[html]" or "[md]" needs a marker too.
        return f"[{fmt or 'moodle'}]{_escape(text)}"
    return _escape(text)


def _feedback(item: dict, default: str | None) -> str:
    """Write `#explanation`, or nothing when there is no real explanation."""
    explanation = item.get("explanation") or ""
    if explanation in ("", NO_FEEDBACK):
        return ""
    return "#" + _write_text(explanation, item.get("explanation_format"), default)


def _general(question: dict, indent: str) -> str:
    """Write the question's explanation as `####` general feedback."""
    feedback = _feedback(question, question.get("format"))
    return f"{indent}####{feedback[1:]}" if feedback else ""


def _guard_weight(text: str) -> str:
    """Keep a text that starts like %50% from being read as a weight."""
    return "%0%" if _WEIGHT.match(text) else ""


def _write_choice(question: dict) -> list[str]:
    """Write a `choice` question's options: = for the right one, ~ (with any partial
    credit as ~%50%) for the rest."""
    fmt = question.get("format")
    lines = []
    for option in question["options"]:
        weight = option.get("weight") or 0
        if option.get("correct"):
            mark = "="
        elif weight:
            mark = f"~%{_percent(weight)}%"
        else:
            mark = "~" + _guard_weight(option["text"])
        text = _write_text(option["text"], option.get("format"), fmt)
        lines.append(f"\t{mark}{text}{_feedback(option, fmt)}")
    return lines


def multi_weights(options: list[dict]) -> list[float]:
    """Return the weights a `multi` question is scored by, in percent (its type decides)."""
    return percent_weights(options)


def _write_multi(question: dict) -> list[str]:
    """Write a `multi` question with its weights (every option carries ~%weight%)."""
    fmt = question.get("format")
    lines = []
    for option, weight in zip(question["options"], multi_weights(question["options"]),
                              strict=True):
        text = _write_text(option["text"], option.get("format"), fmt)
        lines.append(f"\t~%{_percent(weight)}%{text}{_feedback(option, fmt)}")
    return lines


def _write_answers(question: dict) -> list[str]:
    """Write a `text` question: accepted answers with their weights, wrong ones (0% or
    less), then the '*' feedback for any other answer."""
    fmt = question.get("format")
    lines = []
    for item in question.get("answers", []):
        weight = item.get("weight", 100)
        mark = f"%{_percent(weight)}%" if weight != 100 or _WEIGHT.match(item["text"]) else ""
        lines.append(f"\t={mark}{_write_answer(item['text'])}{_feedback(item, fmt)}")
    for item in question.get("wrong_answers", []):
        weight = min(0, item.get("weight", 0))
        lines.append(f"\t=%{_percent(weight)}%{_write_answer(item['text'])}"
                     f"{_feedback(item, fmt)}")
    if question.get("catch_all_explanation"):
        catch_all = {"explanation": question["catch_all_explanation"],
                     "explanation_format": question.get("catch_all_explanation_format")}
        lines.append(f"\t=%0%*{_feedback(catch_all, fmt)}")
    return lines


def _write_answer(text: str) -> str:
    """Write a typed answer; one that looks like a [format] marker gets [moodle] first."""
    return f"[moodle]{_escape(text)}" if _FORMAT_LIKE.match(text) else _escape(text)


def _is_true_false(question: dict) -> bool:
    """Tell whether a choice question is a plain True/False one, in that order."""
    options = question.get("options", [])
    if (REGISTRY[question["type"]].gift != "choice"
            or any(option.get("format") for option in options)):
        return False
    return [option["text"] for option in options] == ["True", "False"]


def _write_true_false(question: dict) -> str:
    """Write {TRUE#wrong#right}: Moodle shows the first feedback for the wrong answer."""
    fmt = question.get("format")
    true, false = question["options"]
    right, wrong = (true, false) if true.get("correct") else (false, true)
    answer = "TRUE" if true.get("correct") else "FALSE"
    wrong_feedback, right_feedback = _feedback(wrong, fmt), _feedback(right, fmt)
    if right_feedback:
        return f"{answer}{wrong_feedback or '#'}{right_feedback}"
    return answer + wrong_feedback
