"""Priority setting (prioritering): measures, the ethical platform, horizontal ranking, allocation.

- ``catalogue``: the measure catalogue (Socialstyrelsen's guideline for unhealthy lifestyle
  habits as a starting point), with unknown guideline priorities reported, never guessed;
- ``ranking``: Prioriteringscentrum's 2017 model as a suggested rank 1–10/icke-göra/FoU with its
  reasoning, and (``dignity``) the human-dignity guard on criteria;
- ``horizontal``: needs ranked across need groups with weights politicians move, and the
  stability of each rank when the weights move;
- ``allocation`` and ``marginal``: the exact budget allocation (HiGHS via SciPy's ``milp``), the
  diagnosis of infeasible problems, marginal analysis and consequences.

Pure Python on Polars, NumPy and SciPy: no Django, so analysts can script it.
"""

from halsogap.priorities._common import PrioritiesInputError
from halsogap.priorities.allocation import Allocation, Conflict, allocate, prepare_options
from halsogap.priorities.catalogue import Catalogue, read_catalogue
from halsogap.priorities.dignity import (
    CriterionVerdict,
    HumanDignityError,
    check_criteria,
    ensure_criteria_allowed,
)
from halsogap.priorities.horizontal import Sensitivity, rank_horizontal, weight_sensitivity
from halsogap.priorities.marginal import Marginal, consequences, marginal_analysis, unmet_needs
from halsogap.priorities.ranking import (
    DEFAULT_PARAMS,
    PRESETS,
    VGR_PARAMS,
    RankParams,
    RankSuggestion,
    suggest_rank,
    suggest_ranks,
)

__all__ = [
    "DEFAULT_PARAMS",
    "PRESETS",
    "VGR_PARAMS",
    "Allocation",
    "Catalogue",
    "Conflict",
    "CriterionVerdict",
    "HumanDignityError",
    "Marginal",
    "PrioritiesInputError",
    "RankParams",
    "RankSuggestion",
    "Sensitivity",
    "allocate",
    "check_criteria",
    "consequences",
    "ensure_criteria_allowed",
    "marginal_analysis",
    "prepare_options",
    "rank_horizontal",
    "read_catalogue",
    "suggest_rank",
    "suggest_ranks",
    "unmet_needs",
    "weight_sensitivity",
]
