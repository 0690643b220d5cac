"""The needs analysis: need groups, targets, the gap document, comments, ranking and exports."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from halsogap_web.needs.models import AnalysisComment, AnalysisIndicator, NeedGroup, NeedsAnalysis

from .web_support import page_text


@pytest.fixture
def analysis(client_for, analyst):
    client = client_for(analyst)
    client.post(
        "/behovsanalys/behovsgrupp/ny/",
        {"name": "Hela Stockholms län", "area_rule": "region", "sex": "T", "age_band": "16-84"},
    )
    client.post(
        "/behovsanalys/behovsgrupp/ny/",
        {"name": "Stockholms stad", "area_rule": "chosen", "area_codes": ["0180"], "sex": "T"},
    )
    response = client.post(
        "/behovsanalys/",
        {"title": "Behovsanalys 2027", "year": 2027, "optimal_method": "best_region"},
    )
    analysis = NeedsAnalysis.objects.get(title="Behovsanalys 2027")
    assert response["Location"] == f"/behovsanalys/{analysis.pk}/"
    groups = NeedGroup.objects.filter(region=analysis.region)
    client.post(
        f"/behovsanalys/{analysis.pk}/behovsgrupper/",
        {"groups": "1", "group": [g.pk for g in groups]},
    )
    response = client.post(
        f"/behovsanalys/{analysis.pk}/behov/",
        {
            "add_item": "1",
            "item-indicator": _indicator_pk("U01402"),
            "item-severity": 3,
            "item-target_kind": "best",
            "item-best_n": 1,
            "item-best_level": "region",
            "item-target_rationale": "Lika bra som bästa region till 2030",
        },
    )
    assert response.status_code == 302
    return analysis


def _indicator_pk(code):
    from halsogap_web.observations.models import Indicator

    return Indicator.objects.get(code=code).pk


def test_the_analysis_shows_each_need_groups_gap_to_the_best_region(client_for, analyst, analysis):
    response = client_for(analyst).get(f"/behovsanalys/{analysis.pk}/")
    content = response.context["content"]
    assert [g.name for g in content.groups] == ["Hela Stockholms län", "Stockholms stad"]
    item = content.groups[0].items[0]
    # Session data: U01402 2022 is 5,8 % in Region Stockholm and 6,0 % in Skåne, so the
    # best region among these is Stockholm itself: no gap left to close.
    row = item.rows[0]
    assert row.area == "Region Stockholm" and row.current == pytest.approx(5.8)
    assert row.desired == pytest.approx(5.8) and row.gap_to_close == pytest.approx(0.0)
    assert item.target_set_by and item.target_rationale == "Lika bra som bästa region till 2030"
    text = page_text(response)
    assert "Källa: Kolada/RKA (Folkhälsomyndigheten (HLV))" in text
    assert "None" not in text


def test_a_politician_comments_and_sets_a_target_but_cannot_change_the_groups(
    client_for, politician, analysis
):
    client = client_for(politician)
    client.post(
        f"/behovsanalys/{analysis.pk}/kommentar/", {"comment": "1", "text": "Prioritera unga."}
    )
    assert AnalysisComment.objects.get(analysis=analysis).author == politician
    response = client.post(
        f"/behovsanalys/{analysis.pk}/behov/",
        {
            "add_item": "1",
            "item-indicator": _indicator_pk("U01405"),
            "item-severity": 2,
            "item-target_kind": "absolute",
            "item-target_value": "75",
            "item-target_rationale": "Fullmäktiges mål",
        },
    )
    assert response.status_code == 302
    item = AnalysisIndicator.objects.get(analysis=analysis, indicator__code="U01405")
    assert item.target_set_by == politician
    assert (
        client.post(f"/behovsanalys/{analysis.pk}/behovsgrupper/", {"groups": "1"}).status_code
        == 403
    )
    assert analysis.need_groups.count() == 2


def test_an_absolute_target_without_a_value_is_refused_and_nothing_is_saved(
    client_for, analyst, analysis
):
    response = client_for(analyst).post(
        f"/behovsanalys/{analysis.pk}/behov/",
        {
            "add_item": "1",
            "item-indicator": _indicator_pk("U01411"),
            "item-severity": 2,
            "item-target_kind": "absolute",
        },
    )
    assert response.status_code == 400
    assert "Ange målvärdet" in page_text(response)
    assert not AnalysisIndicator.objects.filter(indicator__code="U01411").exists()


def test_an_indicator_without_polarity_cannot_have_a_gap(client_for, analyst, analysis):
    response = client_for(analyst).post(
        f"/behovsanalys/{analysis.pk}/behov/",
        {
            "add_item": "1",
            "item-indicator": _indicator_pk("N01951"),
            "item-severity": 1,
            "item-target_kind": "best",
            "item-best_n": 1,
            "item-best_level": "region",
        },
    )
    assert response.status_code == 400
    assert not AnalysisIndicator.objects.filter(indicator__code="N01951").exists()


def test_outsiders_and_the_public_never_read_another_regions_analysis(
    client_for, outsider, analysis
):
    for path in (
        f"/behovsanalys/{analysis.pk}/",
        f"/behovsanalys/{analysis.pk}/behovsanalys.pdf",
        f"/behovsanalys/{analysis.pk}/behovsanalys.docx",
    ):
        assert client_for(outsider).get(path).status_code == 404
        assert client_for(None).get(path).status_code == 302
    assert (
        client_for(outsider)
        .post(f"/behovsanalys/{analysis.pk}/kommentar/", {"comment": "1", "text": "x"})
        .status_code
        == 404
    )


def test_the_analysis_exports_as_pdf_word_and_excel_with_the_gap_table(
    client_for, analyst, analysis
):
    client = client_for(analyst)
    pdf = client.get(f"/behovsanalys/{analysis.pk}/behovsanalys.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/behovsanalys/{analysis.pk}/behovsanalys.docx")
    document = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "Gap kvar att sluta" in document and "Region Stockholm" in document
    assert "Källa: Kolada/RKA" in document
    xlsx = client.get(f"/behovsanalys/{analysis.pk}/behovsanalys.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert "Region Stockholm" in cells
    assert any(isinstance(v, str) and v.startswith("Källa") for v in cells)


def test_the_ranking_shows_its_weights_and_follows_them(client_for, politician):
    client = client_for(politician)
    default = client.get("/behovsanalys/rangordning/")
    assert default.status_code == 200
    assert "Gap i personer" in page_text(default)
    only_severity = client.get(
        "/behovsanalys/rangordning/",
        {"w_gap_persons": 0, "w_relative_gap": 0, "w_severity": 1, "w_inequity": 0, "w_trend": 0},
    )
    shares = {name: share for name, _, _, share in only_severity.context["weights"]}
    assert shares["severity"] == pytest.approx(100)


def test_a_target_worse_than_today_is_saved_with_a_warning(client_for, politician, analysis):
    response = client_for(politician).post(
        f"/behovsanalys/{analysis.pk}/behov/",
        {
            "add_item": "1",
            "item-indicator": _indicator_pk("U01411"),
            "item-severity": 2,
            "item-target_kind": "relative",
            "item-change_percent": "10",
            "item-baseline_period": "2018",
        },
        follow=True,
    )
    assert "för indikatorn är lägre värden bättre" in page_text(response)
    assert AnalysisIndicator.objects.filter(indicator__code="U01411").exists()


def test_the_indicator_severity_set_by_the_analyst_feeds_the_ranking(client_for, analyst):
    from halsogap_web.observations.models import Indicator

    Indicator.objects.filter(code="U01402").update(severity=4)
    response = client_for(analyst).get("/behovsanalys/rangordning/")
    row = next(r for r in response.context["rows"] if r["need"] == "U01402")
    assert row["severity"] == 4


def test_the_saved_analysis_gap_table_prints_as_csv(analysis, capsys):
    from django.core.management import call_command

    call_command("needs_gap_table", str(analysis.pk))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Behovsgrupp;Indikator;Kod;År;Mål;Område;Nuvärde")
    stockholm = next(line for line in lines if ";Region Stockholm;" in line)
    assert ";5,8;5,8;0,0;" in stockholm
    assert stockholm.endswith("Källa: Kolada/RKA (Folkhälsomyndigheten (HLV))")
