"""Who sees what, view by view: a region's unpublished work stays inside the region.

Region Stockholm owns an unpublished indicator. Its members (analyst, politician, and the
provider at one of its units) read it; the outsider from Region Skåne, Skåne's administrator
and the anonymous public get 404 or simply do not find it, until Stockholm publishes it.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.accounts.models import Membership, Organisation, Role
from halsogap_web.observations.models import ImportJob, LoadBatch

from .web_support import page_text, snapshot, upload

SECRET = "HG_STHLM_HEMLIG"
SECRET_TITLE = "Stockholms hemliga arbetsindikator"
SECRET_FILE = "stockholm_hemlig_inlasning.csv"

MEMBERS = ["analyst", "politician", "provider"]
NON_MEMBERS = ["outsider", "outsider_admin", None]  # None: the anonymous public


@pytest.fixture
def secret(make_indicator, stockholm):
    return make_indicator(
        SECRET,
        organisation=stockholm,
        is_published=False,
        title=SECRET_TITLE,
        values={("00", "2022"): 40.0, ("01", "2021"): 41.5, ("01", "2022"): 42.5},
    )


@pytest.fixture
def persona(request, db):
    """The persona named by the test's parameter (None: anonymous)."""
    name = request.param
    return get_user_model().objects.get(username=name) if name else None


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8")), delimiter=";"))


# --- The unpublished indicator ------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS, indirect=True)
def test_stockholm_members_see_unpublished_indicator_on_region_page(client_for, persona, secret):
    response = client_for(persona).get("/region/01/")
    assert response.status_code == 200
    text = page_text(response)
    assert SECRET_TITLE in text
    assert "opublicerad" in text
    row = next(r for r in response.context["rows"] if r.indicator.code == SECRET)
    assert (row.period, row.value, row.riket_value) == ("2022", 42.5, 40.0)


@pytest.mark.parametrize("persona", MEMBERS, indirect=True)
def test_stockholm_members_can_open_unpublished_indicator_page(client_for, persona, secret):
    response = client_for(persona).get(f"/indikator/{SECRET}/")
    assert response.status_code == 200
    text = page_text(response)
    assert SECRET_TITLE in text
    assert "42,5" in text


@pytest.mark.parametrize("persona", MEMBERS, indirect=True)
def test_stockholm_members_can_download_unpublished_indicator_csv(client_for, persona, secret):
    response = client_for(persona).get(f"/indikator/{SECRET}/varden.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert {(r["area"], r["period"], r["value"]) for r in rows} == {
        ("00", "2022", "40.0"),
        ("01", "2021", "41.5"),
        ("01", "2022", "42.5"),
    }


@pytest.mark.parametrize("persona", NON_MEMBERS, indirect=True)
def test_outsider_cannot_read_stockholms_unpublished_indicator(client_for, persona, secret):
    client = client_for(persona)
    for path in ["/region/01/", "/region/12/", "/region/00/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET_TITLE not in page_text(response), path
        assert SECRET not in page_text(response), path
    for path in [
        f"/indikator/{SECRET}/",
        f"/indikator/{SECRET}/?omrade=01",
        f"/indikator/{SECRET}/?omrade=00",
        f"/indikator/{SECRET}/varden.csv",
    ]:
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("persona", NON_MEMBERS, indirect=True)
def test_published_indicator_is_visible_to_everyone(client_for, persona, secret):
    secret.is_published = True
    secret.save()
    client = client_for(persona)
    region = client.get("/region/01/")
    assert SECRET_TITLE in page_text(region)
    assert "opublicerad" not in page_text(region)
    page = client.get(f"/indikator/{SECRET}/?omrade=01")
    assert page.status_code == 200
    assert "42,5" in page_text(page)
    export = client.get(f"/indikator/{SECRET}/varden.csv")
    assert export.status_code == 200
    assert ("01", "2022", "42.5") in {
        (r["area"], r["period"], r["value"]) for r in _csv_rows(export)
    }


def test_stockholm_analyst_cannot_read_skanes_unpublished_indicator(
    client_for, analyst, make_indicator, skane
):
    make_indicator(
        "HG_SKANE_HEMLIG",
        organisation=skane,
        title="Skånes hemliga arbetsindikator",
        values={("12", "2022"): 12.0},
    )
    client = client_for(analyst)
    for path in ["/region/12/", "/region/01/", "/region/00/"]:
        assert "Skånes hemliga" not in page_text(client.get(path)), path
    assert client.get("/indikator/HG_SKANE_HEMLIG/").status_code == 404
    assert client.get("/indikator/HG_SKANE_HEMLIG/varden.csv").status_code == 404
    # ... while Skåne's own analyst reads it.
    skane_analyst = get_user_model().objects.get(username="outsider")
    assert "Skånes hemliga" in page_text(client_for(skane_analyst).get("/region/12/"))


@pytest.mark.parametrize(
    ("persona", "region"),
    [("analyst", "01"), ("provider", "01"), ("outsider", "12")],
    indirect=["persona"],
)
def test_start_page_takes_members_to_their_own_region(client_for, persona, region):
    response = client_for(persona).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/region/{region}/"


# --- Import jobs and load batches ---------------------------------------------------------


@pytest.fixture
def stockholm_job(client_for, analyst, secret):
    """A finished upload by Stockholm's analyst into Stockholm's unpublished indicator."""
    data = f"indicator;area;period;value\n{SECRET};0180;2022;47,5\n".encode()
    response = upload(client_for(analyst), SECRET_FILE, data)
    job = response.context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    return job


def test_stockholm_members_who_import_see_their_jobs_and_batches(
    client_for, analyst, admin, stockholm_job
):
    for user in [analyst, admin]:
        client = client_for(user)
        assert client.get(f"/inlasning/{stockholm_job.pk}/").status_code == 200
        listing = client.get("/inlasning/")
        assert listing.status_code == 200
        assert SECRET_FILE in page_text(listing)
        assert stockholm_job.batch in list(listing.context["batches"])


@pytest.mark.parametrize("persona", ["outsider", "outsider_admin"], indirect=True)
def test_outsider_cannot_see_stockholms_import_jobs(client_for, persona, stockholm_job):
    client = client_for(persona)
    assert client.get(f"/inlasning/{stockholm_job.pk}/").status_code == 404
    # htmx polls the same address for the progress bar; it is just as closed.
    polled = client.get(f"/inlasning/{stockholm_job.pk}/", headers={"HX-Request": "true"})
    assert polled.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "outsider_admin"], indirect=True)
def test_outsider_cannot_see_stockholms_load_batches(client_for, persona, stockholm_job):
    response = client_for(persona).get("/inlasning/")
    assert response.status_code == 200
    assert SECRET_FILE not in page_text(response)
    assert list(response.context["batches"]) == []
    assert list(response.context["jobs"]) == []
    assert LoadBatch.objects.filter(file_name=SECRET_FILE).exists()


def test_outsider_cannot_write_into_stockholms_unpublished_indicator(client_for, outsider, secret):
    before = snapshot()
    data = f"indicator;area;period;value\n{SECRET};01;2022;99,5\n".encode()
    response = upload(client_for(outsider), "intrang.csv", data)
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert (
        f'intrang.csv, rad 2, kolumn "indicator": förväntade en känd indikatorkod, fick "{SECRET}"'
        in job.errors
    )
    assert snapshot() == before


# --- The audit log ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["analyst", "politician", "provider", "outsider"], indirect=True
)
def test_audit_log_is_only_for_administrators(client_for, persona, stockholm_job):
    assert client_for(persona).get("/granskning/").status_code == 403


def test_outsider_administrator_cannot_see_stockholms_audit_entries(
    client_for, admin, outsider_admin, stockholm_job
):
    own = client_for(admin).get("/granskning/")
    assert own.status_code == 200
    assert SECRET_FILE in page_text(own)
    other = client_for(outsider_admin).get("/granskning/")
    assert other.status_code == 200
    assert SECRET_FILE not in page_text(other)
    assert SECRET not in page_text(other)
    # Skåne's administrator reads only entries about Skåne (such as its own users).
    regions = {entry.additional_data["region_id"] for entry in other.context["page"]}
    assert regions <= {get_membership_for_user(outsider_admin).region.pk}


# --- Role gates ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["politician", "provider"], indirect=True)
def test_politician_and_provider_cannot_import_or_create_indicators(
    client_for, persona, stockholm_job
):
    client = client_for(persona)
    before = snapshot()
    assert client.get("/inlasning/").status_code == 403
    assert client.get("/indikatorer/ny/").status_code == 403
    assert client.get(f"/inlasning/{stockholm_job.pk}/").status_code == 403
    posted = upload(
        client, "forsok.csv", f"indicator;area;period;value\n{SECRET};01;2022;1\n".encode()
    )
    assert posted.status_code == 403
    created = client.post(
        "/indikatorer/ny/",
        {
            "code": "HG_FORSOK",
            "title": "Försök",
            "kind": "survey",
            "polarity": "none",
            "source": "x",
        },
    )
    assert created.status_code == 403
    assert snapshot() == before
    assert not ImportJob.objects.filter(file_name="forsok.csv").exists()


def test_a_user_without_membership_sees_only_public_data(client_for, secret):
    user = get_user_model().objects.create(username="utan_roll")
    client = client_for(user)
    assert client.get("/inlasning/").status_code == 403
    assert client.get("/indikatorer/ny/").status_code == 403
    assert client.get("/granskning/").status_code == 403
    assert client.get(f"/indikator/{SECRET}/").status_code == 404
    assert SECRET_TITLE not in page_text(client.get("/region/01/"))


@pytest.mark.parametrize(
    "path", ["/inlasning/", "/indikatorer/ny/", "/inlasning/{job}/", "/granskning/"]
)
def test_anonymous_is_redirected_to_login(client_for, stockholm_job, path):
    path = path.format(job=stockholm_job.pk)
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/?next=")
    before = snapshot()
    if path == "/inlasning/":
        posted = client_for(None).post(
            path, {"file": SimpleUploadedFile("anonym.csv", b"indicator;area;period;value\n")}
        )
        assert posted.status_code == 302
        assert posted["Location"].startswith("/konto/logga-in/")
        assert snapshot() == before


def test_start_page_works_for_a_region_without_an_area(client_for):
    region = Organisation.objects.create(name="Region utan område", kind="region")
    user = get_user_model().objects.create(username="utan_omrade")
    Membership.objects.create(user=user, organisation=region, role=Role.ANALYTIKER)
    assert client_for(user).get("/").status_code == 200


def test_stockholm_administrator_cannot_write_into_skanes_indicator(
    client_for, admin, make_indicator, skane
):
    make_indicator("HG_SKANE_EGEN", organisation=skane, values={("12", "2022"): 20.0})
    before = snapshot()
    data = b"indicator;area;period;value\nHG_SKANE_EGEN;12;2022;99\n"
    job = upload(client_for(admin), "skane.csv", data).context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert 'fick "HG_SKANE_EGEN"' in job.errors[0]
    assert snapshot() == before
