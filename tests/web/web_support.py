"""Helpers shared by the web tests."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from halsogap_web.accounts.models import Role
from halsogap_web.observations.models import LoadBatch, Observation

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"

STOCKHOLM = "Region Stockholm"
SKANE = "Region Skåne"
RINKEBY = "Vårdcentral Rinkeby (demo)"
NETWORK = "HFS-nätverket"

# The one password the login tests use; the other personas have unusable passwords.
ANALYST_PASSWORD = "Rätt-lösenord-för-test-7391"

PERSONAS = {
    "analyst": (STOCKHOLM, Role.ANALYTIKER),
    "politician": (STOCKHOLM, Role.FORTROENDEVALD),
    "provider": (RINKEBY, Role.UTFORARE),
    "admin": (STOCKHOLM, Role.ADMINISTRATOR),
    "outsider": (SKANE, Role.ANALYTIKER),
    "outsider_admin": (SKANE, Role.ADMINISTRATOR),
    "hfs": (STOCKHOLM, Role.HFS_PROCESSLEDARE),
    "outsider_hfs": (SKANE, Role.HFS_PROCESSLEDARE),
    "secretariat": (NETWORK, Role.SEKRETARIAT),
}

# U01402 (daily smokers, %, Folkhälsomyndigheten via Kolada/RKA): riket, Region Stockholm,
# Stockholms stad and Region Skåne, 2020–2022, totals; plus women and men for Stockholm 2022.
SESSION_U01402 = {
    ("00", "2020"): 7.1,
    ("00", "2021"): 6.6,
    ("00", "2022"): 6.2,
    ("01", "2020"): 6.4,
    ("01", "2021"): 6.0,
    ("01", "2022"): 5.8,
    ("0180", "2020"): 5.6,
    ("0180", "2021"): 5.2,
    ("0180", "2022"): 4.9,
    ("12", "2020"): 7.9,
    ("12", "2021"): 7.4,
    ("12", "2022"): 6.9,
}


def snapshot() -> dict:
    """Everything an import could change: the observations (all fields) and the batches."""
    observations = sorted(
        Observation.objects.values_list(
            "indicator__code",
            "area__code",
            "period",
            "sex",
            "age_band",
            "socioeconomic_group",
            "value",
            "numerator",
            "denominator",
            "lower",
            "upper",
            "suppressed",
            "provisional",
            "break_in_series",
            "batch_id",
        ),
        key=repr,
    )
    return {
        "observations": observations,
        "batches": sorted(LoadBatch.objects.values_list("pk", flat=True)),
    }


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(client, name: str, data: bytes, *, file_format: str | None = None):
    """POST a file to the upload form and follow the redirect to the import job's page.

    Without ``file_format`` the field is left out, as a form without the select would send.
    """
    fields = {"file": SimpleUploadedFile(name, data)}
    if file_format is not None:
        fields["file_format"] = file_format
    return client.post("/inlasning/", fields, follow=True)


def page_text(response) -> str:
    """The response body with HTML entities resolved, for matching messages with quotes."""
    return html.unescape(response.content.decode())
