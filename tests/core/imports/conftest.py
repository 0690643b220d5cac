"""Shared fixtures for the import tests: known codes and a one-call parser."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from halsogap.imports import ParsedImport, parse_observations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"

# Riket, the 21 regions and the kommuner the fixtures use: enough to prove the look-up
# without depending on the demo data the web layer loads.
REGIONS = {f"{n:02d}" for n in (1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, *range(17, 26))}
KNOWN_AREAS = {"00", *REGIONS, "0114", "0180", "1480", "0114A0010"}
KNOWN_INDICATORS = {"U01402", "N00923", "LIVSKVALITET", "I1"}


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def parse() -> Callable[..., ParsedImport]:
    """Parse text or bytes with the test code lists; ``encoding`` applies to text."""

    def _parse(
        content: str | bytes,
        filename: str = "test.csv",
        *,
        encoding: str = "utf-8",
        **kwargs,
    ) -> ParsedImport:
        data = content.encode(encoding) if isinstance(content, str) else content
        kwargs.setdefault("known_areas", KNOWN_AREAS)
        kwargs.setdefault("known_indicators", KNOWN_INDICATORS)
        return parse_observations(data, filename, **kwargs)

    return _parse


@pytest.fixture
def xlsx_bytes() -> Callable[[list[list[object]]], bytes]:
    """Build a workbook in memory whose first sheet holds ``rows``."""

    def _build(rows: list[list[object]], *, extra_sheet: bool = False) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        if extra_sheet:
            book.create_sheet("Annat").append(["indicator", "nope"])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return _build
