"""Source runs in the background worker (the task backend imports already use), and the next
scheduled run queued on the same backend."""

from __future__ import annotations

from django_tasks import task

from .models import DataSource, SourceRun
from .running import execute_run


@task()
def run_data_source(run_id: int) -> None:
    run = execute_run(SourceRun.objects.select_related("source", "created_by").get(pk=run_id))
    schedule_next(run.source)


def schedule_next(source: DataSource) -> SourceRun | None:
    """Queue the source's next run for ``next_run_at`` on a backend that can wait (the
    database backend); one queued run per source. Elsewhere ``manage.py run_due_sources``
    (cron) runs what is due."""
    if source.next_run_at is None or not run_data_source.get_backend().supports_defer:
        return None
    if source.runs.filter(status=SourceRun.Status.QUEUED).exists():
        return None
    run = SourceRun.objects.create(source=source)
    run_data_source.using(run_after=source.next_run_at).enqueue(run.pk)
    return run
