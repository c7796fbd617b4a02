"""The skills a question can practise, with the one name students and teachers both see."""

from __future__ import annotations

SKILL_NAMES = {
    "source": "Finding the source",
    "attribution": "Attribution",
    "fact-vs-claim": "Fact or claim",
    "hedging": "Hedges",
    "loaded-language": "Loaded language",
    "sourcing-chain": "Sourcing chain",
    "verification": "Checking claims",
}
SKILLS = tuple(SKILL_NAMES)


def skill_name(skill: str) -> str:
    """Return the name of a skill tag (the tag itself if it is unknown)."""
    return SKILL_NAMES.get(skill, skill)
