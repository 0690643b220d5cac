"""Desired health state: political targets and how they resolve to a value per area.

In the needs model (Liss) the *desired* health state is set by elected officials; the health gap
is desired − current. A :class:`Target` is one of three kinds, as the issue lists them:

* ``absolute`` — a value in the indicator's unit ("daglig rökning högst 5 %");
* ``relative`` — a change in per cent **of the baseline value** (not percentage points) from a
  baseline period, to be reached by a target period ("−20 % från 2018 till 2030" turns a
  baseline of 10 % into a desired 8 %);
* ``best`` — "as good as the best N" regions or kommuner. The default rule is the **N-th best
  value** (``rule="nth"``): reaching it places an area among the best N, so the best N
  themselves have no gap, which is what "as good as the best N" means to a reader. The mean of
  the best N (``rule="mean"``) is offered as the stricter alternative; for N = 1 both agree.

Who set a target, when and why travel with it (``set_by``, ``set_on``, ``rationale``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from halsogap.needs._common import (
    NeedsInputError,
    area_name,
    as_list,
    ensure_frame,
    level_expr,
    normalise_polarity,
    require_columns,
)
from halsogap.numbers import format_number, format_value
from halsogap.polarity import HIGHER_BETTER, LOWER_BETTER, NO_POLARITY

KINDS = ("absolute", "relative", "best")
LEVELS = ("region", "kommun")
RULES = ("nth", "mean")

_KIND_ALIASES = {
    "absolute": "absolute",
    "abs": "absolute",
    "absolut": "absolute",
    "relative": "relative",
    "rel": "relative",
    "relativ": "relative",
    "best": "best",
    "bäst": "best",
    "bast": "best",
}


@dataclass(frozen=True)
class Target:
    """A desired health state for one indicator (and need group), with who set it and why.

    Build it with :meth:`absolute`, :meth:`relative`, :meth:`best` or :meth:`parse`; the fields
    that do not belong to the kind stay ``None``.

    >>> Target.relative(-20, baseline_period=2018, target_period=2030).describe()
    '−20 % från 2018 till 2030'
    >>> Target.parse("best:3:kommun").describe()
    'lika bra som den 3:e bästa kommunen'
    """

    kind: str
    value: float | None = None
    change_percent: float | None = None
    baseline_period: int | None = None
    target_period: int | None = None
    best_n: int | None = None
    level: str = "region"
    rule: str = "nth"
    set_by: str | None = None
    set_on: str | None = None
    rationale: str | None = None

    def __post_init__(self) -> None:
        # Validate here so an impossible target never reaches a decision document.
        if self.kind not in KINDS:
            raise NeedsInputError(f"target kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.kind == "absolute" and self.value is None:
            raise NeedsInputError("an absolute target needs a value")
        if self.kind == "relative":
            if self.change_percent is None or self.baseline_period is None:
                raise NeedsInputError("a relative target needs change_percent and baseline_period")
            if self.change_percent <= -100:
                raise NeedsInputError("a relative change of −100 % or less leaves nothing")
        if self.kind == "best":
            if self.best_n is None or self.best_n < 1:
                raise NeedsInputError("a best-N target needs best_n of at least 1")
            if self.level not in LEVELS:
                raise NeedsInputError(f"level {self.level!r} is not one of {', '.join(LEVELS)}")
            if self.rule not in RULES:
                raise NeedsInputError(f"rule {self.rule!r} is not one of {', '.join(RULES)}")

    @classmethod
    def absolute(cls, value: float, **provenance: str | None) -> Target:
        """A fixed value in the indicator's unit."""
        return cls("absolute", value=float(value), **provenance)

    @classmethod
    def relative(
        cls,
        change_percent: float,
        *,
        baseline_period: int,
        target_period: int | None = None,
        **provenance: str | None,
    ) -> Target:
        """A change in per cent of each area's baseline value (−20 means a fifth lower)."""
        return cls(
            "relative",
            change_percent=float(change_percent),
            baseline_period=int(baseline_period),
            target_period=None if target_period is None else int(target_period),
            **provenance,
        )

    @classmethod
    def best(
        cls, n: int = 1, *, level: str = "region", rule: str = "nth", **provenance: str | None
    ) -> Target:
        """As good as the best ``n`` regions or kommuner (N-th best value by default)."""
        return cls("best", best_n=int(n), level=level, rule=rule, **provenance)

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read a target rule as analysts type it on the command line.

        ``absolute:5`` · ``relative:-20:2018:2030`` (per cent, baseline, optional target period)
        · ``best:1`` · ``best:3:kommun`` · ``best:3:region:mean``. Swedish words (``absolut``,
        ``relativ``, ``bäst``) and a decimal comma are accepted.

        >>> Target.parse("relativ:-20:2018").change_percent
        -20.0
        """
        parts = [p.strip() for p in (text or "").split(":")]
        kind = _KIND_ALIASES.get(parts[0].lower()) if parts else None
        try:
            if kind == "absolute" and len(parts) == 2:
                return cls.absolute(_number(parts[1]))
            if kind == "relative" and len(parts) in (3, 4):
                return cls.relative(
                    _number(parts[1].rstrip("%")),
                    baseline_period=int(parts[2]),
                    target_period=int(parts[3]) if len(parts) == 4 else None,
                )
            if kind == "best" and 1 <= len(parts) <= 4:
                n = int(parts[1]) if len(parts) > 1 and parts[1] else 1
                level = parts[2].lower() if len(parts) > 2 else "region"
                rule = parts[3].lower() if len(parts) > 3 else "nth"
                return cls.best(n, level=level, rule=rule)
        except ValueError as error:
            if isinstance(error, NeedsInputError):
                raise
            raise NeedsInputError(f"målregeln {text!r} kunde inte läsas: {error}") from None
        raise NeedsInputError(
            f"okänd målregel {text!r}; skriv t.ex. absolute:5, relative:-20:2018:2030, "
            "best:1 eller best:3:kommun"
        )

    def describe(self, unit: str | None = None) -> str:
        """Swedish one-line description for tables and decision documents."""
        if self.kind == "absolute":
            return format_value(self.value, unit)
        if self.kind == "relative":
            sign = "+" if self.change_percent > 0 else ""
            change = f"{sign}{format_number(self.change_percent, _decimals(self.change_percent))} %"
            until = f" till {self.target_period}" if self.target_period else ""
            return f"{change} från {self.baseline_period}{until}"
        noun = "regionen" if self.level == "region" else "kommunen"
        plural = "regionerna" if self.level == "region" else "kommunerna"
        if self.best_n == 1:
            return f"lika bra som den bästa {noun}"
        if self.rule == "mean":
            return f"lika bra som medelvärdet av de {self.best_n} bästa {plural}"
        return f"lika bra som den {self.best_n}:e bästa {noun}"


def target_change(old: Target | None, new: Target, unit: str | None = None) -> str:
    """A change of target in Swedish words, as the version history shows it.

    >>> before = Target.best(1)
    >>> after = Target.absolute(4.0, set_by="Per Politiker", rationale="Halvera till 2030")
    >>> target_change(before, after, "procent")
    'Målet ändrades från ”lika bra som den bästa regionen” till ”4,0 %” av Per Politiker. Motivering: Halvera till 2030.'
    >>> target_change(None, before)
    'Målet sattes till ”lika bra som den bästa regionen”.'
    """
    who = f" av {new.set_by}" if new.set_by else ""
    why = f" Motivering: {new.rationale.rstrip('.')}." if new.rationale else ""
    if old is None:
        return f"Målet sattes till ”{new.describe(unit)}”{who}.{why}"
    if old.describe(unit) == new.describe(unit):
        return f"Målet behölls (”{new.describe(unit)}”){who}.{why}"
    return f"Målet ändrades från ”{old.describe(unit)}” till ”{new.describe(unit)}”{who}.{why}"


def _number(text: str) -> float:
    return float(text.replace(",", ".").replace("\u2212", "-"))


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() else 1


def _is_worse(desired: float, current: float, polarity: str) -> bool:
    if polarity == LOWER_BETTER:
        return desired > current
    if polarity == HIGHER_BETTER:
        return desired < current
    return False


def target_warning(
    target: Target,
    *,
    polarity: str,
    current: float | None = None,
    desired: float | None = None,
    unit: str | None = None,
) -> str | None:
    """Swedish warning when a target contradicts the indicator's polarity, else ``None``.

    Two contradictions are caught: a relative change in the worse direction (a rise when lower
    is better), and a desired value worse than the current one (pass ``current`` and
    ``desired``; for an absolute target ``desired`` defaults to its value).

    >>> target_warning(Target.absolute(12), polarity="lower_better", current=10, unit="procent")
    'Målet (12,0 %) är sämre än nuläget (10,0 %): för indikatorn är lägre värden bättre.'
    >>> target_warning(Target.relative(20, baseline_period=2018), polarity="lower_better")
    'Målet är en ökning med 20 % från 2018, men för indikatorn är lägre värden bättre.'
    >>> target_warning(Target.absolute(4), polarity="lower_better", current=10) is None
    True
    """
    polarity = normalise_polarity(polarity)
    if polarity == NO_POLARITY:
        return None
    better = "lägre" if polarity == LOWER_BETTER else "högre"
    messages = []
    if target.kind == "relative":
        change = target.change_percent
        wrong_way = change > 0 if polarity == LOWER_BETTER else change < 0
        if wrong_way:
            word = "en ökning" if change > 0 else "en minskning"
            amount = format_number(abs(change), _decimals(change))
            messages.append(
                f"Målet är {word} med {amount} % från {target.baseline_period}, "
                f"men för indikatorn är {better} värden bättre."
            )
    if desired is None and target.kind == "absolute":
        desired = target.value
    if desired is not None and current is not None and _is_worse(desired, current, polarity):
        messages.append(
            f"Målet ({format_value(desired, unit)}) är sämre än nuläget "
            f"({format_value(current, unit)}): för indikatorn är {better} värden bättre."
        )
    return " ".join(messages) or None


def best_of_pool(
    pool: pl.DataFrame, keys: Sequence[str], *, polarity: str, n: int, rule: str
) -> pl.DataFrame:
    """Per group of ``keys``: the N-th best (or mean of the best N) ``value`` and who holds it.

    Returns ``keys``, ``best_value``, ``best_areas`` (list of the area codes behind the value),
    ``pool_size``. Groups with fewer than ``n`` values get a null ``best_value``.
    """
    descending = polarity == HIGHER_BETTER
    ordered = pool.filter(pl.col("value").is_not_null()).sort(
        [*keys, "value", "area"], descending=[False] * len(keys) + [descending, False]
    )
    nth = pl.col("value").get(n - 1, null_on_oob=True)
    if rule == "mean":
        best = pl.col("value").head(n).mean()
        areas = pl.col("area").head(n)
    else:
        best = nth
        # Every area sharing the N-th best value holds it; ties are named, not hidden.
        areas = pl.col("area").filter(pl.col("value") == nth)
    enough = pl.len() >= n
    aggregations = [
        pl.when(enough).then(best).otherwise(None).alias("best_value"),
        pl.when(enough).then(areas.implode()).otherwise(None).alias("best_areas"),
        pl.len().cast(pl.UInt32).alias("pool_size"),
    ]
    if keys:
        return ordered.group_by(keys, maintain_order=True).agg(aggregations)
    return ordered.select(aggregations)


def resolve_target(
    target: Target,
    *,
    values: pl.DataFrame,
    polarity: str,
    period: str = "year",
    at: int | None = None,
    by: str | Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    among: Sequence[str] | None = None,
    unit: str | None = None,
    names: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """The desired value per area (and per group of ``by``, e.g. sex or need group).

    ``values`` holds ``area``, ``period`` and ``value`` (+ ``by``). ``at`` is the period the
    current values refer to (default: the latest period in ``values``); a best-N target is
    taken among the areas of the target's level at that period — all regions or all kommuner,
    or only the codes in ``among``. ``areas`` chooses the output rows (default: every area with
    a value at ``at`` or, for a relative target, at the baseline). Returns ``area``, ``by``…,
    ``current`` (at ``at``), ``desired``, ``target`` (Swedish description), ``target_kind``,
    ``reference`` (the baseline or the best areas), ``warning`` (from :func:`target_warning`)
    and ``reason`` when no desired value can be given.

    >>> values = pl.DataFrame({"area": ["01", "13", "24"], "year": [2022] * 3,
    ...     "value": [7.0, 5.1, 4.0]})
    >>> out = resolve_target(Target.best(2), values=values, polarity="lower_better")
    >>> out.select("area", "desired").rows()
    [('01', 5.1), ('13', 5.1), ('24', 5.1)]
    """
    function = "resolve_target"
    polarity = normalise_polarity(polarity)
    frame = ensure_frame(values, function)
    keys = as_list(by)
    require_columns(frame, ["area", period, "value", *keys], function)
    frame = frame.with_columns(pl.col("value").cast(pl.Float64).fill_nan(None))
    if at is None:
        at = frame[period].max()
    now = frame.filter(pl.col(period) == at).select("area", *keys, pl.col("value").alias("current"))
    if now.select(pl.struct("area", *keys).is_duplicated().any()).item():
        raise NeedsInputError(f"{function}: more than one value per area at {period} {at}")
    description = target.describe(unit)
    if areas is not None:
        # Asked-for areas without a current value still get their desired value: the target
        # does not depend on today's value, and the gap table shows the missing value itself.
        wanted = pl.DataFrame({"area": list(areas)}, schema={"area": pl.String})
        if keys:
            combos = frame.select(keys).unique(maintain_order=True)
            wanted = wanted.join(combos, how="cross")
        now = wanted.join(now, on=["area", *keys], how="left", nulls_equal=True)

    if target.kind == "relative":
        base = frame.filter(pl.col(period) == target.baseline_period).select(
            "area", *keys, pl.col("value").alias("__base")
        )
        rows = now.join(base, on=["area", *keys], how="full", coalesce=True, nulls_equal=True)
        factor = 1 + target.change_percent / 100
        rows = rows.with_columns(
            (pl.col("__base") * factor).alias("desired"),
            pl.format(
                "basår {}: {}",
                pl.lit(target.baseline_period),
                pl.col("__base").map_elements(lambda v: format_value(v, unit), pl.String),
            ).alias("reference"),
            pl.when(pl.col("__base").is_null())
            .then(pl.lit(f"inget värde för basåret {target.baseline_period}"))
            .alias("reason"),
        ).drop("__base")
    elif target.kind == "absolute":
        rows = now.with_columns(
            pl.lit(target.value, pl.Float64).alias("desired"),
            pl.lit(None, pl.String).alias("reference"),
            pl.lit(None, pl.String).alias("reason"),
        )
    else:
        if polarity == NO_POLARITY:
            raise NeedsInputError(
                f"{function}: 'lika bra som de bästa' kräver att indikatorn har en polaritet"
            )
        pool = frame.filter(pl.col(period) == at, level_expr("area") == target.level)
        if among is not None:
            pool = pool.filter(pl.col("area").is_in(list(among)))
        best = best_of_pool(pool, keys, polarity=polarity, n=target.best_n, rule=target.rule)
        best = best.with_columns(
            pl.col("best_areas")
            .map_elements(lambda codes: _names(codes, names), pl.String)
            .alias("reference"),
            pl.when(pl.col("best_value").is_null())
            .then(
                pl.format(
                    "färre än {} områden med värde att jämföra med ({} st)",
                    pl.lit(target.best_n),
                    pl.col("pool_size"),
                )
            )
            .alias("reason"),
        ).select(*keys, pl.col("best_value").alias("desired"), "reference", "reason")
        rows = (
            now.join(best, on=keys, how="left", nulls_equal=True)
            if keys
            else now.join(best, how="cross")
        )
    if areas is not None:
        rows = now.select("area", *keys).join(
            rows, on=["area", *keys], how="left", nulls_equal=True, maintain_order="left"
        )
    rows = rows.with_columns(
        pl.lit(description).alias("target"), pl.lit(target.kind).alias("target_kind")
    )
    warnings = [
        target_warning(target, polarity=polarity, current=c, desired=d, unit=unit)
        for c, d in zip(rows["current"].to_list(), rows["desired"].to_list(), strict=True)
    ]
    rows = rows.with_columns(pl.Series("warning", warnings, dtype=pl.String))
    return rows.select(
        "area",
        *keys,
        "current",
        "desired",
        "target",
        "target_kind",
        "reference",
        "warning",
        "reason",
    ).sort(["area", *keys], maintain_order=True)


def _names(codes: Sequence[str] | None, names: Mapping[str, str] | None) -> str | None:
    if codes is None:
        return None
    return ", ".join(area_name(code, names) for code in codes)
