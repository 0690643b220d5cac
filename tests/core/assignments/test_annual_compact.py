"""Large annual reports put one line per assignment in the PDF, keeping every indicator in Word
and Excel."""

from halsogap.assignments.documents import AnnualAssignment, AnnualReportContent
from halsogap.assignments.documents_html import DETAIL_LIMIT, annual_html


def content(n: int) -> AnnualReportContent:
    return AnnualReportContent(
        "Årsredovisning 2026",
        "Region X",
        2026,
        "2026-11-23",
        assignments=[
            AnnualAssignment(str(i), f"Uppdrag {i}", "Vårdcentral A", "Rökning") for i in range(n)
        ],
    )


def test_a_small_report_shows_each_assignment_in_its_own_section():
    html = annual_html(content(3))
    assert html.count("<section><h3>") == 3
    assert "Sämsta effektindikator" not in html


def test_a_large_report_lists_assignments_as_rows_and_points_to_word_and_excel():
    html = annual_html(content(DETAIL_LIMIT + 1), detail=False)
    assert "<section><h3>" not in html
    assert html.count("<tr><td>Uppdrag ") == DETAIL_LIMIT + 1
    assert "Word- och Excelversionerna" in html
    assert "Källa" in html
