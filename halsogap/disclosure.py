"""Small-number suppression: the one rule every output path applies to health counts.

Counts below the disclosure threshold could identify individuals in small areas, so pages,
exports and the API all call :func:`suppress_counts` (or :func:`is_disclosable`) rather than
comparing numbers themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

DEFAULT_THRESHOLD = 5
SUPPRESSED_MARK = "..*"


def is_disclosable(count: float | int | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Return whether a count may be shown.

    Missing counts are disclosable (there is nothing to hide); zero is disclosable because
    SCB and Socialstyrelsen both publish zero cells; 1 to threshold−1 are not.

    >>> is_disclosable(3)
    False
    >>> is_disclosable(0), is_disclosable(5), is_disclosable(None)
    (True, True, True)
    """
    if count is None:
        return True
    return count == 0 or count >= threshold


def suppress_counts(
    frame: pl.DataFrame,
    columns: Iterable[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    flag_column: str = "suppressed",
    dependent_columns: Iterable[str] = (),
) -> pl.DataFrame:
    """Blank counts below ``threshold`` and mark the row as suppressed.

    ``dependent_columns`` are blanked too on a suppressed row: a rate or its confidence
    limits computed from a small numerator would let a reader recover the count.

    >>> df = pl.DataFrame({"numerator": [3, 12], "value": [1.5, 6.0]})
    >>> suppress_counts(df, ["numerator"], dependent_columns=["value"]).to_dicts()
    [{'numerator': None, 'value': None, 'suppressed': True}, {'numerator': 12, 'value': 6.0, 'suppressed': False}]
    """
    columns = [c for c in columns if c in frame.columns]
    hide = pl.lit(False)
    for column in columns:
        value = pl.col(column)
        hide = hide | (value.is_not_null() & (value > 0) & (value < threshold))
    previous = pl.col(flag_column) if flag_column in frame.columns else pl.lit(False)
    frame = frame.with_columns(hide.alias("__hide"))
    # A count can also be listed as dependent (a value that is itself a count); blank it once.
    blank = list(dict.fromkeys([*columns, *(c for c in dependent_columns if c in frame.columns)]))
    frame = frame.with_columns(
        [pl.when(pl.col("__hide")).then(None).otherwise(pl.col(c)).alias(c) for c in blank]
    )
    return frame.with_columns(
        (previous.fill_null(False) | pl.col("__hide")).alias(flag_column)
    ).drop("__hide")


#: The columns a suppressed observation loses: its value, count and every confidence limit.
HIDDEN_COLUMNS = ("value", "numerator", "lower", "upper")
#: Why a row is hidden, as the pages and exports say it.
REASON_SMALL = "färre än {threshold}"
REASON_PRODUCER = "undertryckt av producenten"
REASON_COMPLEMENT = "dold så att ett undertryckt värde inte kan räknas fram"
TOTAL_SEX = "T"
COMPONENT_SEXES = ("K", "M")


def implied_count(frame: pl.DataFrame, *, unit: str | None = None) -> pl.Expr:
    """The count a row discloses: its numerator, its value in a count unit, or rate × denominator.

    A rate shown with its denominator gives the count away (17,6 % of 17 people is 3), so the
    count is recovered the way a reader would, with the unit's scale (:func:`persons_scale`).
    ``unit`` is used where the frame has no ``unit`` column.

    >>> df = pl.DataFrame({"value": [17.6, 4.0, 6.2], "numerator": [None, None, 40.0],
    ...     "denominator": [17.0, None, 645.0], "unit": ["procent", "personer", "procent"]})
    >>> df.select(implied_count(df).round(1)).to_series().to_list()
    [3.0, 4.0, 40.0]
    """
    from halsogap.numbers import COUNT_UNITS, persons_scale

    unit_col = pl.col("unit") if "unit" in frame.columns else pl.lit(unit or "")
    lowered = unit_col.cast(pl.String).str.strip_chars().str.to_lowercase()
    numerator = pl.col("numerator") if "numerator" in frame.columns else pl.lit(None, pl.Float64)
    denominator = (
        pl.col("denominator") if "denominator" in frame.columns else pl.lit(None, pl.Float64)
    )
    units = frame["unit"].unique().to_list() if "unit" in frame.columns else [unit]
    scales = {u: persons_scale(u) for u in units if u is not None and persons_scale(u)}
    scale = lowered.replace_strict(
        {(u or "").strip().lower(): s for u, s in scales.items()}, default=None
    ).cast(pl.Float64)
    return (
        pl.when(numerator.is_not_null())
        .then(numerator)
        .when(lowered.is_in(list(COUNT_UNITS)))
        .then(pl.col("value"))
        .when(denominator.is_not_null() & scale.is_not_null())
        .then(pl.col("value") * denominator / scale)
        .otherwise(None)
        .cast(pl.Float64)
    )


def suppress_observations(
    frame: pl.DataFrame,
    *,
    unit: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Apply the disclosure rule to observations before anything shows them.

    The frame speaks the shared observation vocabulary (``area``, ``period``, ``sex``,
    ``age_band``, ``socioeconomic_group``, ``value``, ``numerator``, ``denominator``, the limits,
    ``suppressed``; optionally ``indicator``, ``unit`` per row and ``parent`` per area). A row is
    hidden — value, numerator and every limit blanked, ``suppressed`` true and
    ``suppressed_reason`` set — when

    * the producer flagged it suppressed;
    * the count it discloses (:func:`implied_count`) is between 1 and ``threshold`` − 1;
    * **complementary**: it is the smallest shown part of a whole in which exactly one cell is
      hidden, so that "total minus the other parts" cannot give the hidden cell away. The wholes
      are women + men = total (same area, period, age band and group), and, for counts, a
      region's kommuner = the region (rows whose ``parent`` is an area in the frame).

    The denominator stays: a population is not a count of people with the condition.

    >>> df = pl.DataFrame({"area": ["0115"] * 3, "period": ["2024"] * 3, "sex": ["T", "K", "M"],
    ...     "value": [12.0, 3.0, 9.0]})
    >>> out = suppress_observations(df, unit="personer")
    >>> out.select("sex", "value", "suppressed").rows()
    [('T', 12.0, False), ('K', None, True), ('M', None, True)]
    """
    frame = _with_observation_columns(frame).with_row_index("__row")
    frame = frame.with_columns(implied_count(frame, unit=unit).alias("__count"))
    small = (
        pl.col("__count").is_not_null()
        & (pl.col("__count") > 0)
        & (pl.col("__count").round(0) < threshold)
    )
    frame = frame.with_columns(
        pl.when(pl.col("suppressed").fill_null(False))
        .then(pl.lit(REASON_PRODUCER))
        .when(small)
        .then(pl.lit(REASON_SMALL.format(threshold=threshold)))
        .otherwise(None)
        .alias("__reason")
    )
    # Hiding a cell can open a new difference elsewhere (a man hidden beside a woman makes the
    # kommun's total the only shown part of its region); a few rounds settle every case.
    for _ in range(8):
        before = frame["__reason"].null_count()
        frame = _complement_sexes(frame)
        if "parent" in frame.columns:
            frame = _complement_areas(frame)
        if frame["__reason"].null_count() == before:
            break
    hide = pl.col("__reason").is_not_null()
    limits = [c for c in frame.columns if c.startswith(("lower", "upper"))]
    blank = [c for c in ("value", "numerator", *limits) if c in frame.columns]
    return (
        frame.with_columns(
            *(pl.when(hide).then(None).otherwise(pl.col(c)).alias(c) for c in blank),
            hide.alias("suppressed"),
            pl.col("__reason").alias("suppressed_reason"),
        )
        .sort("__row")
        .drop("__row", "__count", "__reason")
    )


def _with_observation_columns(frame: pl.DataFrame) -> pl.DataFrame:
    defaults = {
        "sex": pl.lit(TOTAL_SEX),
        "age_band": pl.lit(""),
        "socioeconomic_group": pl.lit(""),
        "numerator": pl.lit(None, pl.Float64),
        "denominator": pl.lit(None, pl.Float64),
        "suppressed": pl.lit(False),
    }
    missing = [expr.alias(name) for name, expr in defaults.items() if name not in frame.columns]
    return frame.with_columns(missing) if missing else frame


def _key(frame: pl.DataFrame, *columns: str) -> list[str]:
    return [c for c in ("indicator", *columns) if c in frame.columns]


def _hide_smallest(frame: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """Hide, per group in ``candidates`` (``__group``, ``__row``, size), its smallest row."""
    if candidates.height == 0:
        return frame
    chosen = (
        candidates.sort("__size", "__row", nulls_last=True)
        .group_by("__group", maintain_order=True)
        .first()
        .select("__row")
    )
    rows = chosen["__row"].implode()
    return frame.with_columns(
        pl.when(pl.col("__row").is_in(rows) & pl.col("__reason").is_null())
        .then(pl.lit(REASON_COMPLEMENT))
        .otherwise(pl.col("__reason"))
        .alias("__reason")
    )


def _size() -> pl.Expr:
    return pl.coalesce(pl.col("__count"), pl.col("value").abs()).alias("__size")


def _complement_sexes(frame: pl.DataFrame) -> pl.DataFrame:
    key = _key(frame, "area", "period", "age_band", "socioeconomic_group")
    # Only wholes that hold a hidden cell can need a second one; they are few.
    touched = frame.filter(pl.col("__reason").is_not_null()).select(key).unique()
    if touched.height == 0:
        return frame
    cells = frame.filter(pl.col("sex").is_in([TOTAL_SEX, *COMPONENT_SEXES])).join(
        touched, on=key, how="semi"
    )
    groups = (
        cells.group_by(key)
        .agg(
            pl.col("sex").n_unique().alias("__kinds"),
            pl.col("__reason").is_not_null().sum().alias("__hidden"),
        )
        .filter((pl.col("__kinds") == 3) & (pl.col("__hidden") == 1))
        .with_row_index("__group")
    )
    candidates = (
        cells.join(groups.select(*key, "__group"), on=key)
        .filter(pl.col("sex").is_in(COMPONENT_SEXES) & pl.col("__reason").is_null())
        .select("__group", "__row", _size())
    )
    return _hide_smallest(frame, candidates)


def _complement_areas(frame: pl.DataFrame) -> pl.DataFrame:
    # Only counts add up over areas; a share of one kommun is not part of the region's share.
    key = _key(frame, "period", "sex", "age_band", "socioeconomic_group")
    hidden = frame.filter(pl.col("__reason").is_not_null() & pl.col("__count").is_not_null())
    if hidden.height == 0:
        return frame
    # The wholes a hidden count belongs to: its parent's, and its own when it is a total.
    touched = pl.concat(
        [
            hidden.select(*key, "parent").drop_nulls("parent"),
            hidden.select(*key, pl.col("area").alias("parent")),
        ]
    ).unique()
    counted = frame.filter(pl.col("__count").is_not_null())
    counted = pl.concat(
        [
            counted.join(touched, on=[*key, "parent"], how="semi"),
            counted.join(touched.rename({"parent": "area"}), on=[*key, "area"], how="semi"),
        ]
    ).unique("__row")
    totals = counted.select(*key, pl.col("area").alias("parent"), "__row", "__reason", _size())
    parts = counted.filter(pl.col("parent").is_not_null()).join(
        totals.select(*key, "parent"), on=[*key, "parent"], how="semi"
    )
    if parts.height == 0:
        return frame
    members = pl.concat(
        [
            parts.select(*key, "parent", "__row", "__reason", _size(), pl.lit(0).alias("__rank")),
            totals.join(
                parts.select(*key, "parent").unique(), on=[*key, "parent"], how="semi"
            ).with_columns(pl.lit(1).alias("__rank")),
        ],
        how="vertical_relaxed",
    )
    groups = (
        members.group_by(*key, "parent")
        .agg(pl.col("__reason").is_not_null().sum().alias("__hidden"))
        .filter(pl.col("__hidden") == 1)
        .with_row_index("__group")
    )
    # A kommun is hidden before its region: the region's own figure is the one readers need.
    candidates = (
        members.join(groups.select(*key, "parent", "__group"), on=[*key, "parent"])
        .filter(pl.col("__reason").is_null())
        .sort("__rank")
        .select(
            "__group",
            "__row",
            (pl.col("__rank") * 1e18 + pl.col("__size").fill_null(0)).alias("__size"),
        )
    )
    return _hide_smallest(frame, candidates)
