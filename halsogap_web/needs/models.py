"""Needs analysis: need groups, targets (desired health state), the analysis document, CNI."""

from __future__ import annotations

from dataclasses import replace

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halsogap.needs.cni import SCB_EXAMPLE_NATIONAL_POINTS
from halsogap.needs.specs import AnalysisSpec, NeedGroupSpec, NeedSpec
from halsogap.needs.targets import Target, target_change
from halsogap.trace import STEPS
from halsogap_web.accounts.models import Organisation
from halsogap_web.audit.regions import RegionAudited
from halsogap_web.observations.models import Area, Indicator

from .dialogue_models import PopulationDialogue

SEX_CHOICES = [("T", _("Alla")), ("K", _("Kvinnor")), ("M", _("Män"))]


class NeedGroup(RegionAudited, models.Model):
    """A population with shared conditions: an area set × sex × age band × condition."""

    class AreaRule(models.TextChoices):
        REGION = "region", _("Hela regionen")
        ALL_KOMMUNER = "all_kommuner", _("Regionens alla kommuner")
        CHOSEN = "chosen", _("Valda kommuner")
        QUINTILE = "quintile", _("Kommuner i en riksgemensam kvintil av en bakgrundsindikator")
        REGION_QUINTILE = (
            "region_quintile",
            _("Kommuner i en kvintil inom regionen av en bakgrundsindikator"),
        )

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="need_groups")
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    area_rule = models.CharField(_("områden"), max_length=20, choices=AreaRule.choices)
    area_codes = models.JSONField(_("valda kommuner"), default=list, blank=True)
    background_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bakgrundsindikator"),
        help_text=_("T.ex. andel med eftergymnasial utbildning (N01982)."),
    )
    quintile = models.PositiveSmallIntegerField(
        _("kvintil"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text=_("1 = de kommuner där bakgrundsindikatorn visar sämst förutsättningar."),
    )
    sex = models.CharField(_("kön"), max_length=1, choices=SEX_CHOICES, default="T")
    age_band = models.CharField(
        _("ålder"), max_length=20, blank=True, help_text=_("T.ex. 16-84 eller 65+; tomt = alla.")
    )
    condition = models.CharField(
        _("socioekonomiskt villkor"),
        max_length=200,
        blank=True,
        help_text=_("Beskrivning, t.ex. ”ensamboende”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_region_id(self) -> int | None:
        return self.region_id

    def to_spec(self) -> NeedGroupSpec:
        """The group as the core reads it."""
        background = self.background_indicator
        return NeedGroupSpec(
            key=str(self.pk),
            name=self.name,
            region=self.region.area.code,
            region_name=str(self.region),
            area_rule=self.area_rule,
            area_rule_text=str(self.get_area_rule_display()),
            area_codes=tuple(self.area_codes or ()),
            background=background.code if background else None,
            background_polarity=background.polarity if background else "none",
            quintile=self.quintile,
            sex=self.sex,
            age_band=self.age_band,
            condition=self.condition,
            description=self.description,
        )


class NeedsAnalysis(RegionAudited, models.Model):
    class Optimal(models.TextChoices):
        BEST_REGION = "best_region", _("Bästa region")
        BEST_DECILE = "best_decile", _("Bästa tiondel av kommunerna")
        BEST_SEX = "best_sex", _("Bästa kön")

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="analyses")
    title = models.CharField(_("rubrik"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    introduction = models.TextField(_("inledning"), blank=True)
    dialogue_notes = models.TextField(
        _("dialoger"),
        blank=True,
        help_text=_("Vad invånare, patienter och verksamheter sade i dialogerna."),
    )
    optimal_method = models.CharField(
        _("optimalt tillstånd"),
        max_length=20,
        choices=Optimal.choices,
        default=Optimal.BEST_REGION,
    )
    need_groups = models.ManyToManyField(NeedGroup, blank=True, verbose_name=_("behovsgrupper"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def audit_region_id(self) -> int | None:
        return self.region_id

    def to_spec(self, *, severity: dict[str, int] | None = None) -> AnalysisSpec:
        """The analysis as the core composes it; ``severity`` holds the indicators' defaults,
        which the analysis's own severities override in the ranking."""
        items = [i.to_spec() for i in self.items.select_related("indicator", "target_set_by")]
        groups = self.need_groups.select_related("region__area", "background_indicator")
        return AnalysisSpec(
            title=self.title,
            region=self.region.area.code,
            region_name=str(self.region),
            year=self.year,
            groups=tuple(g.to_spec() for g in groups),
            needs=tuple(items),
            introduction=self.introduction,
            dialogue_notes=self.dialogue_notes,
            optimal_method=self.optimal_method,
            comments=tuple(
                (
                    c.author.get_full_name() if c.author else "–",
                    f"{timezone.localtime(c.created_at):%Y-%m-%d}",
                    c.text,
                )
                for c in self.comments.select_related("author")
            ),
            generated_on=f"{timezone.localdate():%Y-%m-%d}",
            severity={**(severity or {}), **{n.indicator: n.severity for n in items}},
            dialogues=tuple(
                d.to_spec(analysis=self) for d in PopulationDialogue.for_analysis(self)
            ),
            disclosure_threshold=settings.HALSOGAP_DISCLOSURE_THRESHOLD,
        )


class TargetStatus(models.TextChoices):
    PROPOSED = "proposed", _("föreslaget")
    APPROVED = "approved", _("fastställt")


#: The fields that make up a target; a change of any of them is a new version.
TARGET_FIELDS = (
    "target_kind",
    "target_value",
    "change_percent",
    "baseline_period",
    "target_period",
    "best_n",
    "best_level",
    "severity",
)


class AnalysisIndicator(RegionAudited, models.Model):
    """One indicator in an analysis with its target (desired state) and severity.

    The target belongs to the elected officials: an analyst proposes it, a förtroendevald sets
    or approves it. Every change is a :class:`TargetVersion` with who, when and why.
    """

    class TargetKind(models.TextChoices):
        ABSOLUTE = "absolute", _("Absolut värde")
        RELATIVE = "relative", _("Relativ förändring från ett basår")
        BEST = "best", _("Lika bra som de bästa")

    analysis = models.ForeignKey(NeedsAnalysis, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, verbose_name=_("indikator"))
    severity = models.PositiveSmallIntegerField(
        _("svårighetsgrad"),
        default=2,
        choices=[
            (1, _("1 – lindrig")),
            (2, _("2 – måttlig")),
            (3, _("3 – allvarlig")),
            (4, _("4 – mycket allvarlig")),
        ],
    )
    target_kind = models.CharField(
        _("mål"), max_length=10, choices=TargetKind.choices, default=TargetKind.BEST
    )
    target_value = models.FloatField(_("målvärde"), null=True, blank=True)
    change_percent = models.FloatField(_("förändring, procent av basvärdet"), null=True, blank=True)
    baseline_period = models.PositiveSmallIntegerField(_("basår"), null=True, blank=True)
    target_period = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    best_n = models.PositiveSmallIntegerField(_("antal bästa"), null=True, blank=True, default=1)
    best_level = models.CharField(
        _("jämför med"),
        max_length=10,
        default="region",
        choices=[("region", _("regioner")), ("kommun", _("kommuner"))],
    )
    target_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_set_at = models.DateTimeField(null=True, blank=True)
    target_rationale = models.TextField(_("motivering"), blank=True)
    target_status = models.CharField(
        _("målets status"),
        max_length=10,
        choices=TargetStatus.choices,
        default=TargetStatus.PROPOSED,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    quality_note = models.TextField(_("datakvalitet"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "indicator"], name="indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} i {self.analysis}"

    def audit_region_id(self) -> int | None:
        return self.analysis.region_id

    @property
    def status_text(self) -> str:
        """Who set the target and whether the politicians have approved it, in words."""
        if self.target_status == TargetStatus.APPROVED and self.approved_by:
            when = f" {timezone.localtime(self.approved_at):%Y-%m-%d}" if self.approved_at else ""
            return f"fastställt av {self.approved_by.get_full_name() or self.approved_by}{when}"
        who = self.target_set_by.get_full_name() if self.target_set_by else ""
        return f"föreslaget av {who}, ej fastställt" if who else "föreslaget, ej fastställt"

    @transaction.atomic
    def set_target(self, *, user, approves: bool) -> TargetVersion:
        """Store the target now on this object as a new version.

        ``approves`` is true for an elected official: their target is the decided one. An
        analyst's change makes the target a proposal again, however it stood before.
        """
        now = timezone.now()
        self.target_set_by, self.target_set_at = user, now
        if approves:
            self.target_status, self.approved_by, self.approved_at = (
                TargetStatus.APPROVED,
                user,
                now,
            )
        else:
            self.target_status, self.approved_by, self.approved_at = (
                TargetStatus.PROPOSED,
                None,
                None,
            )
        self.save()
        return self.record_version(user)

    @transaction.atomic
    def approve(self, user) -> TargetVersion:
        """An elected official approves the proposed target as it stands."""
        self.target_status, self.approved_by, self.approved_at = (
            TargetStatus.APPROVED,
            user,
            timezone.now(),
        )
        self.save(update_fields=["target_status", "approved_by", "approved_at"])
        return self.record_version(user)

    def record_version(self, user) -> TargetVersion:
        last = self.target_versions.first()
        return TargetVersion.objects.create(
            need=self,
            number=(last.number + 1) if last else 1,
            snapshot={f: getattr(self, f) for f in TARGET_FIELDS},
            status=self.target_status,
            rationale=self.target_rationale,
            changed_by=user,
        )

    def history(self) -> list[str]:
        """Each version of the target in Swedish words, newest first."""
        versions = list(self.target_versions.select_related("changed_by").order_by("number"))
        lines, previous = [], None
        unit = self.indicator.unit
        for version in versions:
            target = version.target()
            who = version.changed_by.get_full_name() if version.changed_by else ""
            target = replace(target, set_by=who or None)
            when = f"{timezone.localtime(version.changed_at):%Y-%m-%d}"
            if previous is not None and previous.describe(unit) == target.describe(unit):
                what = (
                    f"Målet fastställdes av {who}."
                    if version.status == TargetStatus.APPROVED
                    else f"Målet föreslogs på nytt av {who}."
                )
            else:
                what = target_change(previous, target, unit)
            severity = version.snapshot.get("severity")
            lines.append(f"{when}, version {version.number}: {what} Svårighetsgrad {severity}.")
            previous = target
        return lines[::-1]

    def to_spec(self) -> NeedSpec:
        """The need as the core reads it: indicator facts, target and severity."""
        indicator = self.indicator
        return NeedSpec(
            key=str(self.pk),
            indicator=indicator.code,
            title=indicator.title,
            unit=indicator.unit,
            polarity=indicator.polarity,
            source=indicator.source_line,
            target=self.target(),
            severity=self.severity,
            quality_note=self.quality_note or indicator.quality_notes,
            target_status=self.status_text,
            target_history=tuple(self.history()),
            precision=indicator.precision,
        )

    def target(self) -> Target:
        who = self.target_set_by.get_full_name() if self.target_set_by else None
        when = f"{self.target_set_at:%Y-%m-%d}" if self.target_set_at else None
        extra = {"set_by": who, "set_on": when, "rationale": self.target_rationale or None}
        if self.target_kind == self.TargetKind.ABSOLUTE:
            return Target(kind="absolute", value=self.target_value, **extra)
        if self.target_kind == self.TargetKind.RELATIVE:
            return Target(
                kind="relative",
                change_percent=self.change_percent,
                baseline_period=self.baseline_period,
                target_period=self.target_period,
                **extra,
            )
        return Target(kind="best", best_n=self.best_n or 1, level=self.best_level, **extra)


class TargetVersion(RegionAudited, models.Model):
    """One version of a need's target: what it was, its status, who changed it and why."""

    need = models.ForeignKey(
        AnalysisIndicator, on_delete=models.CASCADE, related_name="target_versions"
    )
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    status = models.CharField(max_length=10, choices=TargetStatus.choices)
    rationale = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["need", "number"], name="target_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.need} v{self.number}"

    def audit_region_id(self) -> int | None:
        return self.need.analysis.region_id

    def target(self) -> Target:
        """The target this version held."""
        values = self.snapshot
        extra = {"rationale": self.rationale or None}
        if values["target_kind"] == AnalysisIndicator.TargetKind.ABSOLUTE:
            return Target(kind="absolute", value=values["target_value"], **extra)
        if values["target_kind"] == AnalysisIndicator.TargetKind.RELATIVE:
            return Target(
                kind="relative",
                change_percent=values["change_percent"],
                baseline_period=values["baseline_period"],
                target_period=values["target_period"],
                **extra,
            )
        return Target(
            kind="best", best_n=values["best_n"] or 1, level=values["best_level"], **extra
        )


class NeedComment(RegionAudited, models.Model):
    """A comment in the dialogue about one need, at one of the seven steps."""

    need = models.ForeignKey(AnalysisIndicator, on_delete=models.CASCADE, related_name="dialogue")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    step = models.PositiveSmallIntegerField(
        _("steg"), choices=[(i, f"{i}. {title}") for i, (title, _d) in enumerate(STEPS, 1)]
    )
    text = models.TextField(_("inlägg"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]

    def audit_region_id(self) -> int | None:
        return self.need.analysis.region_id


class AnalysisComment(RegionAudited, models.Model):
    analysis = models.ForeignKey(NeedsAnalysis, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    text = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]

    def audit_region_id(self) -> int | None:
        return self.analysis.region_id


class CareUnit(RegionAudited, models.Model):
    """A primary-care unit with its listed population and the seven CNI register counts."""

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_units")
    code = models.CharField(_("enhet"), max_length=40)
    name = models.CharField(_("namn"), max_length=200)
    kommun = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True)
    listed = models.PositiveIntegerField(_("listade"))
    barn_under_5 = models.PositiveIntegerField()
    utlandsfodda = models.PositiveIntegerField()
    aldre_ensamboende = models.PositiveIntegerField()
    ensamstaende_foraldrar = models.PositiveIntegerField()
    inflyttade = models.PositiveIntegerField()
    arbetslosa = models.PositiveIntegerField()
    lagutbildade = models.PositiveIntegerField()
    synthetic = models.BooleanField(_("syntetisk demo"), default=False)
    batch = models.ForeignKey(
        "observations.LoadBatch", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="care_unit_code_once")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_region_id(self) -> int | None:
        return self.region_id


class EligibilityRule(RegionAudited, models.Model):
    """The region's rule for the supplementary health-promotion assignment (editable)."""

    region = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="cni_rule")
    cni_threshold = models.FloatField(_("CNI-tröskel"), default=1.20)
    min_listed = models.PositiveIntegerField(_("minsta antal listade"), default=5000)
    # Riket's points per person for the year SCB delivers the counts for; empty until the
    # region enters it, and SCB's published example stands in meanwhile.
    national_points = models.FloatField(
        _("rikets indexpoäng per invånare"),
        null=True,
        blank=True,
        help_text=_("SCB:s ”CNI per invånare” för riket det år antalen gäller, t.ex. 2,4761."),
    )
    reference_year = models.PositiveIntegerField(_("referensens år"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"CNI > {self.cni_threshold}, > {self.min_listed} listade"

    @property
    def reference(self) -> float:
        """Riket's points per person that CNI 1,00 stands for."""
        return self.national_points or SCB_EXAMPLE_NATIONAL_POINTS

    @property
    def reference_text(self) -> str:
        """Where the reference comes from, said beside every CNI table."""
        points = f"{self.reference:.4f}".replace(".", ",")
        if self.national_points is None:
            return _(
                "riket har %(p)s indexpoäng per invånare enligt SCB:s exempel "
                "– regionen har inte angett rikets referens för sitt år"
            ) % {"p": points}
        if self.reference_year:
            return _("riket har %(p)s indexpoäng per invånare år %(y)s, angivet av regionen") % {
                "p": points,
                "y": self.reference_year,
            }
        return _("riket har %(p)s indexpoäng per invånare, angivet av regionen") % {"p": points}

    def audit_region_id(self) -> int | None:
        return self.region_id


# Linking need groups to an analysis is a decision about whom it concerns: audited too.
auditlog.register(NeedsAnalysis, m2m_fields={"need_groups"})
for model in (
    NeedGroup,
    AnalysisIndicator,
    TargetVersion,
    NeedComment,
    AnalysisComment,
    CareUnit,
    EligibilityRule,
):
    auditlog.register(model)
