"""The national starting catalogue of measures (Socialstyrelsen's guideline) as Measure rows."""

from halsogap.priorities import read_catalogue

from .models import Measure


def load_catalogue() -> int:
    """Create the catalogue's measures once; a second run changes nothing."""
    catalogue = read_catalogue()
    created = 0
    for row in catalogue.measures.iter_rows(named=True):
        _, was_created = Measure.objects.get_or_create(
            region=None,
            code=row["code"],
            defaults={
                "title": row["title"],
                "kind": row["kind"],
                "perspective": row["perspective"],
                "habit": row["habit"] or "",
                "target_group": row["target_group"] or "",
                "evidence": row["evidence_sv"] or "",
                "guideline_priority": row["guideline_priority"] or "",
                "guideline_band": row["guideline_band"] or "",
                "source": row["source"],
                "note": row["note"] or "",
            },
        )
        created += was_created
    return created
