"""Swedish by default, English on request (the lang attribute; texts may be untranslated)."""

from __future__ import annotations

from .web_support import page_text


def test_start_page_is_swedish_by_default(client_for):
    response = client_for(None).get("/")
    assert response.status_code == 200
    text = page_text(response)
    assert '<html lang="sv"' in text
    assert "Välj region" in text
    assert "Region Stockholm" in text and "Region Skåne" in text


def test_choosing_english_switches_the_language(client_for):
    client = client_for(None)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    start = client.get("/")
    assert start.status_code == 200
    assert '<html lang="en"' in start.content.decode()
    # Other pages follow, and switching back works.
    assert '<html lang="en"' in client.get("/indikator/U01402/").content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert '<html lang="sv"' in client.get("/").content.decode()


def test_logged_in_pages_switch_language_too(client_for, analyst):
    client = client_for(analyst)
    assert '<html lang="sv"' in client.get("/region/01/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/region/01/"})
    page = client.get("/region/01/")
    assert page.status_code == 200
    assert '<html lang="en"' in page.content.decode()
