"""Question types: each type is one class in one module, and `REGISTRY` names them all.

Pure package: no Flask. A type owns everything that differs between types (see
`base.QuestionType`): checking its part of a set file and leaving defaults out when writing
one back, reading a quiz form, scoring, the student view, the key, the blank answer,
explanation and key rows, summary rows for teachers, the editor's fields and the conversion
to and from their data, and what GIFT can hold. Everything else (`questionsets`, `scoring`,
`feedback`, `stats`, `question_forms`, `gift`, the views and templates) asks the registry.

Adding a seventh type, e.g. ``rank``:

1. Write ``quiz/questiontypes/rank.py``: a class ``Rank(QuestionType)`` with ``name =
   "rank"``, ``title`` and ``about`` (the editor's menu), ``blank`` (the answer of an
   untouched form), ``lists`` (its editor row lists), and the methods that differ from
   `QuestionType`'s defaults: at least ``parse``, ``read`` (if it sends more than one field,
   ``names``), ``score``, ``view``, ``key``, ``explain``, ``editor_fields`` and ``form_data``.
   ``menu`` places it in the editor's list. `REGISTRY` finds it: every module of this
   package but ``base`` and ``skills`` holds types.
2. Write ``templates/student/types/rank.html`` (its inputs on the quiz page; it gets ``q``
   from ``view``, ``name`` = ``q-<id>`` and ``given``, the answer to show back) and
   ``templates/teacher/types/rank.html`` (its editor fields; it gets ``form``).
3. Add a question of the type to the test fixtures (``tests/data/all-types.yaml``).

Nothing else changes: no other module or template names a type.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from .base import QuestionType, Result, Row, TamperedResponse, describe_answer, fold, is_blank
from .skills import SKILL_NAMES, SKILLS, skill_name
from .text import matching_answer


def _discover() -> dict[str, type[QuestionType]]:
    """Find the type classes of this package's modules, in the editor's menu order."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name in ("base", "skills") or module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        found += [value for value in vars(loaded).values()
                  if isinstance(value, type) and issubclass(value, QuestionType)
                  and value.__module__ == loaded.__name__ and value.name]
    return {kind.name: kind for kind in sorted(found, key=lambda kind: kind.menu)}


# {"choice": Choice, "multi": Multi, "classify": Classify, "evidence": Evidence, ...}
REGISTRY: dict[str, type[QuestionType]] = _discover()


def kind_of(question: dict[str, Any]) -> type[QuestionType]:
    """Return the type class of a question."""
    return REGISTRY[question["type"]]


__all__ = ["REGISTRY", "SKILLS", "SKILL_NAMES", "QuestionType", "Result", "Row",
           "TamperedResponse", "describe_answer", "fold", "is_blank", "kind_of",
           "matching_answer", "skill_name"]
