"""What a run changed, as its page may show it: through the evidence reader, so a value that
is suppressed now is hidden, and an earlier count below the threshold is hidden too."""

from __future__ import annotations

from django.conf import settings

from halsogap.disclosure import is_disclosable
from halsogap.numbers import decimals_for, is_count_unit
from halsogap_web import evidence
from halsogap_web.observations.models import Area, Indicator

KEY = ("indicator", "area", "period", "sex", "age_band", "socioeconomic_group")
SEX_WORDS = {"T": "totalt", "K": "kvinnor", "M": "män"}


def visible_changes(run, user) -> list[dict]:
    """The run's changed values with ``old`` and ``new`` None where they may not be shown."""
    changes = run.batch.changes if run.batch else []
    if not changes:
        return []
    frame = evidence.observations(user, {c["indicator"] for c in changes})
    shown = {
        tuple(row[k] or "" for k in KEY): (row["value"], row.get("unit"))
        for row in frame.select(*KEY, "value", "unit").iter_rows(named=True)
    }
    threshold = settings.HALSOGAP_DISCLOSURE_THRESHOLD
    # Areas and indicators by the names a reader knows ("Stockholms län", not "01").
    areas = dict(
        Area.objects.filter(code__in={c["area"] for c in changes}).values_list("code", "name")
    )
    titles = dict(
        Indicator.objects.filter(code__in={c["indicator"] for c in changes}).values_list(
            "code", "title"
        )
    )
    out = []
    for change in changes:
        key = tuple(change.get(k) or "" for k in KEY)
        new, unit = shown.get(key, (None, None))
        old = change.get("old")
        if new is None or (is_count_unit(unit) and not is_disclosable(old, threshold)):
            old = None
        out.append(
            {
                **change,
                "new": new,
                "old": old,
                "decimals": decimals_for(unit),
                "area_name": areas.get(change["area"], change["area"]),
                "indicator_title": titles.get(change["indicator"], change["indicator"]),
                "sex_word": SEX_WORDS.get(change.get("sex") or "T", change.get("sex")),
            }
        )
    return out
