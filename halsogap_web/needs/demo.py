"""The synthetic demo primary-care units (clearly labelled as such) for the demo regions."""

from django.conf import settings

from halsogap.needs import read_cni_counts
from halsogap_web.accounts.models import Organisation

from .care_need import save_units

DEMO_FILE = "vardcentraler_syntetiska.csv"


def load_demo_care_units() -> int:
    path = settings.HALSOGAP_DATA_DIR / "cni" / DEMO_FILE
    counts = read_cni_counts(path.read_bytes(), DEMO_FILE)
    regions = {
        o.area.code: o
        for o in Organisation.objects.filter(kind="region", area__isnull=False).select_related(
            "area"
        )
    }
    loaded = 0
    for code, region in regions.items():
        part = counts.filter(counts["kommun"].str.slice(0, 2) == code)
        if part.height:
            save_units(part, region=region, synthetic=True)
            loaded += part.height
    return loaded
