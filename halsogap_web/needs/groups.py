"""A need group's areas as the user's data holds them, and what saving a group tells."""

from __future__ import annotations

from halsogap.needs import NeedsInputError
from halsogap.needs.groups import areas_of_group
from halsogap_web import evidence
from halsogap_web.observations.models import Area

from .models import NeedGroup


def group_areas(group: NeedGroup, user) -> list[str]:
    """The area codes ``group`` holds on the data ``user`` reads (empty when none)."""
    try:
        return areas_of_group(group.to_spec(), evidence.needs_data(user, region=group.region))
    except NeedsInputError:
        return []


def group_saved_message(group: NeedGroup, areas: list[str]) -> str:
    names = dict(Area.objects.filter(code__in=areas).values_list("code", "name"))
    listed = ", ".join(names.get(code, code) for code in areas[:8])
    more = f" och {len(areas) - 8} till" if len(areas) > 8 else ""
    count = (
        "hela regionen"
        if areas == [group.region.area.code]
        else f"{len(areas)} kommun"
        if len(areas) == 1
        else f"{len(areas)} kommuner"
    )
    return f"Behovsgruppen {group.name} är sparad och omfattar {count}: {listed}{more}."


def empty_group_message(group: NeedGroup) -> str:
    if group.area_rule == NeedGroup.AreaRule.QUINTILE:
        return (
            f"Kvintil {group.quintile} av {group.background_indicator} har ingen kommun i "
            f"{group.region} (kvintilerna är riksgemensamma). Välj ”kvintil inom regionen” "
            "eller en annan kvintil."
        )
    return (
        "Behovsgruppen omfattar inga områden med värden. Välj andra kommuner eller en annan regel."
    )
