"""Read and write Moodle XML question files (what Moodle exports by default).

Pure module: no Flask. `parse` gives the same result as `gift.parse` (question dicts in the
format of questions/README.md, skipped questions with reasons, notes) or raises
`MoodleXmlError` listing every problem; `dump` writes question dicts back out.

The file is parsed only through defusedxml with DTDs forbidden, so no entity is expanded
and nothing outside the file is read; its size is checked before parsing and its depth while
parsing. The elements read are those Moodle's question/format/xml/format.php writes:
<question type="..."> with <name>, <questiontext format>, <generalfeedback format>, <single>,
<answer fraction format> with <feedback format>, <tags>. Categories are ignored.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, TreeBuilder  # nosec B405 # building only; parsing is defusedxml's

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from . import richtext
from .gift import (
    MAX_TITLE,
    NO_FEEDBACK,
    RICH_FORMATS,
    Answer,
    GiftError,
    GiftImport,
    Note,
    Problem,
    QuestionProblem,
    Skipped,
    multi_weights,
    text_fields,
)
from .questionsets import DIFFICULTIES, MAX_PARTS, MAX_QUESTIONS, MAX_SET_CHARS, texts_note
from .questiontypes import REGISTRY, SKILLS

MAX_DEPTH = 20  # Moodle writes 6 levels: quiz/question/answer/feedback/text (+ file)

# Moodle's format names (format.php trans_format) -> ours; moodle_auto_format reads as plain.
FORMATS = {"html": "html", "markdown": "markdown", "moodle_auto_format": "plain",
           "plain_text": "plain", "wiki_like": "plain"}
WRITE_FORMATS = {"html": "html", "markdown": "markdown", None: "moodle_auto_format"}

UNSUPPORTED = {
    "description": "descriptions (text with no answers) cannot be represented in SourceCheck",
    "essay": "essay questions cannot be represented in SourceCheck",
    "matching": "matching questions cannot be represented in SourceCheck",
    "numerical": "numerical questions cannot be represented in SourceCheck",
}


class MoodleXmlError(GiftError):
    """A Moodle XML file that cannot be imported; `problems` lists every reason."""


class _Builder(TreeBuilder):
    """Build the tree, noting each element's line and refusing deep nesting as it goes."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}
        self.level = 0

    def start(self, tag: str, attrs: dict) -> Element:
        """Open an element; stop at once when the file nests too deep."""
        self.level += 1
        if self.level > MAX_DEPTH:
            raise QuestionProblem(f"elements nest more than {MAX_DEPTH} levels deep")
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag: str) -> Element:
        """Close an element."""
        self.level -= 1
        return super().end(tag)


@dataclass
class _Read:
    """One <question> while it is converted."""

    element: Element
    position: int
    line: int
    title: str | None
    notes: list[str]


# ---------------------------------------------------------------------------- reading


def parse(text: str) -> GiftImport:
    """Read a Moodle XML file into SourceCheck question dicts, or raise MoodleXmlError."""
    if len(text) > MAX_SET_CHARS:  # before any parsing
        raise MoodleXmlError([Problem(None, None, None, f"the file has {len(text):,} characters; "
                                                        f"a file may have at most "
                                                        f"{MAX_SET_CHARS:,}.")])
    root, lines = _parse_xml(text)
    result, problems = GiftImport(), []
    used: dict[str, int] = {}
    position = 0
    for element in root.findall("question"):
        moodle_type = element.get("type", "")
        if moodle_type == "category":
            continue
        position += 1
        line = lines.get(id(element), 0)
        if position > MAX_QUESTIONS:
            problems.append(Problem(position, None, line,
                                    f"a file may hold at most {MAX_QUESTIONS} questions."))
            break
        title = _title(element)
        read = _Read(element, position, line, title, [])
        try:
            _add(result, read, moodle_type, used)
        except QuestionProblem as problem:
            problems.append(Problem(position, title, line, str(problem)))
    if problems:
        raise MoodleXmlError(problems)
    return result


def _parse_xml(text: str) -> tuple[Element, dict[int, int]]:
    """Parse with defusedxml (no DTD, no entities); return the root and element lines."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser
    # The text is already decoded; an encoding declaration would contradict it.
    text = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException:
        raise _refuse("the file declares a DTD or entities, which are not allowed in a "
                      "question file") from None
    except ParseError as exc:
        raise _refuse(f"not well-formed XML ({exc})") from None
    except QuestionProblem as problem:
        raise _refuse(str(problem)) from None
    if root.tag != "quiz":
        raise _refuse(f"the root element is <{root.tag}>, not Moodle's <quiz>")
    return root, builder.lines


def _refuse(message: str) -> MoodleXmlError:
    """Make the error for a file that cannot be read at all."""
    return MoodleXmlError([Problem(None, None, None, message + ".")])


def _text_of(element: Element | None, path: str = "text") -> str:
    """Return the trimmed text of a child <text>, or ''."""
    if element is None:
        return ""
    child = element.find(path)
    return (child.text or "").strip() if child is not None else ""


def _rich(element: Element | None, what: str, default: str = "moodle_auto_format"
          ) -> tuple[str, str | None]:
    """Return (text, our format or None for plain) of a text element such as <questiontext>."""
    if element is None:
        return "", None
    name = element.get("format", default)
    if name not in FORMATS:
        raise QuestionProblem(f"{what} has the format '{name}'; Moodle's formats are "
                       f"{', '.join(FORMATS)}.")
    fmt = FORMATS[name]
    text = _text_of(element)
    if fmt != "plain" and (reason := richtext.problem(text, fmt)):
        raise QuestionProblem(f"{what}: {reason}.")
    return text, (fmt if fmt in RICH_FORMATS else None)


def _title(element: Element) -> str | None:
    """Return the question's <name>, cut to Moodle's length, or None."""
    title = " ".join(_text_of(element.find("name")).split())
    return title[:MAX_TITLE].rstrip() or None


def _add(result: GiftImport, read: _Read, kind: str, used: dict[str, int]) -> None:
    """Convert one <question> and add it, or record why it is skipped."""
    build = {"multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer}
    if kind not in build:
        reason = UNSUPPORTED.get(kind, f"'{kind}' questions cannot be represented in "
                                       "SourceCheck")
        result.skipped.append(Skipped(read.position, read.title, reason, read.line))
        return
    prompt, fmt = _rich(read.element.find("questiontext"), "the question text")
    if not prompt:
        raise QuestionProblem("the question has no text.")
    _note_files(read)
    fields = build[kind](read, fmt)
    if isinstance(fields, str):
        result.skipped.append(Skipped(read.position, read.title, fields, read.line))
        return
    result.questions.append(_question(read, prompt, fmt, fields, used))
    result.notes.extend(Note(read.position, read.title, note, read.line) for note in read.notes)


def _note_files(read: _Read) -> None:
    """Note embedded files: they are not imported (images show as a note)."""
    files = read.element.findall(".//file")
    if files:
        read.notes.append(f"{len(files)} embedded file(s) not imported; images show as "
                          "'[image not imported]'.")


def _question(read: _Read, prompt: str, fmt: str | None, fields: dict,
              used: dict[str, int]) -> dict:
    """Assemble a question dict in the order questions/README.md lists the fields."""
    from .gift import _Raw, _unique_id  # one rule for ids, shared with GIFT

    raw = _Raw(read.position, read.line, read.title, "", "", "", "", "", "", [])
    question: dict = {"id": _unique_id(raw, used)}
    if read.title:
        question["title"] = read.title
    question["type"] = fields.pop("type")
    question["prompt"] = prompt
    if fmt:
        question["format"] = fmt
    feedback, feedback_format = _rich(read.element.find("generalfeedback"),
                                      "the general feedback")
    question["explanation"] = feedback or NO_FEEDBACK
    if feedback and feedback_format:
        question["explanation_format"] = feedback_format
    tags = [_text_of(tag).lower() for tag in read.element.findall("tags/tag")]
    question["difficulty"] = next((t for t in tags if t in DIFFICULTIES), "medium")
    question["skill"] = next((t for t in tags if t in SKILLS), "source")
    question.update(fields)
    return question


def _answers(read: _Read) -> list[Answer]:
    """Read every <answer>, dropping blank ones as Moodle does when it saves a question."""
    answers = []
    elements = read.element.findall("answer")
    if len(elements) > MAX_PARTS:
        raise QuestionProblem(
            f"{len(elements):,} answers; a question may have at most {MAX_PARTS}.")
    for number, element in enumerate(elements, start=1):
        text, fmt = _rich(element, f"answer {number}")
        if not text:
            continue
        try:
            weight = float(element.get("fraction", "0"))
        except ValueError:
            raise QuestionProblem(f"answer {number} has the fraction '{element.get('fraction')}', "
                           "not a number.") from None
        if not -100 <= weight <= 100:
            raise QuestionProblem(
                f"answer {number} has the fraction {weight:g}, outside -100 to 100.")
        feedback, feedback_format = _rich(element.find("feedback"), f"answer {number}'s feedback")
        answers.append(Answer(text, fmt, feedback, feedback_format, weight))
    return answers


def _option(oid: str, answer: Answer, correct: bool, weighted: bool = True) -> dict:
    """Build one option dict, as gift does."""
    option: dict = {"id": oid, "text": answer.text}
    if answer.format:
        option["format"] = answer.format
    if correct:
        option["correct"] = True
    option["explanation"] = answer.feedback or NO_FEEDBACK
    if answer.feedback and answer.feedback_format:
        option["explanation_format"] = answer.feedback_format
    if weighted:
        option["weight"] = answer.weight
    return option


def _multichoice(read: _Read, fmt: str | None) -> dict:
    """Map <question type="multichoice"> to `choice` (single) or `multi`."""
    answers = _answers(read)
    if len(answers) < 2:
        raise QuestionProblem("a multiple-choice question needs at least two answers with text.")
    single = _text_of(read.element, "single").lower() in ("true", "1")
    if single:
        correct = [answer.weight >= 100 for answer in answers]
        if not any(correct):
            raise QuestionProblem("no answer has a fraction of 100 in a one-answer question.")
        one_right = sum(correct) == 1
        kind = "choice" if one_right else "multi"
        if not one_right:
            read.notes.append("in Moodle any one of the 100% answers earns full credit; "
                              "imported as 'all that apply'.")
        elif any(answer.weight and not right for answer, right in zip(answers, correct,
                                                                        strict=True)):
            floor = (" A negative fraction scores 0: in SourceCheck a question never "
                     "scores below nothing." if any(a.weight < 0 for a in answers) else "")
            read.notes.append(f"partial credit is kept and scored as in Moodle.{floor}")
    else:
        correct = [answer.weight > 0 for answer in answers]
        if not any(correct):
            raise QuestionProblem("no answer has a positive fraction.")
        kind = "multi"
    options = [_option(chr(ord("a") + index) if index < 26 else f"o{index + 1}", answer, right)
               for index, (answer, right) in enumerate(zip(answers, correct, strict=True))]
    return {"type": kind, "options": options}


def _truefalse(read: _Read, fmt: str | None) -> dict:
    """Map <question type="truefalse"> to a two-option `choice`."""
    by_text = {answer.text.lower(): answer for answer in _answers(read)}
    if set(by_text) != {"true", "false"}:
        raise QuestionProblem("a true/false question needs the answers 'true' and 'false'.")
    true, false = by_text["true"], by_text["false"]
    is_true = true.weight >= false.weight
    return {"type": "choice", "options": [
        _option("true", Answer("True", None, *_plain_feedback(true), 0.0), is_true, False),
        _option("false", Answer("False", None, *_plain_feedback(false), 0.0), not is_true,
                False),
    ]}


def _plain_feedback(answer: Answer) -> tuple[str, str | None]:
    """Return an answer's feedback and its format."""
    return answer.feedback, answer.feedback_format


def _shortanswer(read: _Read, fmt: str | None) -> dict | str:
    """Map <question type="shortanswer"> to `text`; a catch-all that scores is skipped."""
    fields, notes, reason = text_fields(_answers(read))
    if reason:
        return reason
    read.notes.extend(notes)
    if _text_of(read.element, "usecase") == "1":
        read.notes.append("case-sensitive matching is not kept: SourceCheck ignores case.")
    return fields


# ---------------------------------------------------------------------------- writing


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def _escape(text: str) -> str:
    """Escape text for XML content or a double-quoted attribute."""
    return html.escape(_CONTROL.sub("", text), quote=True)


def _percent(weight: float) -> str:
    """Write a fraction the way Moodle does: at most seven decimals, no trailing zeros."""
    return f"{weight:.7f}".rstrip("0").rstrip(".")


def _text_element(tag: str, text: str, fmt: str | None, indent: str) -> str:
    """Write <tag format="..."><text>...</text></tag>."""
    return (f'{indent}<{tag} format="{WRITE_FORMATS.get(fmt, "moodle_auto_format")}">'
            f"<text>{_escape(text)}</text></{tag}>")


def _feedback_of(item: dict, key: str = "explanation") -> tuple[str, str | None]:
    """Return an explanation worth writing (not the placeholder) and its format."""
    text = item.get(key) or ""
    return ("", None) if text == NO_FEEDBACK else (text, item.get(f"{key}_format"))


def _answer(text: str, fmt: str | None, weight: float, item: dict, indent: str) -> list[str]:
    """Write one <answer> with its feedback."""
    feedback = _feedback_of(item)
    return [f'{indent}<answer fraction="{_percent(weight)}" '
            f'format="{WRITE_FORMATS.get(fmt, "moodle_auto_format")}">',
            f"{indent}  <text>{_escape(text)}</text>",
            _text_element("feedback", *feedback, indent + "  "),
            f"{indent}</answer>"]


def dump(questions: list[dict], category: str | None = None,
         texts: list[dict] | None = None) -> str:
    """Write SourceCheck question dicts as Moodle XML; other types become comments.

    Moodle XML holds no article: a set's *texts* beside it are named in a comment.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    # "--" may not appear inside an XML comment.
    lines += [f"  <!-- {_escape(line).replace('--', '- -')} -->"
              for line in texts_note(texts or [])]
    if category:
        lines += ['  <question type="category">',
                  f"    <category><text>$course$/top/{_escape(category)}</text></category>",
                  "  </question>"]
    for question in questions:
        reason = _unexportable(question)
        if reason:
            # "--" may not appear inside an XML comment.
            lines.append(f"  <!-- skipped: {_escape(question.get('id', '')).replace('--', '- -')}"
                         f" ({reason}) -->")
        else:
            lines += _write_question(question)
    return "\n".join(lines + ["</quiz>"]) + "\n"


def _unexportable(question: dict) -> str | None:
    """Say why a question cannot be written as Moodle XML, or return None."""
    kind, shape = question.get("type"), _shape(question)
    if shape is None:
        return f"{kind} cannot be expressed in Moodle XML"
    if shape != "text" and len(question.get("options", [])) < 2:
        return f"{kind} with fewer than two options cannot be expressed in Moodle XML"
    return None


def _shape(question: dict) -> str | None:
    """Return the answer block a type writes: "choice", "multi", "text" (as in GIFT) or None."""
    kind = REGISTRY.get(question.get("type"))
    return kind.gift if kind else None


def _is_true_false(question: dict) -> bool:
    """Tell whether a choice question is a plain True/False one, in that order."""
    options = question.get("options", [])
    return (_shape(question) == "choice" and not any(o.get("format") for o in options)
            and [o["text"] for o in options] == ["True", "False"])


def _write_question(question: dict) -> list[str]:
    """Write one <question> of type multichoice, truefalse or shortanswer."""
    fmt = question.get("format")
    shape = _shape(question)
    moodle_type = {"choice": "multichoice", "multi": "multichoice", "text": "shortanswer"}[shape]
    if _is_true_false(question):
        moodle_type = "truefalse"
    name = question.get("title") or question["id"]
    lines = [f'  <question type="{moodle_type}">',
             f"    <name><text>{_escape(name)}</text></name>",
             _text_element("questiontext", question["prompt"], fmt, "    "),
             _text_element("generalfeedback", *_feedback_of(question), "    ")]
    if moodle_type == "truefalse":
        for option, label in zip(question["options"], ("true", "false"), strict=True):
            lines += _answer(label, None, 100 if option.get("correct") else 0, option, "    ")
    elif moodle_type == "multichoice":
        single = shape == "choice"
        lines.append(f"    <single>{'true' if single else 'false'}</single>")
        lines.append(f"    <shuffleanswers>{'true' if question.get('shuffle', True) else 'false'}"
                     "</shuffleanswers>")
        weights = ([100.0 if o.get("correct") else float(o.get("weight") or 0)
                    for o in question["options"]] if single
                   else multi_weights(question["options"]))
        for option, weight in zip(question["options"], weights, strict=True):
            lines += _answer(option["text"], option.get("format"), weight, option, "    ")
    else:
        lines.append("    <usecase>0</usecase>")
        for item in question.get("answers", []):
            lines += _answer(item["text"], None, item.get("weight", 100), item, "    ")
        for item in question.get("wrong_answers", []):
            lines += _answer(item["text"], None, min(0, item.get("weight", 0)), item, "    ")
        if question.get("catch_all_explanation"):
            catch_all = {"explanation": question["catch_all_explanation"],
                         "explanation_format": question.get("catch_all_explanation_format")}
            lines += _answer("*", None, 0, catch_all, "    ")
    tags = [question.get("skill"), question.get("difficulty")]
    lines.append("    <tags>" + "".join(f"<tag><text>{_escape(t)}</text></tag>"
                                        for t in tags if t) + "</tags>")
    return [*lines, "  </question>"]
