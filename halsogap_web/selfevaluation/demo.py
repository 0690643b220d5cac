"""The shipped standards definition: HPH 2020's five standards and the short version."""

from django.conf import settings

from .models import StandardsDefinition

DEFAULT_FILE = "hph2020_kortversion.csv"


def ensure_default_definition() -> StandardsDefinition:
    path = settings.BASE_DIR / "data" / "standards" / DEFAULT_FILE
    definition, _ = StandardsDefinition.create_from_file(
        path.read_bytes(), DEFAULT_FILE, name="HPH 2020 – kortversion (HFS)"
    )
    return definition
