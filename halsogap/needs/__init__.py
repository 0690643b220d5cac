"""Needs analysis (behovsanalys): targets, health gaps, need ranking and Care Need Index.

The need is the health gap between the described health state of a population or need group
and the target elected officials set for it (``targets``, ``gaps``); ``optimal`` gives the
achievable state, ``ranking`` orders needs for priority setting, ``pipeline`` runs it all over
Kolada-shaped data, and ``cni``/``cni_reading`` compute SCB's Care Need Index.
"""

from halsogap.needs._common import NeedsInputError
from halsogap.needs.cni import (
    CNI_VARIABLES,
    CNI_WEIGHTS,
    SCB_EXAMPLE_NATIONAL_POINTS,
    CniError,
    care_need_index,
    eligible_units,
)
from halsogap.needs.cni_reading import CniFileError, read_cni_counts
from halsogap.needs.data import NeedsData, load_data
from halsogap.needs.gaps import gap_trend, health_gaps
from halsogap.needs.optimal import optimal_state
from halsogap.needs.pipeline import indicator_gaps, needs_analysis
from halsogap.needs.population import population_for_ages
from halsogap.needs.ranking import CRITERIA, DEFAULT_WEIGHTS, rank_needs, trend_score
from halsogap.needs.targets import Target, resolve_target, target_warning

__all__ = [
    "CNI_VARIABLES",
    "CNI_WEIGHTS",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "SCB_EXAMPLE_NATIONAL_POINTS",
    "CniError",
    "CniFileError",
    "NeedsData",
    "NeedsInputError",
    "Target",
    "care_need_index",
    "eligible_units",
    "gap_trend",
    "health_gaps",
    "indicator_gaps",
    "load_data",
    "needs_analysis",
    "optimal_state",
    "population_for_ages",
    "rank_needs",
    "read_cni_counts",
    "resolve_target",
    "target_warning",
    "trend_score",
]
