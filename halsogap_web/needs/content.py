"""A saved needs analysis as the core's content object, read through the evidence reader.

The page, its PDF, Word, Excel and HTML exports and ``manage.py needs_gap_table`` all call
:func:`analysis_content`, so they render one object with one set of figures.
"""

from __future__ import annotations

from django.conf import settings

from halsogap.maps import load_features
from halsogap.needs.content import compose_needs_analysis
from halsogap.reports.needs_analysis import NeedsAnalysisContent
from halsogap_web import evidence
from halsogap_web.observations.access import (
    get_indicators_for_region_member,
    get_indicators_for_user,
)

from .models import NeedsAnalysis


def kommun_features() -> tuple[dict, ...]:
    return load_features(settings.HALSOGAP_DATA_DIR / "geo" / "kommuner.geojson")


def default_severities(user, region) -> dict[str, int]:
    """The analyst's severity per indicator, which an analysis's own severities override."""
    indicators = (
        get_indicators_for_user(user, region=region)
        if user is not None
        else get_indicators_for_region_member(region)
    )
    return dict(indicators.filter(severity__isnull=False).values_list("code", "severity"))


def analysis_content(analysis: NeedsAnalysis, *, user=None) -> NeedsAnalysisContent:
    """The analysis composed by the core; ``user`` None reads as a member of its region."""
    region = analysis.region
    spec = analysis.to_spec(severity=default_severities(user, region))
    data = evidence.needs_data(user, region=region)
    return compose_needs_analysis(spec, data, features=kommun_features())
