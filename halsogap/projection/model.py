"""When does a need's gap close under a proposed allocation, and how sure is that?

The need group's indicator is projected from its latest value, year by year to a horizon:

- **baseline**: the group's own linear trend, its slope drawn from a normal distribution with
  the trend's standard error;
- **each funded measure**: persons reached per year × share who take part × effect per
  participant. An *absolute* effect is the share of participants who leave the gap (stop
  smoking, say); a *relative* effect lowers the participants' own risk by that share, applied
  to the baseline's central path. The measure starts in its start year, grows to full reach
  over its ramp-up years, and a share of the persons it moved fall back each year (fading).
  Persons moved change the indicator by persons ÷ the group's population × the indicator's
  unit (100 for a percentage).

Every range is drawn in a Monte Carlo simulation (seedable, 10 000 draws by default), and the
result per year is the mean with 80 % and 95 % bands, the probability that the political target
is reached by each year, the persons out of the gap, and QALYs with cost per QALY. Measures
without effect ranges are left out with a reason, never counted as zero.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from .ranges import ProjectionInputError, Range, stream, triangular

ABSOLUTE, RELATIVE = "absolute", "relative"
QUANTILES = (0.025, 0.1, 0.5, 0.9, 0.975)
DEFAULT_DRAWS = 10_000
DEFAULT_HORIZON = 10
#: Measures drawn together; see :func:`_draw_measures`.
BLOCK = 2


@dataclass(frozen=True)
class MeasureEffect:
    """A funded measure's effect on one need, each uncertain part a :class:`Range`."""

    key: str
    name: str
    #: Persons reached per year at full scale.
    reach: Range | None
    #: Share (0–1) of those reached who take part.
    uptake: Range | None
    #: Per participant: the share who leave the gap (absolute) or the relative risk reduction.
    effect: Range | None
    kind: str = ABSOLUTE
    #: First year with an effect; by default the year after the latest value.
    start_year: int | None = None
    ramp_years: int = 1
    #: Share (0–1) of the persons moved who fall back each following year.
    fade_per_year: float = 0.0
    cost_per_year: float = 0.0
    qaly_per_person: Range | None = None

    def missing(self) -> str | None:
        """Why the measure cannot be projected, or None when it can."""
        absent = [
            label
            for label, value in (("räckvidd", self.reach), ("deltagande", self.uptake),
                                 ("effekt", self.effect))
            if value is None
        ]  # fmt: skip
        if absent:
            return "saknar intervall för " + " och ".join(absent) + "; räknas inte som noll"
        return None


@dataclass(frozen=True)
class NeedBaseline:
    """The need group's indicator as it stands, with its trend and its population."""

    key: str
    name: str
    latest_year: int
    latest_value: float
    #: Change per year and its standard error, from the group's own series.
    slope: float
    slope_se: float
    #: The group's population, one value per projected year (latest year first) or one number.
    population: Sequence[float] | float
    #: How many years of data the trend rests on: a horizon longer than that is marked.
    series_years: int
    target: float | None = None
    lower_is_better: bool = True
    #: The indicator's unit: 100 for a percentage, 100 000 for a rate per 100 000.
    per: float = 100.0


@dataclass(frozen=True)
class Band:
    """Mean and quantiles (2.5, 10, 50, 90, 97.5 %) per projected year."""

    mean: tuple[float, ...]
    quantiles: tuple[tuple[float, ...], ...]

    @property
    def low_95(self) -> tuple[float, ...]:
        return self.quantiles[0]

    @property
    def low_80(self) -> tuple[float, ...]:
        return self.quantiles[1]

    @property
    def median(self) -> tuple[float, ...]:
        return self.quantiles[2]

    @property
    def high_80(self) -> tuple[float, ...]:
        return self.quantiles[3]

    @property
    def high_95(self) -> tuple[float, ...]:
        return self.quantiles[4]


@dataclass(frozen=True)
class NeedProjection:
    key: str
    name: str
    years: tuple[int, ...]
    baseline: Band
    projected: Band
    persons_out: Band
    target: float | None
    #: Probability that the target is reached by each year, with and without the measures.
    reached_by_year: tuple[float, ...]
    baseline_reached_by_year: tuple[float, ...]
    qalys: tuple[float, float, float]
    cost: float
    cost_per_qaly: tuple[float, float, float] | None
    included: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]
    #: Honest notes on the projection's support, in Swedish.
    marks: tuple[str, ...] = ()
    #: The first year past the data's support (the horizon is longer than the series).
    beyond_data_from: int | None = None
    draws: int = DEFAULT_DRAWS
    seed: int = 0

    @property
    def likely_target_year(self) -> int | None:
        """The first year by which the target is more likely reached than not."""
        return _first_likely(self.years, self.reached_by_year)

    @property
    def baseline_target_year(self) -> int | None:
        return _first_likely(self.years, self.baseline_reached_by_year)


def _first_likely(years, probabilities) -> int | None:
    return next((y for y, p in zip(years, probabilities, strict=True) if p >= 0.5), None)


def _band(values: np.ndarray) -> Band:
    """Mean and quantiles per year of ``values`` (years × draws, one row per year)."""
    ordered = np.sort(values, axis=1)
    n = values.shape[1]
    quantiles = []
    for q in QUANTILES:
        position = q * (n - 1)
        lower = int(np.floor(position))
        upper = min(lower + 1, n - 1)
        low, high = ordered[:, lower].astype(float), ordered[:, upper].astype(float)
        quantiles.append(low + (position - lower) * (high - low))
    return Band(
        tuple(float(v) for v in values.mean(axis=1, dtype=float)),
        tuple(tuple(float(v) for v in q) for q in quantiles),
    )


def _trend_band(baseline: NeedBaseline, steps: np.ndarray, draws: np.ndarray, upper) -> Band:
    """The baseline's band, exact: the trend's slope is normal, so each year's quantile is the
    slope's quantile carried forward (and clamping, being monotone, keeps quantiles)."""
    z = norm.ppf(QUANTILES)
    quantiles = [
        np.clip(baseline.latest_value + (baseline.slope + zq * baseline.slope_se) * steps, 0, upper)
        for zq in z
    ]
    return Band(
        tuple(float(v) for v in draws.mean(axis=1, dtype=float)),
        tuple(tuple(float(v) for v in q) for q in quantiles),
    )


def _population(baseline: NeedBaseline, years: int) -> np.ndarray:
    population = np.asarray(baseline.population, dtype=float)
    population = np.full(years, float(population)) if population.ndim == 0 else population
    if population.shape != (years,) or not np.all(population > 0):
        raise ProjectionInputError(
            f"{baseline.name}: befolkningen ska vara ett positivt tal eller ett per år "
            f"({years} år), inte {population.shape[0] if population.ndim else 'inget'}."
        )
    return population


def _profiles(usable: Sequence[MeasureEffect], years: np.ndarray, central: np.ndarray, per: float):
    """Persons moved per unit of reach × uptake × effect, for every measure at once: those in
    effect each year (years × measures), those moved in all, and the years each is active."""
    for m in usable:
        if m.ramp_years < 1 or not 0 <= m.fade_per_year < 1:
            raise ProjectionInputError(
                f"{m.name}: upptrappningen ska vara minst 1 år och avklingningen mellan 0 "
                "och 1 per år."
            )
    first = int(years[0]) + 1
    start = np.array([m.start_year if m.start_year is not None else first for m in usable])
    ramp_years = np.array([m.ramp_years for m in usable], dtype=float)
    keep = np.array([1.0 - m.fade_per_year for m in usable])
    relative = np.array([m.kind == RELATIVE for m in usable])
    ramp = np.clip((years[None, :] - start[:, None] + 1) / ramp_years[:, None], 0.0, 1.0)
    ramp[:, 0] = 0.0  # The latest year is measured, not projected.
    moved = ramp * np.where(relative[:, None], central[None, :] / per, 1.0)
    stock = np.zeros_like(moved)
    for t in range(len(years)):
        stock[:, t] = (stock[:, t - 1] * keep if t else 0.0) + moved[:, t]
    return stock.T.astype(np.float32), moved.sum(axis=1), (ramp > 0).sum(axis=1)


def _marks(baseline: NeedBaseline, measures: Sequence[MeasureEffect], last_year: int):
    marks = []
    beyond = None
    if last_year - baseline.latest_year > baseline.series_years:
        beyond = baseline.latest_year + baseline.series_years + 1
        marks.append(
            f"Efter {beyond - 1} går prognosen längre fram än serien bakåt "
            f"({baseline.series_years} år): osäkrare än banden visar."
        )
    for m in measures:
        for label, value in (("räckvidd", m.reach), ("deltagande", m.uptake),
                             ("effekt", m.effect), ("QALY per person", m.qaly_per_person)):  # fmt: skip
            if value is None:
                continue
            if value.outside_evidence:
                marks.append(f"{m.name}: {label} går utanför källans intervall.")
            elif value.assumed:
                marks.append(f"{m.name}: {label} är ett antagande utan källa.")
    return tuple(marks), beyond


def project_need(
    baseline: NeedBaseline,
    measures: Sequence[MeasureEffect] = (),
    *,
    horizon: int = DEFAULT_HORIZON,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
) -> NeedProjection:
    """The need's indicator projected ``horizon`` years with ``measures`` funded.

    >>> need = NeedBaseline("rok", "Daglig rökning", 2025, 10.0, slope=-0.2, slope_se=0.0,
    ...     population=50_000, series_years=10, target=7.0)
    >>> talk = MeasureEffect("samtal", "Rådgivande samtal", reach=Range(2000, 2000, 2000),
    ...     uptake=Range(0.5, 0.5, 0.5), effect=Range(0.1, 0.1, 0.1))
    >>> p = project_need(need, [talk], horizon=5, draws=100)
    >>> [round(v, 2) for v in p.projected.mean]
    [10.0, 9.6, 9.2, 8.8, 8.4, 8.0]
    >>> p.baseline.mean[-1], p.likely_target_year
    (9.0, None)
    """
    if horizon < 1 or draws < 2:
        raise ProjectionInputError("Horisonten ska vara minst 1 år och dragningarna minst 2.")
    years = np.arange(baseline.latest_year, baseline.latest_year + horizon + 1)
    steps = years - baseline.latest_year
    population = _population(baseline, len(years))
    central = baseline.latest_value + baseline.slope * steps

    slope = stream(seed, baseline.key, "trend").standard_normal(draws, dtype=np.float32)
    slope = baseline.slope + baseline.slope_se * slope
    base = baseline.latest_value + steps[:, None].astype(np.float32) * slope[None, :]

    usable = [m for m in measures if m.missing() is None]
    left_out = tuple((m.name, m.missing()) for m in measures if m.missing() is not None)
    profiles, moved_total, active = _profiles(usable, years, central, baseline.per)
    cost = float(sum(m.cost_per_year * a for m, a in zip(usable, active, strict=True)))
    amplitude, qaly = _draw_measures(usable, baseline.key, seed=seed, draws=draws)

    persons = profiles @ amplitude  # Persons out of the gap, years × draws.
    improvement = persons * (baseline.per / population[:, None]).astype(np.float32)
    sign = -1.0 if baseline.lower_is_better else 1.0
    upper = baseline.per if baseline.per == 100.0 else np.inf
    base = np.clip(base, 0.0, upper)
    projected = np.clip(base + sign * improvement, 0.0, upper)

    qalys = (moved_total.astype(np.float32) @ (amplitude * qaly)).astype(float)
    marks, beyond = _marks(baseline, usable, int(years[-1]))
    per_qaly = None
    if cost > 0 and np.any(qalys > 0):
        ratio = np.where(qalys > 0, cost / np.where(qalys > 0, qalys, 1.0), np.inf)
        per_qaly = tuple(float(v) for v in np.quantile(ratio, [0.1, 0.5, 0.9]))
    return NeedProjection(
        key=baseline.key,
        name=baseline.name,
        years=tuple(int(y) for y in years),
        baseline=_trend_band(baseline, steps, base, upper),
        projected=_band(projected),
        persons_out=_band(persons),
        target=baseline.target,
        reached_by_year=_reached(projected, baseline),
        baseline_reached_by_year=_reached(base, baseline),
        qalys=tuple(float(v) for v in np.quantile(qalys, [0.1, 0.5, 0.9])),
        cost=cost,
        cost_per_qaly=per_qaly,
        included=tuple(m.name for m in usable),
        left_out=left_out,
        marks=marks,
        beyond_data_from=beyond,
        draws=draws,
        seed=seed,
    )


def _reached(values: np.ndarray, baseline: NeedBaseline) -> tuple[float, ...]:
    """P(the value is at or past the target in some year up to each year)."""
    if baseline.target is None:
        return tuple(0.0 for _ in range(values.shape[0]))
    # Reached by a year when the best value so far is at the target.
    if baseline.lower_is_better:
        at = np.minimum.accumulate(values, axis=0) <= baseline.target
    else:
        at = np.maximum.accumulate(values, axis=0) >= baseline.target
    return tuple(float(v) for v in at.mean(axis=1))


def _draw_measures(usable, need_key: str, *, seed: int, draws: int):
    """Reach × uptake × effect and QALYs per person for every measure: measures × draws.

    Each measure draws from its own stream, so it draws the same numbers in every allocation
    that funds it. The draws are antithetic: half are drawn, the other half mirrors them
    (1 − u), which keeps every draw's distribution, narrows the mean's error, and halves the
    random numbers made. Two measures at a time are turned into values, so that the arrays
    stay in the processor's cache (twice as fast as all at once).
    """
    # The QALY range is drawn only when some measure has one; the effect's values are the
    # same either way (each measure's first three rows).
    ranges = 4 if any(m.qaly_per_person is not None for m in usable) else 3
    amplitude = np.empty((len(usable), draws), dtype=np.float32)
    qaly = np.zeros((len(usable), draws), dtype=np.float32)
    uniform = np.empty((BLOCK, 4, draws), dtype=np.float32)
    half = (draws + 1) // 2
    for first in range(0, len(usable), BLOCK):
        block = usable[first : first + BLOCK]
        limits = np.zeros((3, len(block), ranges, 1), dtype=np.float32)
        for i, m in enumerate(block):
            drawn = stream(seed, need_key, m.key).random((4, half), dtype=np.float32)
            uniform[i, :, :half] = drawn
            np.subtract(1, drawn[:, : draws - half], out=uniform[i, :, half:])
            for j, r in enumerate((m.reach, m.uptake, m.effect, m.qaly_per_person)[:ranges]):
                if r is not None:
                    limits[:, i, j, 0] = (r.low, r.likely, r.high)
        values = triangular(uniform[: len(block), :ranges], limits[0], limits[1], limits[2])
        rows = slice(first, first + len(block))
        np.multiply(values[:, 0], values[:, 1], out=amplitude[rows])
        amplitude[rows] *= values[:, 2]
        if ranges == 4:
            qaly[rows] = values[:, 3]
    return amplitude, qaly


def project_needs(
    needs: Sequence[tuple[NeedBaseline, Sequence[MeasureEffect]]],
    *,
    horizon: int = DEFAULT_HORIZON,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    workers: int | None = None,
) -> list[NeedProjection]:
    """:func:`project_need` for every need and its funded measures, in the order given.

    The needs are projected in threads (NumPy releases the interpreter lock in its array
    work), one per core unless ``workers`` says otherwise; each need draws from its own
    streams, so the result does not depend on the number of threads.

    >>> need = NeedBaseline("a", "A", 2025, 10.0, slope=0.0, slope_se=0.0, population=1000,
    ...     series_years=5)
    >>> [p.projected.mean[-1] for p in project_needs([(need, [])], horizon=2, draws=10)]
    [10.0]
    """
    workers = workers or min(len(needs), os.cpu_count() or 1) or 1
    if workers == 1:
        return [project_need(b, m, horizon=horizon, draws=draws, seed=seed) for b, m in needs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(
            pool.map(
                lambda item: project_need(
                    item[0], item[1], horizon=horizon, draws=draws, seed=seed
                ),
                needs,
            )
        )
