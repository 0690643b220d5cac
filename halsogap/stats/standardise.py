"""Age standardisation: directly standardised rates (Dobson) and indirect ratios and rates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from halsogap.stats._bands import (
    band_index,
    band_lookup,
    check_band_count,
    check_rows,
    completeness_aggregations,
    normalise_band,
    verify_complete,
)
from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    Reason,
    StatsInputError,
    as_list,
    check_multiplier,
    confidence_levels,
    ensure_frame,
    numeric_columns,
    reasons,
    require_columns,
    result_frame,
)
from halsogap.stats.intervals import byar_limits, poisson_limits
from halsogap.stats.standards import load_standard

#: A DSR is not published below this many events (PHE and Fingertips rule).
DSR_MIN_EVENTS = 10


def _standard_from_frame(
    standard: pl.DataFrame, age_band: str, population: str, function: str
) -> pl.DataFrame:
    require_columns(standard, [age_band, population], f"{function} (standard population)")
    standard = numeric_columns(standard, [population], [], f"{function} (standard population)")
    weights = standard[population]
    if weights.is_null().any() or (weights <= 0).any():
        row = int((weights.is_null() | (weights <= 0)).arg_true()[0])
        raise StatsInputError(
            f"{function}: standard population must be above zero for every band (row {row + 1})"
        )
    return standard.select(
        pl.col(age_band).cast(pl.String).alias("age_band"), pl.col(population).alias("population")
    )


def _standard_from_column(
    frame: pl.DataFrame, age_band: str, column: str, keys: Sequence[str], function: str
) -> pl.DataFrame:
    """Build the standard from a per-row column, insisting on one weight per age band."""
    pairs = frame.select(pl.col(age_band).cast(pl.String), pl.col(column)).unique(
        maintain_order=True
    )
    if pairs[column].is_null().any():
        row = int(frame[column].is_null().arg_true()[0])
        raise StatsInputError(
            f"{function}: standard population {column!r} missing in row {row + 1}"
        )
    seen: dict[str, float] = {}
    for label, weight in pairs.iter_rows():
        key = normalise_band(label)
        if key in seen and seen[key] != weight:
            raise StatsInputError(
                f"{function}: age band {label!r} has two different standard populations "
                f"({seen[key]:g} and {weight:g}) in column {column!r}"
            )
        seen[key] = weight
    first = pairs.unique(subset=age_band, maintain_order=True)
    return _standard_from_frame(first, age_band, column, function)


def dsr(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    count: str = "count",
    population: str = "population",
    age_band: str = "age_band",
    standard: str | pl.DataFrame = "esp2013",
    standard_column: str | None = None,
    event_frequency: str | None = None,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> pl.DataFrame:
    """Directly standardised rate per ``multiplier`` with Dobson limits (Byar on the count).

    ``standard`` names a bundled standard ("esp2013", "sweden2022") or is a DataFrame with
    ``age_band`` and ``population``; ``standard_column`` takes it from a column of ``data``
    instead. Every group needs each band of the standard once; missing counts count as 0. No
    value is given below 10 events. With ``event_frequency`` each row counts the people who had
    that many events, and the limits are widened for the non-independence of repeated events.

    >>> bands = load_standard("esp2013")["age_band"]
    >>> df = pl.DataFrame({"age_band": bands, "count": [30] * 19, "population": [5000] * 19})
    >>> dsr(df).select(pl.col("value", "lower_95").round(2), "total_count").row(0)
    (600.0, 549.13, 570)
    """
    function = "dsr"
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier, function)
    frame = ensure_frame(data, function)
    keys = as_list(by)
    extra = [c for c in (standard_column, event_frequency) if c]
    require_columns(frame, [*keys, count, population, age_band, *extra], function)
    frame = numeric_columns(frame, [count, population, *extra], keys, function)
    if standard_column:
        std = _standard_from_column(frame, age_band, standard_column, keys, function)
    elif isinstance(standard, str):
        std = load_standard(standard)
    else:
        std = _standard_from_frame(
            ensure_frame(standard, function), "age_band", "population", function
        )
    labels = std["age_band"].to_list()
    weights = std["population"].to_numpy().astype(float)
    lookup = band_lookup(labels, function, "the standard population")
    check_band_count(labels, function)

    checks = [
        (pl.col(count) < 0, f"{function}: negative {count!r}"),
        (pl.col(population).is_null(), f"{function}: missing {population!r}"),
        (pl.col(population) <= 0, f"{function}: {population!r} must be above zero"),
    ]
    if event_frequency:
        f = pl.col(event_frequency)
        checks += [
            (f.is_null(), f"{function}: missing {event_frequency!r}"),
            (
                (f < 1) | (f.round(0) != f),
                f"{function}: {event_frequency!r} must be a whole number ≥ 1",
            ),
        ]
    check_rows(frame, keys, checks)
    index = band_index(frame, age_band, lookup, keys, function)
    frame = frame.with_columns(index, pl.Series("__w", weights[index.to_numpy()]))

    x = pl.col(count).fill_null(0)
    n = pl.col(population)
    if event_frequency:
        frame = _collapse_frequencies(frame, keys, count, population, event_frequency, function)
        method = "Dobson, adjusted for non-independent events"
        variance_count = pl.col("__x2")
    else:
        method = "Dobson"
        variance_count = x

    ratio = pl.col("__w") / n
    aggregations = [
        x.sum().alias("total_count"),
        n.sum().alias("total_pop"),
        (x * ratio).sum().alias("__s1"),
        (variance_count * ratio * ratio).sum().alias("__s2"),
        *completeness_aggregations(),
    ]
    if keys:
        summary = frame.group_by(keys, maintain_order=True).agg(aggregations)
    else:
        summary = frame.select(aggregations)
    summary = verify_complete(summary, frame, keys, labels, function)
    total_weight = weights.sum()
    observed = summary["total_count"].to_numpy().astype(float)
    s1 = summary["__s1"].to_numpy()
    s2 = summary["__s2"].to_numpy()
    too_few = observed < DSR_MIN_EVENTS
    value = np.where(too_few, np.nan, s1 / total_weight * multiplier)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(s2 / total_weight**2 / observed) * multiplier
    limits = {}
    for level in levels:
        lower, upper = byar_limits(observed, level)
        limits[level] = (
            np.where(too_few, np.nan, value + scale * (lower - observed)),
            np.where(too_few, np.nan, value + scale * (upper - observed)),
        )
    summary = summary.drop("__s1", "__s2")
    reason = reasons((too_few, Reason.TOO_FEW_EVENTS_DSR), size=summary.height)
    return result_frame(summary, value, limits, method, reason)


def _collapse_frequencies(
    frame: pl.DataFrame,
    keys: Sequence[str],
    count: str,
    population: str,
    frequency: str,
    function: str,
) -> pl.DataFrame:
    """Turn rows of (people with f events) into one row per age band with events and f²·people.

    The Dobson variance of a sum of repeated events is Σ f²·people·(w/n)², so carrying f²·people
    alongside the event count lets the ordinary aggregation finish the job.
    """
    group = [*keys, "__k"]
    duplicated = frame.select(pl.struct([*group, frequency]).is_duplicated())
    if duplicated.to_series().any():
        row = int(duplicated.to_series().arg_true()[0])
        raise StatsInputError(
            f"{function}: the same age band and {frequency!r} appear twice in "
            f"{_row_text(frame, keys, row)}"
        )
    people = pl.col(count).fill_null(0)
    f = pl.col(frequency)
    collapsed = frame.group_by(group, maintain_order=True).agg(
        (people * f).sum().alias(count),
        (people * f * f).sum().alias("__x2"),
        pl.col(population).first(),
        pl.col(population).n_unique().alias("__pops"),
        pl.col("__w").first(),
    )
    if (collapsed["__pops"] > 1).any():
        first = collapsed.filter(pl.col("__pops") > 1).row(0, named=True)
        where = ", ".join(f"{k}={first[k]!r}" for k in keys)
        raise StatsInputError(
            f"{function}: rows of one age band give different {population!r} values in group {where}"
        )
    return collapsed.drop("__pops")


def _row_text(frame: pl.DataFrame, keys: Sequence[str], row: int) -> str:
    from halsogap.stats._common import describe_row

    return describe_row(frame, row, keys)


def _indirect(
    data: pl.DataFrame,
    by: str | Sequence[str] | None,
    *,
    observed: str,
    population: str,
    age_band: str,
    reference: pl.DataFrame | None,
    reference_observed: str,
    reference_population: str,
    observed_totals: pl.DataFrame | None,
    function: str,
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """Observed and expected counts per group; returns (summary, observed, expected)."""
    frame = ensure_frame(data, function)
    keys = as_list(by)
    ref_columns = [reference_observed, reference_population]
    needed = [*keys, population, age_band]
    if observed_totals is None:
        needed.append(observed)
    if reference is None:
        needed += ref_columns
    require_columns(frame, needed, function)
    numeric = [population] + ([observed] if observed_totals is None else [])
    if reference is None:
        numeric += ref_columns
    frame = numeric_columns(frame, numeric, keys, function)
    if reference is None:
        # Reference columns in the data are used row by row, so groups may carry different
        # references (for example each region compared with its own sex-specific riket rates).
        check_rows(
            frame,
            keys,
            [
                (pl.col(reference_observed) < 0, f"{function}: negative {reference_observed!r}"),
                (
                    pl.col(reference_population).is_null() | (pl.col(reference_population) <= 0),
                    f"{function}: {reference_population!r} missing or not above zero",
                ),
            ],
        )
        labels = frame[age_band].cast(pl.String).unique(maintain_order=True).drop_nulls().to_list()
        lookup = {}
        for position, label in enumerate(labels):
            lookup.setdefault(normalise_band(label), position)
        # A missing reference count means no reference events, as in PHEindicatormethods.
        rate_expr = pl.col(reference_observed).fill_null(0) / pl.col(reference_population)
        ref_totals = [
            pl.col(reference_observed).sum().alias("__ref_obs"),
            pl.col(reference_population).sum().alias("__ref_pop"),
        ]
    else:
        ref = ensure_frame(reference, function)
        require_columns(ref, [age_band, *ref_columns], f"{function} (reference)")
        ref = numeric_columns(ref, ref_columns, [], f"{function} (reference)")
        for column, test, text in (
            (reference_observed, lambda s: s < 0, "negative"),
            (reference_population, lambda s: s.is_null() | (s <= 0), "missing or not above zero"),
        ):
            bad = test(ref[column])
            if bad.any():
                row = int(bad.arg_true()[0])
                raise StatsInputError(
                    f"{function}: reference {column!r} {text} in reference row {row + 1}"
                )
        labels = ref[age_band].cast(pl.String).to_list()
        lookup = band_lookup(labels, function, "the reference")
        ref_rate = (ref[reference_observed].fill_null(0) / ref[reference_population]).to_numpy()
        rate_expr = None
        ref_totals = [
            pl.lit(float(ref[reference_observed].sum())).alias("__ref_obs"),
            pl.lit(float(ref[reference_population].sum())).alias("__ref_pop"),
        ]

    checks = [(pl.col(population) < 0, f"{function}: negative {population!r}")]
    if observed_totals is None:
        checks.append((pl.col(observed) < 0, f"{function}: negative {observed!r}"))
    check_rows(frame, keys, checks)
    index = band_index(frame, age_band, lookup, keys, function)
    if rate_expr is None:
        frame = frame.with_columns(index, pl.Series("__rate", ref_rate[index.to_numpy()]))
    else:
        frame = frame.with_columns(index, rate_expr.alias("__rate"))
    check_band_count(labels, function)
    aggregations = [
        (pl.col("__rate") * pl.col(population).fill_null(0)).sum().alias("expected"),
        *ref_totals,
        *completeness_aggregations(),
    ]
    if observed_totals is None:
        aggregations.insert(0, pl.col(observed).fill_null(0).sum().alias("observed"))
    if keys:
        summary = frame.group_by(keys, maintain_order=True).agg(aggregations)
    else:
        summary = frame.select(aggregations)
    summary = verify_complete(summary, frame, keys, labels, function)
    if observed_totals is not None:
        summary = _join_totals(summary, observed_totals, keys, observed, function)
    summary = summary.select([*keys, "observed", "expected", "__ref_obs", "__ref_pop"])
    return (
        summary,
        summary["observed"].to_numpy().astype(float),
        summary["expected"].to_numpy().astype(float),
    )


def _join_totals(
    summary: pl.DataFrame, totals: pl.DataFrame, keys: Sequence[str], observed: str, function: str
) -> pl.DataFrame:
    """Attach observed totals given per group rather than per age band."""
    totals = ensure_frame(totals, function)
    require_columns(totals, [*keys, observed], f"{function} (observed totals)")
    totals = numeric_columns(totals, [observed], keys, f"{function} (observed totals)")
    if keys and totals.select(pl.struct(keys).is_duplicated()).to_series().any():
        raise StatsInputError(f"{function}: observed totals list a group twice")
    if (totals[observed] < 0).any():
        row = int((totals[observed] < 0).arg_true()[0])
        raise StatsInputError(f"{function}: negative observed total in totals row {row + 1}")
    if not keys:
        if totals.height != 1:
            raise StatsInputError(
                f"{function}: without groups, observed totals need exactly one row"
            )
        return summary.with_columns(pl.lit(totals[observed][0]).alias("observed"))
    joined = summary.join(
        totals.select([*keys, pl.col(observed).alias("observed")]), on=keys, how="left"
    )
    return joined


def _indirect_limits(
    observed: np.ndarray, expected: np.ndarray, scale: np.ndarray | float, levels: Sequence[float]
) -> tuple[np.ndarray, dict, np.ndarray, np.ndarray]:
    zero = ~(expected > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(zero, np.nan, observed / expected * scale)
    limits = {}
    exact = observed < 10
    for level in levels:
        lower, upper, _ = poisson_limits(observed, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            limits[level] = (
                np.where(zero, np.nan, lower / expected * scale),
                np.where(zero, np.nan, upper / expected * scale),
            )
    method = np.where(exact, "exact Poisson", "Byar").astype(object)
    missing = np.isnan(observed)
    reason = reasons((missing, Reason.MISSING_INPUT), (zero, Reason.ZERO_EXPECTED), size=len(value))
    return value, limits, method, reason


def smr(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    observed: str = "observed",
    population: str = "population",
    age_band: str = "age_band",
    reference: pl.DataFrame | None = None,
    reference_observed: str = "reference_observed",
    reference_population: str = "reference_population",
    observed_totals: pl.DataFrame | None = None,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    refvalue: float = 1,
) -> pl.DataFrame:
    """Indirectly standardised ratio (SMR) O/E × ``refvalue``; exact limits below 10 events.

    Expected counts apply the reference's age-specific rates (``reference`` joined on the age
    band, or reference columns in ``data``) to the group's population. ``observed_totals`` gives
    observed counts per group when they are not known per age band.

    >>> df = pl.DataFrame({"age_band": ["0-39", "40+"], "observed": [5, 25],
    ...                    "population": [1000, 2000]})
    >>> ref = pl.DataFrame({"age_band": ["0-39", "40+"], "reference_observed": [10, 100],
    ...                     "reference_population": [10000, 10000]})
    >>> smr(df, reference=ref, refvalue=100).select("observed", "expected", "value").row(0)
    (30, 21.0, 142.85714285714286)
    """
    levels = confidence_levels(confidence)
    refvalue = check_multiplier(refvalue, "smr", name="refvalue")
    summary, o, e = _indirect(
        data, by, observed=observed, population=population, age_band=age_band, reference=reference,
        reference_observed=reference_observed, reference_population=reference_population,
        observed_totals=observed_totals, function="smr",
    )  # fmt: skip
    value, limits, method, reason = _indirect_limits(o, e, refvalue, levels)
    return result_frame(summary.drop("__ref_obs", "__ref_pop"), value, limits, method, reason)


def isr(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    observed: str = "observed",
    population: str = "population",
    age_band: str = "age_band",
    reference: pl.DataFrame | None = None,
    reference_observed: str = "reference_observed",
    reference_population: str = "reference_population",
    observed_totals: pl.DataFrame | None = None,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> pl.DataFrame:
    """Indirectly standardised rate: SMR × the reference's crude rate per ``multiplier``.

    >>> df = pl.DataFrame({"age_band": ["0-39", "40+"], "observed": [5, 25],
    ...                    "population": [1000, 2000]})
    >>> ref = pl.DataFrame({"age_band": ["0-39", "40+"], "reference_observed": [10, 100],
    ...                     "reference_population": [10000, 10000]})
    >>> isr(df, reference=ref).select(pl.col("reference_rate", "value").round(2)).row(0)
    (550.0, 785.71)
    """
    levels = confidence_levels(confidence)
    function = "isr"
    multiplier = check_multiplier(multiplier, function)
    summary, o, e = _indirect(
        data, by, observed=observed, population=population, age_band=age_band, reference=reference,
        reference_observed=reference_observed, reference_population=reference_population,
        observed_totals=observed_totals, function=function,
    )  # fmt: skip
    reference_rate = (summary["__ref_obs"] / summary["__ref_pop"]).to_numpy() * multiplier
    value, limits, method, reason = _indirect_limits(o, e, reference_rate, levels)
    summary = summary.drop("__ref_obs", "__ref_pop").with_columns(
        pl.Series("reference_rate", reference_rate)
    )
    return result_frame(summary, value, limits, method, reason)
