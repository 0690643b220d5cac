"""One entry point for a stored source definition: which connector, with which client.

The web layer keeps a source as plain values (kind, address, table, selection, indicator);
:func:`fetch_source` turns them into the connector call, so the page's preview, a scheduled run
and the command line fetch the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from halsogap.sources.http import RateLimit, SourceClient, SourceFetchError
from halsogap.sources.jsonstat import SourceTable
from halsogap.sources.kolada import fetch_kolada
from halsogap.sources.pxweb import PxWebSelection, fetch_pxweb_v1, fetch_pxweb_v2
from halsogap.sources.socialstyrelsen import fetch_socialstyrelsen

#: The connectors by the name a source definition stores, with their Swedish names.
KINDS = {
    "pxweb2": "PxWebApi 2.0 (SCB:s statistikdatabas)",
    "pxweb1": "PX-Web API v1 (Folkhälsodata, SCB:s äldre API, regioner)",
    "kolada": "Kolada API v3",
    "socialstyrelsen": "Socialstyrelsens statistikdatabas",
}
#: Where each connector's rows are recorded: the format its load batches are listed under.
RECORDED_AS = {
    "pxweb2": "json-stat2",
    "pxweb1": "json-stat2",
    "kolada": "tidy",
    "socialstyrelsen": "tidy",
}
#: Who answers, for messages ("SCB svarade inte som väntat: …").
PRODUCERS = {
    "pxweb2": "SCB",
    "pxweb1": "PX-Web",
    "kolada": "Kolada",
    "socialstyrelsen": "Socialstyrelsen",
}


def default_client(kind: str, *, retries: int = 3) -> SourceClient:
    """A client with the source's published limits (SCB: 10 calls per 10 s); a preview asks
    with fewer ``retries`` so the page answers quickly."""
    limit = RateLimit(10, 10.0) if kind in ("pxweb2", "pxweb1") else None
    return SourceClient(PRODUCERS.get(kind, kind), limit=limit, retries=retries)


def fetch_source(
    kind: str,
    *,
    url: str,
    table: str,
    selection: Mapping[str, Sequence],
    indicator: str | None = None,
    client: SourceClient | None = None,
    updated_since: str | None = None,
) -> SourceTable:
    """Fetch a source definition's values as tidy rows with the source's metadata.

    ``selection`` is per connector: variable → codes for PX-Web; ``{"year": [...],
    "municipality": [...]}`` for Kolada (``table`` lists the KPIs); dimension → ids for
    Socialstyrelsen (``table`` is the database).

    >>> fetch_source("ftp", url="x", table="t", selection={})
    Traceback (most recent call last):
    ...
    halsogap.sources.http.SourceFetchError: källan svarade inte som väntat: okänd typ 'ftp' (pxweb2, pxweb1, kolada, socialstyrelsen)
    """
    if kind not in KINDS:
        raise SourceFetchError("källan", f"okänd typ {kind!r} ({', '.join(KINDS)})")
    client = client or default_client(kind)
    if kind == "pxweb2":
        return fetch_pxweb_v2(client, url, PxWebSelection(table, selection, indicator=indicator))
    if kind == "pxweb1":
        return fetch_pxweb_v1(client, url, PxWebSelection(table, selection, indicator=indicator))
    if kind == "kolada":
        kpis = [k.strip() for k in table.split(",") if k.strip()]
        years = [int(y) for y in selection.get("year", [])]
        if not kpis or not years:
            raise SourceFetchError("urvalet", "ange minst en KPI och ett år (year)")
        result = fetch_kolada(
            client,
            kpis,
            years,
            municipalities=[str(m) for m in selection.get("municipality", [])],
            updated_since=updated_since,
            base_url=url,
        )
        if indicator:
            # One KPI read into the region's own indicator code.
            frame = result.frame.with_columns(pl.lit(indicator, pl.String).alias("indikator"))
            return SourceTable(frame, result.metadata)
        return result
    if not indicator:
        raise SourceFetchError("urvalet", "ange indikatorkoden som värdena läses in till")
    return fetch_socialstyrelsen(client, table, selection, indicator=indicator, base_url=url)
