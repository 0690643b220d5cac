"""The annual wheel (årshjul): a region's template and each year's cycle of dated steps."""

from __future__ import annotations

from datetime import date

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from halsogap.arshjul import DEFAULT_STEPS, StepState, month_span
from halsogap_web.accounts.models import Organisation, Role
from halsogap_web.audit.regions import RegionAudited


class ArtefactKind(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", _("Behovsanalys och underlag")
    PRIORITY_DECISION = "priority_decision", _("Prioriteringsbeslut")
    ASSIGNMENT = "assignment", _("Uppdrag")
    FOLLOW_UP = "follow_up_report", _("Uppföljningsrapport")
    ANNUAL_REPORT = "annual_report", _("Årsredovisning")
    OPERATIONAL_PLAN = "operational_plan", _("Verksamhetsplan och budgetförslag")
    BUDGET_DECISION = "budget_decision", _("Fullmäktigebeslut")
    DIALOGUE = "dialogue", _("Dialoganteckningar")


class WheelTemplateStep(RegionAudited, models.Model):
    """A region's own version of a default step: the month and owner are the region's choice."""

    region = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="wheel_steps")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(_("steg"), max_length=300)
    month = models.PositiveSmallIntegerField(_("månad"), choices=[(m, m) for m in range(1, 13)])
    owner_role = models.CharField(_("ansvarig roll"), max_length=30, choices=Role.choices)
    artefact_kind = models.CharField(_("resultat"), max_length=30, choices=ArtefactKind.choices)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="one_template_step_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def audit_region_id(self) -> int | None:
        return self.region_id

    @classmethod
    def for_region(cls, region: Organisation):
        """The region's template, created from the defaults the first time it is needed."""
        if not cls.objects.filter(region=region).exists():
            cls.objects.bulk_create(
                cls(
                    region=region,
                    position=i,
                    key=s.key,
                    title=s.title,
                    month=s.month,
                    owner_role=s.owner_role,
                    artefact_kind=s.artefact_kind,
                )
                for i, s in enumerate(DEFAULT_STEPS, start=1)
            )
        return cls.objects.filter(region=region)


class Cycle(RegionAudited, models.Model):
    """One region's year on the wheel."""

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("år"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_cycle_per_region_year")
        ]

    def __str__(self) -> str:
        return f"Årshjul {self.year}, {self.region}"

    def audit_region_id(self) -> int | None:
        return self.region_id

    @classmethod
    @transaction.atomic
    def start(cls, region: Organisation, year: int, *, user=None) -> Cycle:
        cycle = cls.objects.create(region=region, year=year, started_by=user)
        for template in WheelTemplateStep.for_region(region):
            start, due = month_span(year, template.month)
            CycleStep.objects.create(
                cycle=cycle,
                position=template.position,
                key=template.key,
                title=template.title,
                owner_role=template.owner_role,
                artefact_kind=template.artefact_kind,
                start_date=start,
                due_date=due,
            )
        return cycle


class CycleStep(RegionAudited, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klart")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(_("steg"), max_length=300)
    owner_role = models.CharField(_("ansvarig roll"), max_length=30, choices=Role.choices)
    artefact_kind = models.CharField(_("resultat"), max_length=30, choices=ArtefactKind.choices)
    start_date = models.DateField(_("startar"))
    due_date = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def audit_region_id(self) -> int | None:
        return self.cycle.region_id

    @property
    def state(self) -> StepState:
        return StepState(
            self.position,
            self.title,
            self.start_date,
            self.due_date,
            done=self.status == self.Status.DONE,
        )

    def display_status(self, today: date | None = None) -> str:
        return self.state.status(today or date.today())


class ArtefactLink(RegionAudited, models.Model):
    """What a step produced: a link to a needs analysis, a decision, an assignment, a report."""

    step = models.ForeignKey(CycleStep, on_delete=models.CASCADE, related_name="artefacts")
    kind = models.CharField(_("typ"), max_length=30, choices=ArtefactKind.choices)
    title = models.CharField(_("titel"), max_length=300)
    url = models.CharField(
        _("länk"),
        max_length=500,
        help_text=_("En sida i Hälsogap (t.ex. /indikator/U01402/) eller en extern adress."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_region_id(self) -> int | None:
        return self.step.cycle.region_id


auditlog.register(WheelTemplateStep)
auditlog.register(Cycle)
auditlog.register(CycleStep)
auditlog.register(ArtefactLink)
