"""Areas, indicators, observations and the load batches that brought them in."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from halsogap.numbers import decimals_for
from halsogap_web.audit.regions import RegionAudited


class Area(RegionAudited, models.Model):
    """A place in SCB's hierarchy: riket → region (län) → kommun → RegSO → DeSO."""

    class Level(models.TextChoices):
        RIKET = "riket", _("Riket")
        REGION = "region", _("Region")
        KOMMUN = "kommun", _("Kommun")
        REGSO = "regso", _("RegSO")
        DESO = "deso", _("DeSO")

    code = models.CharField(_("kod"), max_length=12, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    level = models.CharField(_("nivå"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Indicator(RegionAudited, models.Model):
    """What is measured, how, and by whom.

    National indicators (``organisation`` empty, e.g. Kolada's KPIs) are open to everyone. A
    region's own indicators stay within the region until it publishes them.
    """

    class Polarity(models.TextChoices):
        HIGHER_BETTER = "higher_better", _("Högre är bättre")
        LOWER_BETTER = "lower_better", _("Lägre är bättre")
        NONE = "none", _("Ingen bedömning")

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registerdata")
        SURVEY = "survey", _("Enkät, självskattat")
        BACKGROUND = "background", _("Bakgrundsdata")
        ACTIVITY = "activity", _("Verksamhetsdata")
        RESOURCE = "resource", _("Resursdata")

    code = models.CharField(_("kod"), max_length=40, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("enhet"), max_length=60, blank=True)
    polarity = models.CharField(
        _("polaritet"), max_length=20, choices=Polarity.choices, default=Polarity.NONE
    )
    kind = models.CharField(_("typ av data"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("källa"), max_length=200, help_text=_("Var värdena hämtas, t.ex. Kolada/RKA.")
    )
    producer = models.CharField(
        _("producent"),
        max_length=300,
        blank=True,
        help_text=_("Den myndighet som tar fram statistiken, t.ex. Folkhälsomyndigheten."),
    )
    # The statistics table the values last came from ("tabell TAB638"), set by a source run.
    source_table = models.CharField(_("källans tabell"), max_length=200, blank=True)
    numerator_definition = models.TextField(_("täljare"), blank=True)
    denominator_definition = models.TextField(_("nämnare"), blank=True)
    quality_notes = models.TextField(_("kvalitetsnoteringar"), blank=True)
    severity = models.PositiveSmallIntegerField(
        _("svårighetsgrad"),
        null=True,
        blank=True,
        choices=[
            (1, _("1 – lindrig")),
            (2, _("2 – måttlig")),
            (3, _("3 – allvarlig")),
            (4, _("4 – mycket allvarlig")),
        ],
        help_text=_("Hur allvarligt tillståndet är; används när behoven rangordnas."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("ägs av region"),
    )
    is_published = models.BooleanField(_("publicerad"), default=False)
    is_health_state = models.BooleanField(
        _("hälsotillstånd"),
        default=False,
        help_text=_(
            "Ett hälsotillstånd som vården kan påverka och som därför kan vara ett behov. "
            "Bakgrundsdata som inkomst, utbildning, arbetslöshet och Gini beskriver "
            "behovsgrupper och jämlikhet men rangordnas inte som behov."
        ),
    )
    precision = models.PositiveSmallIntegerField(
        _("antal decimaler"),
        null=True,
        blank=True,
        help_text=_("Tomt: efter enheten (antal och kronor hela tal, andelar en decimal)."),
    )

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def audit_region_id(self) -> int | None:
        return self.organisation_id

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    @property
    def decimals(self) -> int:
        """The indicator's own precision, else its unit's (:func:`~halsogap.numbers.decimals_for`)."""
        return decimals_for(self.unit, precision=self.precision)

    @property
    def source_line(self) -> str:
        """'Källa: Kolada/RKA (Folkhälsomyndigheten)' — shown wherever values appear."""
        producer = f" ({self.producer})" if self.producer else ""
        table = f", {self.source_table}" if self.source_table else ""
        return f"{self.source}{producer}{table}"


class LoadBatch(RegionAudited, models.Model):
    """One import: who brought which file in, when, and what it changed."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("tid"), auto_now_add=True)
    file_name = models.CharField(_("filnamn"), max_length=255)
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=20)
    # What a statistics source said about the table (producer, table id, units, the fixed
    # parts of the selection, and for a connector the request and when it was fetched).
    source = models.JSONField(_("källans uppgifter"), default=dict, blank=True)
    # The values this batch changed, old beside new (at most 500), for "what changed".
    changes = models.JSONField(_("ändrade värden"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rader"))
    created_count = models.PositiveIntegerField(_("nya värden"), default=0)
    updated_count = models.PositiveIntegerField(_("ändrade värden"), default=0)
    unchanged_count = models.PositiveIntegerField(_("oförändrade värden"), default=0)

    class Meta:
        verbose_name = _("inläsning")
        verbose_name_plural = _("inläsningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def audit_region_id(self) -> int | None:
        return self.organisation_id

    @property
    def source_text(self) -> str:
        """ "Källa: SCB (tabell TAB638, uppdaterad 2025-02-21)" for a source's table, else ""."""
        if not self.source or not self.source.get("source"):
            return ""
        details = []
        if self.source.get("table"):
            details.append(f"tabell {self.source['table']}")
        if self.source.get("updated"):
            details.append(f"uppdaterad {str(self.source['updated'])[:10]}")
        fixed = self.source.get("fixed") or {}
        details += [f"{name}: {value}" for name, value in fixed.items()]
        suffix = f" ({', '.join(details)})" if details else ""
        return f"Källa: {self.source['source']}{suffix}"


class Observation(RegionAudited, models.Model):
    """One value: indicator × area × period × stratum (sex, age band, socioeconomic group)."""

    class Sex(models.TextChoices):
        TOTAL = "T", _("Totalt")
        WOMEN = "K", _("Kvinnor")
        MEN = "M", _("Män")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    period = models.CharField(_("period"), max_length=20)
    sex = models.CharField(_("kön"), max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    age_band = models.CharField(_("åldersgrupp"), max_length=20, blank=True, default="")
    socioeconomic_group = models.CharField(
        _("socioekonomisk grupp"), max_length=60, blank=True, default=""
    )
    value = models.FloatField(_("värde"), null=True, blank=True)
    numerator = models.FloatField(_("täljare"), null=True, blank=True)
    denominator = models.FloatField(_("nämnare"), null=True, blank=True)
    lower = models.FloatField(_("undre gräns"), null=True, blank=True)
    upper = models.FloatField(_("övre gräns"), null=True, blank=True)
    suppressed = models.BooleanField(_("undertryckt"), default=False)
    provisional = models.BooleanField(_("preliminär"), default=False)
    break_in_series = models.BooleanField(_("tidsseriebrott"), default=False)
    batch = models.ForeignKey(
        LoadBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "sex", "age_band", "socioeconomic_group"],
                name="one_value_per_key",
            )
        ]
        indexes = [models.Index(fields=["area", "indicator", "sex"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period} {self.sex}: {self.value}"

    def audit_region_id(self) -> int | None:
        return self.indicator.organisation_id


class ImportJob(RegionAudited, models.Model):
    """An upload being checked and loaded in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Avvisad")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    file_format = models.CharField(max_length=20, blank=True)
    # The Hälsogap indicator a single-content source file (JSON-stat, PC-Axis) is read into.
    indicator_code = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)
    batch = models.ForeignKey(LoadBatch, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def audit_region_id(self) -> int | None:
        return self.organisation_id

    @property
    def percent(self) -> int:
        if self.status in {self.Status.DONE, self.Status.FAILED}:
            return 100
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def fail_if_abandoned(self, *, limit_seconds: float, now=None) -> bool:
        """Mark a job failed whose worker stopped (killed, restarted) long past the time
        limit, so that no upload shows "Pågår" for ever. Returns whether it did."""
        from django.utils import timezone

        now = now or timezone.now()
        waited = (now - self.created_at).total_seconds()
        if self.status != self.Status.RUNNING or waited <= 2 * limit_seconds:
            return False
        self.status = self.Status.FAILED
        self.stage = "Avbruten – inget sparades"
        self.errors = [
            f"{self.file_name}: inläsningen avslutades aldrig (arbetaren stoppades); "
            "inget sparades. Läs in filen igen."
        ]
        self.content = b""
        self.save(update_fields=["status", "stage", "errors", "content"])
        return True


auditlog.register(Area)
auditlog.register(Indicator)
auditlog.register(LoadBatch)
auditlog.register(Observation)
auditlog.register(ImportJob, exclude_fields=["content", "done_rows", "stage"])
