"""Background work: uploads are checked and loaded outside the request, with progress saved."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django_tasks import task

from .importing import ImportOutcome, run_import
from .models import ImportJob

logger = logging.getLogger(__name__)


class ImportTookTooLong(Exception):
    """The import ran past its time limit; everything it wrote is rolled back."""


def deadline(progress, *, seconds: float):
    """``progress`` that also stops the import once it has run for ``seconds``: one file must
    not occupy the only worker while other uploads wait."""
    started = time.monotonic()

    def checked(stage: str, done: int, total: int) -> None:
        if time.monotonic() - started > seconds:
            raise ImportTookTooLong(
                f"Inläsningen tog längre än {seconds:.0f} s och avbröts; inget sparades. "
                "Dela upp filen eller läs in den från kommandoraden."
            )
        progress(stage, done, total)

    return checked


@task()
def process_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    last_saved = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last_saved[0] < 0.5 and done < total:
            return
        last_saved[0] = now
        ImportJob.objects.filter(pk=job_id).update(stage=stage, done_rows=done, total_rows=total)

    try:
        outcome = run_import(
            bytes(job.content),
            job.file_name,
            organisation=job.organisation,
            user=job.created_by,
            file_format=job.file_format or None,
            indicator=job.indicator_code or None,
            progress=deadline(progress, seconds=settings.HALSOGAP_IMPORT_TIME_LIMIT),
        )
    except ImportTookTooLong as error:
        outcome = ImportOutcome(errors=[str(error)])
    except Exception as error:  # noqa: BLE001 - any failure must end the job, never leave it running
        logger.exception("Inläsning %s avbröts", job_id)
        outcome = ImportOutcome(
            errors=[
                f"{job.file_name}: inläsningen avbröts av ett oväntat fel "
                f"({type(error).__name__}: {str(error)[:200]}); inget sparades."
            ]
        )
    job.refresh_from_db()
    if outcome.ok:
        job.status = ImportJob.Status.DONE
        job.batch = outcome.batch or outcome.already_imported
        job.stage = "Redan inläst – inget ändrades" if outcome.already_imported else "Klar"
        job.notices = outcome.notices
    else:
        job.status = ImportJob.Status.FAILED
        job.errors = outcome.errors
        job.stage = "Avvisad – inget sparades"
    # Report the file's rows, not the last stage's: that is the number the user recognises.
    job.total_rows = outcome.row_count or job.total_rows
    job.done_rows = job.total_rows
    # The upload is no longer needed once checked; keep the database small.
    job.content = b""
    job.save()
