"""What every request and form pays for, made cheaper without changing a byte of output."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from wtforms.widgets import core

from quiz.extensions import WTFORMS_HTML_PARAMS, html_params


@pytest.mark.parametrize("attributes", [
    {"name": "name", "id": "name", "type": "text", "value": "", "class_": "form-control",
     "maxlength": 60, "required": True, "disabled": False},
    {"value": 'Jo "the" <b>&', "data_x_y": "a'b", "aria_describedby": "n-hint"},
    {"value": Markup('already "safe" <i>'), "for_": "x", "class": "c"},
    {"checked": True, "value": 0, "data_n": None},
])
def test_our_html_params_writes_what_wtforms_writes(attributes):
    assert WTFORMS_HTML_PARAMS is not html_params
    assert html_params(**attributes) == WTFORMS_HTML_PARAMS(**attributes)
    assert isinstance(html_params(**attributes), Markup)


def test_start_page_fields_are_written_by_the_faster_function(client):
    html = client.get("/sets/all-types").get_data(as_text=True)
    assert core.Input.html_params is html_params
    assert 'maxlength="60"' in html and 'name="csrf_token" type="hidden"' in html



def test_session_serializer_is_built_once_per_secret_and_a_rotated_key_refuses_old_cookies(app):
    from quiz.extensions import SessionInterface

    interface = app.session_interface
    assert isinstance(interface, SessionInterface)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    from tests.helpers import Student

    client = app.test_client()
    Student(client).start()
    assert client.get("/sets/all-types/quiz").status_code == 200
    app.config["SECRET_KEY"] = "another-secret"  # a new key: a new serializer, old cookies void
    assert interface.get_signing_serializer(app) is not first
    response = client.get("/sets/all-types/quiz")
    assert response.status_code == 302  # no name any more: sent to the start page


def test_start_page_shows_the_sets_minutes_and_the_bootstrap_link(client):
    from flask import render_template_string

    from quiz import questionsets
    from quiz.presentation import minutes
    from tests.helpers import ALL_TYPES

    html = client.get("/sets/all-types").get_data(as_text=True)
    with client.application.test_request_context():
        css = render_template_string("{{ bootstrap.load_css() }}")
    assert f"about {minutes(questionsets.load_file(ALL_TYPES))} minutes" in html
    assert css in html
