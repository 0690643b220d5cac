"""Demo organisations and one demo user per role, for trying Hälsogap locally."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from halsogap_web.observations.models import Area

from .models import Membership, Organisation, Role

#: The HFS network, whose secretariat the national coordinator leads.
NETWORK = "HFS-nätverket"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    full_name: str
    organisation: str
    role: str


# Local demo accounts only: the command that creates them refuses to run in production.
DEMO_USERS = [
    DemoUser(
        "anna.analytiker", "demo-analytiker", "Anna Analytiker", "Region Stockholm", Role.ANALYTIKER
    ),
    DemoUser(
        "per.politiker",
        "demo-fortroendevald",
        "Per Politiker",
        "Region Stockholm",
        Role.FORTROENDEVALD,
    ),
    DemoUser(
        "ulla.utforare",
        "demo-utforare",
        "Ulla Utförare",
        "Vårdcentral Rinkeby (demo)",
        Role.UTFORARE,
    ),
    DemoUser(
        "hanna.hfs",
        "demo-hfs",
        "Hanna HFS-processledare",
        "Region Stockholm",
        Role.HFS_PROCESSLEDARE,
    ),
    DemoUser(
        "adam.admin",
        "demo-administrator",
        "Adam Administratör",
        "Region Stockholm",
        Role.ADMINISTRATOR,
    ),
    DemoUser("otto.skane", "demo-skane", "Otto i Skåne", "Region Skåne", Role.ANALYTIKER),
    DemoUser(
        "sara.sekretariat",
        "demo-sekretariat",
        "Sara Samordnare",
        NETWORK,
        Role.SEKRETARIAT,
    ),
]


def ensure_demo_organisations() -> dict[str, Organisation]:
    """Region Stockholm with three units, Region Skåne as a second, separate region, and the
    HFS network both are members of."""
    areas = dict(Area.objects.filter(code__in=["01", "12", "0180"]).values_list("code", "id"))
    stockholm, _ = Organisation.objects.get_or_create(
        name="Region Stockholm", defaults={"kind": "region", "area_id": areas.get("01")}
    )
    skane, _ = Organisation.objects.get_or_create(
        name="Region Skåne", defaults={"kind": "region", "area_id": areas.get("12")}
    )
    units = [
        ("Hälso- och sjukvårdsförvaltningen", Organisation.Kind.FORVALTNING, None),
        ("Vårdcentral Rinkeby (demo)", Organisation.Kind.VARDCENTRAL, None),
        ("Stockholms stad", Organisation.Kind.KOMMUN, areas.get("0180")),
    ]
    network, _ = Organisation.objects.get_or_create(
        name=NETWORK, defaults={"kind": Organisation.Kind.NATVERK}
    )
    by_name = {"Region Stockholm": stockholm, "Region Skåne": skane, NETWORK: network}
    for name, kind, area_id in units:
        unit, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": stockholm, "area_id": area_id}
        )
        by_name[name] = unit
    return by_name


@transaction.atomic
def ensure_demo_users() -> list[DemoUser]:
    organisations = ensure_demo_organisations()
    User = get_user_model()
    for demo in DEMO_USERS:
        first, _, last = demo.full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=demo.username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(demo.password)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisations[demo.organisation], role=demo.role
        )
    # A process leader is often an analyst too: Hanna holds both places and acts in the first.
    hanna = User.objects.get(username="hanna.hfs")
    Membership.objects.get_or_create(
        user=hanna, organisation=organisations["Region Stockholm"], role=Role.ANALYTIKER
    )
    return DEMO_USERS
