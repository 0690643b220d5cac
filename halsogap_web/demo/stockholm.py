"""Region Stockholm's demo steering year: from the needs analysis to reported follow-up.

The needs and targets are real indicators from the demo data (Kolada/RKA); the costs, effects
and activity figures are demo assumptions and say so. Dates follow today's date, so the year
always reads as the current one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from halsogap_web.accounts.models import Organisation
from halsogap_web.assignments.models import Assignment
from halsogap_web.observations.models import Indicator

from . import steering as s
from . import stockholm_assignments

LOW_EDUCATION = ["0127", "0181", "0191", "0188", "0192", "0140"]  # Botkyrka … Nykvarn


def load(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    region = Organisation.objects.get(name="Region Stockholm")
    anna, per = s.user("anna.analytiker"), s.user("per.politiker")
    ulla, adam = s.user("ulla.utforare"), s.user("adam.admin")
    year = today.year + 1 if today.month >= 9 else today.year
    with s.actor_context("anna.analytiker"):
        groups = _groups(region, anna)
        analysis = s.analysis(
            region,
            "sthlm:analysis",
            {
                "title": f"Behovsanalys {year} (demo)",
                "year": year,
                "optimal_method": "best_region",
                "introduction": (
                    "Underlaget beskriver befolkningens hälsa i Stockholms län och de gap som "
                    "finns mot de mål de förtroendevalda satt, för länet som helhet och för de "
                    "kommuner där utbildningsnivån är lägst. Demodata: Kolada/RKA."
                ),
                "dialogue_notes": (
                    "Dialog med vårdcentralerna i Botkyrka och Södertälje (demo): rökningen och "
                    "den fysiska inaktiviteten upplevs som störst bland dem som har svårast att "
                    "nå vården. Brukarrådet efterfrågar samtal på fler språk."
                ),
            },
            by=anna,
        )
        analysis.need_groups.set([groups["lan"], groups["utsatta"]])
    needs = _needs(analysis, anna, per)
    with s.actor_context("anna.analytiker"):
        _dialogues(region, groups, needs, anna, today)
    with s.actor_context("per.politiker"):
        s.comment(
            analysis,
            "sthlm:comment:1",
            "Gapet i de utsatta kommunerna ska minska först; rökning och fysisk aktivitet är "
            "våra prioriterade behov nästa år.",
            by=per,
        )
        s.need_comment(
            needs["U01402"],
            "sthlm:need-dialogue:1",
            3,
            "Politik och förvaltning är överens: rökningen i Botkyrka och Södertälje först.",
            by=per,
        )
    with s.actor_context("anna.analytiker"):
        s.need_comment(
            needs["U01402"],
            "sthlm:need-dialogue:2",
            4,
            "Utkast till uppdrag skickat till Vårdcentral Rinkeby för dialog.",
            by=anna,
        )
        measures = _measures(region, anna)
        _assessments(region, groups, measures, anna)
    with s.actor_context("per.politiker"):
        decision = s.decision(
            region,
            "sthlm:decision:1",
            by=per,
            budget=6_000_000,
            # The politicians weigh need size and inequity above the default weights.
            weights={
                "need_size": 35,
                "severity": 20,
                "inequity": 30,
                "cost_effectiveness": 10,
                "evidence": 5,
            },
            data={
                "body": "Hälso- och sjukvårdsnämnden",
                "decided_on": date(today.year, 6, 12) if today.month > 6 else today - timedelta(30),
                "paragraph": "14",
                "reference": f"HSN {today.year}-0412",
                "decided_by": "Hälso- och sjukvårdsnämnden (demo)",
                "rationale": (
                    "Behoven i de socioekonomiskt utsatta kommunerna väger tyngst: stora gap, "
                    "ojämlikt fördelade. Rökning och fysisk aktivitet prioriteras; åtgärderna "
                    "inom budgeten finansieras i rangordning (demo)."
                ),
                "published": "on",
            },
        )
    with s.actor_context("anna.analytiker"):
        assignments = stockholm_assignments.load(
            region, today, groups, needs, measures, decision, anna, per, ulla
        )
        _governing_documents(region, year, anna)
    return {
        "region": region,
        "analysis": analysis,
        "decision": decision,
        "assignments": assignments,
        "admin": adam,
    }


def _governing_documents(region, year: int, anna) -> None:
    """The regionplan carries every decided assignment; the year's verksamhetsplan all but
    the newest, so that the proposal shows what a missing assignment looks like."""
    decided = list(
        Assignment.objects.filter(region=region).exclude(step="draft").order_by("created_at")
    )
    s.governing_document(
        region,
        "sthlm:document:regionplan",
        {
            "kind": "regionplan",
            "title": f"Regionplan {year - 3}–{year} (demo)",
            "year": year,
            "assignments": [a.pk for a in decided],
        },
        by=anna,
    )
    s.governing_document(
        region,
        "sthlm:document:verksamhetsplan",
        {
            "kind": "verksamhetsplan",
            "title": f"Verksamhetsplan {year}, hälso- och sjukvården (demo)",
            "year": year,
            "assignments": [a.pk for a in decided[:-1]],
        },
        by=anna,
    )


def _dialogues(region, groups, needs, anna, today: date) -> None:
    """The population's voice in the demo analysis: a focus group that reached a group that
    is hard to reach (in numbers too small to show) and a survey that did not."""
    s.dialogue(
        region,
        "sthlm:dialogue:1",
        {
            "kind": "fokusgrupp",
            "held_on": f"{today - timedelta(days=120):%Y-%m-%d}",
            "title": "Rökning och rörelse i Botkyrka och Södertälje (demo)",
            "participants_text": (
                "Boende 25–64 år i Alby och Fittja; 18\n"
                "Nyanlända kvinnor (med tolk); 7\n"
                "Personer med intellektuell funktionsnedsättning; 3"
            ),
            "reached_text": "Nyanlända kvinnor\nPersoner med intellektuell funktionsnedsättning",
            "missed_text": "Unga män 16–24 år utanför skola och arbete",
            "themes_text": "rökning, rörelse, tillit till vården, språk",
            "said": (
                "Deltagarna vill ha rökavvänjning på fler språk och på tider som passar skiftarbete; "
                "många visste inte att vårdcentralen erbjuder det.\n\n"
                "Rörelse upplevs som otryggt kvällstid; önskemål om gruppträning i "
                "föreningsregi nära hemmet (demo)."
            ),
            "need_groups": [groups["utsatta"].pk],
            "needs": [needs["U01402"].pk],
        },
        by=anna,
    )
    s.dialogue(
        region,
        "sthlm:dialogue:2",
        {
            "kind": "enkat",
            "held_on": f"{today - timedelta(days=60):%Y-%m-%d}",
            "title": "Webbenkät om levnadsvanor, hela länet (demo)",
            "participants_text": "Kvinnor; 612\nMän; 488",
            "reached_text": "",
            "missed_text": "Personer utan tillgång till internet\nÄldre över 80 år",
            "themes_text": "levnadsvanor, information",
            "said": (
                "Sju av tio vill få råd om levnadsvanor vid ordinarie besök i stället för vid "
                "särskilda mottagningar (demo)."
            ),
            "need_groups": [groups["lan"].pk],
        },
        by=anna,
    )


def _groups(region, anna) -> dict:
    return {
        "lan": s.need_group(
            region,
            "sthlm:group:lan",
            {
                "name": "Hela länet",
                "area_rule": "region",
                "sex": "T",
                "description": "Alla invånare i Stockholms län.",
            },
            by=anna,
        ),
        "utsatta": s.need_group(
            region,
            "sthlm:group:utsatta",
            {
                "name": "Kommuner med lägst utbildningsnivå",
                "area_rule": "chosen",
                "area_codes": LOW_EDUCATION,
                "sex": "T",
                "condition": "socioekonomiskt utsatta kommuner",
                "description": (
                    "Länets sex kommuner med lägst andel eftergymnasialt utbildade 25–64 år "
                    "(Kolada N01982): Botkyrka, Södertälje, Sigtuna, Nynäshamn, Norrtälje och "
                    "Nykvarn."
                ),
            },
            by=anna,
        ),
        "kvinnor": s.need_group(
            region,
            "sthlm:group:kvinnor",
            {
                "name": "Kvinnor i länet",
                "area_rule": "region",
                "sex": "K",
                "description": "Kvinnor i Stockholms län.",
            },
            by=anna,
        ),
    }


TARGETS = {
    # code: (target fields, set by the politician?)
    "U01402": (
        {
            "severity": 4,
            "target_kind": "absolute",
            "target_value": "4,0",
            "target_rationale": "Halvera skillnaden mot riket till 2030.",
        },
        True,
    ),
    "U01429": (
        {
            "severity": 3,
            "target_kind": "best",
            "best_n": 3,
            "best_level": "region",
            "target_rationale": "Som de tre bästa regionerna.",
        },
        True,
    ),
    "U01405": (
        {
            "severity": 3,
            "target_kind": "relative",
            "change_percent": "5",
            "baseline_period": 2020,
            "target_period": 2030,
            "target_rationale": "Fem procent fler med bra självskattad hälsa till 2030.",
        },
        True,
    ),
    "U01404": (
        {
            "severity": 2,
            "target_kind": "best",
            "best_n": 1,
            "best_level": "region",
            "target_rationale": "Förslag från förvaltningen: som bästa region.",
        },
        False,
    ),
    "N01452": (
        {
            "severity": 3,
            "target_kind": "best",
            "best_n": 1,
            "best_level": "region",
            "target_rationale": "Förslag: som bästa region.",
        },
        False,
    ),
}


def _needs(analysis, anna, per) -> dict:
    out = {}
    for code, (target, by_politician) in TARGETS.items():
        who = per if by_politician else anna
        with s.actor_context(who.username):
            out[code] = s.need(
                analysis, f"sthlm:need:{code}", code, target, by=who, approves=by_politician
            )
    return out


def _measures(region, anna) -> dict:
    common = {"source": s.DEMO_NOTE, "note": s.DEMO_NOTE}
    return {
        "tobak": s.measure(
            region,
            "sthlm:measure:tobak",
            "LV-TOB-01",
            {
                **common,
                "code": "RS-TOB-01",
                "evidence": "måttlig",
                "cost_yearly": "1800000",
                "reach": "2400",
                "uptake": "0,6",
                "effect_per_person": "0,05",
            },
            by=anna,
        ),
        "far": s.measure(
            region,
            "sthlm:measure:far",
            "LV-FYS-01",
            {
                **common,
                "code": "RS-FYS-01",
                "evidence": "måttlig",
                "cost_yearly": "2200000",
                "reach": "3000",
                "uptake": "0,5",
                "effect_per_person": "0,03",
            },
            by=anna,
        ),
        "alkohol": s.measure(
            region,
            "sthlm:measure:alkohol",
            "LV-ALK-01",
            {
                **common,
                "code": "RS-ALK-01",
                "evidence": "låg",
                "cost_yearly": "1500000",
                "reach": "2000",
                "uptake": "0,4",
                "effect_per_person": "0,02",
            },
            by=anna,
        ),
        "mat": s.measure(
            region,
            "sthlm:measure:mat",
            "LV-MAT-01",
            {
                **common,
                "code": "RS-MAT-01",
                "evidence": "måttlig",
                "cost_yearly": "2600000",
                "reach": "1500",
                "uptake": "0,5",
                "effect_per_person": "0,02",
            },
            by=anna,
        ),
    }


def _assessments(region, groups, measures, anna) -> None:
    rows = [
        ("utsatta", "U01402", "tobak", "mycket stor", "måttlig", "låg", "måttlig"),
        ("lan", "U01402", "tobak", "stor", "måttlig", "låg", "måttlig"),
        ("utsatta", "U01429", "far", "stor", "måttlig", "måttlig", "måttlig"),
        ("lan", "U01404", "alkohol", "stor", "liten", "måttlig", "låg"),
        ("kvinnor", "U01405", "mat", "måttlig", "liten", "hög", "måttlig"),
    ]
    for group, code, measure, severity, benefit, cost, evidence in rows:
        s.assessment(
            region,
            f"sthlm:assessment:{group}:{code}",
            {
                "need_group": groups[group].pk,
                "indicator": Indicator.objects.get(code=code).pk,
                "measure": measures[measure].pk,
                "severity": severity,
                "benefit": benefit,
                "cost_band": cost,
                "evidence": evidence,
                "criteria": "Stort gap i socioekonomiskt utsatta kommuner."
                if group == "utsatta"
                else "",
            },
            by=anna,
        )
