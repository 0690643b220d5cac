"""A statistics source a region (or, for national indicators, an administrator) fetches from:
its definition, its schedule, and each run as a load batch."""

from __future__ import annotations

from datetime import timedelta

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halsogap.sources.fetch import KINDS, default_client, fetch_source
from halsogap_web.accounts.models import Organisation
from halsogap_web.audit.regions import RegionAudited
from halsogap_web.observations.models import LoadBatch

#: How long after a failed run the source is tried again.
RETRY_AFTER = timedelta(hours=1)


class DataSource(RegionAudited, models.Model):
    class Schedule(models.TextChoices):
        NONE = "", _("Bara när någon kör den")
        DAILY = "daily", _("Varje dag")
        WEEKLY = "weekly", _("Varje vecka")
        MONTHLY = "monthly", _("Varje månad")

    #: Days between scheduled runs.
    INTERVALS = {"daily": 1, "weekly": 7, "monthly": 30}

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_sources",
        help_text=_("Tomt för nationella indikatorer (administratör)."),
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av källa"), max_length=20, choices=list(KINDS.items()))
    url = models.CharField(_("adress"), max_length=500)
    table = models.CharField(_("tabell, databas eller KPI:er"), max_length=300)
    selection = models.JSONField(_("urval"), default=dict)
    indicator_code = models.CharField(_("indikatorkod"), max_length=50, blank=True)
    schedule = models.CharField(
        _("uppdatering"), max_length=10, choices=Schedule.choices, default="", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    next_run_at = models.DateTimeField(_("nästa körning"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("datakälla")
        verbose_name_plural = _("datakällor")

    def __str__(self) -> str:
        return self.name

    def audit_region_id(self) -> int | None:
        return self.organisation_id

    def fetch(self, *, retries: int = 3):
        """The source's values now, as tidy rows with the source's metadata (the core's)."""
        return fetch_source(
            self.kind,
            url=self.url,
            table=self.table,
            selection=self.selection,
            indicator=self.indicator_code or None,
            client=default_client(self.kind, retries=retries),
        )

    def next_after(self, moment, *, failed: bool):
        """When to run again: an hour after a failure, else by the schedule (None: never)."""
        if not self.schedule:
            return None
        if failed:
            return moment + RETRY_AFTER
        return moment + timedelta(days=self.INTERVALS[self.schedule])

    @property
    def selection_text(self) -> str:
        return "\n".join(f"{k}: {', '.join(map(str, v))}" for k, v in self.selection.items())


class SourceRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Hämtar")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades – inget ändrades")

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    batch = models.ForeignKey(LoadBatch, on_delete=models.SET_NULL, null=True, blank=True)
    errors = models.JSONField(default=list, blank=True)
    already_loaded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def finish(self, *, batch=None, errors=(), already_loaded=False) -> None:
        self.batch, self.errors, self.already_loaded = batch, list(errors), already_loaded
        self.status = self.Status.FAILED if errors else self.Status.DONE
        self.finished_at = timezone.now()
        self.save()


auditlog.register(DataSource)
