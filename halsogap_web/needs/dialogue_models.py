"""Dialogues and surveys with the population, recorded as evidence for the needs analysis.

Imported by :mod:`halsogap_web.needs.models` so that Django registers the model with the app;
the relations name their models as strings so that this module needs nothing from that one.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halsogap.needs.dialogues import DialogueSpec
from halsogap_web.audit.regions import RegionAudited


class PopulationDialogue(RegionAudited, models.Model):
    """A dialogue, focus group, survey or council with residents, patients or a need group."""

    class Kind(models.TextChoices):
        DIALOGUE = "dialog", _("Dialog")
        FOCUS_GROUP = "fokusgrupp", _("Fokusgrupp")
        SURVEY = "enkat", _("Enkät")
        PANEL = "panel", _("Medborgarpanel")
        COUNCIL = "rad", _("Patient- eller brukarråd")
        OTHER = "annat", _("Annat")

    region = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="population_dialogues"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices, default=Kind.DIALOGUE)
    held_on = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=200)
    #: ``[[group, count], …]``: whom the dialogue reached, as counted by the region.
    participants = models.JSONField(_("deltagare per grupp"), default=list, blank=True)
    hard_to_reach_reached = models.JSONField(
        _("svårnådda grupper som deltog"), default=list, blank=True
    )
    hard_to_reach_missed = models.JSONField(
        _("svårnådda grupper som inte nåddes"), default=list, blank=True
    )
    said = models.TextField(_("vad som sades"), blank=True)
    themes = models.JSONField(_("teman"), default=list, blank=True)
    need_groups = models.ManyToManyField(
        "needs.NeedGroup", blank=True, related_name="dialogues", verbose_name=_("behovsgrupper")
    )
    needs = models.ManyToManyField(
        "needs.AnalysisIndicator",
        blank=True,
        related_name="population_dialogues",
        verbose_name=_("behov"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dialogue_detail", kwargs={"pk": self.pk})

    def audit_region_id(self) -> int | None:
        return self.region_id

    @property
    def participant_count(self) -> int:
        return sum(int(count) for _group, count in self.participants)

    def to_spec(self, *, analysis=None) -> DialogueSpec:
        """The dialogue as the core composes it; with ``analysis``, ``concerns`` names only
        that analysis's need groups and needs (another year's are not its business)."""
        groups = self.need_groups.all()
        needs = self.needs.select_related("indicator")
        if analysis is not None:
            groups = groups.filter(pk__in=analysis.need_groups.values("pk"))
            needs = needs.filter(analysis=analysis)
        concerns = [g.name for g in groups] + [n.indicator.title for n in needs]
        return DialogueSpec(
            title=self.title,
            kind=self.get_kind_display(),
            held_on=f"{self.held_on:%Y-%m-%d}",
            participants=tuple((str(g), int(c)) for g, c in self.participants),
            hard_to_reach_reached=tuple(self.hard_to_reach_reached),
            hard_to_reach_missed=tuple(self.hard_to_reach_missed),
            said=self.said,
            themes=tuple(self.themes),
            concerns=tuple(concerns),
        )

    @classmethod
    def for_analysis(cls, analysis):
        """The dialogues linked to any of the analysis's need groups or needs, oldest first."""
        linked = models.Q(need_groups__in=analysis.need_groups.all()) | models.Q(
            needs__analysis=analysis
        )
        return (
            cls.objects.filter(linked, region=analysis.region_id)
            .distinct()
            .order_by("held_on", "pk")
        )


# Linking a dialogue to groups and needs says what the population's voice is evidence for.
auditlog.register(PopulationDialogue, m2m_fields={"need_groups", "needs"})
