"""Follow-up status of an indicator against its target, read on today's date.

**The status rule** (:data:`RULE_SV` says it to the reader). The values are first read by the
line's aggregation rule (:mod:`halsogap.assignments.activity`: a sum of activities since the
baseline, a running mean, or each value as it is). Then draw a straight line from the baseline
(at the baseline date) to the target (at the target date) and read it at the date of the
latest value (a period's last day, see :mod:`halsogap.periods`):

* **målet nått** – the latest value is at or better than the target;
* **ej nått** – the target date has passed (today) without the target being reached, whatever
  the date of the newest value;
* **inaktuellt** – the newest value is more than two reporting periods old, so the line cannot
  be judged by it ("inaktuellt: senaste värde 2023");
* **i fas** – otherwise, at or better than the line;
* **risk** – behind the line by at most :data:`RISK_SHARE` (10 %) of the whole distance from
  baseline to target;
* **ej i fas** – further behind;
* **inga värden** – nothing reported yet; **kan inte bedömas** – the plan lacks a baseline, a
  target, a target date or a direction, or its target points the wrong way.

"Better" follows the indicator's polarity. The line is linear because a plan rarely says more
than "from here to there by then", and a reader can check it with a ruler; the 10 % band keeps
a value a hair behind the line from turning red.

**Trend.** With 95 % limits on the five latest values, Fingertips' significance test
(:func:`halsogap.stats.trend`, weighted regression, χ² at p < 0,002) decides. Without them
only the sign of an ordinary least-squares slope over the latest five values is given, and the
text says that it is not statistically tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from halsogap.assignments.activity import (
    CUMULATIVE,
    LATEST,
    MEAN,
    SUM,
    aggregate,
    baseline_end,
    is_stale,
    period_kind_of,
)
from halsogap.assignments.followable import IndicatorPlan
from halsogap.numbers import format_number
from halsogap.periods import decimal_year
from halsogap.polarity import HIGHER_BETTER, LOWER_BETTER, normalise_polarity
from halsogap.stats.trend import trend as stats_trend
from halsogap.trends import (
    TREND_POINTS,
    dated_series,
    describe_trend,
    has_limits,
)

ON_TRACK, AT_RISK, OFF_TRACK = "i fas", "risk", "ej i fas"
REACHED, NO_VALUES, NOT_ASSESSABLE = "målet nått", "inga värden", "kan inte bedömas"
NOT_REACHED, STALE = "ej nått", "inaktuellt"
#: Every status, best first: the order of summary tables.
STATUSES = (REACHED, ON_TRACK, AT_RISK, OFF_TRACK, NOT_REACHED, STALE, NO_VALUES, NOT_ASSESSABLE)
#: Share of the baseline–target distance a value may lag the line and still count as "risk".
RISK_SHARE = 0.10

RULE_SV = (
    "Senaste värdet (för aktiviteter summan sedan utgångsläget) jämförs med en rak linje från "
    "utgångsvärdet (vid utgångsdatum) till målvärdet (vid måldatum), avläst vid det senaste "
    "värdets datum (periodens sista dag). Målet nått: värdet är lika med eller bättre än "
    "målvärdet. Ej nått: måldatum har passerat i dag utan att målet nåtts. Inaktuellt: senaste "
    "värdet är äldre än två rapportperioder. I fas: lika med eller bättre än linjen. Risk: "
    "sämre än linjen med högst 10 % av avståndet mellan utgångsvärde och målvärde. Ej i fas: "
    "längre efter linjen."
)


@dataclass(frozen=True)
class FollowUpStatus:
    """One indicator's follow-up: status, the rule, the numbers behind it, and its trend."""

    status: str
    rule_sv: str
    #: This indicator's case in words and numbers, e.g. "Senaste värdet 5,2 (2025) …".
    explanation_sv: str
    latest_value: float | None = None
    latest_period: str | None = None
    #: The line's value at the latest value's date.
    expected: float | None = None
    #: How far the latest value is behind the line, in the indicator's unit (≤ 0 = on or ahead).
    shortfall: float | None = None
    #: The largest shortfall that still counts as "risk" (10 % of the distance).
    tolerance: float | None = None
    #: Share of the way from baseline to target covered (1 = target reached).
    progress: float | None = None
    trend: str = "för få värden"
    trend_method: str = ""
    slope_per_year: float | None = None
    points: int = 0


def follow_up_status(
    values: pl.DataFrame,
    *,
    baseline: float | None,
    target: float | None,
    target_date: date | None,
    polarity: str,
    baseline_date: date | str | None = None,
    today: date | None = None,
    aggregation: str = LATEST,
    frequency: str | None = None,
    decimals: int = 1,
    risk_share: float = RISK_SHARE,
) -> FollowUpStatus:
    """Status of one indicator series against its target (see the module docstring).

    ``values`` has ``period`` and ``value`` (optionally ``lower_95``/``upper_95``); null
    values are skipped. ``baseline_date`` is a date or a period (its last day is used); when
    it is missing, the first reported period stands in and the explanation says so.
    ``today`` drops values of periods that have not begun and is the date the target date and
    the age of the newest value are judged on. ``aggregation`` and ``frequency`` are the
    plan line's rules (:mod:`halsogap.assignments.activity`).

    Smoking 5,8 % in 2022 (baseline), target 4,0 % by end of 2026: the line falls 0,45 a
    year, so at the end of 2024 it reads 5,8 − 2 × 0,45 ≈ 4,9; a value of 5,0 is 0,1 behind,
    within 10 % of the 1,8 distance (0,18): risk.

    >>> v = pl.DataFrame({"period": ["2023", "2024"], "value": [5.5, 5.0]})
    >>> s = follow_up_status(v, baseline=5.8, target=4.0, target_date=date(2026, 12, 31),
    ...     polarity="lower_better", baseline_date="2022", today=date(2025, 3, 1))
    >>> s.status, round(s.expected, 2), round(s.shortfall, 2), round(s.tolerance, 2)
    ('risk', 4.9, 0.1, 0.18)
    >>> s.trend
    'minskar och blir bättre (ej statistiskt prövad)'

    The same line on 2027-06-01, with 2023 still the newest value: the target date has passed.

    >>> late = follow_up_status(v.head(1), baseline=5.8, target=4.0,
    ...     target_date=date(2026, 12, 31), polarity="lower_better", baseline_date="2022",
    ...     today=date(2027, 6, 1), frequency="årligen")
    >>> late.status
    'ej nått'

    A yearly target of 300 health dialogues, 140 and 185 reported for two quarters: 325.

    >>> q = pl.DataFrame({"period": ["2026K1", "2026K2"], "value": [140.0, 185.0]})
    >>> follow_up_status(q, baseline=0.0, target=300.0, target_date=date(2026, 12, 31),
    ...     polarity="higher_better", baseline_date="2025", today=date(2026, 8, 1),
    ...     aggregation="sum", frequency="kvartal").status
    'målet nått'
    """
    polarity = normalise_polarity(polarity)
    return _assess(
        dated_series(values, today),
        baseline=baseline,
        target=target,
        target_date=target_date,
        polarity=polarity,
        baseline_date=baseline_date,
        risk_share=risk_share,
        today=today,
        aggregation=aggregation,
        frequency=frequency,
        decimals=decimals,
    )


def _assess(
    frame: pl.DataFrame,
    *,
    baseline: float | None,
    target: float | None,
    target_date: date | None,
    polarity: str,
    baseline_date: date | str | None,
    risk_share: float,
    marker: dict | None = None,
    today: date | None = None,
    aggregation: str = LATEST,
    frequency: str | None = None,
    decimals: int = 1,
) -> FollowUpStatus:
    """The rule on a series from :func:`dated_series` (polarity normalised)."""
    trend_frame = frame
    frame = aggregate(frame, aggregation, start=baseline_end(baseline_date))

    def result(status: str, explanation: str, **numbers) -> FollowUpStatus:
        label, method, slope = (
            describe_trend(trend_frame, polarity, marker)
            if polarity != "none"
            else ("kan inte bedömas", "indikatorn saknar riktning", None)
        )
        return FollowUpStatus(
            status,
            RULE_SV,
            explanation,
            trend=label,
            trend_method=method,
            slope_per_year=slope,
            points=frame.height,
            **numbers,
        )

    missing = [
        name
        for name, v in (
            ("utgångsvärde", baseline),
            ("målvärde", target),
            ("måldatum", target_date),
        )
        if v is None
    ]
    if polarity not in (HIGHER_BETTER, LOWER_BETTER):
        missing.append("riktning (högre eller lägre är bättre)")
    if missing:
        return result(NOT_ASSESSABLE, f"Planen saknar {', '.join(missing)}.")
    assert baseline is not None and target is not None and target_date is not None
    sign = 1.0 if polarity == HIGHER_BETTER else -1.0
    if sign * (target - baseline) < 0:
        return result(
            NOT_ASSESSABLE, "Målvärdet är sämre än utgångsvärdet: målet pekar åt fel håll."
        )
    if frame.height == 0:
        if baseline_date is not None:
            return result(NO_VALUES, f"Inga värden efter utgångsläget ({baseline_date}) ännu.")
        return result(NO_VALUES, "Inga värden är rapporterade ännu.")

    latest = frame.row(-1, named=True)
    value, period, at = latest["value"], latest["period"], latest["end"]
    # The number compared is named for what it is: a sum or a mean is not "the latest value".
    what = {
        SUM: f"Summan t.o.m. {period}",
        CUMULATIVE: f"Summan sedan start t.o.m. {period}",
        MEAN: f"Medelvärdet t.o.m. {period}",
    }.get(aggregation)
    note = ""
    if baseline_date is None:
        start = frame["end"][0]
        note = " Utgångsdatum saknas; första rapporterade perioden används som start."
    else:
        start = baseline_end(baseline_date)
    fine = decimals + 1
    distance = abs(target - baseline)
    progress = None if distance == 0 else sign * (value - baseline) / distance
    shown, goal = format_number(value, decimals), format_number(target, decimals)
    if sign * (value - target) >= 0:
        return result(
            REACHED,
            f"{what + ', ' + shown if what else f'Senaste värdet {shown} ({period})'} är lika "
            f"med eller bättre än målvärdet {goal}.{note}",
            latest_value=value,
            latest_period=period,
            expected=target,
            shortfall=sign * (target - value),
            tolerance=risk_share * distance,
            progress=progress,
        )
    span = (target_date - start).days
    share = 1.0 if span <= 0 else min(max((at - start).days / span, 0.0), 1.0)
    expected = baseline + (target - baseline) * share
    shortfall = sign * (expected - value)
    tolerance = risk_share * distance
    numbers = dict(
        latest_value=value,
        latest_period=period,
        expected=expected,
        shortfall=shortfall,
        tolerance=tolerance,
        progress=progress,
    )
    now = today or at
    if now > target_date or at >= target_date:
        return result(
            NOT_REACHED,
            f"Måldatum {target_date.isoformat()} har passerat utan att målvärdet {goal} "
            f"nåtts; senaste värdet är {shown} ({period}).{note}",
            **numbers,
        )
    kind = period_kind_of(frequency)
    if today is not None and is_stale(at, period_kind=kind, today=today):
        return result(
            STALE,
            f"Inaktuellt: senaste värde {period} ({shown}); planen rapporteras per "
            f"{kind}, så ett nyare värde borde ha kommit. Läget mot målet kan inte "
            f"bedömas förrän det finns.{note}",
            **numbers,
        )
    head = (
        f"{what + ', ' + shown if what else f'Senaste värdet {shown} ({period})'}; linjen mot "
        f"målet visar {format_number(expected, fine)} då"
    )
    if shortfall <= 1e-12:
        return result(
            ON_TRACK, f"{head}: värdet är lika med eller bättre än linjen.{note}", **numbers
        )
    behind = (
        f"{format_number(shortfall, fine)} efter linjen, {{}} {format_number(tolerance, fine)} "
        f"({round(risk_share * 100)} % av avståndet {format_number(distance, decimals)})"
    )
    if shortfall <= tolerance + 1e-12:
        return result(AT_RISK, f"{head}: {behind.format('inom')}.{note}", **numbers)
    return result(OFF_TRACK, f"{head}: {behind.format('mer än')}.{note}", **numbers)


def follow_up_statuses(
    values: pl.DataFrame,
    plans: Sequence[IndicatorPlan],
    *,
    today: date | None = None,
    risk_share: float = RISK_SHARE,
) -> dict[str, FollowUpStatus]:
    """:func:`follow_up_status` for many plans at once, keyed by :attr:`IndicatorPlan.key`.

    ``values`` holds ``plan`` (the plan key), ``period``, ``value`` and optionally
    ``lower_95``/``upper_95``. The result is the same as calling :func:`follow_up_status` per
    plan with the plan's baseline date, aggregation, frequency and precision; the Fingertips
    trend test runs once over every series that has limits, which is what makes a region
    overview fast.

    >>> plan = IndicatorPlan("p1", "g1", "U01402", baseline=5.8, baseline_period="2022",
    ...     target=4.0, target_date=date(2026, 12, 31), polarity="lower_better")
    >>> v = pl.DataFrame({"plan": ["p1", "p1"], "period": ["2023", "2024"], "value": [5.5, 5.0]})
    >>> follow_up_statuses(v, [plan], today=date(2025, 3, 1))["p1"].status
    'risk'
    """
    columns = ["period", "value", *[c for c in ("lower_95", "upper_95") if c in values.columns]]
    groups = {
        key[0]: frame
        for key, frame in values.partition_by("plan", as_dict=True, include_key=False).items()
    }
    empty = pl.DataFrame(schema={"period": pl.String, "value": pl.Float64})
    series = {
        p.key: dated_series(
            groups.get(p.key, empty).select(
                [c for c in columns if c in groups.get(p.key, empty).columns]
            ),
            today,
        )
        for p in plans
    }
    polarity = {p.key: normalise_polarity(p.polarity) for p in plans}
    judged = {k for k, v in polarity.items() if v in (HIGHER_BETTER, LOWER_BETTER)}
    with_limits = [
        series[k].tail(TREND_POINTS).with_columns(pl.lit(k).alias("plan"))
        for k in judged
        if has_limits(series[k].tail(TREND_POINTS))
    ]
    markers: dict[str, dict] = {}
    if with_limits:
        stacked = pl.concat(with_limits, how="diagonal_relaxed").with_columns(
            pl.Series("t", [decimal_year(d) for d in pl.concat([f["end"] for f in with_limits])])
        )
        # Polarity only changes the label's "better/worse"; run the test per polarity.
        for spelled, name in ((HIGHER_BETTER, "high_is_good"), (LOWER_BETTER, "low_is_good")):
            subset = stacked.filter(
                pl.col("plan").is_in([k for k in judged if polarity[k] == spelled])
            )
            if subset.height:
                out = stats_trend(
                    subset, "plan", period="t", kind="other", polarity=name, spacing="period"
                )
                markers.update({row["plan"]: row for row in out.iter_rows(named=True)})
    return {
        p.key: _assess(
            series[p.key],
            baseline=p.baseline,
            target=p.target,
            target_date=p.target_date,
            polarity=polarity[p.key],
            baseline_date=p.baseline_period,
            risk_share=risk_share,
            marker=markers.get(p.key),
            today=today,
            aggregation=p.aggregation,
            frequency=p.period_kind or p.frequency,
            decimals=p.decimals,
        )
        for p in plans
    }
