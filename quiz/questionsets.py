"""Read, validate and write question-set files.

Pure module: no Flask. A file becomes one plain, JSON-ready dict (a "set document") or an
`InvalidSetError` listing every problem, each naming the file, the question and the field.
The format is documented in questions/README.md.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's loader is many times faster; the pure-Python one is the fallback
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader

from .questiontypes import REGISTRY, SKILLS
from .sentences import KINDS, paragraphs, split_article

DIFFICULTIES = ("easy", "medium", "hard")
# Limits far above any real set, so that no file or paste can stall a worker. Checked before
# the expensive step each guards (reading YAML, splitting the article, checking questions).
MAX_SET_CHARS = 1_000_000  # a set file, and the stored set document (JSON)
MAX_ARTICLE_CHARS = 60_000  # an article's text: a long feature is 30,000
MAX_TEXTS = 12  # excerpts beside the article (Text B to Text M); all of them together are
# held to MAX_ARTICLE_CHARS as well, so a set never carries more than two articles' worth
MAX_QUESTIONS = 200
MAX_PARTS = 30  # options, statements, items or typed answers in one question
MAX_YAML_VALUES = 100_000  # values in a set file once aliases are expanded
MAX_YAML_DEPTH = 20  # a set file nests 6 deep
MAX_NUMBER_DIGITS = 30
MAX_TITLE_CHARS = 255  # a question's display name; Moodle's names stop there too
TEXT_FORMATS = ("plain", "html", "markdown")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidSetError(ValueError):
    """A question-set file that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Problems:
    """Collect problems with the file and question they belong to."""

    def __init__(self, source: str):
        self.source = source
        self.items: list[str] = []
        self.where = ""

    def add(self, field: str, message: str) -> None:
        place = f"{self.source}: {self.where}" if self.where else f"{self.source}: "
        self.items.append(f"{place}{field}: {message}")


def _text(data: dict, key: str, problems: _Problems, *, required: bool = True,
          field: str | None = None) -> str | None:
    field = f"{field}.{key}" if field else key
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(field, "is required and must be non-empty text")
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.add(field, "must be text")
        return None
    return str(value).strip()


def _mapping(value: Any, field: str, problems: _Problems) -> dict:
    if not isinstance(value, dict):
        problems.add(field, "must be a mapping of keys to values")
        return {}
    return value


def _items(data: dict, key: str, problems: _Problems, *, required: bool = True,
           limit: int = MAX_PARTS) -> list:
    value = data.get(key)
    if value is None:
        if required:
            problems.add(key, "is required (a list)")
        return []
    if not isinstance(value, list):
        problems.add(key, "must be a list")
        return []
    if len(value) > limit:
        problems.add(key, f"has {len(value):,} entries; at most {limit} are allowed")
        return value[:limit]  # the rest is not checked: the file is refused anyway
    return value


def parse_article(raw: Any, problems: _Problems) -> dict:
    """Validate an article mapping and split its text into numbered sentences."""
    raw = _mapping(raw, "article", problems)
    article = {
        "title": _text(raw, "title", problems, field="article"),
        "outlet": _text(raw, "outlet", problems, field="article"),
        "date": None,
        "date_note": _text(raw, "date_note", problems, required=False, field="article"),
        "url": _text(raw, "url", problems, required=False, field="article"),
        "notes": _text(raw, "notes", problems, required=False, field="article"),
        "text": raw.get("text") if isinstance(raw.get("text"), str) else "",
    }
    date = raw.get("date")
    if date is not None:
        date = str(date)
        if not _DATE.match(date):
            problems.add("article.date", f"'{date}' is not a date in the form YYYY-MM-DD")
        article["date"] = date
    if article["url"] and not re.match(r"^https?://\S+$", article["url"]):
        problems.add("article.url", f"'{article['url']}' is not an http(s) address")
    if not article["text"].strip():
        problems.add("article.text", "is required: the full text of the article")
    too_long = len(article["text"]) > MAX_ARTICLE_CHARS
    if too_long:  # refused before it is split into sentences
        problems.add("article.text", f"has {len(article['text']):,} characters; an article may "
                                     f"have at most {MAX_ARTICLE_CHARS:,}")
    marks: dict[int, str] = {}
    for key, kind in _mapping(raw.get("marks") or {}, "article.marks", problems).items():
        if isinstance(key, str) and key.isdigit():  # stored documents keep JSON's string keys
            key = int(key)
        if not isinstance(key, int) or key < 1:
            problems.add("article.marks", f"'{key}' is not a paragraph number")
        elif kind not in KINDS[1:]:
            problems.add("article.marks", f"paragraph {key}: '{kind}' is not one of headline, "
                                          "caption, furniture")
        else:
            marks[key] = kind
    count = 0 if too_long else len(paragraphs(article["text"]))
    for key, kind in sorted(marks.items()):
        if key > count and not too_long:  # else the mark would be kept and do nothing
            problems.add("article.marks", f"'{key}: {kind}' marks paragraph {key}, but the "
                                          f"article has {count} paragraph{'s' * (count != 1)}")
    article["marks"] = {str(k): v for k, v in sorted(marks.items())}
    article["sentences"] = [
        {"n": s.number, "p": s.paragraph, "text": s.text, "kind": s.kind}
        for s in ([] if too_long else split_article(article["text"], marks))
    ]
    return article


TEXT_FIELDS = ("id", "title", "outlet", "date", "date_note", "url", "text")


def parse_texts(raw: Any, article: dict, problems: _Problems) -> list[dict]:
    """Validate the excerpts shown beside the article (the `texts:` list) and number them.

    Each text is labelled Text B, C, ... (the article is Text A). Its sentences are appended
    to the article's numbered sentences, continuing their numbers and paragraphs, each
    marked with the text's label under `excerpt`: evidence, highlighting and scoring keep one
    sentence-number space and need not know that a sentence comes from an excerpt.
    """
    if raw is None:
        return []
    entries = _items({"texts": raw}, "texts", problems, limit=MAX_TEXTS)
    total = sum(len(e["text"]) for e in entries if isinstance(e, dict)
                and isinstance(e.get("text"), str))
    if total > MAX_ARTICLE_CHARS:  # refused before anything is split into sentences
        problems.add("texts", f"have {total:,} characters together; the texts beside an "
                              f"article may have at most {MAX_ARTICLE_CHARS:,}")
        return []
    texts, seen, sentences = [], set(), article["sentences"]
    paragraph = sentences[-1]["p"] if sentences else 0
    for i, entry in enumerate(entries):
        label = chr(ord("B") + i)
        field = f"texts[{i + 1}]"
        entry = _mapping(entry, field, problems)
        tid = str(entry.get("id", ""))
        if not _ID.match(tid):
            problems.add(f"{field}.id", "is required: letters, digits, '-' or '_'")
        elif tid in seen:
            problems.add(f"{field}.id", f"'{tid}' is used by an earlier text")
        seen.add(tid)
        text = {"id": tid, "label": label,
                "title": _text(entry, "title", problems, field=field),
                "outlet": _text(entry, "outlet", problems, field=field),
                "date": None,
                "date_note": _text(entry, "date_note", problems, required=False, field=field),
                "url": _text(entry, "url", problems, required=False, field=field),
                "text": entry.get("text") if isinstance(entry.get("text"), str) else ""}
        if entry.get("date") is not None:
            text["date"] = str(entry["date"])
            if not _DATE.match(text["date"]):
                problems.add(f"{field}.date", f"'{text['date']}' is not a date in the form "
                                              "YYYY-MM-DD")
        if text["url"] and not re.match(r"^https?://\S+$", text["url"]):
            problems.add(f"{field}.url", f"'{text['url']}' is not an http(s) address")
        if not text["text"].strip():
            problems.add(f"{field}.text", "is required: the excerpt, quoted as published")
        split = split_article(text["text"])
        text["first"] = len(sentences) + 1
        for s in split:
            sentences.append({"n": len(sentences) + 1, "p": paragraph + s.paragraph,
                              "text": s.text, "kind": "body", "excerpt": label})
        if split:  # the pane shows the source line above the text's first sentence
            sentences[text["first"] - 1]["source"] = {
                k: text[k] for k in ("label", "title", "outlet", "date", "date_note", "url")}
        paragraph += split[-1].paragraph if split else 0
        text["last"] = len(sentences)
        texts.append(text)
    return texts


def texts_note(texts: list[dict]) -> list[str]:
    """Describe the texts beside the article in lines, for an export that cannot hold them."""
    if not texts:
        return []
    lines = ["This set's questions also cite sentences of these texts, shown beside the "
             "article in SourceCheck and not exported here:"]
    for t in texts:
        span = f"sentence {t['first']}" if t["first"] == t["last"] else \
            f"sentences {t['first']}-{t['last']}"
        where = ", ".join(x for x in (t["outlet"], t["date"], f"\u201c{t['title']}\u201d",
                                      t["url"]) if x)
        lines.append(f"Text {t['label']} ({span}): {where}")
    return lines


def _explained(entry: dict, problems: _Problems, field: str) -> str | None:
    if entry.get("explanation") is None:
        problems.add(f"{field}.explanation", "is required: say why this is right or wrong")
        return None
    return _text(entry, "explanation", problems, field=field)


def _part_id(raw: dict, kind: str, i: int, seen: set, problems: _Problems) -> tuple[str, str]:
    """Check the id of an option, statement or item; return it and the name to report it by."""
    pid = str(raw.get("id", ""))
    field = f"{kind} '{pid}'" if pid else f"{kind} {i}"
    if not _ID.match(pid):
        problems.add(f"{field}.id", "is required: letters, digits, '-' or '_'")
    elif pid in seen:
        problems.add(f"{field}.id", "is used twice in this question")
    seen.add(pid)
    return pid, field


def _sentence_list(value: Any, field: str, problems: _Problems, n_sentences: int) -> list[int]:
    if value is None:
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        problems.add(field, "must be a list of sentence numbers")
        return []
    numbers = []
    for n in value:
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= n_sentences:
            problems.add(field, f"'{n}' is not a sentence of the article (1 to {n_sentences})")
        else:
            numbers.append(n)
    return numbers


class _Checker:
    """The helpers a question type checks its part of a question with (`Checker`)."""

    def __init__(self, problems: _Problems, n_sentences: int):
        self.problems, self.n_sentences = problems, n_sentences

    def add(self, field: str, message: str) -> None:
        self.problems.add(field, message)

    def text(self, data: dict, key: str, *, required: bool = True,
             field: str | None = None) -> str | None:
        return _text(data, key, self.problems, required=required, field=field)

    def mapping(self, value: Any, field: str) -> dict:
        return _mapping(value, field, self.problems)

    def items(self, data: dict, key: str, *, required: bool = True) -> list:
        return _items(data, key, self.problems, required=required)

    def explained(self, entry: dict, field: str) -> str | None:
        return _explained(entry, self.problems, field)

    def part_id(self, raw: dict, kind: str, i: int, seen: set) -> tuple[str, str]:
        return _part_id(raw, kind, i, seen, self.problems)

    def sentences(self, value: Any, field: str) -> list[int]:
        return _sentence_list(value, field, self.problems, self.n_sentences)

    def valid_id(self, value: str) -> bool:
        return bool(_ID.match(value))


def parse_question(q: Any, problems: _Problems, n_sentences: int, shuffle: bool) -> dict:
    """Validate one question mapping and return it in normalised form."""
    q = _mapping(q, "question", problems)
    out = {
        "id": str(q.get("id", "")),
        "type": q.get("type"),
        "prompt": _text(q, "prompt", problems),
        "explanation": _text(q, "explanation", problems),
        "difficulty": q.get("difficulty"),
        "skill": q.get("skill"),
        "points": q.get("points", 1),
        "shuffle": q.get("shuffle", shuffle),
        "evidence": _sentence_list(q.get("evidence"), "evidence", problems, n_sentences),
    }
    review = q.get("review")
    if review:  # the editor's notes on references an article edit removed (renumber.py)
        if isinstance(review, list) and all(isinstance(note, str) for note in review):
            out["review"] = review[:MAX_PARTS]
        else:
            problems.add("review", "must be a list of notes")
    if not _ID.match(out["id"]):
        problems.add("id", "is required: letters, digits, '-' or '_' (at most 64)")
    if out["difficulty"] not in DIFFICULTIES:
        problems.add("difficulty", f"'{out['difficulty']}' is not one of "
                                   f"{', '.join(DIFFICULTIES)}")
    if out["skill"] not in SKILLS:
        problems.add("skill", f"'{out['skill']}' is not one of {', '.join(SKILLS)}")
    points = out["points"]
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points <= 100:
        problems.add("points", f"'{points}' is not a number of points above 0 (at most 100)")
    if not isinstance(out["shuffle"], bool):
        problems.add("shuffle", "must be true or false")
    kind = REGISTRY.get(out["type"]) if isinstance(out["type"], str) else None
    if kind is None:
        problems.add("type", f"'{out['type']}' is not one of {', '.join(REGISTRY)}")
    else:
        kind.parse(q, out, _Checker(problems, n_sentences))
    _check_moodle_fields(q, out, problems)
    return out


def _check_moodle_fields(q: dict, out: dict, problems: _Problems) -> None:
    """Check and keep the optional fields an import from Moodle carries (all types)."""
    title = q.get("title")
    if title is not None:
        if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE_CHARS:
            problems.add("title", f"must be text of 1 to {MAX_TITLE_CHARS} characters")
        else:
            out["title"] = title.strip()
    catch_all = _text(q, "catch_all_explanation", problems, required=False)
    if catch_all is not None:
        out["catch_all_explanation"] = catch_all
    _copy_formats(q, out, problems, "", ("format", "explanation_format",
                                         "catch_all_explanation_format"))
    for key in ("options", "answers", "wrong_answers"):
        raw_parts, parts = q.get(key), out.get(key)
        if not isinstance(raw_parts, list) or not isinstance(parts, list):
            continue
        for i, (raw, part) in enumerate(zip(raw_parts, parts, strict=False), start=1):
            if not isinstance(raw, dict):
                continue
            _copy_formats(raw, part, problems, f"{key} {i}.", ("format", "explanation_format"))
            weight = raw.get("weight")
            if weight is None:
                continue
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) \
                    or not -100 <= weight <= 100:
                problems.add(f"{key} {i}.weight", f"'{weight}' is not a weight in percent "
                                                  "from -100 to 100")
            else:
                part["weight"] = weight


def _copy_formats(raw: dict, out: dict, problems: _Problems, prefix: str,
                  keys: tuple[str, ...]) -> None:
    """Keep text-format fields that name a known format; report any other value."""
    for key in keys:
        value = raw.get(key)
        if value is None:
            continue
        if value not in TEXT_FORMATS:
            problems.add(f"{prefix}{key}", f"'{value}' is not one of {', '.join(TEXT_FORMATS)}")
        else:
            out[key] = value


def parse_set(data: Any, source: str, base: Path | None = None,
              articles: dict[str, Any] | None = None, *, draft: bool = False) -> dict:
    """Validate raw set data (as read from YAML) and return its set document.

    :param base: the folder that an `article:` path is relative to.
    :param articles: raw articles by path, when they are not on disk (an upload).
    :param draft: allow a set with no questions yet (a teacher's unpublished draft).
    """
    problems = _Problems(source)
    data = _mapping(data, "(top level)", problems) if data is not None else {}
    if not data:
        problems.add("(top level)", "the file is empty or not a question set")
        raise InvalidSetError(problems.items)
    slug = str(data.get("id", ""))
    if not _SLUG.match(slug) or len(slug) > 80:
        problems.add("id", f"'{slug}' must be lowercase letters, digits and dashes, e.g. "
                           "'who-says-so'")
    document = {
        "id": slug,
        "title": _text(data, "title", problems),
        "intro": _text(data, "intro", problems),
        "takeaways": [str(t).strip() for t in _items(data, "takeaways", problems)],
        "shuffle": data.get("shuffle", True),
        "published": data.get("published", True),
    }
    for flag in ("shuffle", "published"):
        if not isinstance(document[flag], bool):
            problems.add(flag, "must be true or false")
    document["article"] = _resolve_article(data.get("article"), base, articles, problems)
    texts = parse_texts(data.get("texts"), document["article"], problems)
    if texts:  # only then: an older set's document (and its content hash) stays as it was
        document["texts"] = texts
    n_sentences = len(document["article"]["sentences"])
    questions, seen = [], set()
    if isinstance(data.get("questions"), list) and len(data["questions"]) > MAX_QUESTIONS:
        problems.add("questions", f"has {len(data['questions']):,} questions; a set may have "
                                  f"at most {MAX_QUESTIONS}")
        raise InvalidSetError(problems.items)  # not worth checking each of them
    raw_questions = _items(data, "questions", problems, limit=MAX_QUESTIONS)
    if isinstance(data.get("questions"), list) and not raw_questions and not draft:
        problems.add("questions", "a set needs at least one question")
    for number, raw in enumerate(raw_questions, start=1):
        qid = raw.get("id") if isinstance(raw, dict) else None
        problems.where = f"question {number} ({qid}): " if qid else f"question {number}: "
        question = parse_question(raw, problems, n_sentences, document["shuffle"] is True)
        if question["id"] in seen:
            problems.add("id", f"'{question['id']}' is used by an earlier question")
        seen.add(question["id"])
        questions.append(question)
    problems.where = ""
    document["questions"] = questions
    if not problems.items and (size := len(json.dumps(document))) > MAX_SET_CHARS:
        problems.add("(top level)", f"the set takes {size:,} characters once stored; a set may "
                                    f"take at most {MAX_SET_CHARS:,}")
    if problems.items:
        raise InvalidSetError(problems.items)
    return document


def _resolve_article(value: Any, base: Path | None, articles: dict[str, Any] | None,
                     problems: _Problems) -> dict:
    if isinstance(value, str):
        if articles is not None and value in articles:
            value = articles[value]
        elif base is not None and _inside(base, base / value):
            try:
                value = safe_load((base / value).read_text(encoding="utf-8"), value)
            except OSError as exc:
                problems.add("article", f"cannot read '{value}': {exc}")
                value = {}
            except InvalidSetError as exc:
                problems.add("article", f"cannot read {'; '.join(exc.problems)}")
                value = {}
        else:
            problems.add("article", f"'{value}' is not an article file next to this set")
            value = {}
    elif value is None:
        problems.add("article", "is required: a path to an article file, or the article")
        value = {}
    return parse_article(value, problems)


def _inside(base: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return path.is_file()


def _yaml_reason(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


class _LongNumber:
    """A YAML integer too long to be a count, kept so the check can name its field."""

    def __init__(self, digits: int, line: int):
        self.digits, self.line = digits, line


class _Loader(_SafeLoader):
    """The safe loader; integers too long to be counts become `_LongNumber` markers."""


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # Python refuses to convert more than 4,300 digits (a ValueError, not a YAML error), and
    # nothing in a set is counted in more than a few digits.
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > MAX_NUMBER_DIGITS:
        return _LongNumber(digits, node.start_mark.line + 1)
    return loader.construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def safe_load(text: str, source: str) -> Any:
    """Read YAML with the safe loader (libyaml's when installed), within the size limits.

    Raise InvalidSetError naming the file and the field: for a file over MAX_SET_CHARS
    (checked before reading), more than MAX_YAML_VALUES values once aliases are expanded
    (an alias bomb), nesting deeper than MAX_YAML_DEPTH, or a number of more than
    MAX_NUMBER_DIGITS digits.
    """
    if len(text) > MAX_SET_CHARS:
        raise InvalidSetError([f"{source}: the file has {len(text):,} characters; a set file "
                               f"may have at most {MAX_SET_CHARS:,}"])
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 # nosec B506
    except yaml.YAMLError as exc:
        raise InvalidSetError([f"{source}: not valid YAML: {_yaml_reason(exc)}"]) from None
    except RecursionError:  # the pure-Python loader on deep nesting; libyaml stops at 1,000
        raise InvalidSetError([f"{source}: nested more than {MAX_YAML_DEPTH} levels "
                               "deep"]) from None
    _check_shape(data, source)
    return data


def _check_shape(data: Any, source: str) -> None:
    """Refuse YAML data that is too big once expanded, too deep, or holds huge numbers.

    Walks the data without recursion and stops at the first problem, so the walk itself
    costs at most MAX_YAML_VALUES steps, however many times aliases repeat a value.
    """
    stack: list[tuple[Any, tuple]] = [(data, ())]
    count = 0
    while stack:
        value, path = stack.pop()
        count += 1
        where = f"{source}: {_path(path)}: "
        if count > MAX_YAML_VALUES:
            raise InvalidSetError([f"{where}the file holds more than {MAX_YAML_VALUES:,} values "
                                   "(counting each use of a YAML alias); a set needs far fewer"])
        if len(path) > MAX_YAML_DEPTH:
            raise InvalidSetError([f"{where}nested more than {MAX_YAML_DEPTH} levels deep"])
        if isinstance(value, _LongNumber):
            raise InvalidSetError([f"{where}a number of {value.digits:,} digits (line "
                                   f"{value.line}); numbers here have at most "
                                   f"{MAX_NUMBER_DIGITS} digits (put text in quotes)"])
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, path + ("(key)",)) if isinstance(key, _LongNumber)
                             else (item, path + (key,)))
        elif isinstance(value, list):
            stack.extend((item, path + (i,)) for i, item in enumerate(value, start=1))


def _path(path: tuple) -> str:
    """Write a path into YAML data as a field name: questions[2].options[1].text."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{str(step)[:40]}"
    return text.lstrip(".") or "(top level)"


def load_text(text: str, source: str, base: Path | None = None) -> dict:
    """Parse the YAML text of one set file and return its set document."""
    return parse_set(safe_load(text, source), source, base)


def load_file(path: str | Path) -> dict:
    """Read and validate one set file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidSetError([f"{path}: cannot read the file: {exc}"]) from None
    return load_text(text, str(path), path.parent)


def set_files(path: str | Path) -> list[Path]:
    """List the set files at *path*: the file itself, or every *.yaml directly in a folder."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return [path]


def check(path: str | Path) -> tuple[list[dict], list[str]]:
    """Validate every set file at *path*; return the documents and all problems."""
    documents, problems = [], []
    for file in set_files(path):
        try:
            documents.append(load_file(file))
        except InvalidSetError as exc:
            problems.extend(exc.problems)
    ids = [d["id"] for d in documents]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{path}: id: '{dup}' is used by more than one file")
    return documents, problems


def content_hash(document: dict) -> str:
    """Return a stable fingerprint of a set document, to notice when a file changed."""
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def to_yaml(document: dict) -> str:
    """Write a set document back as a question-set file with its article inline."""
    article = {k: document["article"][k] for k in
               ("title", "outlet", "date", "date_note", "url", "notes") if
               document["article"].get(k) is not None}
    article["marks"] = {int(k): v for k, v in document["article"]["marks"].items()}
    article["text"] = document["article"]["text"]
    data = {k: document[k] for k in ("id", "title", "intro", "takeaways", "shuffle",
                                      "published")}
    data["article"] = article
    if document.get("texts"):
        data["texts"] = yaml.safe_load(texts_yaml(document["texts"]))
    data["questions"] = [_export_question(q, document["shuffle"]) for q in document["questions"]]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)


def texts_yaml(texts: list[dict]) -> str:
    """Write a set's texts as the YAML list a set file (and the set editor) holds them in."""
    if not texts:
        return ""
    data = [{k: t[k] for k in TEXT_FIELDS if t.get(k) is not None} for t in texts]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)


def _export_question(q: dict, set_shuffle: bool) -> dict:
    out = {k: v for k, v in copy.deepcopy(q).items() if v not in ([], None)}
    if out.get("shuffle") == set_shuffle:
        del out["shuffle"]
    if out.get("points") == 1:
        del out["points"]
    REGISTRY[q["type"]].export(q, out)
    return out


def slugify(text: str, fallback: str = "", limit: int = 60, keep: str = "") -> str:
    """Make an id from a title: accents folded to ASCII, lowercase, at most *limit* characters,
    every other run of characters (except those in *keep*) one dash; *fallback* if empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", ascii_text.lower()).strip("-" + keep)
    return slug[:limit].rstrip("-" + keep) or fallback
