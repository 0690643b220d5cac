"""Indicator statistics for Hälsogap: intervals, standardisation, benchmarking and trends.

All functions take and return Polars DataFrames and never import Django, so they can run in
batch jobs, notebooks and the web app alike. Results carry ``value``, ``lower_<level>`` and
``upper_<level>`` for each confidence level (95 % and 99.8 % by default), ``method`` and a
``reason`` whenever a value is not computed.
"""

from halsogap.stats._common import DEFAULT_CONFIDENCE, Reason, StatsInputError
from halsogap.stats.benchmark import compare
from halsogap.stats.crude import mean, proportion, rate
from halsogap.stats.display import for_display
from halsogap.stats.funnel import funnel_axis, funnel_limits, funnel_points, funnel_significance
from halsogap.stats.inequality import inequality
from halsogap.stats.life_table import life_expectancy
from halsogap.stats.quantiles import quantiles
from halsogap.stats.sii import rii, sii
from halsogap.stats.standardise import dsr, isr, smr
from halsogap.stats.standards import available_standards, load_standard
from halsogap.stats.trend import trend

__all__ = [
    "DEFAULT_CONFIDENCE",
    "Reason",
    "StatsInputError",
    "available_standards",
    "compare",
    "dsr",
    "for_display",
    "funnel_axis",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "inequality",
    "isr",
    "life_expectancy",
    "load_standard",
    "smr",
    "trend",
    "mean",
    "proportion",
    "quantiles",
    "rate",
    "rii",
    "sii",
]
