"""Flask-WTF forms. Every POST goes through one of these (CSRF included)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Regexp


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
