"""Needs ranking: a transparent weighted score over five criteria, for horizontal priorities.

Each row is a need (a health gap of a need group). The criteria and how each is put on 0–1:

==================  ==========================  =============================================
criterion           input column                normalised to 0–1
==================  ==========================  =============================================
``gap_persons``     ``gap_persons``             value ÷ the largest in the set (negatives → 0)
``relative_gap``    ``relative_gap``            value ÷ the largest in the set (negatives → 0)
``severity``        ``severity`` (1–4)          (severity − 1) ÷ 3, a fixed scale
``inequity``        ``inequity``                magnitude ÷ the largest magnitude in the set;
                                                the magnitude is \\|ln RII\\| for
                                                ``inequity_kind="rii"``, \\|SII\\| for ``"sii"``
``trend``           ``trend_score`` (−1…1)      (score + 1) ÷ 2, a fixed scale; +1 = widening
==================  ==========================  =============================================

Dividing by the largest value (not min–max) keeps zero meaning "no gap": the smallest need in a
list is not pushed to 0 just for being smallest, and a need at target scores 0 on size. Severity
and trend are on fixed scales because they are judgements, not measurements.

The default weights (:data:`DEFAULT_WEIGHTS`) follow the ethical platform's need–solidarity
principle: the size of the need (persons 0.30, relative gap 0.20) and its severity (0.25) weigh
most, inequity 0.15 (jämlik hälsa), trend 0.10. Weights are shown in the output and can be
changed; they are rescaled to sum to 1. A missing criterion is left out and the remaining
weights rescaled for that need (listed in ``missing_criteria``), so missing data neither
lowers nor raises a need silently. score = Σ contribution, each contribution =
weight × normalised value, so the page can show why a need ranks where it does.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from halsogap.needs._common import NeedsInputError, ensure_frame, require_columns

CRITERIA: dict[str, str] = {
    "gap_persons": "gap i personer",
    "relative_gap": "relativt gap",
    "severity": "svårighetsgrad",
    "inequity": "ojämlikhet",
    "trend": "trend",
}
COLUMNS = {
    "gap_persons": "gap_persons",
    "relative_gap": "relative_gap",
    "severity": "severity",
    "inequity": "inequity",
    "trend": "trend_score",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "gap_persons": 0.30,
    "relative_gap": 0.20,
    "severity": 0.25,
    "inequity": 0.15,
    "trend": 0.10,
}
INEQUITY_KINDS = ("score", "rii", "sii")


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    chosen = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(chosen) - set(CRITERIA))
    if unknown:
        raise NeedsInputError(
            f"rank_needs: unknown weight(s) {', '.join(unknown)}; use {', '.join(CRITERIA)}"
        )
    for name, value in chosen.items():
        if value is None or not np.isfinite(value) or value < 0:
            raise NeedsInputError(f"rank_needs: weight {name!r} must be a number ≥ 0")
    total = sum(chosen.values())
    if total <= 0:
        raise NeedsInputError("rank_needs: at least one weight must be above 0")
    return {name: chosen.get(name, 0.0) / total for name in CRITERIA}


def _by_max(values: np.ndarray) -> np.ndarray:
    clipped = np.clip(values, 0, None)
    top = np.nanmax(clipped) if np.isfinite(clipped).any() else np.nan
    if not top > 0:
        # Nobody has a gap on this criterion: everyone scores 0, the missing stay missing.
        return np.where(np.isnan(clipped), np.nan, 0.0)
    return clipped / top


def rank_needs(
    needs: pl.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    id_column: str = "need",
    inequity_kind: str = "score",
) -> pl.DataFrame:
    """Rank needs by a weighted sum of normalised criteria (see the module docstring).

    ``needs`` holds ``id_column`` and any of ``gap_persons``, ``relative_gap``, ``severity``
    (1–4), ``inequity`` and ``trend_score`` (−1 closing … +1 widening); absent columns count as
    missing for every need. Other columns are kept. Output, best first: ``rank`` (1 = highest
    priority; ties share the lower rank), ``score`` (0–1), and per criterion ``c`` the raw
    value, ``norm_<c>``, ``weight_<c>`` (the weight after rescaling, 0 if missing for that need)
    and ``contribution_<c>``; ``missing_criteria`` and ``main_criterion`` (the largest
    contribution, in Swedish).

    >>> needs = pl.DataFrame({"need": ["rökning", "fetma"], "gap_persons": [40_000, 10_000],
    ...     "relative_gap": [0.4, 0.1], "severity": [4, 2], "inequity": [0.3, 0.1],
    ...     "trend_score": [0, 1]})
    >>> out = rank_needs(needs)
    >>> out.select("need", "rank", pl.col("score").round(4), "main_criterion").rows()
    [('rökning', 1, 0.95, 'gap i personer'), ('fetma', 2, 0.3583, 'trend')]
    """
    function = "rank_needs"
    frame = ensure_frame(needs, function)
    require_columns(frame, [id_column], function)
    if inequity_kind not in INEQUITY_KINDS:
        raise NeedsInputError(f"{function}: inequity_kind must be one of {INEQUITY_KINDS}")
    if frame[id_column].is_duplicated().any():
        raise NeedsInputError(f"{function}: {id_column!r} has duplicates")
    weight = _weights(weights)
    height = frame.height

    def raw(name: str) -> np.ndarray:
        column = COLUMNS[name]
        if column not in frame.columns:
            return np.full(height, np.nan)
        series = frame[column]
        if not (series.dtype.is_numeric() or series.dtype == pl.Null):
            raise NeedsInputError(f"{function}: {column!r} must be numbers")
        return series.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)

    norm: dict[str, np.ndarray] = {}
    norm["gap_persons"] = _by_max(raw("gap_persons"))
    norm["relative_gap"] = _by_max(raw("relative_gap"))
    severity = raw("severity")
    bad = ~np.isnan(severity) & ~np.isin(severity, [1, 2, 3, 4])
    if bad.any():
        index = int(np.argmax(bad))
        raise NeedsInputError(
            f"{function}: severity must be 1, 2, 3 or 4 (need {frame[id_column][index]!r})"
        )
    norm["severity"] = (severity - 1) / 3
    inequity = raw("inequity")
    with np.errstate(divide="ignore", invalid="ignore"):
        if inequity_kind == "rii":
            if (inequity <= 0).any():
                raise NeedsInputError(f"{function}: an RII must be above 0")
            inequity = np.abs(np.log(inequity))
        elif inequity_kind == "sii":
            inequity = np.abs(inequity)
        elif (inequity < 0).any():
            raise NeedsInputError(f"{function}: an inequity score must be ≥ 0")
    norm["inequity"] = _by_max(inequity)
    trend = raw("trend")
    if (np.abs(trend) > 1).any():
        raise NeedsInputError(f"{function}: trend_score must be between −1 and 1")
    norm["trend"] = (trend + 1) / 2

    present = {name: ~np.isnan(values) for name, values in norm.items()}
    available = sum(np.where(present[name], weight[name], 0.0) for name in CRITERIA)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = {
            name: np.where(present[name] & (available > 0), weight[name] / available, 0.0)
            for name in CRITERIA
        }
    contribution = {name: effective[name] * np.nan_to_num(norm[name]) for name in CRITERIA}
    score = sum(contribution.values())
    score = np.where(available > 0, score, np.nan)
    labels = list(CRITERIA.values())
    stacked = np.vstack([contribution[name] for name in CRITERIA])
    # A need that scores nothing on every criterion has no main criterion.
    main = [
        labels[int(np.argmax(stacked[:, i]))]
        if available[i] > 0 and stacked[:, i].max() > 0
        else None
        for i in range(height)
    ]
    missing = [
        ", ".join(CRITERIA[n] for n in CRITERIA if not present[n][i]) or None for i in range(height)
    ]
    columns = [pl.Series("score", score, dtype=pl.Float64).fill_nan(None)]
    for name in CRITERIA:
        column = COLUMNS[name]
        if column not in frame.columns:
            columns.append(pl.Series(column, raw(name), dtype=pl.Float64).fill_nan(None))
        columns += [
            pl.Series(f"norm_{name}", norm[name], dtype=pl.Float64).fill_nan(None),
            pl.Series(f"weight_{name}", effective[name], dtype=pl.Float64),
            pl.Series(f"contribution_{name}", contribution[name], dtype=pl.Float64),
        ]
    columns += [
        pl.Series("missing_criteria", missing, dtype=pl.String),
        pl.Series("main_criterion", main, dtype=pl.String),
    ]
    out = frame.with_columns(columns).with_columns(
        pl.col("score").rank(method="min", descending=True).cast(pl.Int64).alias("rank")
    )
    order = ["rank", "score", *[c for c in out.columns if c not in ("rank", "score")]]
    return (
        out.select(order)
        .sort(["rank", id_column], nulls_last=True, maintain_order=True)
        .select(id_column, *[c for c in order if c != id_column])
    )


def trend_score(trend: pl.DataFrame) -> pl.DataFrame:
    """Trend criterion from :func:`~halsogap.needs.gaps.gap_trend`: +1 widening, −1 closing.

    "gapet ökar" → +1; "oförändrat" → 0; "gapet minskar" and "målet nått" → −1; too few
    points → null (missing, not neutral).

    >>> from halsogap.needs.gaps import gap_trend
    >>> hist = pl.DataFrame({"area": ["01"] * 3, "year": [2020, 2021, 2022],
    ...     "value": [6.0, 7.0, 8.0]})
    >>> trend_score(gap_trend(hist, desired=5.0, polarity="lower_better"))["trend_score"].item()
    1.0
    """
    from halsogap.needs.gaps import CLOSING, REACHED, UNCHANGED, WIDENING

    status = pl.col("status")
    return trend.with_columns(
        pl.when(status == WIDENING)
        .then(1.0)
        .when(status == UNCHANGED)
        .then(0.0)
        .when(status.is_in([CLOSING, REACHED]))
        .then(-1.0)
        .otherwise(None)
        .alias("trend_score")
    )
