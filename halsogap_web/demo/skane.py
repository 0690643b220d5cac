"""Region Skåne's smaller demo year: one analysis, one assessment, a decision, one draft."""

from __future__ import annotations

from datetime import date, timedelta

from halsogap_web.accounts.models import Organisation
from halsogap_web.assignments.models import Step
from halsogap_web.observations.models import Indicator

from . import steering as s


def load(today: date) -> None:
    region = Organisation.objects.get(name="Region Skåne")
    otto = s.user("otto.skane")
    year = today.year + 1 if today.month >= 9 else today.year
    with s.actor_context("otto.skane"):
        group = s.need_group(
            region,
            "skane:group:region",
            {"name": "Hela Skåne", "area_rule": "region", "sex": "T"},
            by=otto,
        )
        analysis = s.analysis(
            region,
            "skane:analysis",
            {
                "title": f"Behovsanalys {year} (demo)",
                "year": year,
                "optimal_method": "best_region",
                "introduction": "Ett mindre underlag för Region Skåne (demo).",
            },
            by=otto,
        )
        analysis.need_groups.set([group])
        smoking = s.need(
            analysis,
            "skane:need:U01402",
            "U01402",
            {
                "severity": 3,
                "target_kind": "best",
                "best_n": 1,
                "best_level": "region",
                "target_rationale": "Förslag: som bästa region.",
            },
            by=otto,
            approves=False,
        )
        measure = s.measure(
            region,
            "skane:measure:tobak",
            "LV-TOB-01",
            {
                "code": "RSK-TOB-01",
                "source": s.DEMO_NOTE,
                "note": s.DEMO_NOTE,
                "evidence": "måttlig",
                "cost_yearly": "900000",
                "reach": "1200",
                "uptake": "0,5",
                "effect_per_person": "0,05",
            },
            by=otto,
        )
        s.assessment(
            region,
            "skane:assessment",
            {
                "need_group": group.pk,
                "indicator": Indicator.objects.get(code="U01402").pk,
                "measure": measure.pk,
                "severity": "stor",
                "benefit": "måttlig",
                "cost_band": "låg",
                "evidence": "måttlig",
                "criteria": "",
            },
            by=otto,
        )
        decision = s.decision(
            region,
            "skane:decision:1",
            by=otto,
            budget=2_000_000,
            weights={
                "need_size": 30,
                "severity": 30,
                "inequity": 20,
                "cost_effectiveness": 10,
                "evidence": 10,
            },
            data={
                "body": "Regionstyrelsen",
                "decided_on": today - timedelta(days=60),
                "paragraph": "7",
                "reference": f"RS {today.year}-0098",
                "decided_by": "Regionstyrelsen (demo)",
                "rationale": "Tobak först: störst gap mot bästa region (demo).",
                "published": "on",
            },
        )
        s.assignment(
            region,
            "skane:assignment:tobak",
            {
                "fields": {
                    "title": "Tobaksprevention i Skåne (demo)",
                    "description": "Utkast till uppdrag.",
                    "perspective": "population",
                    "kind": "preventive",
                },
                "group": group,
                "needs": [smoking],
                "measures": [measure],
                "decision": decision,
                "step": Step.DRAFT,
                "actors": {},
            },
            by=otto,
        )
