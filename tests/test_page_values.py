"""Option values: a keyed BLAKE2b per page, and a page shown before them still submits."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from werkzeug.datastructures import MultiDict

from quiz import questionsets, scoring
from tests.helpers import ALL_TYPES

DOC = questionsets.load_file(ALL_TYPES)
Q = {q["id"]: q for q in DOC["questions"]}


def legacy(secret: str, submit_key: str, question_id: str, option_id: str) -> str:
    """Return the value a page shown before this change gave an option (an HMAC each)."""
    message = f"{submit_key}:{question_id}:{option_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:10]


def test_each_option_of_a_page_has_its_own_ten_character_value():
    page = scoring.PageKey("secret", "k1")
    values = page.options(Q["q-multi"])
    assert sorted(values.values()) == sorted(o["id"] for o in Q["q-multi"]["options"])
    assert all(len(v) == 10 for v in values)
    assert legacy("secret", "k1", "q-multi", "a") not in values  # no longer the HMAC
    assert set(values).isdisjoint(scoring.PageKey("other secret", "k1").options(Q["q-multi"]))


def test_a_page_shown_before_the_update_still_sends_its_answers():
    page = scoring.PageKey("secret", "k1")
    sent = MultiDict([("q-q-choice", legacy("secret", "k1", "q-choice", "b")),
                      ("q-q-multi", legacy("secret", "k1", "q-multi", "a")),
                      ("q-q-multi", legacy("secret", "k1", "q-multi", "c"))])
    answers = scoring.read_answers(DOC, sent, page)
    assert answers["q-choice"] == "b" and answers["q-multi"] == ["a", "c"]


@pytest.mark.parametrize("value", [legacy("secret", "k2", "q-choice", "b"),
                                   scoring.PageKey("secret", "k2").token("q-choice", "b"),
                                   legacy("other", "k1", "q-choice", "b"), "b"])
def test_a_value_of_another_page_or_secret_is_refused_in_either_form(value):
    with pytest.raises(scoring.TamperedResponse) as caught:
        scoring.read_answers(DOC, MultiDict([("q-q-choice", value)]),
                             scoring.PageKey("secret", "k1"))
    assert caught.value.questions == ("q-choice",)


def test_one_option_sent_under_both_its_values_is_refused_as_a_repeat():
    # The old value and the new one name the same option: the answer must not hold it twice.
    page = scoring.PageKey("secret", "k1")
    sent = MultiDict([("q-q-multi", page.token("q-multi", "a")),
                      ("q-q-multi", legacy("secret", "k1", "q-multi", "a"))])
    with pytest.raises(scoring.TamperedResponse) as caught:
        scoring.read_answers(DOC, sent, page)
    assert caught.value.questions == ("q-multi",)
