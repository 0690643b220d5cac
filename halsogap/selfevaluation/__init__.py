"""The HFS network's standards self-evaluation: definitions, scores and profiles.

A definition (standards → substandards → statements, each statement with a perspective and
whether it belongs to the short version) is read from a CSV file in the documented format of
``docs/standards-format.md``; scores run from 1 (not implemented) to 10 (fully implemented).
"""

from halsogap.selfevaluation.definition import (
    PERSPECTIVES,
    Definition,
    DefinitionError,
    Standard,
    Statement,
    parse_definition,
)
from halsogap.selfevaluation.profile import Profile, profile, profile_svg, weakest_statements

__all__ = [
    "PERSPECTIVES",
    "Definition",
    "DefinitionError",
    "Profile",
    "Standard",
    "Statement",
    "parse_definition",
    "profile",
    "profile_svg",
    "weakest_statements",
]
