"""The living demo: one whole steering year for Region Stockholm and a smaller one for Region
Skåne, made through the same forms and model methods as real work (see :mod:`.steering`).

:func:`load_living_demo` is idempotent: every object is recorded under a stable key in
:class:`~halsogap_web.demo.models.DemoRecord`, and a second run finds them all.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone, translation


@transaction.atomic
def load_living_demo(today: date | None = None) -> dict:
    """Load the demo year (after the data, the users and the care units); returns a summary."""
    # The demo types numbers as Swedish users do ("4,0"), so the forms read them in Swedish.
    with translation.override("sv"):
        return _load(today or timezone.localdate())


def _load(today: date) -> dict:
    from halsogap_web.accounts.models import Organisation
    from halsogap_web.assignments.supplementary import draft_supplementary_assignments

    from . import network, network_level, skane, stockholm
    from .models import DemoRecord
    from .steering import actor_context, once, user

    before = DemoRecord.objects.count()
    year = stockholm.load(today)
    anna, hanna = user("anna.analytiker"), user("hanna.hfs")
    with actor_context("anna.analytiker"):
        once(
            "sthlm:cni-drafts",
            lambda: (
                draft_supplementary_assignments(year["region"], user=anna) or [year["region"]]
            )[0],
        )
        network.wheel(
            year["region"],
            by=anna,
            today=today,
            artefacts=network.artefact_urls(year["analysis"], year["decision"]),
        )
    with actor_context("hanna.hfs"):
        evaluation = network.evaluation(
            year["region"],
            "sthlm:evaluation",
            by=hanna,
            scores={"styrning": 4, "patient": 7, "befolkning": 5, "medarbetare": 6},
            shared=True,
        )
        plan = network.action_plan(evaluation, "sthlm:action-plan", by=hanna, year=today.year)
        activity = (
            plan.focus_areas.first().activities.first() if plan.focus_areas.exists() else None
        )
        network.example(
            year["region"],
            "sthlm:example",
            {
                "kind": "activity",
                "title": "Tobakssamtal med tolk på vårdcentralen (demo)",
                "description": "Kvalificerade rådgivande samtal om tobak med tolk, bokade via "
                "BVC och barnhälsovården.",
                "achieved": "420 samtal på tre kvartal; målet 300 per år nåddes (demo).",
                "perspective": "befolkning",
            },
            by=hanna,
            activity=activity,
        )
    skane.load(today)
    skane_region = Organisation.objects.get(name="Region Skåne")
    with actor_context("otto.skane"):
        other = network.evaluation(
            skane_region,
            "skane:evaluation",
            by=user("otto.skane"),
            scores={"styrning": 6, "patient": 5, "befolkning": 7, "medarbetare": 4},
            shared=True,
        )
        network.action_plan(other, "skane:action-plan", by=user("otto.skane"), year=today.year)
        network.example(
            skane_region,
            "skane:example",
            {
                "kind": "measure",
                "title": "Hälsosamtal för 40-åringar (demo)",
                "description": "Alla 40-åringar i tre kommuner bjuds in till hälsosamtal.",
                "achieved": "Deltagandet ökade från 45 till 62 procent på två år (demo).",
                "perspective": "befolkning",
            },
            by=user("otto.skane"),
        )
    network_level.load(today)
    _store_statuses()
    return {"created": DemoRecord.objects.count() - before, "total": DemoRecord.objects.count()}


def _store_statuses() -> None:
    """Each plan line's status now, so the region overview shows it without a visit first."""
    from halsogap_web.assignments.follow_up import plan_results, store_statuses
    from halsogap_web.assignments.models import PlanIndicator

    plans = list(PlanIndicator.objects.select_related("indicator", "assignment__region__area"))
    for region in {p.assignment.region for p in plans}:
        part = [p for p in plans if p.assignment.region == region]
        store_statuses(plan_results(part, region))
