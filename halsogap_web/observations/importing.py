"""Import glue: check a file with the core, then write it in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.db import transaction

from halsogap.imports import ImportFileError, parse_observations

from .models import Area, Indicator, LoadBatch
from .store import write_observations


@dataclass
class ImportOutcome:
    """What happened: a new batch, an identical earlier batch, or the reasons for refusal."""

    errors: list[str] = field(default_factory=list)
    batch: LoadBatch | None = None
    already_imported: LoadBatch | None = None
    row_count: int = 0
    #: Problems found in all (the messages stop at the first hundred).
    error_count: int = 0
    #: What the user should know although the file was accepted (how its text was read).
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def writable_indicator_codes(*, organisation=None) -> set[str]:
    """Indicators an import may write to.

    A region writes to its own indicators, whatever the role. National indicators (Kolada's
    KPIs) are shared by every region, so only the national loader and the connectors (the
    command line, or a run with no region) change them: a region's upload must never change
    another region's public page.
    """
    if organisation is None:
        return set(Indicator.objects.values_list("code", flat=True))
    region = organisation.home_region
    return set(Indicator.objects.filter(organisation=region).values_list("code", flat=True))


def refused_indicator_reasons(*, organisation=None) -> dict[str, str]:
    """Why a region's import may not write the national indicators, by code.

    Another region's codes get no reason: that they exist is that region's business.
    """
    if organisation is None:
        return {}
    return {
        code: f"en av regionens egna indikatorer ({code} är nationell; nationella värden läses "
        "bara in av den nationella inläsningen och källorna)"
        for code in Indicator.objects.filter(organisation__isnull=True).values_list(
            "code", flat=True
        )
    }


def run_import(
    data: bytes,
    file_name: str,
    *,
    organisation=None,
    user=None,
    file_format: str | None = None,
    indicator: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportOutcome:
    """Check and load one file; with any error, nothing is written."""

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(name, done, total)) if progress else None

    try:
        parsed = parse_observations(
            data,
            file_name,
            known_areas=set(Area.objects.values_list("code", flat=True)),
            known_indicators=writable_indicator_codes(organisation=organisation),
            refused_indicators=refused_indicator_reasons(organisation=organisation),
            format=file_format or None,
            indicator=indicator or None,
            progress=stage("Kontrollerar rader"),
        )
    except ImportFileError as error:
        return ImportOutcome(errors=[str(error)])
    return store_parsed(
        parsed, file_name=file_name, organisation=organisation, user=user, progress=progress
    )


def store_parsed(
    parsed,
    *,
    file_name: str,
    organisation=None,
    user=None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportOutcome:
    """Write a checked file or fetched table as one load batch, all or nothing; the same rows
    loaded before change nothing."""

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(name, done, total)) if progress else None

    if not parsed.ok:
        return ImportOutcome(
            errors=parsed.messages(), row_count=parsed.row_count, error_count=parsed.error_count
        )

    region = organisation.home_region if organisation else None
    earlier = LoadBatch.objects.filter(checksum=parsed.checksum, organisation=region).first()
    if earlier is not None:
        # The same bytes were loaded before: re-importing must change nothing at all.
        return ImportOutcome(
            already_imported=earlier, row_count=parsed.row_count, notices=list(parsed.notices)
        )

    with set_actor(user) if user else _no_actor(), transaction.atomic():
        batch = LoadBatch.objects.create(
            organisation=region,
            created_by=user,
            file_name=file_name,
            checksum=parsed.checksum,
            file_format=str(parsed.format),
            source=parsed.source,
            row_count=parsed.row_count,
        )
        result = write_observations(parsed.rows, batch_id=batch.pk, progress=stage("Sparar"))
        batch.created_count = result.created
        batch.updated_count = result.updated
        batch.unchanged_count = result.unchanged
        batch.changes = result.changes
        batch.save()
    return ImportOutcome(batch=batch, row_count=parsed.row_count, notices=list(parsed.notices))


class _no_actor:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
