"""One run of a source: fetch, check as an import, write as one load batch, schedule the next.

A source that fails (refuses, times out, sends rows that do not pass the checks) changes
nothing; its own message is kept on the run and the source, and it is tried again later.
"""

from __future__ import annotations

from django.utils import timezone

from halsogap.imports import ImportFileError, parse_source_table
from halsogap.sources import SourceFormatError
from halsogap.sources.fetch import KINDS, RECORDED_AS
from halsogap.sources.http import SourceFetchError
from halsogap_web.observations.importing import store_parsed, writable_indicator_codes
from halsogap_web.observations.models import Area, Indicator

from .models import DataSource, SourceRun


def execute_run(run: SourceRun) -> SourceRun:
    source: DataSource = run.source
    run.status, run.stage = SourceRun.Status.RUNNING, "Hämtar från källan"
    run.save(update_fields=["status", "stage"])
    name = f"{source.name} ({KINDS[source.kind]})"
    try:
        table = source.fetch()
        run.stage = "Kontrollerar rader"
        run.save(update_fields=["stage"])
        parsed = parse_source_table(
            table,
            source.name,
            kind=RECORDED_AS[source.kind],
            known_areas=set(Area.objects.values_list("code", flat=True)),
            known_indicators=writable_indicator_codes(organisation=source.organisation),
        )
    except (SourceFetchError, SourceFormatError, ImportFileError) as error:
        return _failed(run, [str(error)])
    outcome = store_parsed(
        parsed, file_name=name, organisation=source.organisation, user=run.created_by
    )
    if not outcome.ok:
        return _failed(run, outcome.errors)
    if table.metadata.get("table") and outcome.batch is not None:
        # The indicator page names the table its values came from ("Källa: SCB, tabell TAB638").
        codes = parsed.rows["indicator"].unique().to_list()
        Indicator.objects.filter(code__in=codes).update(
            source_table=f"tabell {table.metadata['table']}"
        )
    run.stage = "Klar"
    run.finish(
        batch=outcome.batch or outcome.already_imported,
        already_loaded=outcome.already_imported is not None,
    )
    source.last_error = ""
    source.next_run_at = source.next_after(timezone.now(), failed=False)
    source.save(update_fields=["last_error", "next_run_at"])
    return run


def _failed(run: SourceRun, errors: list[str]) -> SourceRun:
    run.stage = "Misslyckades – inget ändrades"
    run.finish(errors=errors)
    source = run.source
    source.last_error = errors[0] if errors else ""
    source.next_run_at = source.next_after(timezone.now(), failed=True)
    source.save(update_fields=["last_error", "next_run_at"])
    return run


def due_sources(now=None):
    """Sources whose scheduled time has come (for ``manage.py run_due_sources``)."""
    now = now or timezone.now()
    return DataSource.objects.exclude(schedule="").filter(next_run_at__lte=now)
