"""The background warmer builds what a first page view would build, for every region."""

from __future__ import annotations

from halsogap_web import evidence
from halsogap_web.evidence_warmer import warm_all


def test_it_builds_the_store_and_every_regions_needs_input(db, stockholm, skane):
    evidence.clear_cache()
    version = warm_all()
    assert version == evidence.data_version()
    built = {key for key in evidence._cache if isinstance(key, tuple) and key[0] == "needs"}
    member_codes = {
        tuple(sorted(evidence.visible_codes(None, region=region))) for region in (stockholm, skane)
    }
    assert {("needs", codes) for codes in member_codes} <= built
    assert evidence._cache.get("version") == version
