"""Background work: uploads are checked and loaded outside the request, with progress saved."""

from __future__ import annotations

import time

from django_tasks import task

from .importing import run_import
from .models import ImportJob


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

    membership = getattr(job.created_by, "membership", None)
    outcome = run_import(
        bytes(job.content),
        job.file_name,
        organisation=job.organisation,
        user=job.created_by,
        role=membership.role if membership else None,
        file_format=job.file_format or None,
        indicator=job.indicator_code or None,
        progress=progress,
    )
    job.refresh_from_db()
    if outcome.ok:
        job.status = ImportJob.Status.DONE
        job.batch = outcome.batch or outcome.already_imported
        job.stage = "Redan inläst – inget ändrades" if outcome.already_imported else "Klar"
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
