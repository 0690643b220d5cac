"""A region's person-level extract, aggregated without keeping a person.

An extract (CSV or Parquet) has one row per person (or per person and year): an area code
(DeSO, RegSO, kommun or listing unit), sex, age in years or an age band, the year, and 0/1 or
count columns for conditions and events, optionally a survey weight. :func:`aggregate_microdata`
groups it into numerators and populations by area × year × sex × age band; nothing
person-level is loaded into Python, written to the database, or left on disk. Cells with a
count under the disclosure threshold are flagged. :func:`microdata_dsr` turns the aggregates
into directly standardised rates with :func:`halsogap.stats.dsr`.

The checks and sums are written once, as Ibis expressions (:mod:`.expressions`), and run on
DuckDB by default, streaming and out of core, or on Spark when :func:`aggregate_microdata` is
given a session (:mod:`.engines`).
"""

from .engines import aggregate_microdata, cni_from_listing, flag_small_counts, spark_session
from .expressions import cell_aggregates, listing_counts
from .results import microdata_dsr, microdata_observations
from .spec import MAX_ISSUES, MicrodataError, MicrodataSpec

__all__ = [
    "MAX_ISSUES",
    "MicrodataError",
    "MicrodataSpec",
    "aggregate_microdata",
    "cell_aggregates",
    "cni_from_listing",
    "flag_small_counts",
    "listing_counts",
    "microdata_dsr",
    "microdata_observations",
    "spark_session",
]
