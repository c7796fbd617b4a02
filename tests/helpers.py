"""Helpers the tests share: answers to the all-types set, and clients that act as a user."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, SoupStrainer

try:  # libyaml's loader parses the test sets ten times faster than the pure-Python one
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
ALL_TYPES = DATA / "all-types.yaml"


def load_yaml(text: str):
    """Parse YAML as the app's safe loader would, with libyaml where PyYAML has it."""
    return yaml.load(text, Loader=SafeLoader)


def soup(html: str) -> BeautifulSoup:
    """Parse a page as a browser would read it."""
    return BeautifulSoup(html, "html.parser")


def hidden(html: str, name: str) -> str:
    """Return the value of the hidden input called *name* in *html*."""
    fields = _hidden_fields(html)
    assert name in fields, f"no hidden field {name} in the page"
    return fields[name]


def inputs(html: str) -> tuple[dict, ...]:
    """Return the attributes of every input in *html*, in page order."""
    return tuple(dict(field.attrs) for field in _inputs(html))


def _hidden_fields(html: str) -> dict[str, str]:
    """Return the name and value of every hidden input in *html*, the first of each name."""
    fields: dict[str, str] = {}
    for field in _inputs(html):
        if field.get("type") == "hidden" and field.has_attr("name"):
            fields.setdefault(field["name"], field.get("value", ""))
    return fields


@lru_cache(maxsize=16)
def _inputs(html: str) -> tuple:
    """Parse only the inputs of *html*.

    Cached because tests read three hidden fields, and test_gaming the options too, from
    each quiz page they open: parsing the page once per field read was most of test_gaming's
    44 s (measured with cProfile). Callers copy or only read the tags, never change them.
    """
    strained = BeautifulSoup(html, "html.parser", parse_only=SoupStrainer("input"))
    return tuple(strained.find_all("input"))


class Student:
    """Drive the student pages the way a browser would.

    Answers are given with option ids (RIGHT, WRONG); `submit` sends them as the values the
    quiz page gave those options, as a browser would. A value the page never offered (a
    tampered one) is sent as it is.
    """

    def __init__(self, client):
        self.client = client
        self.pages: dict[str, str] = {}  # submit key -> the quiz page's HTML

    def start(self, slug: str = "all-types", name: str = "Ada"):
        page = self.client.get(f"/sets/{slug}").get_data(as_text=True)
        return self.client.post(f"/sets/{slug}", data={
            "csrf_token": hidden(page, "csrf_token"), "name": name})

    def open_quiz(self, slug: str = "all-types") -> tuple[str, dict]:
        """Open the quiz page; return its HTML and the hidden fields a browser would send."""
        response = self.client.get(f"/sets/{slug}/quiz")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        fields = {"csrf_token": hidden(html, "csrf_token"),
                  "submit_key": hidden(html, "submit_key"), "version": hidden(html, "version")}
        self.pages[fields["submit_key"]] = html
        return html, fields

    def page_values(self, answers: dict, submit_key: str) -> dict:
        """Return *answers* with option ids replaced by the values that page gave them."""
        from quiz import scoring

        html = self.pages.get(submit_key, "")
        offered: dict[str, set[str]] = {}
        for box in soup(html).select('input[type="radio"], input[type="checkbox"]'):
            offered.setdefault(box.get("name"), set()).add(box.get("value"))
        key = scoring.PageKey(self.client.application.config["SECRET_KEY"], submit_key)
        out = {}
        for name, value in answers.items():
            values = value if isinstance(value, list) else [value]
            mapped = [key.token(name[2:], v) if key.token(name[2:], v) in offered.get(name, ())
                      else v for v in values]
            out[name] = mapped if isinstance(value, list) else mapped[0]
        return out

    def submit(self, answers: dict, slug: str = "all-types", confirm: bool = True,
               fields: dict | None = None):
        if fields is None:
            _, fields = self.open_quiz(slug)
        data = dict(fields, **self.page_values(answers, fields.get("submit_key", "")))
        if confirm:
            data["confirm_blank"] = "y"
        return self.client.post(f"/sets/{slug}/quiz", data=data)


def option_checked(client, html: str, question_id: str, option_id: str) -> bool:
    """Say whether a quiz page shows an option (by its id) ticked."""
    from quiz import scoring

    key = scoring.PageKey(client.application.config["SECRET_KEY"], hidden(html, "submit_key"))
    box = soup(html).find("input", value=key.token(question_id, option_id))
    return box is not None and box.has_attr("checked")


# Answers to the all-types set, as form fields.
RIGHT = {
    "q-q-choice": "a",
    "q-q-multi": ["a", "b"],
    "q-q-classify-s1": "fact",
    "q-q-classify-s2": "claim",
    "q-q-evidence": ["4", "5"],
    "q-q-order-vote": "1",
    "q-q-order-mayor": "2",
    "q-q-order-paper": "3",
    "q-q-text": "  test   GAZETTE! ",
}
WRONG = {
    "q-q-choice": "b",
    "q-q-multi": ["c", "d"],
    "q-q-classify-s1": "claim",
    "q-q-classify-s2": "fact",
    "q-q-evidence": ["2"],
    "q-q-order-vote": "3",
    "q-q-order-mayor": "2",
    "q-q-order-paper": "1",
    "q-q-text": "AP",
}


AUTHORED_COMMON = {"explanation": "GENERAL explanation.", "difficulty": "easy",
                   "skill": "source", "points": "1"}
# One question of every type, as the teacher types it in the question form: field name ->
# value ("y" ticks a box; a select takes its option's value). Used by the authoring tests
# through the test client and by the browser test through Chromium.
AUTHORED_QUESTIONS = {
    "choice": {
        "prompt": "Who gives the cost of the work?", "evidence": "3",
        "options-0-text": "The mayor", "options-0-correct": "y",
        "options-0-explanation": "OPT-MAYOR names the source.",
        "options-1-text": "Jo Bloggs", "options-1-explanation": "OPT-JO talks about the town.",
    },
    "multi": {  # the browser test adds a third option with the form's "Add an option"
        "prompt": "Which words soften a claim?", "points": "2", "skill": "hedging",
        "options-0-text": "as many as", "options-0-correct": "y",
        "options-0-explanation": "MULTI-A an upper limit.",
        "options-1-text": "voted", "options-1-explanation": "MULTI-B a plain verb.",
    },
    "classify": {
        "prompt": "Sort each statement.", "skill": "fact-vs-claim",
        "statements-0-text": "The council voted 7 to 2.", "statements-0-label": "fact",
        "statements-0-explanation": "STMT-1 a public vote.", "statements-0-evidence": "2",
        "statements-1-text": "The work will cost 2 million pounds.",
        "statements-1-label": "claim", "statements-1-explanation": "STMT-2 the mayor said it.",
    },
    "evidence": {
        "prompt": "Select the sentence that shows who objects.",
        "answers-0-sentence": "4", "answers-0-explanation": "EV-4 residents oppose it.",
    },
    "order": {
        "prompt": "Put the steps in order.", "skill": "sourcing-chain",
        "items-0-text": "The council votes", "items-0-explanation": "ITEM-1 first.",
        "items-1-text": "The mayor speaks", "items-1-explanation": "ITEM-2 second.",
        "items-2-text": "The Gazette reports", "items-2-explanation": "ITEM-3 last.",
    },
    "text": {
        "prompt": "Which newspaper published this?",
        "answers-0-text": "Test Gazette", "answers-0-explanation": "TEXT-OK the outlet.",
    },
}

PASSWORD = "correct horse battery"


class TeacherClient:
    """A test client signed in as a teacher, with helpers that send forms with CSRF."""

    def __init__(self, client, username: str):
        self.client = client
        self.username = username

    def token(self, path: str = "/teacher/") -> str:
        return hidden(self.client.get(path).get_data(as_text=True), "csrf_token")

    def post(self, path: str, data: dict | None = None, form_page: str | None = None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(form_page or "/teacher/"))
        return self.client.post(path, data=data, **kw)

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)


def sign_in(client, username: str, password: str = PASSWORD):
    page = client.get("/teacher/login").get_data(as_text=True)
    return client.post("/teacher/login", data={"csrf_token": hidden(page, "csrf_token"),
                                               "username": username, "password": password})


def join_class(app, code: str, name: str) -> Student:
    """Join a class with its code and a name, in a new browser; return that student."""
    student = Student(app.test_client())
    page = student.client.get("/join").get_data(as_text=True)
    response = student.client.post("/join", data={
        "csrf_token": hidden(page, "csrf_token"), "code": code, "name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return student


def class_with_set(db, slug: str, name: str = "7B") -> dict:
    """Make a teacher's class with one set assigned; return the owner, class, set and code."""
    from quiz import queries, transactions

    with db:
        owner = queries.insert_teacher(db, "owner", "not-a-hash")
    class_id = transactions.create_class(db, owner, name)
    set_id = queries.set_by_slug(db, slug)["id"]
    transactions.assign_sets(db, class_id, [set_id])
    return {"owner": owner, "class_id": class_id, "set_id": set_id,
            "code": queries.class_by_id(db, class_id)["code"]}
