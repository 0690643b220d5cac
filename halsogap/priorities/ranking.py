"""Ethical-platform assessment: a suggested rank 1–10, icke-göra or FoU, with its reasoning.

Prioriteringscentrum's national model for open prioritisation (2017:2, step 7) combines four
judgements about a health problem + measure pair: severity (4 levels), patient benefit (5),
cost in relation to benefit (4 bands of cost per QALY) and the quality of the evidence (4).
The model gives the *direction* of each adjustment, not its size, so the step sizes below are
Hälsogap's suggestion (governance reference §2.2, tagged [I]) and live in :class:`RankParams`,
which is returned with every result and stored with a decision (audit). The final rank is
always a human decision; this only proposes one and shows how.

The order of the steps (and of the explanation the page shows):

1. **Start level from severity** — mycket stor 1, stor 3, måttlig 5, liten 7.
2. **Benefit** — lowered by 0 (mycket stor) … 3 (liten); benefit "ingen" → **icke-göra**.
3. **Cost per QALY** — kept at låg/måttlig, lowered 1 at hög and 2 at mycket hög; a number in
   kronor is put in a band first (< 100 000 låg, < 500 000 måttlig, < 1 000 000 hög, else mycket
   hög; Socialstyrelsen regards ≥ 1 MSEK/QALY as very expensive). An unknown cost is no reason
   to lower the rank, and the explanation says the step was not assessed.
4. **Evidence** — kept at hög/måttlig, lowered 1 at låg; mycket låg → **FoU** (only within
   research and development).
5. **Severity cap** (preset :data:`VGR_PARAMS` only) — "the final assessment cannot exceed the
   rank from severity, which is a superordinate dimension" (VGR, ordnat införande 2022): a rank
   lifted by good cost or strong evidence is put back to the severity's start level.
6. **Clamping** to 1–10.

Ethical platform order: need (severity, benefit) comes first and the cost step only adjusts
afterwards, as prop. 1996/97:60 requires. The human-dignity guard on the criteria analysts
write is :func:`~halsogap.priorities.dignity.check_criteria` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace

import polars as pl

from halsogap.numbers import format_kr
from halsogap.priorities._common import (
    BENEFIT,
    COST_BAND,
    EVIDENCE,
    SEVERITY,
    PrioritiesInputError,
    ensure_frame,
    require_columns,
    scale_value,
)
from halsogap.priorities.dignity import check_criteria  # noqa: F401  (part of this module's API)

ICKE_GORA = "icke-göra"
FOU = "FoU"


@dataclass(frozen=True)
class RankParams:
    """Step sizes of the rank suggestion; edit with :func:`dataclasses.replace`.

    ``benefit_penalty`` maps a benefit to how many steps it lowers the rank, ``None`` meaning
    icke-göra; ``evidence_penalty`` uses ``"FoU"`` the same way. Negative steps lift the rank
    (only sensible with ``severity_cap``). ``cost_bands`` are the upper limits (kr per QALY,
    exclusive) of låg, måttlig and hög.
    """

    name: str = "standard"
    severity_start: Mapping[str, int] = field(
        default_factory=lambda: {"mycket stor": 1, "stor": 3, "måttlig": 5, "liten": 7}
    )
    benefit_penalty: Mapping[str, int | None] = field(
        default_factory=lambda: {
            "mycket stor": 0,
            "stor": 1,
            "måttlig": 2,
            "liten": 3,
            "ingen": None,
        }
    )
    cost_penalty: Mapping[str, int] = field(
        default_factory=lambda: {"låg": 0, "måttlig": 0, "hög": 1, "mycket hög": 2}
    )
    evidence_penalty: Mapping[str, int | str] = field(
        default_factory=lambda: {"hög": 0, "måttlig": 0, "låg": 1, "mycket låg": FOU}
    )
    cost_bands: tuple[float, float, float] = (100_000.0, 500_000.0, 1_000_000.0)
    severity_cap: bool = False
    lowest: int = 1
    highest: int = 10

    def as_dict(self) -> dict:
        """Plain dict for storing with a decision (JSON-ready).

        >>> DEFAULT_PARAMS.as_dict()["severity_start"]["stor"]
        3
        """
        data = asdict(self)
        return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in data.items()}


#: Hälsogap's suggested encoding (governance reference §2.2).
DEFAULT_PARAMS = RankParams()
#: VGR preset: low cost and strong evidence may lift a rank one step each, but never above the
#: severity's start level (VGR's cap rule). The lifts are Hälsogap's; the cap is VGR's.
VGR_PARAMS = replace(
    DEFAULT_PARAMS,
    name="vgr-svårighetstak",
    cost_penalty={"låg": -1, "måttlig": 0, "hög": 1, "mycket hög": 2},
    evidence_penalty={"hög": -1, "måttlig": 0, "låg": 1, "mycket låg": FOU},
    severity_cap=True,
)
PRESETS = {DEFAULT_PARAMS.name: DEFAULT_PARAMS, VGR_PARAMS.name: VGR_PARAMS}


@dataclass(frozen=True)
class RankSuggestion:
    """A suggested rank with the Swedish steps that led to it and the parameters used."""

    rank: int | str
    steps: list[str]
    params: dict
    inputs: dict
    recommendation: str

    def as_dict(self) -> dict:
        """Plain dict for storing with a decision."""
        return asdict(self)


def recommendation_text(rank: int | str | None) -> str:
    """Socialstyrelsen's wording for a rank (1–3 bör, 4–7 kan, 8–10 undantagsfall).

    >>> recommendation_text(2), recommendation_text(9), recommendation_text("FoU")
    ('bör erbjudas', 'kan erbjudas i undantagsfall', 'endast inom forskning och utveckling')
    """
    if rank == ICKE_GORA:
        return "bör inte utföras (icke-göra)"
    if rank == FOU:
        return "endast inom forskning och utveckling"
    if rank is None:
        return "ej bedömd"
    if int(rank) <= 3:
        return "bör erbjudas"
    if int(rank) <= 7:
        return "kan erbjudas"
    return "kan erbjudas i undantagsfall"


def cost_band(cost_per_qaly: object, *, params: RankParams = DEFAULT_PARAMS) -> str | None:
    """Band of a cost per QALY: a number in kronor or a band name; ``None`` stays unknown.

    >>> cost_band(99_999), cost_band(500_000), cost_band("Very high"), cost_band(None)
    ('låg', 'hög', 'mycket hög', None)
    """
    if cost_per_qaly is None:
        return None
    if isinstance(cost_per_qaly, int | float) and not isinstance(cost_per_qaly, bool):
        value = float(cost_per_qaly)
        if value != value:
            return None
        if value < 0:
            raise PrioritiesInputError("kostnad per QALY kan inte vara negativ")
        low, moderate, high = params.cost_bands
        if value < low:
            return "låg"
        if value < moderate:
            return "måttlig"
        if value < high:
            return "hög"
        return "mycket hög"
    return scale_value(cost_per_qaly, COST_BAND, what="kostnad per QALY")


def _signed(step: int) -> str:
    if step > 0:
        return f"sänks {step} steg"
    if step < 0:
        return f"höjs {-step} steg"
    return "oförändrad"


def suggest_rank(
    severity: object,
    benefit: object,
    cost_per_qaly: object,
    evidence: object,
    *,
    params: RankParams = DEFAULT_PARAMS,
) -> RankSuggestion:
    """Suggest a rank 1–10 (or icke-göra/FoU) and explain it step by step in Swedish.

    ``severity`` and ``benefit`` are scale labels (Swedish or English; severity also 1–4 as in
    the needs engine, 4 = mycket stor), ``cost_per_qaly`` kronor per QALY or a band name
    (``None`` = unknown), ``evidence`` a GRADE level. See the module docstring for the steps.

    >>> s = suggest_rank("stor", "måttlig", 600_000, "låg")
    >>> s.rank, s.recommendation
    (7, 'kan erbjudas')
    >>> print("\\n".join(s.steps))
    Startnivå från svårighetsgrad "stor": 3.
    Patientnytta "måttlig": sänks 2 steg → 5.
    Kostnad per QALY 600\u00a0000 kr (band "hög"): sänks 1 steg → 6.
    Kunskapsunderlag "låg": sänks 1 steg → 7.
    Inom skalan 1–10: 7.
    >>> suggest_rank("mycket stor", "ingen", "låg", "hög").rank
    'icke-göra'
    """
    sev = scale_value(severity, SEVERITY, what="svårighetsgrad")
    ben = scale_value(benefit, BENEFIT, what="patientnytta")
    band = cost_band(cost_per_qaly, params=params)
    evid = scale_value(evidence, EVIDENCE, what="kunskapsunderlag")
    inputs = {"severity": sev, "benefit": ben, "cost_per_qaly": cost_per_qaly, "cost_band": band}
    inputs["evidence"] = evid
    steps: list[str] = []

    def done(rank: int | str) -> RankSuggestion:
        return RankSuggestion(rank, steps, params.as_dict(), inputs, recommendation_text(rank))

    start = int(params.severity_start[sev])
    steps.append(f'Startnivå från svårighetsgrad "{sev}": {start}.')
    penalty = params.benefit_penalty[ben]
    if penalty is None:
        steps.append(
            f'Patientnytta "{ben}": åtgärden ger ingen nytta och ska inte utföras → {ICKE_GORA}. '
            "Kostnad och kunskapsunderlag påverkar inte detta."
        )
        return done(ICKE_GORA)
    rank = start + int(penalty)
    steps.append(f'Patientnytta "{ben}": {_signed(int(penalty))} → {rank}.')
    if band is None:
        steps.append(
            "Kostnad per QALY okänd: ingen justering (kostnadseffektivitet kan inte bedömas "
            "förrän en kostnad finns)."
        )
    else:
        step = int(params.cost_penalty[band])
        rank += step
        shown = (
            f"{format_kr(float(cost_per_qaly))} "
            if isinstance(cost_per_qaly, int | float) and not isinstance(cost_per_qaly, bool)
            else ""
        )
        steps.append(f'Kostnad per QALY {shown}(band "{band}"): {_signed(step)} → {rank}.')
    evidence_step = params.evidence_penalty[evid]
    if evidence_step == FOU:
        steps.append(
            f'Kunskapsunderlag "{evid}": för osäkert för rutinbruk → {FOU} '
            "(endast inom forskning och utveckling)."
        )
        return done(FOU)
    rank += int(evidence_step)
    steps.append(f'Kunskapsunderlag "{evid}": {_signed(int(evidence_step))} → {rank}.')
    if params.severity_cap and rank < start:
        steps.append(
            f"Tak från svårighetsgraden: rangen kan inte bli högre än {start} "
            f"(svårighetsgraden är överordnad) → {start}."
        )
        rank = start
    clamped = min(max(rank, params.lowest), params.highest)
    steps.append(f"Inom skalan {params.lowest}–{params.highest}: {clamped}.")
    return done(clamped)


def suggest_ranks(
    assessments: pl.DataFrame, *, params: RankParams = DEFAULT_PARAMS
) -> pl.DataFrame:
    """:func:`suggest_rank` for every row: adds ``suggested_rank`` (text), ``rank_number``
    (Int64, null for icke-göra/FoU/unassessed), ``recommendation`` and ``explanation``.

    Needs ``severity``, ``benefit``, ``evidence`` and ``cost_per_qaly`` (number or band; may be
    null). A row missing severity, benefit or evidence is not assessed: its explanation says
    which is missing instead of guessing.

    >>> frame = pl.DataFrame({"severity": ["stor", None], "benefit": ["stor", "stor"],
    ...     "cost_per_qaly": [50_000, None], "evidence": ["hög", "hög"]})
    >>> suggest_ranks(frame).select("suggested_rank", "rank_number").rows()
    [('4', 4), (None, None)]
    """
    function = "suggest_ranks"
    frame = ensure_frame(assessments, function)
    require_columns(frame, ["severity", "benefit", "cost_per_qaly", "evidence"], function=function)
    ranks, numbers, texts, explanations = [], [], [], []
    for row in frame.select("severity", "benefit", "cost_per_qaly", "evidence").iter_rows():
        missing = [
            name
            for name, value in zip(
                ("svårighetsgrad", "patientnytta", None, "kunskapsunderlag"), row, strict=True
            )
            if name and (value is None or value == "")
        ]
        if missing:
            ranks.append(None)
            numbers.append(None)
            texts.append(recommendation_text(None))
            explanations.append(f"Ej bedömd: {', '.join(missing)} saknas.")
            continue
        suggestion = suggest_rank(*row, params=params)
        ranks.append(str(suggestion.rank))
        numbers.append(suggestion.rank if isinstance(suggestion.rank, int) else None)
        texts.append(suggestion.recommendation)
        explanations.append(" ".join(suggestion.steps))
    return frame.with_columns(
        pl.Series("suggested_rank", ranks, dtype=pl.String),
        pl.Series("rank_number", numbers, dtype=pl.Int64),
        pl.Series("recommendation", texts, dtype=pl.String),
        pl.Series("explanation", explanations, dtype=pl.String),
    )
