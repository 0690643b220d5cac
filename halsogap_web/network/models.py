"""Action plans drafted from a self-evaluation, and good examples shared with the network."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from halsogap.reports.action_plan import ActionPlanContent, ActivityContent, FocusAreaContent
from halsogap.selfevaluation import PERSPECTIVES, weakest_statements
from halsogap_web.accounts.models import Organisation
from halsogap_web.audit.regions import RegionAudited
from halsogap_web.selfevaluation.models import PERSPECTIVE_CHOICES, Evaluation, StatementItem

from .theme_models import ThemeGroup, ThemeGroupMember  # noqa: F401 (one app's models)

#: The network's four focus areas, one per perspective, as its verksamhetsplan words them.
NETWORK_FOCUS_AREAS = [
    (
        "styrning",
        "Styrning och ledning som underlättar hälsofrämjande och förebyggande insatser "
        "utifrån behov",
    ),
    ("patient", "Hälsofrämjande förhållningssätt i möten med patienter"),
    ("befolkning", "Samverkan mellan olika hälsoaktörer"),
    ("medarbetare", "Fysisk, psykosocial och digital arbetsmiljö"),
]


class ActionPlan(RegionAudited, models.Model):
    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="action_plans")
    title = models.CharField(_("rubrik"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: A theme group's own action plan; a network plan without one is its verksamhetsplan.
    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="plans"
    )
    shared = models.BooleanField(
        _("dela planen med nätverkets sekretariat"),
        default=False,
        help_text=_("Sekretariatet läser planen och dess status, men ändrar den aldrig."),
    )

    class Meta:
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_region_id(self) -> int | None:
        return self.region_id

    @classmethod
    @transaction.atomic
    def draft_from(cls, evaluation: Evaluation, *, year: int, user=None, threshold: int = 5):
        """One focus area per perspective with low scores, one activity per low statement."""
        plan = cls.objects.create(
            region=evaluation.region,
            year=year,
            evaluation=evaluation,
            created_by=user,
            title=f"Handlingsplan {year} – {evaluation.region}",
        )
        short = evaluation.version == Evaluation.Version.SHORT
        weak = weakest_statements(
            evaluation.definition.as_core(),
            evaluation.score_map(),
            threshold=threshold,
            short=short,
        )
        statements = {s.code: s for s in evaluation.statements()}
        for position, (key, label) in enumerate(PERSPECTIVES.items()):
            items = [(s, v) for s, v in weak if s.perspective == key]
            if not items:
                continue
            area = FocusArea.objects.create(
                plan=plan,
                perspective=key,
                position=position,
                title=f"Utveckla {label[0].lower() + label[1:]}",
                follow_up=(
                    "Ny självevaluering om ett år: följ skattningen för "
                    + ", ".join(s.code for s, _ in items)
                    + "."
                ),
            )
            for i, (statement, score) in enumerate(items):
                PlanActivity.objects.create(
                    focus_area=area,
                    position=i,
                    source_statement=statements.get(statement.code),
                    description=f"{statement.text} (skattat {score})",
                )
        return plan

    @property
    def is_network_plan(self) -> bool:
        """The network's own verksamhetsplan or a theme group's plan, not a region's."""
        return self.region.is_network

    def _basis(self) -> str:
        if self.theme_group_id:
            return f"Temagruppens handlingsplan ({self.theme_group})"
        if self.is_network_plan:
            return "Nätverkets verksamhetsplan"
        if self.evaluation:
            return (
                f"Självevaluering ({self.evaluation.get_version_display().lower()}) "
                f"{self.evaluation.started_at:%Y-%m-%d}"
            )
        return "Regionens egen plan"

    @classmethod
    @transaction.atomic
    def start_network_plan(cls, network: Organisation, *, year: int, user=None, theme_group=None):
        """The network's verksamhetsplan for ``year`` (or a theme group's plan) with one focus
        area per perspective, each followed up as the network's plan says."""
        title = (
            f"Handlingsplan {year} – {theme_group}"
            if theme_group
            else f"Verksamhetsplan {year} – {network}"
        )
        plan = cls.objects.create(
            region=network, year=year, title=title, created_by=user, theme_group=theme_group
        )
        follow_up = (
            "Dialog med processledarna och temagrupperna om utveckling i regionerna. "
            f"Resultat från följefrågor till självevalueringsverktyg {year}."
        )
        for position, (perspective, area_title) in enumerate(NETWORK_FOCUS_AREAS):
            FocusArea.objects.create(
                plan=plan,
                perspective=perspective,
                position=position,
                title=area_title,
                follow_up=follow_up,
            )
        return plan

    def content(self) -> ActionPlanContent:
        return ActionPlanContent(
            title=self.title,
            organisation=str(self.region),
            year=self.year,
            basis=self._basis(),
            focus_areas=[
                FocusAreaContent(
                    area.title,
                    area.get_perspective_display(),
                    area.follow_up,
                    [
                        ActivityContent(a.description, a.responsible, a.time_plan, a.status)
                        for a in area.activities.all()
                    ],
                )
                for area in self.focus_areas.prefetch_related("activities")
            ],
        )


class FocusArea(RegionAudited, models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="focus_areas")
    title = models.CharField(_("fokusområde"), max_length=300)
    perspective = models.CharField(_("perspektiv"), max_length=20, choices=PERSPECTIVE_CHOICES)
    follow_up = models.TextField(_("uppföljning"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def audit_region_id(self) -> int | None:
        return self.plan.region_id


class PlanActivity(RegionAudited, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klar")

    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="activities")
    description = models.TextField(_("prioriterad aktivitet"))
    responsible = models.CharField(_("ansvariga"), max_length=200, blank=True)
    time_plan = models.CharField(_("tidplan"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    source_statement = models.ForeignKey(
        StatementItem, on_delete=models.SET_NULL, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def audit_region_id(self) -> int | None:
        return self.focus_area.plan.region_id


class GoodExample(RegionAudited, models.Model):
    """Something a region shares with the network, with what it achieved."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Aktivitet i handlingsplan")
        MEASURE = "measure", _("Åtgärd")
        ASSIGNMENT = "assignment", _("Uppdrag")

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="examples")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"))
    achieved = models.TextField(
        _("vad det ledde till"), help_text=_("Resultat från uppföljningen, gärna med siffror.")
    )
    perspective = models.CharField(
        _("perspektiv"), max_length=20, choices=PERSPECTIVE_CHOICES, blank=True
    )
    source_activity = models.ForeignKey(
        PlanActivity, on_delete=models.SET_NULL, null=True, blank=True
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_at"]

    def __str__(self) -> str:
        return self.title

    def audit_region_id(self) -> int | None:
        return self.region_id


for model in (ActionPlan, FocusArea, PlanActivity, GoodExample):
    auditlog.register(model)
