"""Care Need Index (CNI): SCB's socioeconomic care-need index per area or primary-care unit.

The method is SCB's operational one (``../shared/reference/governance-and-priorities.md`` §1):
seven register counts ("träffar", persons meeting each criterion among the unit's listed
population or the area's residents), each multiplied by a weight that Swedish GPs' workload
ratings gave, summed to an *Index*, divided by the population, and divided by the same figure
for the reference population (riket), so that riket = 1.00::

    index_u          = Σ_i w_i · count_i,u
    cni_per_invanare = index_u / population_u        # "CNI per listad invånare", riket ≈ 2.48
    cni_u            = cni_per_invanare_u / cni_per_invanare_riket

A person may meet several criteria, and every count is divided by the *total* population (not
by an age-specific one), exactly as SCB does. The weights below reproduce SCB's published
two-unit example (Index 22 709 → CNI 1,5513; Index 7 869 → CNI 1,3204); see the test
``tests/core/needs/test_cni.py``.

Column names are Swedish and identical to the CSV format in ``docs/cni-format.md``, so a file
read with :func:`halsogap.needs.cni_reading.read_cni_counts` goes straight in.

>>> import polars as pl
>>> counts = pl.DataFrame(
...     {
...         "enhet": ["Enhet 1", "Enhet 2"],
...         "befolkning": [5912, 2407],
...         "barn_under_5": [595, 293],
...         "utlandsfodda": [1391, 330],
...         "aldre_ensamboende": [484, 215],
...         "ensamstaende_foraldrar": [167, 80],
...         "inflyttade": [385, 240],
...         "arbetslosa": [981, 300],
...         "lagutbildade": [632, 210],
...     }
... )
>>> out = care_need_index(counts, reference=SCB_EXAMPLE_NATIONAL_POINTS)
>>> out.select("enhet", pl.col("cni_index").floor(), pl.col("cni").round(4)).rows()
[('Enhet 1', 22709.0, 1.5513), ('Enhet 2', 7869.0, 1.3204)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from halsogap.numbers import format_number
from halsogap.stats import StatsInputError


@dataclass(frozen=True, slots=True)
class CniVariable:
    """One of the seven CNI criteria: its column, SCB weight and Swedish description."""

    column: str
    weight: float
    label: str


#: SCB's seven variables and weights, in SCB's order. The weights are the only assignment of
#: the seven published numbers that reproduces both rows of SCB's worked example (the reference
#: tried all 5 040 permutations), so they are fixed here, not configurable.
CNI_VARIABLES: tuple[CniVariable, ...] = (
    CniVariable("barn_under_5", 3.23, "barn yngre än 5 år"),
    CniVariable(
        "utlandsfodda",
        5.72,
        "utlandsfödda i Östeuropa (utanför EU), Asien, Afrika eller Sydamerika",
    ),
    CniVariable("aldre_ensamboende", 6.15, "personer över 65 år som bor ensamma"),
    CniVariable(
        "ensamstaende_foraldrar", 4.19, "ensamstående föräldrar med barn 17 år eller yngre"
    ),
    CniVariable("inflyttade", 4.19, "personer 1 år eller äldre som flyttat in i området"),
    CniVariable("arbetslosa", 5.13, "arbetslösa eller i arbetsmarknadsåtgärd 16–64 år"),
    CniVariable("lagutbildade", 3.97, "lågutbildade 25–64 år"),
)

#: Column → weight, for callers that only need the numbers.
CNI_WEIGHTS: dict[str, float] = {v.column: v.weight for v in CNI_VARIABLES}

#: Index points per person for riket implied by SCB's worked example: (Index/population)/CNI
#: gives 2,4761 for both of its units. The example's year is not stated, so this is a stand-in
#: for demos and tests; real use should pass the national figure SCB delivers for the year.
SCB_EXAMPLE_NATIONAL_POINTS = 2.4761

#: Default relative CNI above which a unit qualifies for the supplementary assignment; see
#: :func:`eligible_units` for why 1,20.
DEFAULT_CNI_THRESHOLD = 1.20

#: Region Stockholm's rule: "fler än 5 000 listade patienter" (strictly more than).
DEFAULT_MIN_LISTED = 5000

# Problems listed in one error before the message is cut; the rest are counted.
_MAX_PROBLEMS = 20


class CniError(StatsInputError):
    """CNI input that cannot be used. A ``ValueError`` (via ``StatsInputError``).

    ``problems`` holds every problem found as a Swedish sentence naming the unit and the row,
    so a caller can list them all; ``str(error)`` shows them one per line.

    >>> err = CniError(['enhet "A" (rad 1): "arbetslosa" är negativt (-3)'])
    >>> isinstance(err, ValueError), err.problems
    (True, ('enhet "A" (rad 1): "arbetslosa" är negativt (-3)',))
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        shown = list(self.problems[:_MAX_PROBLEMS])
        if len(self.problems) > _MAX_PROBLEMS:
            shown.append(f"… och {len(self.problems) - _MAX_PROBLEMS} fel till")
        super().__init__("\n".join(shown))


def care_need_index(
    counts: pl.DataFrame,
    *,
    unit: str = "enhet",
    population: str = "befolkning",
    reference: float | str | None = None,
) -> pl.DataFrame:
    """Compute SCB's CNI per row (area or primary-care unit) from the seven counts.

    ``counts`` has one row per unit with the identifier column ``unit`` (default ``enhet``),
    the population or listed patients ``population`` (default ``befolkning``) and the seven
    count columns of :data:`CNI_VARIABLES`; any other columns (``namn``, ``kommun`` …) are
    kept as they are. Row order is kept.

    ``reference`` says what CNI = 1,00 means:

    * a number: index points per person of riket (or another reference) as SCB delivers it
      for the year, e.g. :data:`SCB_EXAMPLE_NATIONAL_POINTS`;
    * a string: the ``unit`` value of a row in ``counts`` that holds the reference population
      (e.g. a row ``"00"`` for riket, or ``"01"`` for the region); that row gets CNI 1,00;
    * ``None`` (default): the rows of ``counts`` taken together (Σ index / Σ population), i.e.
      riket = 1,00 when the frame covers the whole country, otherwise "relative to these units".

    Added columns:

    * ``andel_<variable>`` for each of the seven: count / population (a share 0–1);
    * ``cni_index``: Σ weight × count, SCB's *Index*, unrounded (SCB's delivery shows it
      truncated, 22 709 for 22 709,42; its CNI is computed from the unrounded value);
    * ``cni_per_invanare``: ``cni_index`` / population;
    * ``cni``: ``cni_per_invanare`` / the reference, riket (or the reference) = 1,00;
    * ``cni_referens``: the reference points per person used, the same on every row.

    Raises :class:`CniError` (a ``ValueError``) naming the unit and row (1 = first row) for a
    missing column, a missing, negative or non-numeric count, a count above the population,
    a population that is missing or not above zero, a repeated unit, or a bad reference.

    >>> frame = pl.DataFrame(
    ...     {
    ...         "enhet": ["A", "B"],
    ...         "befolkning": [1000, 3000],
    ...         **{v.column: [100, 100] for v in CNI_VARIABLES},
    ...     }
    ... )
    >>> care_need_index(frame).select("enhet", "cni_index", pl.col("cni").round(4)).rows()
    [('A', 3258.0, 2.0), ('B', 3258.0, 0.6667)]
    >>> care_need_index(frame, reference="B")["cni"].to_list()
    [3.0, 1.0]
    >>> care_need_index(frame.with_columns(arbetslosa=pl.lit(-1)))
    Traceback (most recent call last):
    ...
    halsogap.needs.cni.CniError: enhet "A" (rad 1): "arbetslosa" är negativt (-1), förväntade ett antal ≥ 0
    enhet "B" (rad 2): "arbetslosa" är negativt (-1), förväntade ett antal ≥ 0
    """
    if isinstance(counts, pl.LazyFrame):
        counts = counts.collect()
    if not isinstance(counts, pl.DataFrame):
        raise CniError(
            [f"care_need_index: förväntade en Polars DataFrame, fick {type(counts).__name__}"]
        )
    _check_counts(counts, unit=unit, population=population)

    pop = pl.col(population).cast(pl.Float64)
    index = pl.sum_horizontal(
        [pl.col(v.column).cast(pl.Float64) * v.weight for v in CNI_VARIABLES]
    ).alias("cni_index")
    out = counts.with_columns(
        *[
            (pl.col(v.column).cast(pl.Float64) / pop).alias(f"andel_{v.column}")
            for v in CNI_VARIABLES
        ],
        index,
    ).with_columns((pl.col("cni_index") / pop).alias("cni_per_invanare"))

    ref = _reference_points(out, reference, unit=unit, population=population)
    return out.with_columns(
        (pl.col("cni_per_invanare") / ref).alias("cni"),
        pl.lit(ref, dtype=pl.Float64).alias("cni_referens"),
    )


def _describe(frame: pl.DataFrame, unit: str, i: int) -> str:
    # Rows are numbered from 1 because the message is read by people, not by Python.
    name = frame[unit][i] if unit in frame.columns else None
    return f'enhet "{name}" (rad {i + 1})' if name is not None else f"rad {i + 1}"


def _check_counts(frame: pl.DataFrame, *, unit: str, population: str) -> None:
    required = [unit, population, *(v.column for v in CNI_VARIABLES)]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CniError(
            [
                "CNI kan inte beräknas: kolumn"
                + ("en " if len(missing) == 1 else "erna ")
                + ", ".join(f'"{c}"' for c in missing)
                + " saknas; tabellen har "
                + (", ".join(f'"{c}"' for c in frame.columns) or "inga kolumner")
            ]
        )
    problems: list[str] = []
    numeric = [population, *(v.column for v in CNI_VARIABLES)]
    for column in numeric:
        if not frame.schema[column].is_numeric():
            problems.append(
                f'kolumnen "{column}" har typen {frame.schema[column]}, förväntade tal (antal personer)'
            )
    if problems:
        raise CniError(problems)

    # Whole-column masks first so a clean frame costs a handful of vectorised checks; Python
    # only walks the (few) offending rows to phrase the messages.
    units = frame[unit]
    pops = frame[population].cast(pl.Float64)
    bad_pop = (pops.is_null() | pops.is_nan() | (pops <= 0)).fill_null(True)
    per_row: dict[int, list[str]] = {}
    for i in bad_pop.arg_true().to_list():
        value = pops[i]
        what = "saknas" if value is None or math.isnan(value) else f"är {_plain(value)}"
        per_row.setdefault(i, []).append(
            f'"{population}" {what}, förväntade fler än 0 (CNI är index per invånare)'
        )
    for v in CNI_VARIABLES:
        col = frame[v.column].cast(pl.Float64)
        for i in (col.is_null() | col.is_nan()).fill_null(True).arg_true().to_list():
            per_row.setdefault(i, []).append(f'"{v.column}" saknas, förväntade ett antal ≥ 0')
        for i in (col < 0).fill_null(False).arg_true().to_list():
            per_row.setdefault(i, []).append(
                f'"{v.column}" är negativt ({_plain(col[i])}), förväntade ett antal ≥ 0'
            )
        # A criterion counts persons in the population, so it can never exceed it (checked
        # only where the population itself is usable, or one bad cell would give eight errors).
        for i in ((col > pops) & ~bad_pop).fill_null(False).arg_true().to_list():
            per_row.setdefault(i, []).append(
                f'"{v.column}" = {_plain(col[i])} är fler än "{population}" = {_plain(pops[i])}'
            )
    null_units = units.is_null().arg_true().to_list()
    for i in null_units:
        per_row.setdefault(i, []).append(f'"{unit}" saknas, förväntade en enhetskod')
    duplicated = units.is_duplicated() & units.is_not_null()
    first_seen: dict[object, int] = {}
    for i in duplicated.arg_true().to_list():
        key = units[i]
        if key in first_seen:
            per_row.setdefault(i, []).append(
                f'"{unit}" finns redan på rad {first_seen[key] + 1}, förväntade en unik enhetskod'
            )
        else:
            first_seen[key] = i
    for i in sorted(per_row):
        problems += [f"{_describe(frame, unit, i)}: {p}" for p in per_row[i]]
    if problems:
        raise CniError(problems)


def _plain(value: float | int | None) -> str:
    # Messages quote the value as the caller wrote it: 1000 not 1000.0.
    if value is None:
        return "tomt"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _reference_points(
    frame: pl.DataFrame, reference: float | str | None, *, unit: str, population: str
) -> float:
    if reference is None:
        total_pop = frame[population].cast(pl.Float64).sum()
        if not total_pop:
            # No rows: nothing is normalised, but a finite reference keeps the schema clean.
            return float("nan")
        return float(frame["cni_index"].sum()) / float(total_pop)
    if isinstance(reference, str):
        rows = frame.filter(pl.col(unit).cast(pl.String) == reference)
        if rows.height == 0:
            raise CniError(
                [
                    f'referensen "{reference}" finns inte i kolumnen "{unit}", förväntade en av enheterna'
                ]
            )
        return float(rows["cni_per_invanare"][0])
    if isinstance(reference, bool) or not isinstance(reference, int | float):
        raise CniError(
            [
                f"referensen måste vara ett tal, en enhetskod eller None, fick {type(reference).__name__}"
            ]
        )
    if not math.isfinite(reference) or reference <= 0:
        raise CniError(
            [f"referensen (indexpoäng per invånare) måste vara större än 0, fick {reference}"]
        )
    return float(reference)


def eligible_units(
    cni_frame: pl.DataFrame,
    *,
    cni_threshold: float = DEFAULT_CNI_THRESHOLD,
    min_listed: int = DEFAULT_MIN_LISTED,
    unit: str = "enhet",
    listed: str = "befolkning",
    cni: str = "cni",
) -> pl.DataFrame:
    """Mark every unit eligible or not for the supplementary health-promotion assignment.

    Region Stockholm gives a supplementary population-oriented health-promotion assignment to
    units "med en listad befolkning med högt relativt Care Need Index (CNI)" and "fler än 5 000
    listade patienter" (Vårdgivarguiden, seed 001). A unit is eligible when its ``cni`` is
    strictly above ``cni_threshold`` **and** its ``listed`` patients are strictly more than
    ``min_listed``. Both are keyword arguments so the web can make them editable.

    **Why 1,20 by default.** Region Stockholm publishes no number for "högt relativt CNI" (the
    reference found none). CNI is relative to riket = 1,00, so "high" must lie above 1,00;
    1,00 itself, or the region's median, would select about half of all units, far more than
    the 15 vårdcentraler Stockholm chose in 2019. 1,20 (need 20 % above the national level)
    is the cut the product's own need-group example uses ("kommuner med CNI > 1,2"), leaves a
    margin above the national level so that a unit does not enter or leave the assignment on
    a small change between years, and separates high-need kommuner (Södertälje 1,58 in SCB's
    2017 figures) from average ones. It is a policy choice, not a published Stockholm figure.
    To use the region's median instead, pass ``cni_threshold=frame["cni"].median()``.

    Returns ``cni_frame`` with two more columns: ``eligible`` (Boolean) and ``reason`` (a
    Swedish sentence). Numbers in ``reason`` use a decimal comma and a non-breaking space
    between thousands; CNI gets two decimals, or more when two would hide why it is on its
    side of the threshold. A unit with missing CNI or listed count is not eligible and says so.

    >>> frame = pl.DataFrame(
    ...     {"enhet": ["A", "B", "C"], "befolkning": [8412, 4100, 12000], "cni": [1.62, 1.9, 0.95]}
    ... )
    >>> for row in eligible_units(frame).iter_rows(named=True):
    ...     print(row["enhet"], row["eligible"], row["reason"].replace("\\xa0", " "))
    A True CNI 1,62 över tröskeln 1,20 och 8 412 listade, fler än 5 000
    B False för få listade: 4 100, gränsen är 5 000
    C False CNI 0,95 inte över tröskeln 1,20
    """
    if isinstance(cni_frame, pl.LazyFrame):
        cni_frame = cni_frame.collect()
    missing = [c for c in (unit, listed, cni) if c not in cni_frame.columns]
    if missing:
        raise CniError(
            [
                "eligible_units: kolumn"
                + ("en " if len(missing) == 1 else "erna ")
                + ", ".join(f'"{c}"' for c in missing)
                + " saknas (beräkna först CNI med care_need_index)"
            ]
        )
    threshold = _check_threshold(cni_threshold)
    minimum = _check_min_listed(min_listed)

    eligible: list[bool] = []
    reasons: list[str] = []
    # One sentence per unit needs Python string work anyway; units are hundreds, not millions.
    for value, count in zip(cni_frame[cni].to_list(), cni_frame[listed].to_list(), strict=True):
        ok, reason = _judge(value, count, threshold, minimum)
        eligible.append(ok)
        reasons.append(reason)
    return cni_frame.with_columns(
        pl.Series("eligible", eligible, dtype=pl.Boolean),
        pl.Series("reason", reasons, dtype=pl.String),
    )


def _check_threshold(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CniError([f"cni_threshold måste vara ett tal, fick {value!r}"])
    if value < 0:
        raise CniError([f"cni_threshold måste vara 0 eller större, fick {value!r}"])
    return float(value)


def _check_min_listed(value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CniError([f"min_listed måste vara ett heltal 0 eller större, fick {value!r}"])
    return value


def _judge(
    value: float | None, count: float | None, threshold: float, minimum: int
) -> tuple[bool, str]:
    cni_missing = value is None or (isinstance(value, float) and math.isnan(value))
    count_missing = count is None or (isinstance(count, float) and math.isnan(count))
    high = not cni_missing and value > threshold
    many = not count_missing and count > minimum
    if high and many:
        shown, limit = _cni_pair(value, threshold)
        return True, (
            f"CNI {shown} över tröskeln {limit} och {_count(count)} listade, "
            f"fler än {_count(minimum)}"
        )
    parts: list[str] = []
    if cni_missing:
        parts.append("CNI saknas")
    elif not high:
        shown, limit = _cni_pair(value, threshold)
        parts.append(f"CNI {shown} inte över tröskeln {limit}")
    if count_missing:
        parts.append("antal listade saknas")
    elif not many:
        if count == minimum:
            # "5 000, gränsen är 5 000" would read as passing; say that more are needed.
            parts.append(f"för få listade: {_count(count)}, det krävs fler än {_count(minimum)}")
        else:
            parts.append(f"för få listade: {_count(count)}, gränsen är {_count(minimum)}")
    return False, "; ".join(parts)


def _cni_pair(value: float, threshold: float) -> tuple[str, str]:
    # "CNI 1,20 över tröskeln 1,20" would contradict itself: add decimals until the two differ.
    for decimals in range(2, 7):
        shown, limit = format_number(value, decimals), format_number(threshold, decimals)
        if shown != limit or value == threshold:
            return shown, limit
    return shown, limit


def _count(value: float) -> str:
    return format_number(float(value), 0)
