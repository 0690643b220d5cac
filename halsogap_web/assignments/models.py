"""Assignments (uppdrag): content, follow-up plan, the seven steps, acceptance and reporting."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halsogap.assignments.activity import AGGREGATIONS, LATEST, PERIOD_KINDS
from halsogap.assignments.followable import GoalSpec, IndicatorPlan, check_followable, is_followable
from halsogap.numbers import format_number
from halsogap_web.accounts.models import Organisation, Role
from halsogap_web.audit.regions import RegionAudited
from halsogap_web.needs.models import AnalysisIndicator, NeedGroup
from halsogap_web.observations.models import Indicator
from halsogap_web.priorities.models import KIND_CHOICES, PERSPECTIVE_CHOICES, Measure


class Step(models.TextChoices):
    DRAFT = "draft", _("1. Utkast")
    DIALOGUE = "dialogue", _("2. Dialog")
    PROPOSAL = "proposal", _("3. Förslag")
    DECISION = "decision", _("4. Beslut")
    ACCEPTANCE = "acceptance", _("5. Accepterat av mottagaren")
    FOLLOW_UP = "follow_up", _("6. Uppföljning")
    CLOSED = "closed", _("7. Avslutat")


#: Which role moves an assignment from a step to the next: the process of the seeds, with
#: dialogue between every step (comments are open to all three roles throughout).
NEXT_STEP = {
    Step.DRAFT: (Step.DIALOGUE, {Role.ANALYTIKER, Role.ADMINISTRATOR}),
    Step.DIALOGUE: (Step.PROPOSAL, {Role.ANALYTIKER, Role.ADMINISTRATOR}),
    Step.PROPOSAL: (Step.DECISION, {Role.FORTROENDEVALD}),
    Step.DECISION: (Step.ACCEPTANCE, {Role.UTFORARE}),
    Step.ACCEPTANCE: (Step.FOLLOW_UP, {Role.ANALYTIKER, Role.ADMINISTRATOR}),
    Step.FOLLOW_UP: (Step.CLOSED, {Role.ANALYTIKER, Role.ADMINISTRATOR, Role.FORTROENDEVALD}),
}
#: Steps in which the content may still change; from the decision on, it is what was decided.
EDITABLE_STEPS = {Step.DRAFT, Step.DIALOGUE, Step.PROPOSAL}


class StepRefused(Exception):
    """A step change that the rules do not allow now; the message says why, in Swedish."""


class Assignment(RegionAudited, models.Model):
    class Acceptance(models.TextChoices):
        CONTRACT = "contract", _("Avtal (kontrakt)")
        AGREEMENT = "agreement", _("Överenskommelse")
        TRUST = "trust", _("Tillit (tillitsbaserat uppdrag)")

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assignments")
    title = models.CharField(_("rubrik"), max_length=300)
    issuer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="issued",
        verbose_name=_("uppdragsgivare"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    time_plan = models.TextField(_("tidplan"), blank=True)
    starts_on = models.DateField(_("startar"), null=True, blank=True)
    ends_on = models.DateField(_("slutar"), null=True, blank=True)
    budget = models.FloatField(_("budget (kr)"), null=True, blank=True)
    perspective = models.CharField(
        _("perspektiv"), max_length=20, choices=PERSPECTIVE_CHOICES, default="population"
    )
    kind = models.CharField(
        _("typ av insats"), max_length=20, choices=KIND_CHOICES, default="health_promoting"
    )
    between_principals = models.BooleanField(
        _("mellan huvudmän"),
        default=False,
        help_text=_("Region och kommun tillsammans; annars inom den egna organisationen."),
    )
    partner_principal = models.CharField(_("samverkande huvudman"), max_length=200, blank=True)
    needs = models.ManyToManyField(AnalysisIndicator, blank=True, verbose_name=_("behov"))
    need_group = models.ForeignKey(
        NeedGroup, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("behovsgrupp")
    )
    measures = models.ManyToManyField(Measure, blank=True, verbose_name=_("åtgärder"))
    priority_decision = models.ForeignKey(
        "priorities.PriorityDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("prioriteringsbeslut"),
    )
    step = models.CharField(_("steg"), max_length=20, choices=Step.choices, default=Step.DRAFT)
    decision_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decided_by = models.CharField(_("beslutat av"), max_length=300, blank=True)
    decision_paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)
    decision_reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    acceptance_form = models.CharField(
        _("accepteras genom"), max_length=20, choices=Acceptance.choices, blank=True
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_region_id(self) -> int | None:
        return self.region_id

    # --- The seven steps ---------------------------------------------------------------------

    @property
    def is_editable(self) -> bool:
        return self.step in EDITABLE_STEPS

    @property
    def next_step(self) -> str | None:
        entry = NEXT_STEP.get(self.step)
        return entry[0] if entry else None

    def is_recipient(self, membership) -> bool:
        return self.recipients.filter(organisation=membership.organisation).exists()

    def may_advance(self, membership) -> bool:
        """Whether this member's role moves the assignment on from its current step."""
        entry = NEXT_STEP.get(self.step)
        if entry is None or membership.role not in entry[1]:
            return False
        return entry[0] != Step.ACCEPTANCE or self.is_recipient(membership)

    def followable_gaps(self):
        """What the follow-up plan still lacks (the "uppföljningsbar" check), with waivers."""
        goals = [GoalSpec(str(g.pk), g.text, g.kind) for g in self.goals.all()]
        plans = [p.to_spec() for p in self.plan_indicators.select_related("indicator", "reporter")]
        waivers = dict(self.waivers.values_list("key", "reason"))
        return check_followable(goals, plans, waivers=waivers)

    @transaction.atomic
    def advance(self, membership, *, user, decision: dict | None = None, acceptance: str = ""):
        """Move to the next step if this role may and the step's conditions hold.

        Raises :class:`StepRefused` with the reason; nothing changes then.
        """
        if not self.may_advance(membership):
            raise StepRefused(_("Din roll kan inte föra uppdraget vidare från det här steget."))
        target = self.next_step
        if target == Step.DECISION:
            if not is_followable(self.followable_gaps()):
                raise StepRefused(
                    _(
                        "Uppdraget är inte uppföljningsbart än: stäng eller "
                        "motivera undantag för det som saknas."
                    )
                )
            if not decision:
                raise StepRefused(_("Ange beslutande organ, datum och vem som beslutade."))
            for field, value in decision.items():
                setattr(self, field, value)
        if target == Step.ACCEPTANCE:
            if acceptance not in self.Acceptance.values:
                raise StepRefused(_("Välj hur uppdraget accepteras."))
            self.acceptance_form = acceptance
            self.accepted_by, self.accepted_at = user, timezone.now()
        self.step = target
        self.save()
        self.record_version(user)
        return target

    def start_follow_up_when_reported(self, user) -> bool:
        """An accepted assignment that has been reported on is being followed up."""
        if self.step != Step.ACCEPTANCE:
            return False
        self.step = Step.FOLLOW_UP
        self.save(update_fields=["step"])
        self.record_version(user)
        return True

    # --- Versions ----------------------------------------------------------------------------

    def snapshot(self) -> dict:
        """Everything a version keeps, as plain values that compare and diff in Swedish words.

        Goals and plan lines are keyed by what a reader recognises them by, so an edited line
        reads as "Uppföljningsplan Daglig rökning (effekt) › Målvärde: '5' → '4'".
        """
        return {
            "title": self.title,
            "description": self.description,
            "time_plan": self.time_plan,
            "budget": self.budget,
            "perspective": self.get_perspective_display(),
            "kind": self.get_kind_display(),
            "between_principals": self.between_principals,
            "partner_principal": self.partner_principal,
            "step": self.get_step_display(),
            "recipients": sorted(
                f"{r.organisation}: {r.responsibility}" for r in self.recipients.all()
            ),
            "goals": [
                {"key": f"{i} ({g.get_kind_display().lower()})", "text": g.text}
                for i, g in enumerate(self.goals.all(), start=1)
            ],
            "milestones": [f"{m.due_on}: {m.text}" for m in self.milestones.all()],
            "plan": [p.snapshot() for p in self.plan_indicators.select_related("indicator")],
        }

    @transaction.atomic
    def record_version(self, user):
        """Store a new version when anything changed since the last one."""
        current = self.snapshot()
        last = self.versions.first()
        if last is not None and last.snapshot == current:
            return None
        number = (last.number + 1) if last else 1
        Assignment.objects.filter(pk=self.pk).update(version=number)
        self.version = number
        return AssignmentVersion.objects.create(
            assignment=self, number=number, snapshot=current, changed_by=user
        )


class Recipient(RegionAudited, models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("mottagare")
    )
    responsibility = models.TextField(_("ansvar"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "organisation"], name="recipient_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class Goal(RegionAudited, models.Model):
    class Kind(models.TextChoices):
        LONG = "long", _("Långsiktigt mål")
        SHORT = "short", _("Kortsiktigt mål")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("mål"))

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class Milestone(RegionAudited, models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField(_("datum"))
    text = models.CharField(_("delmål"), max_length=300)
    done = models.BooleanField(_("klart"), default=False)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.text

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class PlanIndicator(RegionAudited, models.Model):
    """One line of the follow-up plan: what is measured for which goal, from what to what."""

    class Role(models.TextChoices):
        EFFECT = "effect", _("Effektindikator")
        PROCESS = "process", _("Processindikator (aktivitet)")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="plan_indicators"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("mål")
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, verbose_name=_("indikator"))
    role = models.CharField(_("typ"), max_length=10, choices=Role.choices)
    baseline = models.FloatField(_("utgångsvärde"), null=True, blank=True)
    baseline_period = models.CharField(_("utgångsperiod"), max_length=20, blank=True)
    target = models.FloatField(_("målvärde"), null=True, blank=True)
    target_date = models.DateField(_("måldatum"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    frequency = models.CharField(_("frekvens"), max_length=60, blank=True)
    period_kind = models.CharField(
        _("rapporteras per"),
        max_length=10,
        blank=True,
        choices=[(k, label) for k, label in PERIOD_KINDS.items()],
        help_text=_("Vilken sorts period värdena gäller: månad, kvartal, halvår eller år."),
    )
    aggregation = models.CharField(
        _("värdena räknas som"),
        max_length=12,
        default=LATEST,
        choices=[(k, label) for k, label in AGGREGATIONS.items()],
        help_text=_(
            "Summa: aktiviteterna läggs ihop mot målet (140 + 185 mot 300). Senaste värdet: "
            "varje värde är läget vid sin tid (andelar, nivåer)."
        ),
    )
    reporter = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("rapporteras av"),
    )
    # The latest follow-up status, kept so the region overview of hundreds of assignments
    # need not recompute every series; refreshed when values are reported or the page is read.
    status = models.CharField(_("status"), max_length=20, blank=True)
    status_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} ({self.get_role_display()})"

    def snapshot(self) -> dict:
        """The plan line as a version keeps it: numbers as the reader writes them."""
        decimals = self.indicator.decimals
        role = "effekt" if self.role == self.Role.EFFECT else "process"
        return {
            "key": f"{self.indicator.title} ({role})",
            "baseline": format_number(self.baseline, decimals)
            + (f" ({self.baseline_period})" if self.baseline_period else ""),
            "target": format_number(self.target, decimals),
            "target_date": self.target_date.isoformat() if self.target_date else "",
            "frequency": self.frequency,
            "aggregation": self.get_aggregation_display(),
            "reporter": str(self.reporter) if self.reporter else "",
            "source": self.source,
        }

    @classmethod
    def status_counts(cls, assignments) -> dict[int, dict[str, int]]:
        """Stored statuses per assignment: {assignment pk: {status: count}}, in one query."""
        counts: dict[int, dict[str, int]] = {}
        rows = (
            cls.objects.filter(assignment__in=assignments)
            .values_list("assignment_id", "status")
            .annotate(n=models.Count("id"))
        )
        for assignment_id, status, n in rows:
            counts.setdefault(assignment_id, {})[status or "ej beräknad"] = n
        return counts

    def to_spec(self) -> IndicatorPlan:
        """The plan line as the core sees it (for the check, the status and the documents)."""
        return IndicatorPlan(
            key=str(self.pk),
            goal_key=str(self.goal_id or ""),
            indicator_code=self.indicator.code,
            role=self.role,
            baseline=self.baseline,
            baseline_period=self.baseline_period or None,
            target=self.target,
            target_date=self.target_date,
            polarity=self.indicator.polarity,
            source=self.source,
            frequency=self.frequency,
            reporter=str(self.reporter) if self.reporter else "",
            indicator_title=self.indicator.title,
            unit=self.indicator.unit,
            aggregation=self.aggregation,
            period_kind=self.period_kind,
            precision=self.indicator.precision,
        )

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class Waiver(RegionAudited, models.Model):
    """An explicitly accepted gap in the follow-up plan, with the reason."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="waivers")
    key = models.CharField(max_length=120)
    reason = models.TextField(_("skäl"))
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    waived_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class DialogueComment(RegionAudited, models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="dialogue")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    step = models.CharField(max_length=20, choices=Step.choices)
    text = models.TextField(_("inlägg"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class AssignmentVersion(RegionAudited, models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.assignment} v{self.number}"

    def audit_region_id(self) -> int | None:
        return self.assignment.region_id


class ActivityReport(RegionAudited, models.Model):
    """A value reported by the recipient for one plan indicator and period, with a comment."""

    plan = models.ForeignKey(PlanIndicator, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("period"), max_length=20)
    value = models.FloatField(_("värde"))
    comment = models.TextField(_("kommentar"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="report_once")]

    def __str__(self) -> str:
        return f"{self.plan} {self.period}: {self.value}"

    def audit_region_id(self) -> int | None:
        return self.plan.assignment.region_id


# Which needs and measures an assignment carries out is part of its record: audited too.
auditlog.register(Assignment, m2m_fields={"needs", "measures"})
for model in (
    Recipient,
    Goal,
    Milestone,
    PlanIndicator,
    Waiver,
    DialogueComment,
    AssignmentVersion,
    ActivityReport,
):
    auditlog.register(model)
