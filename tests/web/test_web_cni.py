"""Care Need Index per unit, the eligibility rule and the counts import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from halsogap_web.needs.demo import load_demo_care_units
from halsogap_web.needs.models import CareUnit, EligibilityRule

from .web_support import page_text

HEADER = (
    "enhet;namn;kommun;befolkning;barn_under_5;utlandsfodda;aldre_ensamboende;"
    "ensamstaende_foraldrar;inflyttade;arbetslosa;lagutbildade\n"
)


def upload(client, text: str, name: str = "vc.csv"):
    return client.post(
        "/vardbehov/",
        {"upload": "1", "file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_the_synthetic_demo_units_are_labelled_and_ranked_by_cni(client_for, analyst):
    load_demo_care_units()
    response = client_for(analyst).get("/vardbehov/")
    text = page_text(response)
    assert "syntetiska (påhittade)" in text
    rows = response.context["rows"]
    assert rows and all(r["namn"].endswith("(syntetisk)") for r in rows)
    assert [r["cni"] for r in rows] == sorted((r["cni"] for r in rows), reverse=True)
    for r in rows:
        assert r["eligible"] == (r["cni"] > 1.2 and r["befolkning"] > 5000)


def test_the_rule_is_editable_and_changes_who_is_eligible(client_for, analyst, stockholm):
    load_demo_care_units()
    client = client_for(analyst)
    before = sum(r["eligible"] for r in client.get("/vardbehov/").context["rows"])
    client.post("/vardbehov/", {"save_rule": "1", "cni_threshold": "1.0", "min_listed": "2000"})
    rule = EligibilityRule.objects.get(region=stockholm)
    assert (rule.cni_threshold, rule.min_listed) == (1.0, 2000)
    after = sum(r["eligible"] for r in client.get("/vardbehov/").context["rows"])
    assert after > before


def test_scbs_example_units_uploaded_through_the_page_get_scbs_cni(client_for, analyst):
    # SCB's published two-unit example (tests/fixtures/needs/SOURCE.md): CNI 1,5513 and 1,3204.
    client = client_for(analyst)
    response = upload(
        client,
        HEADER + "E1;Enhet 1;0180;5912;595;1391;484;167;385;981;632\n"
        "E2;Enhet 2;0180;2407;293;330;215;80;240;300;210\n",
    )
    assert response.status_code == 302
    assert not CareUnit.objects.get(code="E1").synthetic
    rows = {r["enhet"]: r for r in client.get("/vardbehov/").context["rows"]}
    assert round(rows["E1"]["cni"], 4) == 1.5513
    assert round(rows["E2"]["cni"], 4) == 1.3204
    assert round(rows["E1"]["cni_index"]) == 22709
    assert rows["E1"]["eligible"] and not rows["E2"]["eligible"]
    assert "för få listade" in rows["E2"]["reason"]


def test_a_bad_counts_file_is_refused_and_saves_nothing(client_for, analyst):
    response = upload(
        client_for(analyst),
        HEADER + "A;Enhet A;0180;10000;700;1800;300;500;1200;700;900\n"
        "B;Enhet B;0180;5000;x;100;100;100;100;100;100\n",
        name="fel.csv",
    )
    assert response.status_code == 200
    assert 'fel.csv, rad 3, kolumn "barn_under_5"' in page_text(response)
    assert not CareUnit.objects.filter(code__in=["A", "B"]).exists()


def test_politicians_read_but_cannot_change_the_rule(client_for, politician, stockholm):
    client = client_for(politician)
    assert client.get("/vardbehov/").status_code == 200
    response = client.post(
        "/vardbehov/", {"save_rule": "1", "cni_threshold": "0.5", "min_listed": "1"}
    )
    assert response.status_code == 403
    assert not EligibilityRule.objects.filter(region=stockholm, cni_threshold=0.5).exists()


def test_outsiders_never_see_another_regions_units(client_for, outsider):
    load_demo_care_units()
    rows = client_for(outsider).get("/vardbehov/").context["rows"]
    stockholm_codes = set(
        CareUnit.objects.filter(region__name="Region Stockholm").values_list("code", flat=True)
    )
    assert stockholm_codes and not stockholm_codes & {r["enhet"] for r in rows}


def test_a_region_enters_riket_s_reference_for_its_year_and_cni_follows_it(
    client_for, analyst, stockholm
):
    client = client_for(analyst)
    upload(client, HEADER + "E1;Enhet 1;0180;5912;595;1391;484;167;385;981;632\n")
    before = client.get("/vardbehov/")
    assert "enligt SCB:s exempel" in page_text(before)
    cni_before = before.context["rows"][0]["cni"]
    assert round(cni_before, 4) == 1.5513
    # Half of SCB's example reference doubles every unit's CNI.
    response = client.post(
        "/vardbehov/",
        {
            "save_rule": "1",
            "cni_threshold": "1,2",
            "min_listed": "5000",
            "national_points": "1,23805",
            "reference_year": "2025",
        },
    )
    assert response.status_code == 302
    after = client.get("/vardbehov/")
    assert after.context["rows"][0]["cni"] == pytest.approx(2 * cni_before)
    assert "1,2381 indexpoäng per invånare år 2025, angivet av regionen" in page_text(after)


def test_riket_s_reference_per_variable_is_read_from_a_file_and_a_bad_one_saves_nothing(
    client_for, analyst, stockholm
):
    client = client_for(analyst)
    rows = ["barn_under_5;0,2", "utlandsfodda;0,5", "aldre_ensamboende;0,3"]
    rows += ["ensamstaende_foraldrar;0,2", "inflyttade;0,6", "arbetslosa;0,4", "lagutbildade;0,3"]
    good = "variabel;poäng\n" + "\n".join(rows) + "\n"
    rule = {"save_rule": "1", "cni_threshold": "1,2", "min_listed": "5000"}
    response = client.post(
        "/vardbehov/",
        {**rule, "reference_file": SimpleUploadedFile("riket.csv", good.encode())},
    )
    assert response.status_code == 302
    assert EligibilityRule.objects.get(region=stockholm).national_points == 2.5
    bad = good.replace("arbetslosa;0,4", "arbetslosa;x")
    response = client.post(
        "/vardbehov/",
        {**rule, "reference_file": SimpleUploadedFile("fel.csv", bad.encode())},
    )
    assert response.status_code == 200
    assert "fel.csv, rad 7" in page_text(response)
    assert EligibilityRule.objects.get(region=stockholm).national_points == 2.5
    too_high = client.post("/vardbehov/", {**rule, "national_points": "40"})
    assert too_high.status_code == 200 and "32,58" in page_text(too_high)
    assert EligibilityRule.objects.get(region=stockholm).national_points == 2.5
