"""Flask-WTF forms. Every POST goes through one of these (CSRF included)."""

from __future__ import annotations

from flask_wtf import FlaskForm
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
from .questionsets import MAX_ARTICLE_CHARS

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


class QuizForm(FlaskForm):
    """The fixed part of a quiz page; the answers are read by `scoring.read_answers`."""

    # One random key per quiz page: a second submit of the same page finds the first attempt.
    submit_key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
    confirm_blank = BooleanField("Submit with unanswered questions")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


USERNAME_PATTERN = r"^[A-Za-z0-9._-]{2,40}$"
USERNAME = [DataRequired("Choose a username."), Length(min=2, max=40),
            Regexp(USERNAME_PATTERN, message="Use letters, digits, '.', '_' or '-'.")]
NEW_PASSWORD = [DataRequired("Choose a password."),
                Length(min=10, max=200, message="Use at least 10 characters.")]


class LoginForm(FlaskForm):
    """A teacher signs in."""

    username = StringField("Username", filters=[_strip], validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class NewTeacherForm(FlaskForm):
    """Create a teacher account (the first one through the setup link)."""

    username = StringField("Username", filters=[_strip], validators=USERNAME)
    password = PasswordField("Password", validators=NEW_PASSWORD,
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat the password",
                            validators=[EqualTo("password", "The two passwords differ.")])

    def validate_username(self, field) -> None:
        if queries.teacher_by_username(get_db(), field.data):
            raise ValidationError("That username is taken.")


class ChangePasswordForm(FlaskForm):
    """A teacher changes their own password."""

    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=NEW_PASSWORD,
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat the new password",
                            validators=[EqualTo("password", "The two passwords differ.")])


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions."""


class JoinForm(FlaskForm):
    """A student joins a class with its code and a name."""

    code = StringField("Class code", filters=[lambda v: "".join(v.split()).upper() if v else v],
                       validators=[DataRequired("Type the code your teacher gave you."),
                                   Length(max=12)])
    name = StartForm.name

    def validate_code(self, field) -> None:
        row = queries.class_by_code(get_db(), field.data)
        if row is None:
            raise ValidationError("No class has that code. Check it with your teacher.")
        if not row["is_open"]:
            raise ValidationError("That class is closed. Ask your teacher to open it.")
        self.klass = row


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


class ImportForm(FlaskForm):
    """Upload a question-set file: YAML as in questions/, or Moodle GIFT."""

    file = FileField("Question-set file (.yaml or .gift)", validators=[
        FileRequired("Choose a file."),
        FileAllowed(["yaml", "yml", "gift", "txt"], "Only .yaml, .yml, .gift or .txt files."),
    ])


def _lines(value: str | None) -> str | None:
    if not value:
        return value
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


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
                           message="Write e.g. 1: headline, 3: caption, 24: furniture")],
        description="Paragraph numbers that are not prose, e.g. 1: headline, 3: caption.")
