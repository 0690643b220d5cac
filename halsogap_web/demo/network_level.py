"""The demo's network level: the HFS network's verksamhetsplan for the year, a theme group
with members from both regions and its own plan, and the secretariat's follow-up questions to
the self-evaluation, answered by Stockholm and (one of them) by Skåne."""

from __future__ import annotations

from datetime import date

from halsogap_web.accounts.models import Membership, Organisation, Role
from halsogap_web.network.models import ActionPlan, PlanActivity
from halsogap_web.network.theme_models import ThemeGroup, ThemeGroupMember
from halsogap_web.selfevaluation.models import FollowUpAnswer, FollowUpQuestion

from .steering import actor_context, once, user

#: Prioritised activities per perspective, after the network's own verksamhetsplan.
ACTIVITIES = {
    "styrning": [
        (
            "Ta fram material för hur data om befolkningens och individens hälsa kan användas "
            "i regionernas planering, ledning och uppföljning.",
            "Projektledare",
            "Klart februari",
            "done",
        ),
        (
            "Utveckla arbetet med standards, spridning och användande av resultaten.",
            "Sekretariatet och PU",
            "Kontinuerligt under året",
            "in_progress",
        ),
    ],
    "patient": [
        (
            "Uppdatera stödmaterialet ”Hälsofrämjande möten”.",
            "Arbetsgrupp som bildas efter årsmötet",
            "Klart under året",
            "in_progress",
        ),
        (
            "Digitimme om det hälsofrämjande förhållningssättet.",
            "Sekretariatet",
            "Hösten",
            "planned",
        ),
    ],
    "befolkning": [
        (
            "Workshop: Primärvårdens befolkningsinriktade arbete – hur gör vi i praktiken?",
            "Sekretariatet tillsammans med SKR",
            "Februari",
            "done",
        ),
    ],
    "medarbetare": [
        (
            "Digitimme: Satsa på friskfaktorer – för en frisk och attraktiv arbetsplats.",
            "Sekretariatet ihop med Suntarbetsliv",
            "Maj",
            "done",
        ),
    ],
}

QUESTIONS = [
    ("Har regionen använt självevalueringens resultat i sin verksamhetsplan?", "yes_no"),
    ("Hur väl är processledarens uppdrag förankrat i regionens ledning?", "scale"),
]


def _fill(plan: ActionPlan, activities: dict) -> ActionPlan:
    for area in plan.focus_areas.all():
        for position, (text, responsible, when, status) in enumerate(
            activities.get(area.perspective, [])
        ):
            PlanActivity.objects.create(
                focus_area=area,
                position=position,
                description=text,
                responsible=responsible,
                time_plan=when,
                status=status,
            )
    return plan


def load(today: date) -> None:
    network = Organisation.objects.get(kind=Organisation.Kind.NATVERK)
    stockholm = Organisation.objects.get(name="Region Stockholm")
    skane = Organisation.objects.get(name="Region Skåne")
    sara = user("sara.sekretariat")
    with actor_context("sara.sekretariat"):
        once(
            f"network:plan:{today.year}",
            lambda: _fill(
                ActionPlan.start_network_plan(network, year=today.year, user=sara), ACTIVITIES
            ),
        )
        group = once(
            "network:theme:tobak",
            lambda: ThemeGroup.objects.create(
                network=network,
                name="Tobaksfri vård (demo)",
                description="Stöd till regionerna i arbetet med tobaksavvänjning och "
                "tobaksfri miljö, med kvalificerade rådgivande samtal.",
            ),
        )
        for username, region, role, leads in (
            ("hanna.hfs", stockholm, Role.HFS_PROCESSLEDARE, True),
            ("otto.skane", skane, Role.ANALYTIKER, False),
        ):
            seat = Membership.objects.get(user=user(username), organisation=region, role=role)
            once(
                f"network:theme:tobak:{username}",
                lambda seat=seat, leads=leads: ThemeGroupMember.objects.create(
                    group=group, membership=seat, leads=leads
                ),
            )
        once(
            f"network:theme:tobak:plan:{today.year}",
            lambda: _fill(
                ActionPlan.start_network_plan(
                    network, year=today.year, user=sara, theme_group=group
                ),
                {
                    "patient": [
                        (
                            "Sammanställ regionernas rutiner för tobakssamtal med tolk.",
                            "Temagruppens sammankallande",
                            "Våren",
                            "in_progress",
                        )
                    ]
                },
            ),
        )
        questions = [
            once(
                f"network:question:{today.year}:{i}",
                lambda text=text, kind=kind, i=i: FollowUpQuestion.objects.create(
                    network=network,
                    year=today.year,
                    text=text,
                    kind=kind,
                    position=i,
                    created_by=sara,
                ),
            )
            for i, (text, kind) in enumerate(QUESTIONS)
        ]
    _answer(questions[0], stockholm, "hanna.hfs", "ja", "Profilen låg till grund för målen.")
    _answer(questions[1], stockholm, "hanna.hfs", "6", "")
    _answer(questions[0], skane, "otto.skane", "nej", "Planeras till nästa år.")
    # Stockholm shares its action plan with the secretariat; Skåne keeps its own.
    with actor_context("hanna.hfs"):
        plan = ActionPlan.objects.filter(region=stockholm, theme_group=None).first()
        if plan is not None and not plan.shared:
            plan.shared = True
            plan.save(update_fields=["shared"])


def _answer(question, region, username: str, value: str, comment: str) -> None:
    with actor_context(username):
        once(
            f"network:answer:{question.pk}:{region.pk}",
            lambda: FollowUpAnswer.objects.create(
                question=question,
                region=region,
                value=value,
                comment=comment,
                answered_by=user(username),
            ),
        )
