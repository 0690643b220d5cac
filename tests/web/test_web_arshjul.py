"""The annual wheel: started by a planner, visible only to its region, steps tracked."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.cycles.models import Cycle, CycleStep, WheelTemplateStep

from .web_support import page_text


@pytest.fixture
def this_year():
    return timezone.localdate().year


def test_analyst_starts_the_years_wheel_and_sees_the_nine_steps(client_for, analyst, this_year):
    client = client_for(analyst)
    response = client.post("/arshjul/", {"year": this_year})
    assert response.status_code == 302
    assert response["Location"] == f"/arshjul/{this_year}/"
    cycle = Cycle.objects.get(region__name="Region Stockholm", year=this_year)
    assert cycle.steps.count() == 9
    page = client.get(f"/arshjul/{this_year}/")
    text = page_text(page)
    assert "Fullmäktigebeslut om verksamhetsplan och detaljbudget" in text
    assert "<svg" in page.content.decode()
    assert text.count("Uppdatera") == 9


def test_starting_the_same_year_twice_is_refused_and_changes_nothing(
    client_for, analyst, this_year
):
    client = client_for(analyst)
    client.post("/arshjul/", {"year": this_year - 1})
    response = client.post("/arshjul/", {"year": this_year - 1})
    assert response.status_code == 200
    assert "redan startat" in page_text(response)
    assert Cycle.objects.filter(year=this_year - 1).count() == 1


def test_politician_reads_the_wheel_but_cannot_start_it(client_for, analyst, politician):
    assert client_for(politician).post("/arshjul/", {"year": 2030}).status_code == 403
    client_for(analyst).post("/arshjul/", {"year": 2030})
    assert client_for(politician).get("/arshjul/2030/").status_code == 200


def test_outsider_never_sees_another_regions_wheel_or_steps(client_for, analyst, outsider):
    client_for(analyst).post("/arshjul/", {"year": 2031})
    step = CycleStep.objects.filter(cycle__year=2031, cycle__region__name="Region Stockholm")[0]
    other = client_for(outsider)
    assert other.get("/arshjul/2031/").status_code == 404
    assert other.get(f"/arshjul/steg/{step.pk}/").status_code == 404
    assert other.post(f"/arshjul/steg/{step.pk}/", {"save_step": "1"}).status_code == 404
    assert client_for(None).get("/arshjul/2031/").status_code == 302


def test_a_region_member_sees_now_next_and_overdue_on_the_region_page(
    client_for, analyst, politician, outsider, this_year
):
    client_for(analyst).post("/arshjul/", {"year": this_year})
    text = page_text(client_for(politician).get("/region/01/"))
    assert f"Årshjulet {this_year}" in text
    today = timezone.localdate()
    overdue = CycleStep.objects.filter(cycle__year=this_year, due_date__lt=today).count()
    if overdue:
        assert "försenade steg" in text or "försenat steg" in text
    assert f"Årshjulet {this_year}" not in page_text(client_for(outsider).get("/region/01/"))
    assert f"Årshjulet {this_year}" not in page_text(client_for(None).get("/region/01/"))


def test_owner_marks_a_step_done_and_links_its_artefact(client_for, analyst, politician):
    client_for(analyst).post("/arshjul/", {"year": 2032})
    step = CycleStep.objects.get(cycle__year=2032, key="prioritera")
    assert step.owner_role == "fortroendevald"
    client = client_for(politician)
    response = client.post(
        f"/arshjul/steg/{step.pk}/",
        {
            "save_step": "1",
            "status": "done",
            "start_date": "2032-06-01",
            "due_date": "2032-06-30",
            "note": "Beslut i regionstyrelsen",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == "done"
    client.post(
        f"/arshjul/steg/{step.pk}/",
        {
            "add_artefact": "1",
            "kind": "priority_decision",
            "title": "Prioriteringsbeslut 2032",
            "url": "/region/01/",
        },
    )
    assert step.artefacts.get().title == "Prioriteringsbeslut 2032"
    assert "Prioriteringsbeslut 2032" in page_text(client.get("/arshjul/2032/"))


def test_a_step_with_its_end_before_its_start_is_refused_and_unchanged(client_for, analyst):
    client_for(analyst).post("/arshjul/", {"year": 2033})
    step = CycleStep.objects.get(cycle__year=2033, key="forslag")
    response = client_for(analyst).post(
        f"/arshjul/steg/{step.pk}/",
        {
            "save_step": "1",
            "status": "in_progress",
            "start_date": "2033-10-20",
            "due_date": "2033-10-01",
        },
    )
    assert response.status_code == 200
    assert "Slutdatum kan inte ligga före startdatum" in page_text(response)
    step.refresh_from_db()
    assert (step.status, step.due_date) == ("planned", date(2033, 10, 31))


def test_an_artefact_link_must_be_internal_or_https(client_for, analyst):
    client_for(analyst).post("/arshjul/", {"year": 2034})
    step = CycleStep.objects.get(cycle__year=2034, key="identifiera")
    response = client_for(analyst).post(
        f"/arshjul/steg/{step.pk}/",
        {"add_artefact": "1", "kind": "needs_analysis", "title": "X", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert step.artefacts.count() == 0


def test_a_provider_cannot_update_a_step_owned_by_another_role(client_for, analyst, provider):
    client_for(analyst).post("/arshjul/", {"year": 2035})
    step = CycleStep.objects.get(cycle__year=2035, key="identifiera")
    assert client_for(provider).get(f"/arshjul/steg/{step.pk}/").status_code == 404


def test_the_regions_template_months_apply_to_wheels_started_afterwards(client_for, analyst):
    client = client_for(analyst)
    template = list(
        WheelTemplateStep.for_region(get_membership_for_user(analyst).region).order_by("position")
    )
    data = {"form-TOTAL_FORMS": len(template), "form-INITIAL_FORMS": len(template)}
    for i, step in enumerate(template):
        data |= {
            f"form-{i}-id": step.pk,
            f"form-{i}-month": step.month,
            f"form-{i}-owner_role": step.owner_role,
        }
    data["form-5-month"] = 5  # prioritise in May instead of June
    assert client.post("/arshjul/mall/", data).status_code == 302
    client.post("/arshjul/", {"year": 2036})
    step = CycleStep.objects.get(cycle__year=2036, key="prioritera")
    assert (step.start_date, step.due_date) == (date(2036, 5, 1), date(2036, 5, 31))


def test_a_step_links_the_regions_needs_analysis_in_one_click(client_for, analyst):
    from halsogap_web.needs.models import NeedsAnalysis

    client = client_for(analyst)
    client.post("/arshjul/", {"year": 2037})
    analysis = NeedsAnalysis.objects.create(
        region=get_membership_for_user(analyst).region, title="Behovsanalys 2038", year=2038
    )
    step = CycleStep.objects.get(cycle__year=2037, key="beskriva")
    page = client.get(f"/arshjul/steg/{step.pk}/")
    assert "Koppla ”Behovsanalys 2038”" in page_text(page)
    client.post(
        f"/arshjul/steg/{step.pk}/",
        {
            "add_artefact": "1",
            "kind": "needs_analysis",
            "title": analysis.title,
            "url": f"/behovsanalys/{analysis.pk}/",
        },
    )
    link = step.artefacts.get()
    assert (link.title, link.url) == ("Behovsanalys 2038", f"/behovsanalys/{analysis.pk}/")


def _on(monkeypatch, day: date) -> None:
    """Let the wheel's views read ``day`` as today."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def test_in_december_the_start_form_offers_the_coming_planning_year(
    client_for, analyst, monkeypatch
):
    _on(monkeypatch, date(2026, 12, 1))
    page = client_for(analyst).get("/arshjul/")
    assert page.context["form"].initial["year"] == 2027
    assert 'value="2027"' in page.content.decode()


def test_in_spring_the_start_form_offers_this_year_and_skips_a_started_one(
    client_for, analyst, monkeypatch
):
    _on(monkeypatch, date(2026, 3, 10))
    client = client_for(analyst)
    assert client.get("/arshjul/").context["form"].initial["year"] == 2026
    client.post("/arshjul/", {"year": 2026})
    # This year's wheel opens directly in spring; in December the list lets the next be started.
    assert client.get("/arshjul/")["Location"] == "/arshjul/2026/"
    _on(monkeypatch, date(2026, 12, 1))
    december = client.get("/arshjul/")
    assert december.status_code == 200 and december.context["form"].initial["year"] == 2027
