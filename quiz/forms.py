"""Flask-WTF forms. Every POST goes through one of these (CSRF included)."""

from __future__ import annotations

import re

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from . import queries
from .db import get_db
from .questionsets import MAX_ARTICLE_CHARS, MAX_SET_CHARS, InvalidSetError, safe_load
from .sentences import paragraphs

ARTICLE_TOO_LONG = (f"An article can have at most {MAX_ARTICLE_CHARS:,} characters: leave out "
                    "what students need not read.")


class StartForm(FlaskForm):
    """A student gives a name to start a quiz."""

    name = StringField(
        "Your name",
        filters=[lambda v: " ".join(v.split()) if v else v],
        validators=[DataRequired("Type your name to start."),
                    Length(max=60, message="Keep your name to 60 characters or fewer.")],
        description="Your teacher sees this name next to your score. A first name is enough.",
    )


SUBMIT_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class QuizForm(FlaskForm):
    """The fixed part of a quiz page; the answers are read by `scoring.read_answers`.

    A submit that is stored never builds this form (`passes`, `confirms_blank`): building it
    signs a new CSRF token and runs every field, which only a page shown again needs.
    """

    # One random key per quiz page: a second submit of the same page finds the first attempt.
    submit_key = HiddenField(validators=[DataRequired(), Regexp(SUBMIT_KEY)])
    # The set version the page shows, signed with the page key (scoring.PageKey).
    version = HiddenField()
    confirm_blank = BooleanField("Submit with unanswered questions")

    @staticmethod
    def passes(sent) -> bool:
        """Say whether sent form data passes every check `validate_on_submit` makes."""
        config = current_app.config
        if config.get("WTF_CSRF_ENABLED", True):  # as FlaskForm's own csrf switch
            try:  # the secret, time limit and field name FlaskForm uses, from the same config
                validate_csrf(sent.get(config.get("WTF_CSRF_FIELD_NAME", "csrf_token")))
            except ValidationError:
                return False
        return bool(SUBMIT_KEY.match(sent.get("submit_key") or ""))

    @staticmethod
    def confirms_blank(sent) -> bool:
        """Say whether sent form data ticks `confirm_blank`, as the BooleanField reads it."""
        values = sent.getlist("confirm_blank")
        return bool(values) and values[0] not in BooleanField.false_values


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


# Usernames and passwords: every rule lives here, for the forms and the create-teacher command.
USERNAME_MAX = 40
USERNAME_PATTERN = r"^[A-Za-z0-9._-]{2,40}$"
USERNAME_RULE = "2 to 40 letters, digits, '.', '_' or '-'"
PASSWORD_MIN, PASSWORD_MAX = 10, 200

# The most common passwords of 10 characters or more (and the words they are built on), from
# the published leaked-password top lists; a longer list belongs in a library.
COMMON_PASSWORDS = frozenset("""
password passw0rd p@ssword p@ssw0rd qwerty qwertyuiop qwerty123 qwertz azerty asdfghjkl
asdfasdf zxcvbnm iloveyou princess sunshine football baseball basketball superman batman
starwars dragon monkey letmein welcome welcome1 admin administrator trustno1 whatever
computer internet login master access changeme secret teacher teaching school student
sourcecheck abc123 abcd1234 aa123456 123qwe 1q2w3e4r 1q2w3e4r5t zaq12wsx 1qaz2wsx qazwsxedc
michael jennifer jordan23 charlie freedom shadow killer soccer hockey liverpool chelsea
arsenal fuckyou pokemon minecraft homework classroom
""".split())
# Rows of a keyboard and the alphabet: a password inside one of these, either way, is a walk.
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl",
              "zxcvbnm", "qwertzuiop", "azertyuiop", "1qaz2wsx3edc4rfv", "!@#$%^&*()")


def username_problem(username: str) -> str | None:
    """Return what is wrong with a username, or None."""
    if not re.fullmatch(USERNAME_PATTERN, username or ""):
        return f"Use {USERNAME_RULE}."
    return None


def password_problem(password: str, username: str | None = None) -> str | None:
    """Return what makes a password too weak, or None; the message tells the user what to do."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    folded = password.lower()
    core = folded.strip("0123456789!?.,;:_-+*#@$%&^()[]{}~ ")
    if folded in COMMON_PASSWORDS or core in COMMON_PASSWORDS:
        return "That password is one of the most common ones. Choose one nobody would guess."
    if len(set(folded)) < 4:
        return "That password uses too few different characters. Mix in more."
    if any(folded in seq or folded in seq[::-1] for seq in _SEQUENCES) or _is_run(folded):
        return "That password is a run of keys or letters. Choose one nobody would guess."
    if username and len(username) >= 2 and username.lower() in folded:
        return "Do not put your username in your password."
    return None


def _is_run(text: str) -> bool:
    """Say whether the characters go up or down by one all the way (e.g. 3456789:;<)."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def _username(form, field) -> None:
    problem = username_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _new_password(form, field) -> None:
    username = form.username.data if "username" in form else getattr(form, "owner", None)
    problem = password_problem(field.data or "", username)
    if problem:
        raise ValidationError(problem)


USERNAME = [DataRequired("Choose a username."), _username]
NEW_PASSWORD = [DataRequired("Choose a password."), _new_password]
PASSWORD_ADVICE = (f"At least {PASSWORD_MIN} characters; not a common password, a run of keys "
                   "or your username.")


class LoginForm(FlaskForm):
    """A teacher signs in."""

    # Checked before anything is looked up or stored: a 2 MB "username" stops here.
    username = StringField("Username", filters=[_strip],
                           validators=[DataRequired("Type your username."), _username])
    password = PasswordField("Password", validators=[DataRequired("Type your password."),
                                                     Length(max=PASSWORD_MAX)])


class NewTeacherForm(FlaskForm):
    """Create a teacher account (the first one through the setup link)."""

    username = StringField("Username", filters=[_strip], validators=USERNAME,
                           description=USERNAME_RULE[0].upper() + USERNAME_RULE[1:] + ".")
    password = PasswordField("Password", validators=NEW_PASSWORD, description=PASSWORD_ADVICE)
    confirm = PasswordField("Repeat the password",
                            validators=[EqualTo("password", "The two passwords differ.")])

    def validate_username(self, field) -> None:
        if queries.teacher_by_username(get_db(), field.data):
            raise ValidationError("That username is taken.")


class ChangePasswordForm(FlaskForm):
    """A teacher changes their own password; the view sets `owner` to their username."""

    owner: str | None = None
    current = PasswordField("Current password", validators=[DataRequired(),
                                                            Length(max=PASSWORD_MAX)])
    password = PasswordField("New password", validators=NEW_PASSWORD,
                             description=PASSWORD_ADVICE)
    confirm = PasswordField("Repeat the new password",
                            validators=[EqualTo("password", "The two passwords differ.")])


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions."""


def _code(value: str | None) -> str | None:
    return "".join(value.split()).upper() if value else value


class JoinForm(FlaskForm):
    """A student joins a class with its code and a name (and a rejoin code for a taken name)."""

    code = StringField("Class code", filters=[_code],
                       validators=[DataRequired("Type the code your teacher gave you."),
                                   Length(max=12)])
    name = StartForm.name
    rejoin = StringField(
        "Your rejoin code", filters=[_code], validators=[Optional(), Length(max=12)],
        description="The 6-character code shown on your class page when you first joined. "
                    "Your teacher can tell you it.")


class ClassForm(FlaskForm):
    """Create a class or change its settings."""

    name = StringField("Class name", filters=[_strip],
                       validators=[DataRequired("Give the class a name."), Length(max=80)])
    is_open = BooleanField("Open: students can join and submit", default=True)
    one_attempt = BooleanField("One attempt per student and set")
    hold_explanations = BooleanField(
        "Hold back the explanations", description="Students see their score; you release "
        "the explanations later by clearing this box.")


class AssignForm(FlaskForm):
    """Choose the sets a class works on; choices are set per request."""

    sets = SelectMultipleField("Question sets", coerce=int, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput())


class MergeForm(FlaskForm):
    """Merge one student's name into another's; choices are set per request."""

    source = SelectField("Merge this name", coerce=int)
    target = SelectField("into this name", coerce=int)

    def validate_target(self, field) -> None:
        if field.data == self.source.data:
            raise ValidationError("Choose two different names.")


class GainPairForm(FlaskForm):
    """Pair two of a class's sets as its pre-test and post-test; choices are set per request.

    0 stands for "no set": both 0 unpairs the class.
    """

    pre = SelectField("Pre-test (before teaching)", coerce=int)
    post = SelectField("Post-test (after teaching)", coerce=int)

    def validate_post(self, field) -> None:
        if (self.pre.data == 0) != (field.data == 0):
            raise ValidationError("Choose both a pre-test and a post-test, or neither.")
        if field.data and field.data == self.pre.data:
            raise ValidationError("Choose two different sets: a first attempt at one set "
                                  "cannot be both the pre-test and the post-test.")


class ImportForm(FlaskForm):
    """Upload a question-set file: YAML as in questions/, or Moodle GIFT."""

    file = FileField("Question-set file (.yaml, .gift or Moodle .xml)", validators=[
        FileRequired("Choose a file."),
        FileAllowed(["yaml", "yml", "gift", "xml", "txt"],
                    "Only .yaml, .yml, .gift, .xml or .txt files."),
    ])


def _lines(value: str | None) -> str | None:
    if not value:
        return value
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


MARK = re.compile(r"([0-9]{1,6})\s*:\s*(headline|caption|furniture)")


def read_marks(text: str | None) -> list[tuple[int, str]]:
    """Return the (paragraph, kind) marks typed in a marks field, in the order typed."""
    return [(int(n), kind) for n, kind in MARK.findall(text or "")]


def marks_fit_the_article(form, field) -> None:
    """Refuse a mark for a paragraph the article text does not have, or one marked twice."""
    if field.errors or not field.data:
        return
    count = len(paragraphs(form.text.data or ""))
    seen: dict[int, str] = {}
    for n, kind in read_marks(field.data):
        if not 1 <= n <= count:
            raise ValidationError(f"There is no paragraph {n} (the mark “{n}: {kind}”): the "
                                  f"article has {count} paragraph{'s' * (count != 1)}.")
        if n in seen:
            raise ValidationError(f"Paragraph {n} is marked twice (“{n}: {seen[n]}” and "
                                  f"“{n}: {kind}”): keep one.")
        seen[n] = kind


def read_texts(text: str | None) -> list | None:
    """Return the excerpts typed as YAML in a texts field (None when empty); raise
    InvalidSetError when the YAML cannot be read or is not a list."""
    if not (text or "").strip():
        return None
    data = safe_load(text.replace("\r\n", "\n"), "Other texts")
    if not isinstance(data, list):
        raise InvalidSetError(["Other texts: write a list, each text starting with “- id:”"])
    return data


def texts_are_yaml(form, field) -> None:
    """Refuse texts that are not a YAML list; the set's own check names each bad field."""
    try:
        read_texts(field.data)
    except InvalidSetError as exc:
        raise ValidationError(" ".join(exc.problems)) from None


class SetForm(FlaskForm):
    """A set's own fields and its article."""

    title = StringField("Title", filters=[_strip], validators=[DataRequired(), Length(max=120)])
    intro = TextAreaField("What to look for", filters=[_strip], validators=[DataRequired()],
                          description="2-4 sentences shown before students start.")
    takeaways = TextAreaField("Takeaways", filters=[_lines], validators=[DataRequired()],
                              description="One per line, shown with the results.")
    shuffle = BooleanField("Shuffle options for each student", default=True)
    article_title = StringField("Article headline", filters=[_strip],
                                validators=[DataRequired(), Length(max=300)])
    outlet = StringField("Outlet", filters=[_strip], validators=[DataRequired(), Length(max=120)],
                         description='Who published it. Write "unknown" if you do not know.')
    date = StringField("Date (YYYY-MM-DD, if known)", filters=[_strip], validators=[
        Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$", message="Write the date as YYYY-MM-DD.")])
    url = URLField("Address of the article (if known)", filters=[_strip],
                   validators=[Optional(), URL(message="Write a full address starting https://")])
    text = TextAreaField("Article text", validators=[
        DataRequired(), Length(max=MAX_ARTICLE_CHARS, message=ARTICLE_TOO_LONG)],
                         description="Paste the whole article. Leave a blank line between "
                                     "paragraphs; the sentences are numbered for you.")
    marks = StringField("Captions and page furniture", filters=[_strip], validators=[
        # One way to read each separator: "\s*,?\s*" split a run of spaces in many ways and
        # tried them all, for every mark, on a line that did not fit (exponential).
        Optional(), Regexp(r"^(?:\d{1,6}\s*:\s*(?:headline|caption|furniture)(?:\s*,\s*|\s+)?)*$",
                           message="Write e.g. 1: headline, 3: caption, 24: furniture"),
        marks_fit_the_article],
        description="Paragraph numbers that are not prose, e.g. 1: headline, 3: caption.")
    texts = TextAreaField("Other texts beside the article (optional)", validators=[
        Optional(), Length(max=MAX_SET_CHARS), texts_are_yaml],
        description="Short excerpts of earlier versions or of the public record, shown as "
                    "Text B, C, ... after the article, their sentences numbered after its "
                    "sentences. Write them in YAML as in questions/README.md: a list of "
                    "id, title, outlet, date (YYYY-MM-DD) or date_note, url and text.")


class SetEditForm(SetForm):
    """The set form of a set that has questions: removing cited sentences needs a yes."""

    drop_lost = BooleanField("Save, and remove the references listed above")
    lost_key = HiddenField()  # the references the teacher was shown (renumber.Renumbering.key)
