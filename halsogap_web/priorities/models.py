"""Measures, ethical-platform assessments of need × measure, and immutable priority decisions."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from halsogap.priorities import DEFAULT_PARAMS, suggest_rank
from halsogap.priorities.decision import DecisionContent, DecisionSpec, compose_decision
from halsogap.priorities.planning import AssessmentSpec, MeasureSpec
from halsogap_web.accounts.models import Organisation
from halsogap_web.audit.regions import RegionAudited
from halsogap_web.needs.models import NeedGroup
from halsogap_web.observations.models import Indicator

KIND_CHOICES = [
    ("preventive", _("Förebyggande")),
    ("health_promoting", _("Hälsofrämjande")),
    ("treatment", _("Behandling")),
    ("rehabilitation", _("Rehabilitering")),
    ("care", _("Omvårdnad")),
    ("palliation", _("Palliation")),
]
PERSPECTIVE_CHOICES = [
    ("individual", _("Individ/patient")),
    ("population", _("Befolkning")),
    ("staff", _("Medarbetare")),
    ("governance", _("Styrning och ledning")),
]
EVIDENCE_CHOICES = [
    ("hög", _("hög")),
    ("måttlig", _("måttlig")),
    ("låg", _("låg")),
    ("mycket låg", _("mycket låg")),
]
SEVERITY_CHOICES = [
    ("mycket stor", _("mycket stor")),
    ("stor", _("stor")),
    ("måttlig", _("måttlig")),
    ("liten", _("liten")),
]
BENEFIT_CHOICES = [*SEVERITY_CHOICES, ("ingen", _("ingen"))]
COST_CHOICES = [
    ("låg", _("låg")),
    ("måttlig", _("måttlig")),
    ("hög", _("hög")),
    ("mycket hög", _("mycket hög")),
]


class Measure(RegionAudited, models.Model):
    """A measure (åtgärd): national catalogue entries have no region; regions add their own."""

    region = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    code = models.CharField(_("kod"), max_length=40)
    title = models.CharField(_("åtgärd"), max_length=300)
    kind = models.CharField(_("typ"), max_length=20, choices=KIND_CHOICES)
    perspective = models.CharField(_("perspektiv"), max_length=20, choices=PERSPECTIVE_CHOICES)
    habit = models.CharField(_("levnadsvana"), max_length=40, blank=True)
    target_group = models.CharField(_("målgrupp"), max_length=300, blank=True)
    evidence = models.CharField(
        _("evidens (GRADE)"), max_length=20, blank=True, choices=EVIDENCE_CHOICES
    )
    guideline_priority = models.CharField(
        _("riktlinjens prioritet"),
        max_length=12,
        blank=True,
        help_text=_("Tom när källan inte anger något nummer – aldrig gissad."),
    )
    guideline_band = models.CharField(_("rekommendation"), max_length=60, blank=True)
    cost_one_off = models.FloatField(_("engångskostnad (kr)"), null=True, blank=True)
    cost_yearly = models.FloatField(_("årlig kostnad (kr)"), null=True, blank=True)
    effect_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("effekt på indikator"),
    )
    indicator_effect = models.FloatField(
        _("förväntad effekt på indikatorn"),
        null=True,
        blank=True,
        help_text=_("I indikatorns enhet (absolut) eller i procent av nuvärdet (relativ)."),
    )
    indicator_effect_kind = models.CharField(
        _("typ av effekt"),
        max_length=10,
        blank=True,
        choices=[("absolute", _("absolut")), ("relative", _("relativ, %"))],
    )
    effect_per_person = models.FloatField(
        _("hälsovinst per nådd person (QALY)"),
        null=True,
        blank=True,
        help_text=_("Tomt = okänd effekt; åtgärden tas då inte med i resursfördelningen."),
    )
    reach = models.FloatField(_("antal personer som nås"), null=True, blank=True)
    uptake = models.FloatField(_("andel som tar del (0–1)"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=400)
    note = models.TextField(_("anmärkning"), blank=True)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="measure_code")]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def audit_region_id(self) -> int | None:
        return self.region_id

    def to_spec(self) -> MeasureSpec:
        return MeasureSpec(
            code=self.code,
            title=self.title,
            perspective=self.perspective,
            variant=self.based_on.code if self.based_on_id else self.code,
            cost_one_off=self.cost_one_off,
            cost_yearly=self.cost_yearly,
            reach=self.reach,
            effect_per_person=self.effect_per_person,
            uptake=self.uptake,
        )


class Assessment(RegionAudited, models.Model):
    """The ethical-platform assessment of one need (indicator × need group) and one measure."""

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    need_group = models.ForeignKey(
        NeedGroup, on_delete=models.PROTECT, verbose_name=_("behovsgrupp")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, verbose_name=_("behov (indikator)")
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, verbose_name=_("åtgärd"))
    severity = models.CharField(_("svårighetsgrad"), max_length=20, choices=SEVERITY_CHOICES)
    benefit = models.CharField(_("patientnytta"), max_length=20, choices=BENEFIT_CHOICES)
    cost_band = models.CharField(
        _("kostnad per QALY"),
        max_length=20,
        choices=COST_CHOICES,
        blank=True,
        help_text=_("Tomt = okänd."),
    )
    evidence = models.CharField(_("evidens"), max_length=20, choices=EVIDENCE_CHOICES)
    criteria = models.TextField(
        _("särskilda kriterier"),
        blank=True,
        help_text=_(
            "Prövas mot människovärdesprincipen: ålder, levnadsvanor eller social "
            "ställning får inte sänka prioriteten som generella skäl."
        ),
    )
    suggested_rank = models.CharField(_("föreslagen rang"), max_length=12)
    explanation = models.JSONField(_("så räknades rangen"), default=list)
    params = models.JSONField(default=dict)
    final_rank = models.CharField(_("beslutad rang"), max_length=12, blank=True)
    rationale = models.TextField(_("motivering"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} × {self.measure.code}: {self.rank}"

    def audit_region_id(self) -> int | None:
        return self.region_id

    @property
    def rank(self) -> str:
        return self.final_rank or self.suggested_rank

    def assess(self, *, region, user) -> Assessment:
        """Suggest the rank by Prioriteringscentrum's model, explain it and save the assessment."""
        suggestion = suggest_rank(
            self.severity,
            self.benefit,
            self.cost_band or None,
            self.evidence,
            params=DEFAULT_PARAMS,
        )
        self.region, self.assessed_by = region, user
        self.suggested_rank = str(suggestion.rank)
        self.explanation = list(suggestion.steps)
        self.params = suggestion.params
        self.save()
        return self

    def to_spec(self) -> AssessmentSpec:
        return AssessmentSpec(
            key=str(self.pk),
            group=self.need_group.to_spec(),
            indicator=self.indicator.code,
            indicator_title=self.indicator.title,
            measure=self.measure.to_spec(),
            severity=self.severity,
            evidence=self.evidence,
            rank=str(self.rank),
            cost_band=self.cost_band or None,
        )


class PriorityDecision(RegionAudited, models.Model):
    """A decided priority and allocation: immutable; a later change is a new version."""

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="decisions")
    version = models.PositiveIntegerField()
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True)
    body = models.CharField(_("beslutande organ"), max_length=200)
    decided_on = models.DateField(_("beslutsdatum"))
    paragraph = models.CharField(
        _("paragraf"), max_length=20, blank=True, help_text=_("Protokollets paragraf, t.ex. 12.")
    )
    reference = models.CharField(
        _("diarienummer"), max_length=60, blank=True, help_text=_("T.ex. HSN 2026-0042.")
    )
    decided_by = models.CharField(_("beslutade av"), max_length=300)
    rationale = models.TextField(_("motivering"))
    budget = models.FloatField(_("budget (kr)"))
    weights = models.JSONField(default=dict)
    ranking = models.JSONField(default=list)
    allocation = models.JSONField(default=list)
    published = models.BooleanField(_("publicera (öppna prioriteringar)"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="decision_version")
        ]

    def __str__(self) -> str:
        return f"Prioriteringsbeslut {self.version}, {self.region} ({self.decided_on})"

    def save(self, *args, **kwargs):
        # A decision is a record: once stored it never changes; changes are new versions.
        if self.pk is not None:
            raise ValidationError(_("Ett fattat beslut kan inte ändras; registrera en ny version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ett fattat beslut kan inte tas bort."))

    @transaction.atomic
    def record(self, *, region, user, budget, weights, ranked, funded) -> PriorityDecision:
        """Store this decision as the region's next version, with the weights and the ranking
        exactly as the politician saw them and the funded measures of the allocation."""
        previous = (
            PriorityDecision.objects.select_for_update()
            .filter(region=region)
            .order_by("-version")
            .first()
        )
        self.region, self.previous, self.recorded_by = region, previous, user
        self.version = (previous.version + 1) if previous else 1
        self.budget, self.weights = budget, dict(weights)
        self.ranking = [
            {
                "rank": r["rank"],
                "need": r["need"],
                "score": r["score"],
                "main_criterion": r.get("main_criterion"),
            }
            for r in ranked
        ]
        self.allocation = [
            {
                "measure": r["measure"],
                "title": r.get("title"),
                "need_group": r["need_group"],
                # The need the measure answers, so its trace can show its own budget.
                "indicator": r.get("indicator"),
                "rank": r.get("rank_text"),
                "cost": r.get("cost"),
                "effect": r.get("effect"),
            }
            for r in funded
        ]
        self.save()
        return self

    def to_spec(self) -> DecisionSpec:
        """The decision as the core composes it."""
        return DecisionSpec(
            region=str(self.region),
            version=self.version,
            body=self.body,
            decided_on=self.decided_on.isoformat(),
            decided_by=self.decided_by,
            rationale=self.rationale,
            budget=self.budget,
            weights=dict(self.weights),
            ranking=list(self.ranking),
            allocation=list(self.allocation),
            published=self.published,
            paragraph=self.paragraph,
            reference=self.reference,
        )

    def content(self) -> DecisionContent:
        """What the page and the documents show, with the difference to the previous version."""
        previous = self.previous.to_spec() if self.previous_id else None
        return compose_decision(self.to_spec(), previous)

    def audit_region_id(self) -> int | None:
        return self.region_id


for model in (Measure, Assessment, PriorityDecision):
    auditlog.register(model)
