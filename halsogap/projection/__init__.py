"""Consequences before the decision: each need's indicator projected under an allocation.

See :mod:`halsogap.projection.model` for the method, :mod:`.ranges` for the uncertain
parameters and :mod:`.population` for how a group's population is moved forward.
"""

from halsogap.projection.model import (
    ABSOLUTE,
    RELATIVE,
    Band,
    MeasureEffect,
    NeedBaseline,
    NeedProjection,
    project_need,
    project_needs,
)
from halsogap.projection.population import population_forward, read_national_projection
from halsogap.projection.ranges import ProjectionInputError, Range

__all__ = [
    "ABSOLUTE",
    "RELATIVE",
    "Band",
    "MeasureEffect",
    "NeedBaseline",
    "NeedProjection",
    "ProjectionInputError",
    "Range",
    "population_forward",
    "project_need",
    "project_needs",
    "read_national_projection",
]
