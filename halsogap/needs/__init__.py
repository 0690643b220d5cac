"""Needs analysis (behovsanalys): the pure core behind issue 4.

Care Need Index (``cni``, ``cni_reading``); other modules of the package export their own names
here.
"""

from halsogap.needs.cni import (
    CNI_VARIABLES,
    CNI_WEIGHTS,
    SCB_EXAMPLE_NATIONAL_POINTS,
    CniError,
    care_need_index,
    eligible_units,
)
from halsogap.needs.cni_reading import CniFileError, read_cni_counts

__all__ = [
    "CNI_VARIABLES",
    "CNI_WEIGHTS",
    "SCB_EXAMPLE_NATIONAL_POINTS",
    "CniError",
    "CniFileError",
    "care_need_index",
    "eligible_units",
    "read_cni_counts",
]
