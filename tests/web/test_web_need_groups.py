"""Saving a need group says how many areas it holds and refuses one that holds none."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap_web.needs.models import NeedGroup
from halsogap_web.observations.models import Indicator
from halsogap_web.observations.store import write_observations

from .web_support import page_text

STOCKHOLM_KOMMUNER = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128"]
SKANE_KOMMUNER = ["1214", "1230", "1231", "1233", "1256", "1257", "1260", "1261", "1262"]


@pytest.fixture
def education(db):
    """Every Stockholm kommun better educated than every Skåne kommun (N01982, 2022)."""
    rows = [
        {"indicator": "N01982", "area": code, "period": "2022", "value": 50.0 + i}
        for i, code in enumerate(STOCKHOLM_KOMMUNER)
    ] + [
        {"indicator": "N01982", "area": code, "period": "2022", "value": 20.0 + i}
        for i, code in enumerate(SKANE_KOMMUNER)
    ]
    write_observations(pl.DataFrame(rows), batch_id=None)
    return Indicator.objects.get(code="N01982")


def _post(client, education, rule: str, quintile: int):
    return client.post(
        "/behovsanalys/behovsgrupp/ny/",
        {
            "name": "Lägst utbildning",
            "area_rule": rule,
            "background_indicator": education.pk,
            "quintile": quintile,
            "sex": "T",
        },
    )


def test_a_national_quintile_without_the_regions_kommuner_is_refused_with_the_reason(
    client_for, analyst, education
):
    response = _post(client_for(analyst), education, "quintile", 1)
    assert response.status_code == 200
    text = page_text(response)
    assert "Kvintil 1 av" in text and "har ingen kommun i Region Stockholm" in text
    assert "kvintil inom regionen" in text
    assert not NeedGroup.objects.filter(name="Lägst utbildning").exists()


def test_a_quintile_within_the_region_is_saved_and_its_kommuner_are_named(
    client_for, analyst, education
):
    client = client_for(analyst)
    response = _post(client, education, "region_quintile", 1)
    assert response.status_code == 302
    group = NeedGroup.objects.get(name="Lägst utbildning")
    assert group.area_rule == "region_quintile"
    shown = page_text(client.get(response["Location"]))
    # Nine kommuner in five quintiles: the lowest two values (Upplands Väsby, Vallentuna) form 1.
    assert "Behovsgruppen Lägst utbildning är sparad och omfattar 2 kommuner" in shown
    assert "Upplands Väsby" in shown and "Vallentuna" in shown


def test_a_chosen_kommun_is_counted_in_the_saved_message(client_for, analyst, education):
    client = client_for(analyst)
    response = client.post(
        "/behovsanalys/behovsgrupp/ny/",
        {"name": "Stockholms stad", "area_rule": "chosen", "area_codes": ["0180"], "sex": "T"},
    )
    assert "omfattar 1 kommun: Stockholm." in page_text(client.get(response["Location"]))
