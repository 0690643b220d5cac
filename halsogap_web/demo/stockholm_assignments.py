"""Region Stockholm's demo assignments: every step from draft to follow-up, all four
perspectives, one between principals, and the CNI supplementary drafts."""

from __future__ import annotations

from datetime import date

from halsogap_web.assignments.models import Step

from . import steering as s

TOBACCO_TALKS = "RS_TOBAKSSAMTAL"


def _quarters(today: date) -> list[str]:
    """The last three quarters that have ended, oldest first."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(3):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append(f"{year}K{quarter}")
    return out[::-1]


def load(region, today, groups, needs, measures, decision, anna, per, ulla) -> list:
    s.activity_indicator(
        region,
        "sthlm:indicator:tobacco-talks",
        {
            "code": TOBACCO_TALKS,
            "title": "Rådgivande samtal om tobak, antal (demo)",
            "description": "Antal kvalificerade rådgivande samtal om tobak som utföraren hållit.",
            "unit": "antal",
            "polarity": "higher_better",
            "kind": "activity",
            "source": "Utförarens verksamhetsdata (demo)",
            "producer": "Region Stockholm",
        },
    )
    year = today.year
    q = _quarters(today)
    actors = {
        Step.DIALOGUE: anna,
        Step.PROPOSAL: anna,
        Step.DECISION: per,
        Step.ACCEPTANCE: ulla,
        Step.FOLLOW_UP: anna,
        "report": ulla,
    }
    decided = s.decided(
        decision.decided_on,
        "Hälso- och sjukvårdsnämnden",
        "22",
        f"HSN {year}-0513",
        "Hälso- och sjukvårdsnämnden (demo)",
    )
    effect = {
        "role": "effect",
        "source": "Kolada/RKA (Folkhälsomyndigheten)",
        "frequency": "årligen",
        "period_kind": "år",
        "aggregation": "latest",
        "reporter": "Region Stockholm",
    }
    specs = [
        (
            "tobak",
            {
                "fields": {
                    "title": "Rökfri vardag i länets utsatta kommuner (demo)",
                    "description": "Kvalificerade rådgivande samtal om tobak för vuxna som "
                    "röker, med tolk vid behov, i kommunerna med lägst utbildningsnivå.",
                    "time_plan": f"{year}–{year + 3}",
                    "budget": "1800000",
                    "perspective": "population",
                    "kind": "preventive",
                },
                "group": groups["utsatta"],
                "needs": [needs["U01402"]],
                "measures": [measures["tobak"]],
                "decision": decision,
                "recipients": [("Vårdcentral Rinkeby (demo)", "Genomför samtalen.")],
                "goals": [
                    ("long", "Färre invånare som röker dagligen i de utsatta kommunerna."),
                    ("short", "300 rådgivande samtal om tobak per år."),
                ],
                "plan": [
                    {
                        **effect,
                        "goal": "long",
                        "indicator": "U01402",
                        "target": "5,0",
                        "target_date": f"{year + 3}-12-31",
                    },
                    {
                        "goal": "short",
                        "indicator": TOBACCO_TALKS,
                        "role": "process",
                        "baseline": "0",
                        "baseline_period": str(year - 1),
                        "target": "300",
                        "target_date": f"{year}-12-31",
                        "source": "Utförarens verksamhetsdata (demo)",
                        "frequency": "kvartal",
                        "period_kind": "kvartal",
                        "aggregation": "sum",
                        "reporter": "Vårdcentral Rinkeby (demo)",
                    },
                ],
                "step": Step.FOLLOW_UP,
                "decided": decided,
                "acceptance": "agreement",
                "actors": actors,
                "reports": {
                    TOBACCO_TALKS: [
                        (q[0], 95.0, "Uppstart, två samtalsledare på plats."),
                        (q[1], 140.0, "Samtal på somaliska och arabiska från maj."),
                        (q[2], 185.0, "Fler remisser från BVC."),
                    ]
                },
            },
        ),
        (
            "far",
            {
                "fields": {
                    "title": "Fysisk aktivitet på recept i primärvården (demo)",
                    "description": "FaR med uppföljning för vuxna med otillräcklig fysisk "
                    "aktivitet.",
                    "time_plan": f"{year}–{year + 2}",
                    "budget": "2200000",
                    "perspective": "individual",
                    "kind": "health_promoting",
                },
                "group": groups["utsatta"],
                "needs": [needs["U01429"]],
                "measures": [measures["far"]],
                "decision": decision,
                "recipients": [("Vårdcentral Rinkeby (demo)", "Förskriver och följer upp FaR.")],
                "goals": [("long", "Fler invånare som är fysiskt aktiva 150 minuter i veckan.")],
                "plan": [
                    {
                        **effect,
                        "goal": "long",
                        "indicator": "U01429",
                        "target": "70,0",
                        "target_date": f"{year + 2}-12-31",
                    }
                ],
                "step": Step.ACCEPTANCE,
                "decided": decided,
                "acceptance": "trust",
                "actors": actors,
            },
        ),
        (
            "alkohol",
            {
                "fields": {
                    "title": "Alkoholprevention tillsammans med Stockholms stad (demo)",
                    "description": "Region och kommun erbjuder rådgivande samtal och "
                    "samordnar insatser mot riskbruk av alkohol.",
                    "time_plan": f"{year + 1}–{year + 2}",
                    "budget": "1500000",
                    "perspective": "population",
                    "kind": "preventive",
                    "between_principals": "on",
                    "partner_principal": "Stockholms stad",
                },
                "group": groups["lan"],
                "needs": [needs["U01404"]],
                "measures": [measures["alkohol"]],
                "decision": decision,
                "recipients": [("Stockholms stad", "Kommunens del: skola och socialtjänst.")],
                "goals": [("long", "Färre invånare med riskabla alkoholvanor.")],
                "plan": [
                    {
                        **effect,
                        "goal": "long",
                        "indicator": "U01404",
                        "target": "12,0",
                        "target_date": f"{year + 2}-12-31",
                    }
                ],
                "step": Step.DECISION,
                "decided": decided,
                "actors": actors,
            },
        ),
        (
            "personal",
            {
                "fields": {
                    "title": "Hälsofrämjande arbetsplats i förvaltningen (demo)",
                    "description": "Medarbetarnas levnadsvanor och arbetsmiljö: "
                    "hälsosamtal för anställda.",
                    "perspective": "staff",
                    "kind": "health_promoting",
                },
                "group": groups["lan"],
                "needs": [needs["U01405"]],
                "recipients": [("Hälso- och sjukvårdsförvaltningen", "Ansvarar för insatsen.")],
                "goals": [("long", "Fler medarbetare med bra självskattad hälsa.")],
                "plan": [
                    {
                        **effect,
                        "goal": "long",
                        "indicator": "U01405",
                        "target": "75,0",
                        "target_date": f"{year + 2}-12-31",
                    }
                ],
                "step": Step.PROPOSAL,
                "actors": actors,
            },
        ),
        (
            "ledning",
            {
                "fields": {
                    "title": "Ledningssystem för hälsofrämjande vård (demo)",
                    "description": "Rutiner för att följa upp levnadsvanor i hela regionens "
                    "ledningssystem.",
                    "perspective": "governance",
                    "kind": "health_promoting",
                },
                "recipients": [("Hälso- och sjukvårdsförvaltningen", "Tar fram rutinerna.")],
                "goals": [("short", "Rutin för uppföljning av levnadsvanor på plats.")],
                "step": Step.DIALOGUE,
                "actors": actors,
            },
        ),
        (
            "psykisk",
            {
                "fields": {
                    "title": "Psykisk hälsa bland unga vuxna (demo)",
                    "description": "Utkast: tidiga insatser vid psykisk påfrestning.",
                    "perspective": "individual",
                    "kind": "preventive",
                },
                "group": groups["lan"],
                "needs": [needs["N01452"]],
                "step": Step.DRAFT,
                "actors": actors,
            },
        ),
    ]
    return [s.assignment(region, f"sthlm:assignment:{key}", spec, by=anna) for key, spec in specs]
