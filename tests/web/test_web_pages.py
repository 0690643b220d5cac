"""The pages themselves: the import progress bar, and an indicator before it has values."""

from __future__ import annotations

from .web_support import page_text, upload


def test_import_job_page_shows_a_progress_bar_and_htmx_polls_a_fragment(
    client_for, analyst, make_indicator, stockholm
):
    make_indicator("HG_FORLOPP", organisation=stockholm)
    client = client_for(analyst)
    response = upload(client, "forlopp.csv", b"indicator;area;period;value\nHG_FORLOPP;01;2022;1\n")
    job = response.context["job"]
    text = page_text(response)
    assert '<progress max="100" value="100"' in text
    assert "1 av 1 rader" in text
    fragment = client.get(f"/inlasning/{job.pk}/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert 'id="import-progress"' in body
    assert "<html" not in body
    # A finished job stops polling.
    assert "hx-trigger" not in body


def test_a_new_indicator_without_values_has_a_working_page(client_for, analyst):
    client = client_for(analyst)
    response = client.post(
        "/indikatorer/ny/",
        {
            "code": "HG_TOM",
            "title": "Tom indikator",
            "kind": "survey",
            "polarity": "none",
            "source": "x",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Indikatorn HG_TOM är skapad." in page_text(response)
    assert "Inga värden att visa" in page_text(response)


def test_an_indicator_without_values_never_shows_none(
    client_for, analyst, make_indicator, stockholm
):
    make_indicator("HG_TOM", organisation=stockholm, title="Tom indikator")
    text = page_text(client_for(analyst).get("/indikator/HG_TOM/"))
    assert "None" not in text


def test_the_file_format_is_readable_without_logging_in(client_for):
    response = client_for(None).get("/inlasning/format/")
    assert response.status_code == 200
    assert "Hälsogaps format" in page_text(response)


def test_the_uploaded_file_is_not_kept_after_checking(
    client_for, analyst, make_indicator, stockholm
):
    make_indicator("HG_KVAR", organisation=stockholm)
    client = client_for(analyst)
    good = upload(client, "kvar.csv", b"indicator;area;period;value\nHG_KVAR;01;2022;1\n")
    bad = upload(client, "fel.csv", b"indicator;area;period;value\nHG_KVAR;01;2022;x\n")
    for job in [good.context["job"], bad.context["job"]]:
        job.refresh_from_db()
        assert bytes(job.content) == b""
